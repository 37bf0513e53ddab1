"""Certificates of appreciation for volunteers: bilingual (Japanese and Kyrgyz), with the hours.

Organizers issue one per volunteer and event once hours are recorded; the hours are those at the
moment of issue (issuing again updates them). The page comes from the certificate engine that
the contest uses (`app/core/certificates.py`); the wording is Japanese and Kyrgyz by design.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from app.auth.models import User
from app.core.certificates import (
    CRIMSON,
    GOLD,
    MUTED,
    PAGE_W,
    border,
    document,
    emblem,
    facts,
    issuer,
    line,
)
from app.core.dates import TOKYO
from app.events.models import (
    Event,
    ShiftSignup,
    SignupStatus,
    VolunteerCertificate,
)
from app.extensions import db

TITLE_JA = "感謝状"
TITLE_KY = "ЫРААЗЫЧЫЛЫК КАТ"
TEXT_JA = (
    "あなたは本行事にボランティアとして参加され、その運営に多大なご尽力をいただきました。",
    "ここに深く感謝の意を表します。",
)
TEXT_KY = "Иш-чарага ыктыярчы катары салым кошкону үчүн терең ыраазычылык билдиребиз."
DATE_LABEL = ("開催日", "Өткөрүлгөн күнү")
HOURS_LABEL = ("活動時間", "Иштеген убактысы")


def hours_text(minutes: int) -> tuple[str, str]:
    """The hours in Japanese and in Kyrgyz: 2時間30分 / 2 саат 30 мүнөт."""
    hours, rest = divmod(minutes, 60)
    ja = f"{hours}時間" + (f"{rest}分" if rest else "")
    ky = f"{hours} саат" + (f" {rest} мүнөт" if rest else "")
    return ja, ky


def minutes_given(event: Event, user: User) -> int:
    """The minutes recorded for the user's shifts at the event."""
    total = db.session.scalar(
        select(func.sum(ShiftSignup.minutes)).where(
            ShiftSignup.event_id == event.id,
            ShiftSignup.user_id == user.id,
            ShiftSignup.status == SignupStatus.CONFIRMED,
        )
    )
    return int(total or 0)


def issue(event: Event, user: User, by: User, now: datetime) -> VolunteerCertificate | None:
    """Issue (or bring up to date) the user's certificate; None when no hours are recorded."""
    minutes = minutes_given(event, user)
    if minutes <= 0:
        return None
    certificate = certificate_of(event, user)
    if certificate is None:
        certificate = VolunteerCertificate(event=event, user_id=user.id, user=user, minutes=0)
        db.session.add(certificate)
    certificate.minutes = minutes
    certificate.issued_at = now
    certificate.issued_by_id = by.id
    db.session.flush()
    return certificate


def issue_all(event: Event, by: User, now: datetime) -> int:
    """Issue a certificate to every volunteer of the event with hours; returns how many."""
    users = db.session.scalars(
        select(User)
        .join(ShiftSignup, ShiftSignup.user_id == User.id)
        .where(
            ShiftSignup.event_id == event.id,
            ShiftSignup.status == SignupStatus.CONFIRMED,
            ShiftSignup.minutes > 0,
        )
        .distinct()
    ).all()
    return sum(1 for user in users if issue(event, user, by, now) is not None)


def certificate_of(event: Event, user: User) -> VolunteerCertificate | None:
    return db.session.scalar(
        select(VolunteerCertificate).where(
            VolunteerCertificate.event_id == event.id, VolunteerCertificate.user_id == user.id
        )
    )


def certificates_of(user: User) -> dict[int, VolunteerCertificate]:
    """Event id → the user's certificate for it."""
    rows = db.session.scalars(
        select(VolunteerCertificate).where(VolunteerCertificate.user_id == user.id)
    )
    return {c.event_id: c for c in rows}


def certificates_of_event(event: Event) -> dict[int, VolunteerCertificate]:
    """User id → the certificate issued to them for the event."""
    rows = db.session.scalars(
        select(VolunteerCertificate).where(VolunteerCertificate.event_id == event.id)
    )
    return {c.user_id: c for c in rows}


def pdf(certificate: VolunteerCertificate) -> bytes:
    """The certificate as a one-page PDF."""
    document_ = document(TITLE_JA)
    document_.add_page()
    event, user = certificate.event, certificate.user
    border(document_)
    emblem(document_, PAGE_W / 2, 29)
    line(document_, 41, event.title_ja, size=13, color=MUTED)
    line(document_, 47.5, event.title_ky or event.title_en, size=11, color=MUTED)
    line(document_, 58, TITLE_JA, size=38, spacing=9.0)
    line(document_, 74.5, TITLE_KY, style="B", size=16, spacing=4, color=CRIMSON)
    line(document_, 92, f"{user.display_name}　殿", size=28, spacing=1.5)
    document_.set_draw_color(*GOLD)
    document_.set_line_width(0.35)
    document_.line(PAGE_W / 2 - 70, 106, PAGE_W / 2 + 70, 106)
    y = 115.0
    for text in TEXT_JA:
        line(document_, y, text, size=12)
        y += 6.5
    line(document_, y + 1, TEXT_KY, size=11.5)
    day = (event.starts_at or certificate.issued_at).astimezone(TOKYO).date()
    hours_ja, hours_ky = hours_text(certificate.minutes)
    facts(
        document_,
        [
            (DATE_LABEL, f"{day.year}年{day.month}月{day.day}日",
             f"{day.day:02d}.{day.month:02d}.{day.year}"),
            (HOURS_LABEL, hours_ja, hours_ky),
        ],
    )  # fmt: skip
    issuer(document_)
    return bytes(document_.output())
