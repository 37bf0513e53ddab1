"""Editions and divisions: which edition is current, one edition per year, a division's rubric."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.contest.errors import ContestError
from app.contest.judging import has_scores
from app.contest.models import Criterion, Division, Edition
from app.core.dates import TOKYO
from app.extensions import db

Rubric = list[tuple[str, str, int, int]]


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
    if rubric == current:
        return
    if division.id is not None and has_scores(division):
        raise RubricFixed()
    division.criteria = []
    db.session.flush()  # the old rubric goes before the new one takes its positions
    division.criteria = [
        Criterion(position=i, name_ja=ja, name_en=en, weight=w, max_score=m)
        for i, (ja, en, w, m) in enumerate(rubric)
    ]
    db.session.flush()
