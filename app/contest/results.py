"""Scoring and ranking, pure: weighted totals, (trimmed) means over judges, tie-breaks.

Arithmetic is exact (fractions), so two equal totals are equal and the tie-break decides,
never a rounding error. The tie-break rule is fixed and shown with the results:
1. the higher weighted total (mean over judges, or trimmed mean when chosen);
2. the higher mean score on the division's tie-break criterion (e.g. language accuracy), if set;
3. the higher median of the judges' totals;
4. still equal: the same rank, shared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from statistics import median

MEAN = "mean"
TRIMMED = "trimmed"


@dataclass(frozen=True)
class CriterionSpec:
    """What scoring needs of a rubric criterion."""

    id: int
    weight: int
    max_score: int


@dataclass(frozen=True)
class Entry:
    """One contestant's submitted sheets: criterion id → value, one mapping per judge."""

    registration_id: int
    sheets: Sequence[Mapping[int, int]]


@dataclass(frozen=True)
class Ranked:
    """A contestant's place: rank (shared on a full tie), score and the tie-break values."""

    registration_id: int
    rank: int
    score: Fraction
    tiebreak: Fraction | None
    median: Fraction
    totals: tuple[Fraction, ...]

    @property
    def score_display(self) -> str:
        return f"{float(self.score):.2f}"


def sheet_total(criteria: Sequence[CriterionSpec], values: Mapping[int, int]) -> Fraction:
    """One judge's weighted total on a 0–100 scale: each criterion as a share of its maximum."""
    weights = sum(c.weight for c in criteria)
    if weights == 0:
        return Fraction(0)
    earned = sum(
        (Fraction(values.get(c.id, 0), c.max_score) * c.weight for c in criteria), Fraction(0)
    )
    return earned * 100 / weights


def combine(totals: Sequence[Fraction], method: str = MEAN) -> Fraction:
    """Mean of the judges' totals; the trimmed mean drops the highest and lowest (≥ 3 judges)."""
    if not totals:
        return Fraction(0)
    values = sorted(totals)
    if method == TRIMMED and len(values) >= 3:
        values = values[1:-1]
    return sum(values, Fraction(0)) / len(values)


def rank(
    entries: Sequence[Entry],
    criteria: Sequence[CriterionSpec],
    *,
    method: str = MEAN,
    tiebreak_criterion: int | None = None,
) -> list[Ranked]:
    """Rank contestants by score, then the tie-break criterion, then the median total."""
    scored: list[Ranked] = []
    for entry in entries:
        totals = tuple(sheet_total(criteria, sheet) for sheet in entry.sheets)
        tiebreak = None
        if tiebreak_criterion is not None and entry.sheets:
            values = [Fraction(sheet.get(tiebreak_criterion, 0)) for sheet in entry.sheets]
            tiebreak = sum(values, Fraction(0)) / len(values)
        scored.append(
            Ranked(
                registration_id=entry.registration_id,
                rank=0,
                score=combine(totals, method),
                tiebreak=tiebreak,
                median=Fraction(median(totals)) if totals else Fraction(0),
                totals=totals,
            )
        )

    def key(r: Ranked) -> tuple[Fraction, Fraction, Fraction]:
        return (r.score, r.tiebreak if r.tiebreak is not None else Fraction(0), r.median)

    scored.sort(key=lambda r: (tuple(-k for k in key(r)), r.registration_id))
    ranked: list[Ranked] = []
    for position, result in enumerate(scored, start=1):
        shared = ranked and key(ranked[-1]) == key(result)
        place = ranked[-1].rank if shared else position
        ranked.append(
            Ranked(
                result.registration_id,
                place,
                result.score,
                result.tiebreak,
                result.median,
                result.totals,
            )
        )
    return ranked
