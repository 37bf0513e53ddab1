"""Scoring as properties: totals stay in bounds and rise with the levels; the ranking is fair."""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from app.contest.results import MEAN, TRIMMED, CriterionSpec, Entry, rank, sheet_total

SETTINGS = settings(max_examples=150, deadline=None, database=None, derandomize=True)


@st.composite
def rubrics(draw):
    """Criteria with weights and maxima, and a sheet of levels within them."""
    count = draw(st.integers(min_value=1, max_value=5))
    criteria = [
        CriterionSpec(
            id=i + 1,
            weight=draw(st.integers(min_value=0, max_value=5)),
            max_score=draw(st.integers(min_value=1, max_value=10)),
        )
        for i in range(count)
    ]
    return criteria


@st.composite
def rubric_and_sheet(draw):
    criteria = draw(rubrics())
    sheet = {c.id: draw(st.integers(min_value=0, max_value=c.max_score)) for c in criteria}
    return criteria, sheet


@SETTINGS
@given(rubric_and_sheet(), st.data())
def test_the_total_stays_within_0_and_100_and_rises_with_each_level(case, data):
    criteria, sheet = case
    total = sheet_total(criteria, sheet)
    assert 0 <= total <= 100
    full = {c.id: c.max_score for c in criteria}
    if any(c.weight for c in criteria):
        assert sheet_total(criteria, full) == 100
        assert sheet_total(criteria, dict.fromkeys(full, 0)) == 0
    criterion = data.draw(st.sampled_from(criteria))
    if sheet[criterion.id] < criterion.max_score:
        higher = dict(sheet)
        higher[criterion.id] += 1
        raised = sheet_total(criteria, higher)
        assert raised >= total
        if criterion.weight:
            assert raised > total, "a higher level on a weighted criterion raises the total"


@st.composite
def contests(draw):
    """A rubric, a tie-break criterion (or none) and the sheets of up to 8 contestants."""
    criteria = draw(rubrics())
    judges = draw(st.integers(min_value=1, max_value=4))
    # few levels, so ties happen often
    levels = st.integers(min_value=0, max_value=2)
    entries = [
        Entry(
            registration_id=n,
            sheets=[
                {c.id: min(draw(levels), c.max_score) for c in criteria} for _ in range(judges)
            ],
        )
        for n in draw(st.lists(st.integers(1, 500), min_size=1, max_size=8, unique=True))
    ]
    tiebreak = draw(st.none() | st.sampled_from([c.id for c in criteria]))
    method = draw(st.sampled_from([MEAN, TRIMMED]))
    return criteria, entries, tiebreak, method


def _key(result):
    tiebreak = result.tiebreak if result.tiebreak is not None else Fraction(0)
    return (result.score, tiebreak, result.median)


@SETTINGS
@given(contests(), st.randoms(use_true_random=False))
def test_the_ranking_is_deterministic_and_honours_the_tie_break(contest, rnd):
    criteria, entries, tiebreak, method = contest
    ranked = rank(entries, criteria, method=method, tiebreak_criterion=tiebreak)
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    again = rank(shuffled, criteria, method=method, tiebreak_criterion=tiebreak)
    assert again == ranked, "the order entries arrive in changes nothing"

    assert sorted(r.registration_id for r in ranked) == sorted(e.registration_id for e in entries)
    assert ranked[0].rank == 1
    for position, (before, after) in enumerate(pairwise(ranked), start=2):
        # score first, then the tie-break criterion's mean, then the median of the totals
        assert _key(before) >= _key(after)
        if _key(before) == _key(after):
            assert after.rank == before.rank, "a full tie shares the place"
        else:
            assert after.rank == position, "after a shared place the next ranks skip (1, 1, 3)"
    for result in ranked:
        entry = next(e for e in entries if e.registration_id == result.registration_id)
        if tiebreak is not None:
            values = [sheet[tiebreak] for sheet in entry.sheets]
            assert result.tiebreak == Fraction(sum(values), len(values))


def test_the_tie_break_criterion_decides_before_the_median():
    """Equal scores: the higher mean on the tie-break criterion wins even with a lower median."""
    criteria = [CriterionSpec(1, 1, 10), CriterionSpec(2, 1, 10)]
    accurate = Entry(1, [{1: 10, 2: 0}, {1: 10, 2: 0}, {1: 0, 2: 10}])
    fluent = Entry(2, [{1: 0, 2: 10}, {1: 0, 2: 10}, {1: 10, 2: 0}])
    for order in ([accurate, fluent], [fluent, accurate]):
        ranked = rank(order, criteria, tiebreak_criterion=1)
        assert [(r.registration_id, r.rank) for r in ranked] == [(1, 1), (2, 2)]
        ranked = rank(order, criteria, tiebreak_criterion=2)
        assert [(r.registration_id, r.rank) for r in ranked] == [(2, 1), (1, 2)]
    random.Random(1).shuffle(criteria)  # the rubric's order doesn't matter either
    assert [
        r.registration_id for r in rank([fluent, accurate], criteria, tiebreak_criterion=1)
    ] == [1, 2]
