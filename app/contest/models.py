"""Tables of the contest blueprint: editions, divisions, rubric, registrations, judging, prizes."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.dbtypes import UTCDateTime, utcnow
from app.core.i18n import localized
from app.extensions import Model


class Status(StrEnum):
    """Where a registration stands; the first four are "active" and count for the unique index."""

    PENDING = "pending"  # waiting for the organizers' approval (moderated divisions)
    CONFIRMED = "confirmed"  # has a seat and a participant number
    OFFERED = "offered"  # promoted from the waiting list: holds a seat until hold_expires_at
    WAITLISTED = "waitlisted"
    WITHDRAWN = "withdrawn"
    REJECTED = "rejected"
    EXPIRED = "expired"  # did not confirm an offered seat in time


ACTIVE_STATUSES = (Status.PENDING, Status.CONFIRMED, Status.OFFERED, Status.WAITLISTED)
SEAT_STATUSES = (Status.CONFIRMED, Status.OFFERED)
_ACTIVE_SQL = "status IN ('pending', 'confirmed', 'offered', 'waitlisted')"


def new_ticket_secret() -> str:
    """An unguessable secret for the QR ticket (check-in scans it)."""
    return secrets.token_urlsafe(24)


class Scoring(StrEnum):
    """How the judges' totals combine into a contestant's score."""

    MEAN = "mean"
    TRIMMED = "trimmed"  # drop the highest and the lowest total when there are 3 judges or more


class PrizeKind(StrEnum):
    FIRST = "first"
    SECOND = "second"
    THIRD = "third"
    SPECIAL = "special"


PLACES = (PrizeKind.FIRST, PrizeKind.SECOND, PrizeKind.THIRD)


class Edition(Model):
    """One year's contest: titles, registration window, event date and venue, rules."""

    __tablename__ = "contest_editions"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    title_ja: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    title_ky: Mapped[str] = mapped_column(String(200), default="")
    registration_opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    registration_closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    event_date: Mapped[date] = mapped_column(Date)
    event_time: Mapped[time | None] = mapped_column(Time)  # start, Japan time (reminders)
    venue_ja: Mapped[str] = mapped_column(String(300), default="")
    venue_en: Mapped[str] = mapped_column(String(300), default="")
    # For the registrant's page and calendar: the address, a map link, what to bring.
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    map_url: Mapped[str] = mapped_column(String(500), default="")
    bring_ja: Mapped[str] = mapped_column(Text, default="")
    bring_en: Mapped[str] = mapped_column(Text, default="")
    rules_ja: Mapped[str] = mapped_column(Text, default="")
    rules_en: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(default=True)
    hold_hours: Mapped[int] = mapped_column(default=72)
    # Whom registrants write to (shown where they withdraw and on their page).
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    divisions: Mapped[list[Division]] = relationship(
        back_populates="edition", order_by="Division.position", cascade="all, delete-orphan"
    )

    def title(self, language: str) -> str:
        return localized(language, self.title_ja, self.title_en, self.title_ky)

    def venue(self, language: str) -> str:
        return localized(language, self.venue_ja, self.venue_en)

    def bring(self, language: str) -> str:
        return localized(language, self.bring_ja, self.bring_en)

    def rules(self, language: str) -> str:
        return localized(language, self.rules_ja, self.rules_en)

    def registration_open(self, now: datetime) -> bool:
        return self.registration_opens_at <= now < self.registration_closes_at


class Division(Model):
    """A division of an edition (e.g. 初級スピーチ): capacity, eligibility, time limit, rubric."""

    __tablename__ = "contest_divisions"
    __table_args__ = (
        UniqueConstraint("edition_id", "letter"),
        UniqueConstraint("edition_id", "slug"),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("contest_editions.id", ondelete="CASCADE"), index=True
    )
    # The slug names the kind of division across years (past first prizes bar the same slug).
    slug: Mapped[str] = mapped_column(String(40))
    letter: Mapped[str] = mapped_column(String(1))  # in participant numbers: 2027-A-014
    position: Mapped[int] = mapped_column(default=0)
    name_ja: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    name_ky: Mapped[str] = mapped_column(String(200), default="")
    description_ja: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int] = mapped_column(default=20)
    speech_seconds: Mapped[int] = mapped_column(default=300)
    requires_moderation: Mapped[bool] = mapped_column(default=False)
    # Eligibility; None means "no limit".
    min_study_months: Mapped[int | None] = mapped_column()
    max_study_months: Mapped[int | None] = mapped_column()
    max_months_in_kyrgyzstan: Mapped[int | None] = mapped_column()
    bar_native_speakers: Mapped[bool] = mapped_column(default=True)
    require_japanese_citizenship: Mapped[bool] = mapped_column(default=True)
    bar_past_first_prize: Mapped[bool] = mapped_column(default=True)
    # Counters, only changed while the division row is locked.
    numbers_issued: Mapped[int] = mapped_column(default=0)
    waitlist_issued: Mapped[int] = mapped_column(default=0)
    # Judging: judges see participant numbers only; how totals combine; the tie-break criterion.
    blind: Mapped[bool] = mapped_column(default=False)
    scoring: Mapped[str] = mapped_column(String(10), default=Scoring.MEAN)
    tiebreak_position: Mapped[int | None] = mapped_column()  # Criterion.position, or None
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    edition: Mapped[Edition] = relationship(back_populates="divisions")
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="division", order_by="Criterion.position", cascade="all, delete-orphan"
    )

    def name(self, language: str) -> str:
        return localized(language, self.name_ja, self.name_en, self.name_ky)

    def description(self, language: str) -> str:
        return localized(language, self.description_ja, self.description_en)


class Criterion(Model):
    """One rubric criterion of a division, with its weight (judging uses it next)."""

    __tablename__ = "contest_criteria"
    __table_args__ = (
        UniqueConstraint("division_id", "position"),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("max_score > 0", name="max_score_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    division_id: Mapped[int] = mapped_column(
        ForeignKey("contest_divisions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name_ja: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    weight: Mapped[int] = mapped_column(default=1)  # percent of the total, or relative weight
    max_score: Mapped[int] = mapped_column(default=10)
    description: Mapped[str] = mapped_column(String(500), default="")  # what judges look for

    division: Mapped[Division] = relationship(back_populates="criteria")

    def name(self, language: str) -> str:
        return localized(language, self.name_ja, self.name_en)


class Registration(Model):
    """One person's registration in one division of an edition."""

    __tablename__ = "contest_registrations"
    __table_args__ = (
        # One active registration per person and edition: a double submit can't make two.
        Index(
            "uq_contest_registrations_active_email",
            "edition_id",
            "email",
            unique=True,
            sqlite_where=text(_ACTIVE_SQL),
            postgresql_where=text(_ACTIVE_SQL),
        ),
        UniqueConstraint("edition_id", "participant_number"),
        UniqueConstraint("ticket_secret"),
        Index("ix_contest_registrations_division_id_status", "division_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("contest_editions.id", ondelete="CASCADE"), index=True
    )
    division_id: Mapped[int] = mapped_column(ForeignKey("contest_divisions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))  # normalised, as in users.email
    status: Mapped[str] = mapped_column(String(12), default=Status.CONFIRMED)
    language: Mapped[str] = mapped_column(String(5), default="ja")

    full_name: Mapped[str] = mapped_column(String(100))
    furigana: Mapped[str] = mapped_column(String(100))
    name_latin: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(30))
    age_group: Mapped[str] = mapped_column(String(10))
    affiliation: Mapped[str] = mapped_column(String(20))
    affiliation_detail: Mapped[str] = mapped_column(String(200), default="")
    study_months: Mapped[int] = mapped_column(default=0)
    study_place: Mapped[str] = mapped_column(String(300), default="")
    months_in_kyrgyzstan: Mapped[int] = mapped_column(default=0)
    not_native_speaker: Mapped[bool] = mapped_column(default=False)
    japanese_citizen: Mapped[bool] = mapped_column(default=False)
    speech_title_ky: Mapped[str] = mapped_column(String(200), default="")
    speech_title_ja: Mapped[str] = mapped_column(String(200), default="")
    consent_privacy: Mapped[bool] = mapped_column(default=False)
    consent_photos: Mapped[bool] = mapped_column(default=False)
    search_key: Mapped[str] = mapped_column(String(600), default="")

    participant_number: Mapped[str | None] = mapped_column(String(20))
    waitlist_seq: Mapped[int | None] = mapped_column()
    hold_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    speaking_order: Mapped[int | None] = mapped_column()
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    # Set by the results of an edition (next round); "first" bars the same division later.
    award: Mapped[str | None] = mapped_column(String(20))
    ticket_secret: Mapped[str] = mapped_column(String(64), default=new_ticket_secret)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    gift_given_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # the reminder before the event was queued (one per registration)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    edition: Mapped[Edition] = relationship()
    division: Mapped[Division] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class JudgeAssignment(Model):
    """A judge scores a division."""

    __tablename__ = "contest_judge_assignments"
    __table_args__ = (UniqueConstraint("division_id", "judge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    division_id: Mapped[int] = mapped_column(
        ForeignKey("contest_divisions.id", ondelete="CASCADE"), index=True
    )
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    division: Mapped[Division] = relationship()
    judge: Mapped[User] = relationship()


class Conflict(Model):
    """A judge may not judge this contestant (e.g. their own student); they never see them."""

    __tablename__ = "contest_conflicts"
    __table_args__ = (UniqueConstraint("judge_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("contest_registrations.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ScoreSheet(Model):
    """One judge's scores and comment for one contestant; locked once submitted."""

    __tablename__ = "contest_score_sheets"
    __table_args__ = (UniqueConstraint("judge_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("contest_registrations.id", ondelete="CASCADE"), index=True
    )
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    scores: Mapped[list[Score]] = relationship(back_populates="sheet", cascade="all, delete-orphan")
    registration: Mapped[Registration] = relationship()
    judge: Mapped[User] = relationship()


class Score(Model):
    """One criterion's score on a sheet: one per judge, contestant and criterion."""

    __tablename__ = "contest_scores"
    __table_args__ = (
        UniqueConstraint("sheet_id", "criterion_id"),
        CheckConstraint("value >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("contest_score_sheets.id", ondelete="CASCADE"), index=True
    )
    # RESTRICT: a rubric that has been scored can't be silently replaced.
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("contest_criteria.id", ondelete="RESTRICT"), index=True
    )
    value: Mapped[int] = mapped_column()

    sheet: Mapped[ScoreSheet] = relationship(back_populates="scores")


class UnlockLog(Model):
    """An organizer reopened a submitted sheet: who, when and why."""

    __tablename__ = "contest_unlock_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("contest_score_sheets.id", ondelete="CASCADE"), index=True
    )
    unlocked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    unlocked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str] = mapped_column(Text)

    sheet: Mapped[ScoreSheet] = relationship()
    unlocked_by: Mapped[User | None] = relationship()


class Prize(Model):
    """A prize of a division: 1st, 2nd, 3rd (one each) or a named special prize."""

    __tablename__ = "contest_prizes"
    __table_args__ = (
        UniqueConstraint("registration_id", "kind"),
        Index(
            "uq_contest_prizes_division_place",
            "division_id",
            "kind",
            unique=True,
            sqlite_where=text("kind != 'special'"),
            postgresql_where=text("kind != 'special'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    division_id: Mapped[int] = mapped_column(
        ForeignKey("contest_divisions.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("contest_registrations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200), default="")  # special prizes only

    registration: Mapped[Registration] = relationship()


# The preliminary round's tables live in their own module; imported here so that every
# `from app.contest.models import ...` and the metadata see them.
from app.contest.preliminary_models import (  # noqa: E402, F401
    Preliminary,
    PreliminaryChoice,
    PreliminaryCriterion,
    PreliminaryEntry,
    PreliminaryScore,
    PreliminarySheet,
    PreliminaryVersion,
)
