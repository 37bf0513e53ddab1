"""The preliminary's judging and outcome: sheets, the ranking, the finalists, publishing.

Judges are the division's judges and their conflicts are the final's (`judging.py`); sheets lock
on submit. The ranking is the final's (`results.rank`: the same aggregation and tie-break).
The finalists are the top N by default; the organizer may change that for an entry with a
reason, which is logged. Publishing claims the preliminary with one conditional UPDATE, so two
organizers publishing at once publish once, and takes the same row lock as a judge's save, so a
judge's change after publication is refused. Finalists hold a seat in the final: a confirmed
registration with a participant number, never more than the division's capacity; every other
active registration of the division is told kindly that it was not chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.contest import results
from app.contest.judging import conflicted_ids, fill_sheet, judges_of, score_problems
from app.contest.models import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    Conflict,
    Preliminary,
    PreliminaryChoice,
    PreliminaryEntry,
    PreliminaryScore,
    PreliminarySheet,
    Registration,
    Status,
)
from app.contest.notifications import send
from app.contest.preliminary import (
    AlreadyPublished,
    PreliminaryError,
    complete,
    entries,
    lock_preliminary,
)
from app.contest.seats import give_seat, lock_division
from app.core.dbtypes import utcnow
from app.extensions import db


class SheetLocked(PreliminaryError):
    """The sheet was submitted: its scores are locked."""


class NotYet(PreliminaryError):
    """Entries are scored once the deadline has passed, when no version can change any more."""


class InvalidScores(PreliminaryError):
    def __init__(self, problems: dict[int, str]) -> None:
        super().__init__(problems)
        self.problems = problems  # criterion id → "missing" or "range"


class ReasonRequired(PreliminaryError):
    """Changing the default choice of finalists needs a reason."""


class OverCapacity(PreliminaryError):
    """More finalists than the final has seats."""

    def __init__(self, finalists: int, capacity: int) -> None:
        super().__init__(finalists, capacity)
        self.finalists = finalists
        self.capacity = capacity


class NoFinalists(PreliminaryError):
    pass


# --- the judge's side ---------------------------------------------------------------------------


def scoring_open(preliminary: Preliminary, now: datetime | None = None) -> bool:
    """Judges score once the deadline has passed: what they hear is what is ranked."""
    return (now or utcnow()) >= preliminary.deadline_at


def judged_entries(preliminary: Preliminary, judge: User) -> list[PreliminaryEntry]:
    """The entries a judge scores once the deadline has passed: handed in, of an active
    registration (or decided), not conflicted."""
    if not scoring_open(preliminary):
        return []
    conflicted = conflicted_ids(judge, preliminary.division)
    return [
        e
        for e in entries(preliminary)
        if e.registration_id not in conflicted
        and e.versions
        and (e.registration.status in ACTIVE_STATUSES or e.outcome is not None)
    ]


def sheet_of(judge: User, entry: PreliminaryEntry) -> PreliminarySheet | None:
    return db.session.scalar(
        select(PreliminarySheet)
        .where(PreliminarySheet.judge_id == judge.id, PreliminarySheet.entry_id == entry.id)
        .options(selectinload(PreliminarySheet.scores))
    )


def judge_sheets(judge: User, preliminary: Preliminary) -> dict[int, PreliminarySheet]:
    """Entry id → the judge's sheet, in one query."""
    sheets = db.session.scalars(
        select(PreliminarySheet)
        .join(PreliminaryEntry, PreliminaryEntry.id == PreliminarySheet.entry_id)
        .where(
            PreliminarySheet.judge_id == judge.id,
            PreliminaryEntry.preliminary_id == preliminary.id,
        )
    )
    return {sheet.entry_id: sheet for sheet in sheets}


def check_scores(preliminary: Preliminary, values: dict[int, int | None], *, submit: bool) -> None:
    """Raise InvalidScores for a value out of range, or (to submit) a criterion without one."""
    problems = score_problems(preliminary.criteria, values, submit=submit)
    if problems:
        raise InvalidScores(problems)


def _specs(preliminary: Preliminary) -> list[results.CriterionSpec]:
    return [results.CriterionSpec(c.id, c.weight, c.max_score) for c in preliminary.criteria]


def sheet_total(preliminary: Preliminary, values: dict[int, int | None]) -> Fraction:
    """The judge's weighted total on the 0–100 scale the ranking uses."""
    return results.sheet_total(
        _specs(preliminary), {k: v for k, v in values.items() if v is not None}
    )


def save_sheet(
    judge: User,
    entry: PreliminaryEntry,
    values: dict[int, int | None],
    comment: str,
    *,
    submit: bool,
    now: datetime | None = None,
) -> PreliminarySheet:
    """Save a judge's preliminary scores (a draft may be partial); submitting locks them.

    Takes the preliminary's lock first: after publication nothing is saved.
    """
    preliminary = lock_preliminary(entry.preliminary_id)
    if preliminary.published_at is not None:
        raise AlreadyPublished()
    if not scoring_open(preliminary, now):
        raise NotYet()
    check_scores(preliminary, values, submit=submit)
    sheet = sheet_of(judge, entry)
    if sheet is None:
        sheet = PreliminarySheet(judge_id=judge.id, entry_id=entry.id)
        try:
            with db.session.begin_nested():
                db.session.add(sheet)
        except IntegrityError:  # another tab created it first
            sheet = sheet_of(judge, entry)
            assert sheet is not None
    else:
        db.session.refresh(sheet)
    if sheet.submitted:
        raise SheetLocked()
    criteria = [criterion.id for criterion in preliminary.criteria]
    fill_sheet(sheet, criteria, values, comment, score=PreliminaryScore, submit=submit, now=now)
    return sheet


# --- the organizer's side -----------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One entry on the ranking: its place, score, sheets and whether it is a finalist."""

    entry: PreliminaryEntry
    ranked: results.Ranked | None  # None: no submitted sheet yet
    sheets_submitted: int
    sheets_expected: int
    by_default: bool  # among the top N
    finalist: bool  # after the organizer's changes
    complete: bool


@dataclass(frozen=True)
class Ranking:
    preliminary: Preliminary
    rows: list[Row]
    judges: list[User]
    tie_at_cut: bool  # the N-th and the next share a place: the organizer should decide

    @property
    def finalists(self) -> list[Row]:
        return [r for r in self.rows if r.finalist]

    @property
    def missing(self) -> int:
        return sum(r.sheets_expected - r.sheets_submitted for r in self.rows)


def ranking(preliminary: Preliminary) -> Ranking:
    """Rank the handed-in entries on their submitted sheets from the division's judges."""
    judges = judges_of(preliminary.division)
    judge_ids = {j.id for j in judges}
    all_entries = [
        e
        for e in entries(preliminary)
        if e.versions and (e.registration.status in ACTIVE_STATUSES or e.outcome is not None)
    ]
    sheets = db.session.scalars(
        select(PreliminarySheet)
        .join(PreliminaryEntry, PreliminaryEntry.id == PreliminarySheet.entry_id)
        .where(PreliminaryEntry.preliminary_id == preliminary.id)
        .options(selectinload(PreliminarySheet.scores))
        .order_by(PreliminarySheet.judge_id)
    ).all()
    conflicts: set[tuple[int, int]] = {
        (judge_id, registration_id)
        for judge_id, registration_id in db.session.execute(
            select(Conflict.judge_id, Conflict.registration_id)
            .join(Registration, Registration.id == Conflict.registration_id)
            .where(Registration.division_id == preliminary.division_id)
        )
    }
    entry_registration = {e.id: e.registration_id for e in all_entries}
    submitted: dict[int, list[PreliminarySheet]] = {}
    for sheet in sheets:
        registration_id = entry_registration.get(sheet.entry_id)
        if (
            sheet.submitted
            and sheet.judge_id in judge_ids
            and ((sheet.judge_id, registration_id) not in conflicts)
        ):
            submitted.setdefault(sheet.entry_id, []).append(sheet)
    scored = [e for e in all_entries if submitted.get(e.id)]
    tiebreak = next(
        (c for c in preliminary.criteria if c.position == preliminary.tiebreak_position), None
    )
    ranked = results.rank(
        [
            results.Entry(
                e.id, [{s.criterion_id: s.value for s in sheet.scores} for sheet in submitted[e.id]]
            )
            for e in scored
        ],
        _specs(preliminary),
        method=preliminary.division.scoring,
        tiebreak_criterion=tiebreak.id if tiebreak else None,
    )
    by_entry = {e.id: e for e in all_entries}
    order = [by_entry[r.registration_id] for r in ranked]
    order += [e for e in all_entries if e.id not in submitted]
    places = {r.registration_id: r for r in ranked}
    top = {r.registration_id for r in ranked[: preliminary.finalists]}
    cut = preliminary.finalists
    tie_at_cut = len(ranked) > cut and ranked[cut - 1].rank == ranked[cut].rank
    rows = []
    for entry in order:
        by_default = entry.id in top
        finalist = (
            entry.outcome == "finalist"
            if entry.outcome is not None
            else (entry.finalist_override if entry.finalist_override is not None else by_default)
        )
        expected = sum(1 for j in judges if (j.id, entry.registration_id) not in conflicts)
        rows.append(
            Row(
                entry=entry,
                ranked=places.get(entry.id),
                sheets_submitted=len(submitted.get(entry.id, [])),
                sheets_expected=expected,
                by_default=by_default,
                finalist=finalist,
                complete=complete(preliminary, entry.latest),
            )
        )
    return Ranking(preliminary=preliminary, rows=rows, judges=judges, tie_at_cut=tie_at_cut)


def choose(
    entry: PreliminaryEntry,
    finalist: bool,
    reason: str,
    organizer: User,
    *,
    now: datetime | None = None,
) -> PreliminaryChoice:
    """Make an entry a finalist or not, against the ranking's default; the reason is logged."""
    reason = reason.strip()
    if not reason:
        raise ReasonRequired()
    preliminary = lock_preliminary(entry.preliminary_id)
    if preliminary.published_at is not None:
        raise AlreadyPublished()
    db.session.refresh(entry)
    entry.finalist_override = finalist
    choice = PreliminaryChoice(
        entry_id=entry.id,
        finalist=finalist,
        reason=reason,
        chosen_by_id=organizer.id,
        chosen_at=now or utcnow(),
    )
    db.session.add(choice)
    db.session.flush()
    return choice


def choices(preliminary: Preliminary) -> list[PreliminaryChoice]:
    """The log of the organizer's changes, newest first."""
    return list(
        db.session.scalars(
            select(PreliminaryChoice)
            .join(PreliminaryEntry, PreliminaryEntry.id == PreliminaryChoice.entry_id)
            .where(PreliminaryEntry.preliminary_id == preliminary.id)
            .options(
                selectinload(PreliminaryChoice.entry), selectinload(PreliminaryChoice.chosen_by)
            )
            .order_by(PreliminaryChoice.chosen_at.desc(), PreliminaryChoice.id.desc())
        )
    )


@dataclass(frozen=True)
class Published:
    finalists: list[Registration]
    not_selected: list[Registration]


def publish(preliminary: Preliminary, organizer: User, *, now: datetime | None = None) -> Published:
    """Publish the finalists: seats in the final for them, a kind e-mail for everyone else.

    The division is locked first (seats), then one conditional UPDATE claims the preliminary:
    a second organizer publishing at the same moment waits for the first, then claims nothing.
    """
    now = now or utcnow()
    division = lock_division(preliminary.division_id)
    claimed = db.session.scalars(
        update(Preliminary)
        .where(Preliminary.id == preliminary.id, Preliminary.published_at.is_(None))
        .values(published_at=now, published_by_id=organizer.id)
        .returning(Preliminary.id)
        .execution_options(synchronize_session=False)
    ).all()
    if not claimed:
        raise AlreadyPublished()
    db.session.refresh(preliminary)
    chosen = [row.entry for row in ranking(preliminary).finalists]
    if not chosen:
        raise NoFinalists()
    if len(chosen) > division.capacity:
        raise OverCapacity(len(chosen), division.capacity)
    chosen_ids = {e.registration_id for e in chosen}
    people = db.session.scalars(
        select(Registration)
        .where(
            Registration.division_id == division.id,
            Registration.status.in_([s.value for s in ACTIVE_STATUSES]),
        )
        .order_by(Registration.id)
        .execution_options(populate_existing=True)
    ).all()
    finalists: list[Registration] = []
    others: list[Registration] = []
    for registration in people:  # everyone else first, so their seats are free for finalists
        if registration.id not in chosen_ids:
            registration.status = Status.REJECTED
            registration.hold_expires_at = None
            registration.waitlist_seq = None
            others.append(registration)
    db.session.flush()
    for registration in people:
        if registration.id in chosen_ids:
            if registration.status not in SEAT_STATUSES or registration.status == Status.OFFERED:
                give_seat(division, registration, now)
            finalists.append(registration)
    other_ids = {r.id for r in others}
    entered: set[int] = set()
    for entry in entries(preliminary):
        if entry.versions:
            entered.add(entry.registration_id)
        if entry.registration_id in chosen_ids:
            entry.outcome = "finalist"
        elif entry.registration_id in other_ids:
            entry.outcome = "not_selected"
    db.session.flush()
    for registration in finalists:
        send(registration, "contest_preliminary_finalist", preliminary=preliminary)
    for registration in others:  # thanked for their entry, or told none arrived
        send(
            registration,
            "contest_preliminary_not_selected",
            preliminary=preliminary,
            entered=registration.id in entered,
        )
    return Published(finalists=finalists, not_selected=others)


def give_certificate(entry: PreliminaryEntry, *, now: datetime | None = None) -> None:
    """Let an entrant who was not chosen download a certificate of taking part in the preliminary."""
    if entry.outcome != "not_selected":
        raise PreliminaryError("only for entrants not chosen")
    if entry.certificate_at is None:
        entry.certificate_at = now or utcnow()
        db.session.flush()
