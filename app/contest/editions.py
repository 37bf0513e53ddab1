"""Editions and divisions: which edition is current, one edition per year, a division's rubric."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Event as CalendarEvent
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.contest.errors import ContestError
from app.contest.judging import has_scores
from app.contest.models import Criterion, Division, Edition
from app.core.calendar import calendar_entry, new_calendar
from app.core.dates import TOKYO
from app.extensions import db

# (name_ja, name_en, weight, max_score) or with a description for the judges as a fifth item
Rubric = list[tuple[str, str, int, int]] | list[tuple[str, str, int, int, str]]


class YearTaken(ContestError):
    """Another edition already has this year: there is one edition a year."""


class RubricFixed(ContestError):
    """Judges have scored the division, so its rubric can no longer change."""


def current_edition() -> Edition | None:
    """The edition the public page shows: the newest published one."""
    return db.session.scalar(
        select(Edition)
        .where(Edition.published.is_(True))
        .options(selectinload(Edition.divisions).selectinload(Division.criteria))
        .order_by(Edition.year.desc())
        .limit(1)
    )


def edition_by_year(year: int, *, published_only: bool = True) -> Edition | None:
    """An edition with its divisions and their rubrics loaded."""
    query = (
        select(Edition)
        .where(Edition.year == year)
        .options(selectinload(Edition.divisions).selectinload(Division.criteria))
    )
    if published_only:
        query = query.where(Edition.published.is_(True))
    return db.session.scalar(query)


def event_over(edition: Edition, now: datetime) -> bool:
    """The contest day has passed in Japan."""
    return now.astimezone(TOKYO).date() > edition.event_date


def edition_to_save(edition: Edition | None, year: int) -> Edition:
    """The edition to save under `year` (a new one when `edition` is None); one edition per year."""
    clash = db.session.scalar(select(Edition).where(Edition.year == year))
    if clash is not None and clash is not edition:
        raise YearTaken(year)
    if edition is None:
        edition = Edition()
        db.session.add(edition)
    return edition


def set_rubric(division: Division, rubric: Rubric) -> None:
    """Replace the division's criteria by `rubric` (name_ja, name_en, weight, max_score), if it changed.

    Scores refer to the criteria, so once a judge has scored the division the rubric is fixed.
    """
    current = [(c.name_ja, c.name_en, c.weight, c.max_score) for c in division.criteria]
    rows = [(row[0], row[1], row[2], row[3], row[4] if len(row) > 4 else "") for row in rubric]
    if [row[:4] for row in rows] == current:
        # the same scoring: descriptions may still change, even after scores were given
        for criterion, row in zip(division.criteria, rows, strict=True):
            criterion.description = row[4]
        db.session.flush()
        return
    if division.id is not None and has_scores(division):
        raise RubricFixed()
    division.criteria = []
    db.session.flush()  # the old rubric goes before the new one takes its positions
    division.criteria = [
        Criterion(position=i, name_ja=ja, name_en=en, weight=w, max_score=m, description=d)
        for i, (ja, en, w, m, d) in enumerate(rows)
    ]
    db.session.flush()


def edition_ics(edition: Edition, *, language: str, url: str, now: datetime) -> bytes:
    """The contest day as a calendar file of its own."""
    calendar = new_calendar(edition.title(language))
    calendar.add_component(contest_day_entry(edition, language=language, url=url, now=now))
    return bytes(calendar.to_ical())


def contest_day_entry(edition: Edition, *, language: str, url: str, now: datetime) -> CalendarEvent:
    """The contest day for a calendar: from its start time (Japan time) for three hours, or the
    whole day if no time is set; the venue and its address as the place, what to bring."""
    if edition.event_time is not None:
        starts: datetime | date = datetime.combine(
            edition.event_date, edition.event_time, tzinfo=TOKYO
        ).astimezone(UTC)
        ends: datetime | date = starts + timedelta(hours=3)
    else:
        starts, ends = edition.event_date, edition.event_date + timedelta(days=1)
    location = ", ".join(p for p in (edition.venue(language), edition.venue_address) if p)
    return calendar_entry(
        f"contest-{edition.year}@sabak",
        edition.title(language),
        starts,
        ends,
        location,
        url,
        now,
        description="\n".join(p for p in (edition.bring(language), edition.map_url) if p),
    )
