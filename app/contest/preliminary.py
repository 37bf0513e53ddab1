"""The preliminary round of a division: its settings and rubric, and the registrants' entries.

Entries are handed in like spoken assignments (`app/core/media.py`: the bytes are sniffed,
the size is limited) until the deadline, Japan time; every hand-in is a new version and every
version is kept. After the deadline a new version is refused and nothing earlier changes.
Judging, the ranking and publishing the finalists are in `preliminary_judging.py`.
Services flush; the view commits once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from app.contest.errors import ContestError
from app.contest.models import (
    ACTIVE_STATUSES,
    Division,
    Preliminary,
    PreliminaryCriterion,
    PreliminaryEntry,
    PreliminaryScore,
    PreliminaryVersion,
    Registration,
)
from app.core.media import NotAudio, delete_audio, store_audio
from app.extensions import db

AUDIO_FOLDER = "preliminary"
MAX_ENTRY_BYTES = 10 * 1024 * 1024  # as a spoken assignment's


class PreliminaryError(ContestError):
    """A preliminary rule was broken."""


class DeadlinePassed(PreliminaryError):
    """The deadline has passed (or the finalists are published): no new version."""


class NotEntitled(PreliminaryError):
    """The registration is not active in a division with a preliminary."""


class AudioTooLarge(PreliminaryError):
    pass


class NotAnAudioFile(PreliminaryError):
    pass


class NothingHandedIn(PreliminaryError):
    """A hand-in with neither a recording nor a manuscript."""


class RubricFixed(PreliminaryError):
    """A judge has scored: the rubric can't change any more."""


class HasEntries(PreliminaryError):
    """Someone has handed in: the preliminary can't be turned off."""


class AlreadyPublished(PreliminaryError):
    """The finalists are published; nothing about the preliminary changes any more."""


def preliminary_of(division: Division) -> Preliminary | None:
    """The division's preliminary round, if it has one."""
    return db.session.scalar(
        select(Preliminary)
        .where(Preliminary.division_id == division.id)
        .options(selectinload(Preliminary.criteria))
    )


def preliminaries_by_division(division_ids: Sequence[int]) -> dict[int, Preliminary]:
    """Division id → its preliminary, in one query (the console's table, the judge's home)."""
    if not division_ids:
        return {}
    rows = db.session.scalars(
        select(Preliminary).where(Preliminary.division_id.in_(list(division_ids)))
    )
    return {p.division_id: p for p in rows}


def lock_preliminary(preliminary_id: int) -> Preliminary:
    """Lock the preliminary's row for this transaction and return it freshly loaded.

    PostgreSQL: SELECT ... FOR UPDATE; SQLite: a no-op UPDATE takes the write lock first.
    Hand-ins, judges' sheets and publishing all take it, so none of them slips past another.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            update(Preliminary)
            .where(Preliminary.id == preliminary_id)
            .values(entries_issued=Preliminary.entries_issued)
            .execution_options(synchronize_session=False)
        )
        query = select(Preliminary).where(Preliminary.id == preliminary_id)
    else:
        query = select(Preliminary).where(Preliminary.id == preliminary_id).with_for_update()
    return db.session.scalars(query.execution_options(populate_existing=True)).one()


@dataclass(frozen=True)
class Settings:
    """What the organizer decides about a division's preliminary."""

    deadline_at: datetime
    wants_recording: bool
    max_minutes: int
    wants_manuscript: bool
    finalists: int
    blind: bool
    tiebreak_position: int | None
    criteria: Sequence[tuple[str, str, int, int, str]]  # (ja, en, weight, max, description)


def has_scores(preliminary: Preliminary) -> bool:
    """Whether a judge has saved any preliminary score (the rubric is then fixed)."""
    return (
        db.session.scalar(
            select(PreliminaryScore.id)
            .join(PreliminaryCriterion, PreliminaryCriterion.id == PreliminaryScore.criterion_id)
            .where(PreliminaryCriterion.preliminary_id == preliminary.id)
            .limit(1)
        )
        is not None
    )


def _same_rubric(preliminary: Preliminary, criteria: Sequence[tuple]) -> bool:
    current = [
        (c.name_ja, c.name_en, c.weight, c.max_score, c.description) for c in preliminary.criteria
    ]
    return current == [tuple(c) for c in criteria]


def configure(division: Division, settings: Settings) -> Preliminary:
    """Turn the preliminary on for a division, or change it until the finalists are published."""
    if not (settings.wants_recording or settings.wants_manuscript):
        raise ValueError("a preliminary needs a recording or a manuscript")
    preliminary = preliminary_of(division)
    if preliminary is None:
        preliminary = Preliminary(division_id=division.id, deadline_at=settings.deadline_at)
        db.session.add(preliminary)
    else:
        preliminary = lock_preliminary(preliminary.id)
        if preliminary.published_at is not None:
            raise AlreadyPublished()
    if preliminary.id is not None and not _same_rubric(preliminary, settings.criteria):
        if has_scores(preliminary):
            raise RubricFixed()
        preliminary.criteria.clear()
        db.session.flush()
    if not preliminary.criteria:
        preliminary.criteria = [
            PreliminaryCriterion(
                position=i, name_ja=ja, name_en=en, weight=w, max_score=m, description=about
            )
            for i, (ja, en, w, m, about) in enumerate(settings.criteria)
        ]
    preliminary.deadline_at = settings.deadline_at
    preliminary.wants_recording = settings.wants_recording
    preliminary.max_minutes = settings.max_minutes
    preliminary.wants_manuscript = settings.wants_manuscript
    preliminary.finalists = settings.finalists
    preliminary.blind = settings.blind
    preliminary.tiebreak_position = settings.tiebreak_position
    db.session.flush()
    return preliminary


def turn_off(preliminary: Preliminary) -> None:
    """Remove a preliminary nobody has handed anything in for."""
    preliminary = lock_preliminary(preliminary.id)
    if entry_count(preliminary):
        raise HasEntries()
    db.session.delete(preliminary)
    db.session.flush()


def entry_count(preliminary: Preliminary) -> int:
    """How many registrants have handed something in."""
    return (
        db.session.scalar(
            select(func.count()).where(PreliminaryEntry.preliminary_id == preliminary.id)
        )
        or 0
    )


# --- entries ----------------------------------------------------------------------------------


def entry_of(registration: Registration) -> PreliminaryEntry | None:
    """The registration's entry, with its versions."""
    return db.session.scalar(
        select(PreliminaryEntry)
        .where(PreliminaryEntry.registration_id == registration.id)
        .options(selectinload(PreliminaryEntry.versions))
    )


def entries(preliminary: Preliminary) -> list[PreliminaryEntry]:
    """Every entry, with versions and registrations, by entry number."""
    return list(
        db.session.scalars(
            select(PreliminaryEntry)
            .where(PreliminaryEntry.preliminary_id == preliminary.id)
            .options(
                selectinload(PreliminaryEntry.versions),
                selectinload(PreliminaryEntry.registration),
            )
            .order_by(PreliminaryEntry.number)
        )
    )


def complete(preliminary: Preliminary, version: PreliminaryVersion | None) -> bool:
    """The version has everything the preliminary asks for."""
    if version is None:
        return False
    if preliminary.wants_recording and not version.audio_file:
        return False
    has_texts = bool(version.manuscript_ky.strip() and version.manuscript_ja.strip())
    return has_texts or not preliminary.wants_manuscript


@dataclass(frozen=True)
class HandedIn:
    """A new version, and the file stored for it (delete it if the commit fails)."""

    version: PreliminaryVersion
    stored: str | None


def hand_in(
    registration: Registration,
    *,
    audio: bytes | None,
    manuscript_ky: str | None,
    manuscript_ja: str | None,
    now: datetime,
) -> HandedIn:
    """Add a version: the new recording and texts; what is not given stays as in the last one.

    Everything that can be refused is checked before anything is written.
    """
    preliminary = preliminary_of(registration.division)
    if preliminary is None or registration.status not in ACTIVE_STATUSES:
        raise NotEntitled()
    if not preliminary.open(now):
        raise DeadlinePassed()
    if audio is not None and len(audio) > MAX_ENTRY_BYTES:
        raise AudioTooLarge()
    if audio is None and manuscript_ky is None and manuscript_ja is None:
        raise NothingHandedIn()
    stored = mimetype = None
    if audio is not None:
        try:
            stored, kind = store_audio(audio, max_bytes=MAX_ENTRY_BYTES, folder=AUDIO_FOLDER)
        except NotAudio as error:
            raise NotAnAudioFile(str(error)) from error
        mimetype = kind.mimetype
    try:
        preliminary = lock_preliminary(preliminary.id)
        if not preliminary.open(now):  # the deadline passed or publishing won meanwhile
            raise DeadlinePassed()
        entry = entry_of(registration)
        if entry is None:
            preliminary.entries_issued += 1
            entry = PreliminaryEntry(
                preliminary_id=preliminary.id,
                registration_id=registration.id,
                number=preliminary.entries_issued,
            )
            db.session.add(entry)
            db.session.flush()
        latest = entry.latest
        version = PreliminaryVersion(
            number=(latest.number + 1) if latest else 1,
            audio_file=stored or (latest.audio_file if latest else None),
            audio_mimetype=mimetype or (latest.audio_mimetype if latest else None),
            manuscript_ky=_text(manuscript_ky, latest.manuscript_ky if latest else ""),
            manuscript_ja=_text(manuscript_ja, latest.manuscript_ja if latest else ""),
            created_at=now,
        )
        entry.versions.append(version)
        db.session.flush()
    except BaseException:
        discard_audio([stored])
        raise
    return HandedIn(version, stored)


def _text(given: str | None, before: str) -> str:
    return before if given is None else given.strip()


def version_audio(entry: PreliminaryEntry, number: int) -> tuple[str, str] | None:
    """The stored name and type of a version's recording."""
    version = next((v for v in entry.versions if v.number == number), None)
    if version is None or not version.audio_file:
        return None
    return version.audio_file, version.audio_mimetype or "application/octet-stream"


def discard_audio(names: Sequence[str | None]) -> None:
    """Delete files stored for a hand-in that was not committed."""
    for name in names:
        delete_audio(name, AUDIO_FOLDER)
