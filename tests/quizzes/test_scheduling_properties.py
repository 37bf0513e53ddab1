"""The FSRS schedule as a property: whatever the answers and their timing, no card goes back in time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fsrs import Rating
from hypothesis import given, settings
from hypothesis import strategies as st

from app.quizzes import scheduling

START = datetime(2027, 4, 1, 9, 0, tzinfo=UTC)
answers = st.lists(
    st.tuples(
        st.sampled_from(list(Rating)),
        st.integers(min_value=0, max_value=60 * 24 * 40),  # minutes until the next answer
        st.none() | st.integers(min_value=200, max_value=60_000),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=200, deadline=None, database=None, derandomize=True)
@given(answers, st.sampled_from(["Asia/Tokyo", "America/Los_Angeles", "UTC"]))
def test_a_review_never_moves_a_card_backwards_in_time(answers, timezone):
    card = scheduling.new_card(user_id=1, item_id=1, now=START)
    now = START
    for rating, wait, duration in answers:
        now += timedelta(minutes=wait)
        rating = scheduling.within_steps(card, rating)
        if not scheduling.counts_today(card, rating, now, timezone):
            continue
        previous_review, reps = card.last_review, card.reps
        scheduling.review(card, rating, now, duration)
        assert card.last_review == now
        assert previous_review is None or card.last_review >= previous_review
        assert card.due > now, "the next review is after this one"
        assert card.reps == reps + 1
        if rating == Rating.Again:
            assert card.due <= now + timedelta(days=1), "a word missed comes back soon"
        else:
            assert scheduling.in_steps(card) or card.due >= now + timedelta(days=1)
