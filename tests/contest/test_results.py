"""Scoring and ranking without a database: weighted totals, trimmed means, tie-breaks."""

from __future__ import annotations

from fractions import Fraction

from app.contest.results import CriterionSpec, Entry, combine, rank, sheet_total

CRITERIA = [CriterionSpec(1, 25, 10), CriterionSpec(2, 25, 10), CriterionSpec(3, 50, 20)]


def test_weighted_total_is_out_of_100():
    assert sheet_total(CRITERIA, {1: 10, 2: 10, 3: 20}) == 100
    assert sheet_total(CRITERIA, {1: 5, 2: 0, 3: 10}) == Fraction(75, 2)  # 12.5 + 0 + 25


def test_mean_and_trimmed_mean():
    totals = [Fraction(50), Fraction(60), Fraction(90)]
    assert combine(totals) == Fraction(200, 3)
    assert combine(totals, "trimmed") == 60  # drops 50 and 90
    assert combine(totals[:2], "trimmed") == 55  # fewer than 3 judges: plain mean
    assert combine([]) == 0


def test_ties_go_to_the_tiebreak_criterion_then_the_median_then_share_the_rank():
    # 10, 20, 30 and 40 all have a mean of 50. 10 has the better accuracy (criterion 2);
    # 20, 30 and 40 tie on it; 30 and 40 have the higher median (60) and share their rank.
    low, high = {1: 0, 2: 5, 3: 7}, {1: 0, 2: 5, 3: 19}  # totals 30 and 60
    entries = [
        Entry(20, [{1: 5, 2: 5, 3: 10}, {1: 5, 2: 5, 3: 10}]),
        Entry(10, [{1: 0, 2: 10, 3: 10}, {1: 0, 2: 10, 3: 10}]),
        Entry(30, [low, high, high]),
        Entry(40, [high, low, high]),
        Entry(50, [{1: 0, 2: 0, 3: 0}]),
    ]
    ranked = rank(entries, CRITERIA, tiebreak_criterion=2)
    assert [(r.registration_id, r.rank) for r in ranked] == [
        (10, 1),
        (30, 2),
        (40, 2),
        (20, 4),
        (50, 5),
    ]
    by_id = {r.registration_id: r for r in ranked}
    assert by_id[30].score == by_id[20].score == 50 and by_id[30].median == 60
    assert by_id[10].tiebreak == 10 and by_id[20].tiebreak == 5
    assert by_id[10].score_display == "50.00"


def test_median_decides_without_a_tiebreak_criterion():
    entries = [
        Entry(1, [{1: 10, 2: 10, 3: 20}, {1: 0, 2: 0, 3: 0}, {1: 5, 2: 5, 3: 10}]),  # 100, 0, 50
        Entry(2, [{1: 4, 2: 4, 3: 8}, {1: 6, 2: 6, 3: 12}, {1: 5, 2: 5, 3: 10}]),  # 40, 60, 50
        Entry(3, [{1: 6, 2: 6, 3: 12}, {1: 6, 2: 6, 3: 12}, {1: 3, 2: 3, 3: 6}]),  # 60, 60, 30
    ]
    ranked = rank(entries, CRITERIA)
    assert [r.registration_id for r in ranked] == [3, 1, 2]  # all mean 50; medians 60, 50, 50
    assert [r.rank for r in ranked] == [1, 2, 2]
    trimmed = rank(entries, CRITERIA, method="trimmed")
    assert [(r.registration_id, r.score) for r in trimmed] == [(3, 60), (1, 50), (2, 50)]
