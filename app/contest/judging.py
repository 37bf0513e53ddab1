"""Judging: judges and their divisions, conflicts of interest, score sheets and their locks, progress."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.auth.models import Role, User, UserRole
from app.contest import results
from app.contest.errors import ContestError, ResultsPublished, WrongState
from app.contest.models import (
    Conflict,
    Criterion,
    Division,
    Edition,
    JudgeAssignment,
    Registration,
    Score,
    ScoreSheet,
    Scoring,
    Status,
    UnlockLog,
)
from app.core.dbtypes import utcnow
from app.extensions import db


class NotAJudge(ContestError):
    pass


class SheetLocked(ContestError):
    """The sheet was submitted: only an organizer's unlock reopens it."""


class ScoredCriterion(Protocol):
    """What checking a score needs of a criterion (the final's or the preliminary's)."""

    id: int
    max_score: int


class InvalidScores(ContestError):
    def __init__(self, problems: dict[int, str]) -> None:
        super().__init__(problems)
        self.problems = problems  # criterion id → "missing" or "range"


class JudgingStarted(ContestError):
    """Judging has begun: the scoring rule is fixed (first sheet submitted), moves are over."""


def judging_started(division: Division) -> bool:
    """A judge has begun a score sheet in the division (a draft counts), or results are out."""
    return division.results_published_at is not None or _sheet_exists(division)


def judge_accounts() -> list[User]:
    """Every active account with the judge role, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.JUDGE, User.active.is_(True))
            .order_by(User.display_name, User.id)
        )
    )


def judges_of(division: Division) -> list[User]:
    """The judges assigned to a division."""
    return list(
        db.session.scalars(
            select(User)
            .join(JudgeAssignment, JudgeAssignment.judge_id == User.id)
            .where(JudgeAssignment.division_id == division.id)
            .order_by(User.display_name, User.id)
        )
    )


def is_assigned(judge: User, division: Division) -> bool:
    return (
        db.session.scalar(
            select(JudgeAssignment.id).where(
                JudgeAssignment.division_id == division.id, JudgeAssignment.judge_id == judge.id
            )
        )
        is not None
    )


def assigned_divisions(judge: User) -> list[Division]:
    """The divisions a judge scores, newest edition first."""
    return list(
        db.session.scalars(
            select(Division)
            .join(JudgeAssignment, JudgeAssignment.division_id == Division.id)
            .join(Edition, Edition.id == Division.edition_id)
            .where(JudgeAssignment.judge_id == judge.id)
            .options(selectinload(Division.edition))
            .order_by(Edition.year.desc(), Division.position)
        )
    )


def assign_judge(division: Division, judge: User) -> None:
    """Let a judge score a division (idempotent)."""
    if not judge.has_role(Role.JUDGE):
        raise NotAJudge(judge.id)
    if not is_assigned(judge, division):
        db.session.add(JudgeAssignment(division_id=division.id, judge_id=judge.id))
        db.session.flush()


def unassign_judge(division: Division, judge: User) -> None:
    """Take a judge off a division; their sheets stay but no longer count."""
    if division.results_published_at is not None:
        raise ResultsPublished()
    assignment = db.session.scalar(
        select(JudgeAssignment).where(
            JudgeAssignment.division_id == division.id, JudgeAssignment.judge_id == judge.id
        )
    )
    if assignment is not None:
        db.session.delete(assignment)
        db.session.flush()


def contestants(division: Division) -> list[Registration]:
    """Who is judged: confirmed participants who checked in, in speaking order."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.division_id == division.id,
                Registration.status == Status.CONFIRMED,
                Registration.checked_in_at.is_not(None),
            )
            .order_by(
                Registration.speaking_order.is_(None),
                Registration.speaking_order,
                Registration.participant_number,
            )
        )
    )


def conflicted_ids(judge: User, division: Division) -> set[int]:
    """Registrations of the division the judge has declared a conflict with."""
    return set(
        db.session.scalars(
            select(Conflict.registration_id)
            .join(Registration, Registration.id == Conflict.registration_id)
            .where(Conflict.judge_id == judge.id, Registration.division_id == division.id)
        )
    )


# Confirmed participants, and applicants awaiting a decision (a preliminary's entrants).
CANDIDATE_STATUSES = (Status.CONFIRMED, Status.PENDING)


def conflict_candidates(division: Division) -> list[Registration]:
    """Everyone confirmed or awaiting a decision in the division, by furigana (no numbers:
    names can't be matched to the numbers a blind judge sees)."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.division_id == division.id,
                Registration.status.in_([s.value for s in CANDIDATE_STATUSES]),
            )
            .order_by(Registration.furigana, Registration.id)
        )
    )


def declare_conflict(judge: User, registration: Registration, reason: str = "") -> None:
    """The judge won't judge this contestant; an unsubmitted sheet for them is discarded."""
    sheet = _sheet(judge, registration)
    if sheet is not None:
        if sheet.submitted:
            raise SheetLocked()
        db.session.delete(sheet)
    exists = db.session.scalar(
        select(Conflict.id).where(
            Conflict.judge_id == judge.id, Conflict.registration_id == registration.id
        )
    )
    if exists is None:
        db.session.add(
            Conflict(judge_id=judge.id, registration_id=registration.id, reason=reason[:200])
        )
    db.session.flush()


def withdraw_conflict(judge: User, registration: Registration) -> None:
    """Undo a conflict declared by mistake."""
    conflict = db.session.scalar(
        select(Conflict).where(
            Conflict.judge_id == judge.id, Conflict.registration_id == registration.id
        )
    )
    if conflict is not None:
        db.session.delete(conflict)
        db.session.flush()


def _sheet(judge: User, registration: Registration) -> ScoreSheet | None:
    return db.session.scalar(
        select(ScoreSheet)
        .where(ScoreSheet.judge_id == judge.id, ScoreSheet.registration_id == registration.id)
        .options(selectinload(ScoreSheet.scores))
    )


def sheet_of(judge: User, registration: Registration) -> ScoreSheet | None:
    """The judge's sheet for a contestant, with its scores."""
    return _sheet(judge, registration)


def judge_sheets(judge: User, division: Division) -> dict[int, ScoreSheet]:
    """Registration id → the judge's sheet, for the division, in one query."""
    sheets = db.session.scalars(
        select(ScoreSheet)
        .join(Registration, Registration.id == ScoreSheet.registration_id)
        .where(ScoreSheet.judge_id == judge.id, Registration.division_id == division.id)
    )
    return {sheet.registration_id: sheet for sheet in sheets}


def score_problems(
    criteria: Iterable[ScoredCriterion], values: dict[int, int | None], *, submit: bool
) -> dict[int, str]:
    """Criterion id → "range" for a value out of range, or (to submit) "missing" without one;
    the final's and the preliminary's sheets alike."""
    problems: dict[int, str] = {}
    for criterion in criteria:
        value = values.get(criterion.id)
        if value is None:
            if submit:
                problems[criterion.id] = "missing"
        elif not 0 <= value <= criterion.max_score:
            problems[criterion.id] = "range"
    return problems


def check_scores(division: Division, values: dict[int, int | None], *, submit: bool) -> None:
    """Raise InvalidScores for a value out of range, or (to submit) a criterion without one."""
    problems = score_problems(division.criteria, values, submit=submit)
    if problems:
        raise InvalidScores(problems)


def sheet_total(division: Division, values: dict[int, int | None]) -> Fraction:
    """The judge's weighted total of these scores on the 0–100 scale the results use."""
    specs = [results.CriterionSpec(c.id, c.weight, c.max_score) for c in division.criteria]
    return results.sheet_total(specs, {k: v for k, v in values.items() if v is not None})


def save_sheet(
    judge: User,
    registration: Registration,
    values: dict[int, int | None],
    comment: str,
    *,
    submit: bool,
    now: datetime | None = None,
) -> ScoreSheet:
    """Save a judge's scores (a draft may be partial); submitting needs all and locks them."""
    division = registration.division
    criteria = {c.id: c for c in division.criteria}
    check_scores(division, values, submit=submit)
    sheet = _sheet(judge, registration)
    if sheet is None:
        sheet = ScoreSheet(judge_id=judge.id, registration_id=registration.id)
        try:
            with db.session.begin_nested():
                db.session.add(sheet)
        except IntegrityError:  # another tab created it first
            sheet = _sheet(judge, registration)
            assert sheet is not None
    else:
        db.session.refresh(sheet, with_for_update=_for_update())
    if sheet.submitted:
        raise SheetLocked()
    fill_sheet(sheet, criteria, values, comment, score=Score, submit=submit, now=now)
    return sheet


def fill_sheet(
    sheet: Any,
    criteria: Iterable[int],
    values: dict[int, int | None],
    comment: str,
    *,
    score: Callable[..., Any],
    submit: bool,
    now: datetime | None,
) -> None:
    """Write a sheet's scores (a criterion without a value has none), its comment, and on submit
    its lock; the final's and the preliminary's sheets alike (`score` makes one of its scores)."""
    existing = {row.criterion_id: row for row in sheet.scores}
    for criterion_id in criteria:
        value = values.get(criterion_id)
        if value is None:
            if criterion_id in existing:
                sheet.scores.remove(existing[criterion_id])
        elif criterion_id in existing:
            existing[criterion_id].value = value
        else:
            sheet.scores.append(score(criterion_id=criterion_id, value=value))
    sheet.comment = comment.strip()
    if submit:
        sheet.submitted = True
        sheet.submitted_at = now or utcnow()
    db.session.flush()


def _for_update() -> bool:
    return db.session.get_bind().dialect.name != "sqlite"


def unlock_sheet(
    sheet: ScoreSheet, organizer: User, reason: str, *, now: datetime | None = None
) -> UnlockLog:
    """Reopen a submitted sheet for its judge; who, when and why is logged."""
    division = sheet.registration.division
    if division.results_published_at is not None:
        raise ResultsPublished()
    db.session.refresh(sheet, with_for_update=_for_update())  # two unlocks at once log one
    if not sheet.submitted:
        raise WrongState("draft")
    sheet.submitted = False
    sheet.submitted_at = None
    log = UnlockLog(
        sheet_id=sheet.id, unlocked_by_id=organizer.id, unlocked_at=now or utcnow(), reason=reason
    )
    db.session.add(log)
    db.session.flush()
    return log


def unlock_logs(division: Division) -> list[UnlockLog]:
    """The division's unlocks, newest first."""
    return list(
        db.session.scalars(
            select(UnlockLog)
            .join(ScoreSheet, ScoreSheet.id == UnlockLog.sheet_id)
            .join(Registration, Registration.id == ScoreSheet.registration_id)
            .where(Registration.division_id == division.id)
            .options(
                selectinload(UnlockLog.unlocked_by),
                selectinload(UnlockLog.sheet).selectinload(ScoreSheet.judge),
                selectinload(UnlockLog.sheet).selectinload(ScoreSheet.registration),
            )
            .order_by(UnlockLog.unlocked_at.desc(), UnlockLog.id.desc())
        )
    )


def set_judging(
    division: Division, *, blind: bool, scoring: str, tiebreak_position: int | None
) -> None:
    """Blind mode may change any time; method and tie-break only before the first submission."""
    if scoring not in {s.value for s in Scoring}:
        raise ValueError(scoring)
    changes_rule = (scoring, tiebreak_position) != (division.scoring, division.tiebreak_position)
    if changes_rule and _any_submitted(division):
        raise JudgingStarted()
    division.blind = blind
    division.scoring = scoring
    division.tiebreak_position = tiebreak_position
    db.session.flush()


def _any_submitted(division: Division) -> bool:
    return _sheet_exists(division, submitted_only=True)


def _sheet_exists(division: Division, *, submitted_only: bool = False) -> bool:
    """One cheap query: has any judge started (or submitted) a score sheet in the division?"""
    query = (
        select(ScoreSheet.id)
        .join(Registration, Registration.id == ScoreSheet.registration_id)
        .where(Registration.division_id == division.id)
    )
    if submitted_only:
        query = query.where(ScoreSheet.submitted.is_(True))
    return db.session.scalar(query.limit(1)) is not None


def has_scores(division: Division) -> bool:
    """Whether any score of the division exists (its rubric is then fixed)."""
    return (
        db.session.scalar(
            select(Score.id)
            .join(Criterion, Criterion.id == Score.criterion_id)
            .where(Criterion.division_id == division.id)
            .limit(1)
        )
        is not None
    )


@dataclass(frozen=True)
class Judging:
    """Everything the organizer's judging and results pages show, loaded in fixed queries."""

    division: Division
    judges: list[User]
    contestants: list[Registration]
    sheets: dict[tuple[int, int], ScoreSheet]  # (judge id, registration id) → sheet
    conflicts: set[tuple[int, int]]  # (judge id, registration id)

    def expected(self, judge: User, registration: Registration) -> bool:
        return (judge.id, registration.id) not in self.conflicts

    @property
    def missing(self) -> int:
        """How many (judge, contestant) pairs still lack a submitted sheet."""
        count = 0
        for judge in self.judges:
            for registration in self.contestants:
                if not self.expected(judge, registration):
                    continue
                sheet = self.sheets.get((judge.id, registration.id))
                if sheet is None or not sheet.submitted:
                    count += 1
        return count

    @property
    def complete(self) -> bool:
        return bool(self.judges and self.contestants) and self.missing == 0

    def ranking(self) -> list[results.Ranked]:
        """Contestants ranked on their submitted sheets from assigned judges."""
        criteria = [
            results.CriterionSpec(c.id, c.weight, c.max_score) for c in self.division.criteria
        ]
        judge_ids = {j.id for j in self.judges}
        entries = []
        for registration in self.contestants:
            sheets = [
                {score.criterion_id: score.value for score in sheet.scores}
                for (judge_id, registration_id), sheet in sorted(self.sheets.items())
                if registration_id == registration.id and judge_id in judge_ids and sheet.submitted
            ]
            entries.append(results.Entry(registration.id, sheets))
        tiebreak = self.tiebreak_criterion
        return results.rank(
            entries,
            criteria,
            method=self.division.scoring,
            tiebreak_criterion=tiebreak.id if tiebreak else None,
        )

    @property
    def tiebreak_criterion(self) -> Criterion | None:
        position = self.division.tiebreak_position
        return next((c for c in self.division.criteria if c.position == position), None)


def judging(division: Division) -> Judging:
    """Judges, contestants, sheets with scores and conflicts of a division."""
    judges = judges_of(division)
    people = contestants(division)
    sheets = db.session.scalars(
        select(ScoreSheet)
        .join(Registration, Registration.id == ScoreSheet.registration_id)
        .where(Registration.division_id == division.id)
        .options(selectinload(ScoreSheet.scores))
    ).all()
    conflicts = db.session.execute(
        select(Conflict.judge_id, Conflict.registration_id)
        .join(Registration, Registration.id == Conflict.registration_id)
        .where(Registration.division_id == division.id)
    ).all()
    return Judging(
        division=division,
        judges=judges,
        contestants=people,
        sheets={(s.judge_id, s.registration_id): s for s in sheets},
        conflicts={(j, r) for j, r in conflicts},
    )
