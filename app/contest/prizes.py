"""Prizes and the publication of a division's results."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.contest.errors import ContestError, ResultsPublished, WrongState
from app.contest.judging import contestants, judging
from app.contest.models import PLACES, Division, Edition, Prize, PrizeKind, Registration
from app.core.dbtypes import utcnow
from app.extensions import db


class ResultsIncomplete(ContestError):
    def __init__(self, missing: int) -> None:
        super().__init__(missing)
        self.missing = missing


def prizes_of(division: Division) -> list[Prize]:
    """The division's prizes: places first, then special prizes."""
    prizes = db.session.scalars(
        select(Prize)
        .where(Prize.division_id == division.id)
        .options(selectinload(Prize.registration))
        .order_by(Prize.id)
    ).all()
    order = {kind: i for i, kind in enumerate([*PLACES, PrizeKind.SPECIAL])}
    return sorted(prizes, key=lambda p: (order.get(PrizeKind(p.kind), 9), p.id))


def set_prizes(division: Division, awards: Iterable[tuple[int, str, str]]) -> None:
    """Replace the division's prizes with (registration id, kind, special-prize name) rows."""
    if division.results_published_at is not None:
        raise ResultsPublished()
    allowed = {r.id for r in contestants(division)}
    seen_places: set[str] = set()
    rows = []
    for registration_id, kind, name in awards:
        if registration_id not in allowed or kind not in {k.value for k in PrizeKind}:
            raise ValueError((registration_id, kind))
        if kind != PrizeKind.SPECIAL:
            if kind in seen_places:
                raise WrongState(kind)
            seen_places.add(kind)
            name = ""
        elif not name.strip():
            raise WrongState("special prize without a name")
        rows.append(Prize(division_id=division.id, registration_id=registration_id, kind=kind,
                          name=name.strip()[:200]))  # fmt: skip
    for prize in db.session.scalars(select(Prize).where(Prize.division_id == division.id)):
        db.session.delete(prize)
    db.session.flush()
    db.session.add_all(rows)
    db.session.flush()


def publish_results(division: Division, *, now: datetime | None = None) -> None:
    """Publish once every judge has submitted every contestant; winners get their award."""
    state = judging(division)
    if not state.complete:
        raise ResultsIncomplete(state.missing)
    prizes = prizes_of(division)
    awards: dict[int, str] = {}
    for prize in prizes:  # a place beats a special prize on the registration's award
        awards.setdefault(prize.registration_id, prize.kind)
    for registration in state.contestants:
        registration.award = awards.get(registration.id)
    division.results_published_at = now or utcnow()
    db.session.flush()


def unpublish_results(division: Division) -> None:
    """Take results down again (to correct them); awards are cleared with them."""
    division.results_published_at = None
    db.session.execute(
        update(Registration)
        .where(Registration.division_id == division.id)
        .values(award=None)
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()


def published_prizes(edition: Edition) -> dict[int, list[Prize]]:
    """Division id → prizes, for the divisions of the edition whose results are published."""
    prizes = db.session.scalars(
        select(Prize)
        .join(Division, Division.id == Prize.division_id)
        .where(Division.edition_id == edition.id, Division.results_published_at.is_not(None))
        .options(selectinload(Prize.registration))
        .order_by(Prize.id)
    ).all()
    order = {kind: i for i, kind in enumerate([*PLACES, PrizeKind.SPECIAL])}
    grouped: dict[int, list[Prize]] = {}
    for prize in sorted(prizes, key=lambda p: (order.get(PrizeKind(p.kind), 9), p.id)):
        grouped.setdefault(prize.division_id, []).append(prize)
    return grouped
