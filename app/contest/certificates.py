"""Certificates: a bilingual (Japanese and Kyrgyz) PDF for every participant and for each prize.

Who receives one: every participant of an edition, that is every confirmed registration that was
checked in on the day, or every confirmed one while the edition has recorded no check-in at all
(so organizers can print before the event). Each prize of a division (1st, 2nd, 3rd place and
named special prizes) adds an award certificate for its winner. A participant may download their
own once their division's results are published and the event day has come (Japan time);
organizers print every certificate of a division or an edition as one PDF, with the prizes as
saved on the results page.

The wording is Japanese and Kyrgyz by design, whatever the interface language, so it lives here as
constants rather than in the message catalogues. The page, its fonts, frame, emblem and signature
block come from the certificate engine (`app/core/certificates.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from fpdf import FPDF
from sqlalchemy import select

from app.contest.models import PLACES, Division, Edition, Prize, PrizeKind, Registration, Status
from app.core.certificates import (
    CRIMSON,
    GOLD,
    MUTED,
    PAGE_W,
    ascii_name,  # noqa: F401  (the views and tests name it here)
    border,
    document,
    emblem,
    facts,
    issuer,
    line,
)
from app.core.dates import TOKYO
from app.extensions import db

PARTICIPATION_JA = "参加証書"
PARTICIPATION_KY = "КҮБӨЛҮК"
PARTICIPATION_TEXT_JA = (
    "あなたは本大会に出場し、キルギス語による発表を立派に成し遂げられました。",
    "その努力と熱意をたたえ、ここに証します。",
)
PARTICIPATION_TEXT_KY = "Сынакка катышкандыгы үчүн берилди."
PRELIMINARY_JA = "予選参加証"
PRELIMINARY_KY = "ТАНДООГО КАТЫШУУ КҮБӨЛҮГҮ"
PRELIMINARY_TEXT_JA = (
    "あなたは本大会の予選に応募し、キルギス語によるスピーチを届けてくださいました。",
    "その努力と熱意をたたえ、ここに証します。",
)
PRELIMINARY_TEXT_KY = "Сынактын тандоо туруна катышкандыгы үчүн берилди."
AWARD_JA = "賞状"
AWARD_KY = "ДИПЛОМ"
AWARD_TEXT_JA = ("あなたは本大会において頭書の成績を収められました。", "よってこれを賞します。")
PLACE_TEXT_KY = "Сынакта {place} ээлегени үчүн берилди."
SPECIAL_TEXT_KY = "Сынактагы ийгилиги үчүн берилди."
PLACE_JA = {PrizeKind.FIRST: "第1位", PrizeKind.SECOND: "第2位", PrizeKind.THIRD: "第3位"}
PLACE_KY = {PrizeKind.FIRST: "1-орун", PrizeKind.SECOND: "2-орун", PrizeKind.THIRD: "3-орун"}
PLACE_KY_ACCUSATIVE = {k: f"{v}ду" for k, v in PLACE_KY.items()}  # орун → орунду
SPECIAL_JA = "特別賞"
SPECIAL_KY = "Атайын сыйлык"
DATE_LABEL = ("開催日", "Өткөрүлгөн күнү")
VENUE_LABEL = ("会場", "Өткөрүлгөн жери")


@dataclass(frozen=True)
class Certificate:
    """What one page says: participation when `prize` is None, else the award of that prize."""

    participant_number: str
    full_name: str
    name_latin: str
    edition_ja: str
    edition_ky: str
    division_ja: str
    division_ky: str
    event_date: date
    venue: str
    prize: str | None = None  # a PrizeKind
    prize_name: str = ""  # special prizes only
    preliminary: bool = False  # taking part in the preliminary round (no prize)


# --- who gets what ----------------------------------------------------------------------------


def _any_checked_in(edition: Edition) -> bool:
    return (
        db.session.scalar(
            select(Registration.id)
            .where(Registration.edition_id == edition.id, Registration.checked_in_at.is_not(None))
            .limit(1)
        )
        is not None
    )


def participants(edition: Edition, division: Division | None = None) -> list[Registration]:
    """Who took part: confirmed and checked in (all confirmed while nobody is checked in)."""
    query = select(Registration).where(
        Registration.edition_id == edition.id, Registration.status == Status.CONFIRMED
    )
    if division is not None:
        query = query.where(Registration.division_id == division.id)
    if _any_checked_in(edition):
        query = query.where(Registration.checked_in_at.is_not(None))
    return list(db.session.scalars(query.order_by(Registration.participant_number)))


def is_participant(registration: Registration) -> bool:
    """Whether the registration receives certificates (the rule of `participants`)."""
    if registration.status != Status.CONFIRMED:
        return False
    return registration.checked_in_at is not None or not _any_checked_in(registration.edition)


def available(registration: Registration, now: datetime) -> bool:
    """A participant may download once the division's results are out and the day has come."""
    return (
        registration.division.results_published_at is not None
        and registration.edition.event_date <= now.astimezone(TOKYO).date()
        and is_participant(registration)
    )


def _prize_order(prize: Prize) -> tuple[int, int]:
    order = [*PLACES, PrizeKind.SPECIAL]
    kind = PrizeKind(prize.kind)
    return (order.index(kind) if kind in order else len(order), prize.id)


def certificate(
    registration: Registration, division: Division, edition: Edition, prize: Prize | None = None
) -> Certificate:
    """The text of one page for a registration: participation, or the award of `prize`."""
    return Certificate(
        participant_number=registration.participant_number or "",
        full_name=registration.full_name,
        name_latin=registration.name_latin,
        edition_ja=edition.title_ja,
        edition_ky=edition.title_ky or edition.title_en,
        division_ja=division.name_ja,
        division_ky=division.name_ky or division.name_en,
        event_date=edition.event_date,
        venue=edition.venue_ja or edition.venue_en,
        prize=prize.kind if prize else None,
        prize_name=prize.name if prize else "",
    )


def registration_certificates(registration: Registration) -> list[Certificate]:
    """One person's pages: the participation certificate, then one per prize."""
    prizes = db.session.scalars(select(Prize).where(Prize.registration_id == registration.id)).all()
    division, edition = registration.division, registration.edition
    return [
        certificate(registration, division, edition),
        *(
            certificate(registration, division, edition, prize)
            for prize in sorted(prizes, key=_prize_order)
        ),
    ]


def edition_certificates(edition: Edition, division: Division | None = None) -> list[Certificate]:
    """Every page of an edition (or one division), for printing: per division, the awards in
    prize order, then everyone's participation certificate by participant number."""
    people = participants(edition, division)
    by_id = {r.id: r for r in people}
    query = select(Prize).join(Division, Division.id == Prize.division_id)
    query = query.where(Division.edition_id == edition.id)
    if division is not None:
        query = query.where(Prize.division_id == division.id)
    prizes = sorted(db.session.scalars(query), key=_prize_order)
    divisions = [division] if division is not None else list(edition.divisions)
    pages: list[Certificate] = []
    for current in divisions:
        pages += [
            certificate(by_id[p.registration_id], current, edition, p)
            for p in prizes
            if p.division_id == current.id and p.registration_id in by_id
        ]
        pages += [certificate(r, current, edition) for r in people if r.division_id == current.id]
    return pages


def registration_pdf(registration: Registration) -> bytes:
    """The PDF a participant downloads: their participation and award certificates."""
    return render(registration_certificates(registration))


def preliminary_pdf(registration: Registration) -> bytes:
    """The certificate of taking part in the preliminary round, for an entrant not chosen."""
    page = certificate(registration, registration.division, registration.edition)
    return render([replace(page, preliminary=True, participant_number="")])


def merged_pdf(edition: Edition, division: Division | None = None) -> bytes | None:
    """The print PDF of an edition or one division; None when nobody has taken part."""
    pages = edition_certificates(edition, division)
    return render(pages) if pages else None


# --- drawing ----------------------------------------------------------------------------------


def render(certificates: Sequence[Certificate]) -> bytes:
    """One PDF with a landscape A4 page per certificate, fonts embedded as subsets."""
    pdf = document(f"{PARTICIPATION_JA} / {AWARD_JA}")
    for page in certificates:
        pdf.add_page()
        _draw(pdf, page)
    return bytes(pdf.output())


def _draw(pdf: FPDF, page: Certificate) -> None:
    border(pdf)
    emblem(pdf, PAGE_W / 2, 29)
    line(pdf, 41, page.edition_ja, size=13, color=MUTED)
    line(pdf, 47.5, page.edition_ky, size=11, color=MUTED)
    if page.preliminary:
        title_ja, title_ky, spacing = PRELIMINARY_JA, PRELIMINARY_KY, 6.0
    elif page.prize is None:
        title_ja, title_ky, spacing = PARTICIPATION_JA, PARTICIPATION_KY, 9.0
    else:
        title_ja, title_ky, spacing = AWARD_JA, AWARD_KY, 16.0
    line(pdf, 56, title_ja, size=38, spacing=spacing)
    line(pdf, 72.5, title_ky, style="B", size=16, spacing=4, color=CRIMSON)
    y = 84.0
    if page.prize in PLACE_JA:
        kind = PrizeKind(page.prize)
        line(pdf, y, f"{PLACE_JA[kind]}  ·  {PLACE_KY[kind]}", size=20, color=CRIMSON)
        y += 13
    elif page.prize is not None:
        line(pdf, y - 1, page.prize_name or SPECIAL_JA, size=17, color=CRIMSON)
        line(pdf, y + 6.5, SPECIAL_KY, size=11.5, color=CRIMSON)
        y += 17
    else:
        y += 8
    line(pdf, y, f"{page.division_ja}  ·  {page.division_ky}", size=11.5, color=MUTED)
    _names(pdf, y + 7, page)
    if page.preliminary:
        body_ja, body_ky = PRELIMINARY_TEXT_JA, PRELIMINARY_TEXT_KY
    elif page.prize is None:
        body_ja, body_ky = PARTICIPATION_TEXT_JA, PARTICIPATION_TEXT_KY
    elif page.prize in PLACE_KY_ACCUSATIVE:
        body_ja = AWARD_TEXT_JA
        body_ky = PLACE_TEXT_KY.format(place=PLACE_KY_ACCUSATIVE[PrizeKind(page.prize)])
    else:
        body_ja, body_ky = AWARD_TEXT_JA, SPECIAL_TEXT_KY
    y += 36
    for text in body_ja:
        line(pdf, y, text, size=12)
        y += 6.5
    line(pdf, y + 1, body_ky, size=11.5)
    _footer(pdf, page)


def _names(pdf: FPDF, y: float, page: Certificate) -> None:
    """The kanji name large with 殿, the Latin name beneath, on a gold rule."""
    line(pdf, y, f"{page.full_name}　殿", size=28, spacing=1.5)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.35)
    pdf.line(PAGE_W / 2 - 70, y + 14, PAGE_W / 2 + 70, y + 14)
    line(pdf, y + 16, page.name_latin, size=16, spacing=0.5)


def _footer(pdf: FPDF, page: Certificate) -> None:
    """The date and venue on the left, the issuer and a signature line on the right."""
    d = page.event_date
    rows = [
        (DATE_LABEL, f"{d.year}年{d.month}月{d.day}日", f"{d.day:02d}.{d.month:02d}.{d.year}"),
        (VENUE_LABEL, page.venue, ""),
    ]
    facts(pdf, rows)
    issuer(pdf)
    if page.participant_number:
        line(
            pdf,
            187.5,
            f"No. {page.participant_number}",
            size=7.5,
            color=MUTED,
            x=34,
            width=60,
            align="L",
        )
