"""The contest's preliminary round: its settings, rubric, entries with their versions, the judges'
sheets and scores, and the organizer's choice of finalists (services in `preliminary.py` and
`preliminary_judging.py`). Re-exported by `app.contest.models`."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.dbtypes import UTCDateTime, utcnow
from app.core.i18n import localized
from app.extensions import Model

if TYPE_CHECKING:
    from app.auth.models import User
    from app.contest.models import Division, Registration


class Preliminary(Model):
    """A division's preliminary round: recordings and/or manuscripts handed in by a deadline,
    scored by the division's judges on their own rubric; the finalists get the final's seats."""

    __tablename__ = "contest_preliminaries"
    __table_args__ = (
        CheckConstraint("finalists > 0", name="finalists_positive"),
        CheckConstraint("max_minutes > 0", name="max_minutes_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    division_id: Mapped[int] = mapped_column(
        ForeignKey("contest_divisions.id", ondelete="CASCADE"), unique=True
    )
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime())
    wants_recording: Mapped[bool] = mapped_column(default=True)
    max_minutes: Mapped[int] = mapped_column(default=5)
    wants_manuscript: Mapped[bool] = mapped_column(default=False)
    finalists: Mapped[int] = mapped_column(default=10)
    blind: Mapped[bool] = mapped_column(default=True)
    tiebreak_position: Mapped[int | None] = mapped_column()  # PreliminaryCriterion.position
    # Entry numbers (P-01, …) are issued from this counter while the row is locked.
    entries_issued: Mapped[int] = mapped_column(default=0)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    division: Mapped[Division] = relationship()
    criteria: Mapped[list[PreliminaryCriterion]] = relationship(
        back_populates="preliminary",
        order_by="PreliminaryCriterion.position",
        cascade="all, delete-orphan",
    )

    def open(self, now: datetime) -> bool:
        return now < self.deadline_at and self.published_at is None


class PreliminaryCriterion(Model):
    """One criterion of the preliminary's own rubric (a recording is not a speech on stage)."""

    __tablename__ = "contest_preliminary_criteria"
    __table_args__ = (
        UniqueConstraint("preliminary_id", "position"),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("max_score > 0", name="max_score_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    preliminary_id: Mapped[int] = mapped_column(
        ForeignKey("contest_preliminaries.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name_ja: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    weight: Mapped[int] = mapped_column(default=1)
    max_score: Mapped[int] = mapped_column(default=10)
    description: Mapped[str] = mapped_column(String(500), default="")

    preliminary: Mapped[Preliminary] = relationship(back_populates="criteria")

    def name(self, language: str) -> str:
        return localized(language, self.name_ja, self.name_en)


class PreliminaryEntry(Model):
    """A registrant's entry in the preliminary: its versions, the organizer's choice, the outcome."""

    __tablename__ = "contest_preliminary_entries"
    __table_args__ = (
        UniqueConstraint("registration_id"),
        UniqueConstraint("preliminary_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    preliminary_id: Mapped[int] = mapped_column(
        ForeignKey("contest_preliminaries.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("contest_registrations.id", ondelete="CASCADE")
    )
    number: Mapped[int] = mapped_column()  # what blind judges see: P-07
    # The organizer's choice against the ranking's default (None: as ranked), with a logged reason.
    finalist_override: Mapped[bool | None] = mapped_column()
    outcome: Mapped[str | None] = mapped_column(String(12))  # "finalist" / "not_selected"
    certificate_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    preliminary: Mapped[Preliminary] = relationship()
    registration: Mapped[Registration] = relationship()
    versions: Mapped[list[PreliminaryVersion]] = relationship(
        back_populates="entry", order_by="PreliminaryVersion.number", cascade="all, delete-orphan"
    )

    @property
    def code(self) -> str:
        return f"P-{self.number:02d}"

    @property
    def latest(self) -> PreliminaryVersion | None:
        return self.versions[-1] if self.versions else None


class PreliminaryVersion(Model):
    """One handed-in version of an entry; every version is kept."""

    __tablename__ = "contest_preliminary_versions"
    __table_args__ = (UniqueConstraint("entry_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("contest_preliminary_entries.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column()
    audio_file: Mapped[str | None] = mapped_column(String(100))
    audio_mimetype: Mapped[str | None] = mapped_column(String(40))
    manuscript_ky: Mapped[str] = mapped_column(Text, default="")
    manuscript_ja: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    entry: Mapped[PreliminaryEntry] = relationship(back_populates="versions")


class PreliminarySheet(Model):
    """One judge's preliminary scores for one entry; locked once submitted."""

    __tablename__ = "contest_preliminary_sheets"
    __table_args__ = (UniqueConstraint("judge_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("contest_preliminary_entries.id", ondelete="CASCADE"), index=True
    )
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    scores: Mapped[list[PreliminaryScore]] = relationship(
        back_populates="sheet", cascade="all, delete-orphan"
    )


class PreliminaryScore(Model):
    """One criterion's score on a preliminary sheet."""

    __tablename__ = "contest_preliminary_scores"
    __table_args__ = (
        UniqueConstraint("sheet_id", "criterion_id"),
        CheckConstraint("value >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("contest_preliminary_sheets.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("contest_preliminary_criteria.id", ondelete="RESTRICT"), index=True
    )
    value: Mapped[int] = mapped_column()

    sheet: Mapped[PreliminarySheet] = relationship(back_populates="scores")


class PreliminaryChoice(Model):
    """The organizer changed the default choice of finalists for an entry: who, when and why."""

    __tablename__ = "contest_preliminary_choices"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("contest_preliminary_entries.id", ondelete="CASCADE"), index=True
    )
    finalist: Mapped[bool | None] = mapped_column()  # None: back to the ranking's default
    reason: Mapped[str] = mapped_column(Text)
    chosen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    entry: Mapped[PreliminaryEntry] = relationship()
    chosen_by: Mapped[User | None] = relationship()
