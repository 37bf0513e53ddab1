"""Editions: which one is current, finding one by year, and whether its contest day has passed."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.contest.models import (
    Division,
    Edition,
)
from app.extensions import db

TOKYO = ZoneInfo("Asia/Tokyo")


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
