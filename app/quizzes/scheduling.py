"""FSRS (the `fsrs` package) behind a small interface: ratings, learning steps, what is due.

A new word goes through FSRS's learning steps (1 and 10 minutes) and a forgotten one through a
relearning step (10 minutes), as in Anki: a word answered wrong comes back within minutes, the
same day. Cards in those steps move at each answer given once the step is due (and at every
wrong answer). A card in the review state is scheduled in days, so only its first review of a
day (in the student's time zone) reaches the scheduler. Reviews that don't reach it are logged
with counted=False. Fuzzing is off: the same answers give the same dates.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fsrs import Card, Rating, Scheduler, State

from app.quizzes.models import ReviewCard

DEFAULT_TIMEZONE = "Asia/Tokyo"
QUICK_TYPED_MS = 8_000
QUICK_CHOICE_MS = 4_000

LEARNING_STEPS = (timedelta(minutes=1), timedelta(minutes=10))
RELEARNING_STEPS = (timedelta(minutes=10),)
REVIEW_STATE = int(State.Review)
SCHEDULER = Scheduler(
    learning_steps=LEARNING_STEPS, relearning_steps=RELEARNING_STEPS, enable_fuzzing=False
)


def zone(name: str | None) -> ZoneInfo:
    """The student's time zone; an unknown name falls back to Tokyo."""
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def local_day(moment: datetime, timezone: str | None) -> date:
    """The calendar day `moment` falls on for the student."""
    return moment.astimezone(zone(timezone)).date()


def end_of_day(now: datetime, timezone: str | None) -> datetime:
    """The start of the student's next day, in UTC: cards due before it are due today."""
    tz = zone(timezone)
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=tz).astimezone(UTC)


def rating_for(status: str, *, duration_ms: int | None, typed: bool, latin: bool = False) -> Rating:
    """wrong → Again; almost, or right but typed in Latin → Hard; correct → Good; quick → Easy.

    A Latin answer is accepted but not full credit: a learner who never types Cyrillic would
    otherwise collect mastered words they can't write.
    """
    if status == "wrong":
        return Rating.Again
    if status == "almost" or latin:
        return Rating.Hard
    quick = QUICK_TYPED_MS if typed else QUICK_CHOICE_MS
    if duration_ms is not None and duration_ms < quick:
        return Rating.Easy
    return Rating.Good


def new_card(user_id: int, item_id: int, now: datetime) -> ReviewCard:
    """A card never reviewed, due now."""
    return ReviewCard(
        user_id=user_id,
        item_id=item_id,
        state=int(State.Learning),
        step=0,
        due=now,
        reps=0,
        lapses=0,
        created_at=now,
    )


def in_steps(card: ReviewCard) -> bool:
    """Whether the card is in a learning or relearning step (due in minutes, not days)."""
    return card.state != REVIEW_STATE


def within_steps(card: ReviewCard, rating: Rating) -> Rating:
    """Easy doesn't skip the learning steps: a word answered quickly the first time, or right
    after a miss, still comes back in minutes before it is scheduled in days."""
    return Rating.Good if rating == Rating.Easy and in_steps(card) else rating


def counts_today(card: ReviewCard, rating: Rating, now: datetime, timezone: str | None) -> bool:
    """Whether a review now reaches the scheduler.

    A card in the review state: its first review of the day only. A card in a learning step:
    each answer once the step is due, and a wrong answer at any time; so a word missed and
    answered right again in the same session still comes back in minutes.
    """
    if card.last_review is None:
        return True
    if in_steps(card):
        return rating == Rating.Again or now >= card.due
    return local_day(card.last_review, timezone) != local_day(now, timezone)


def review(card: ReviewCard, rating: Rating, now: datetime, duration_ms: int | None) -> None:
    """Apply one counted review to `card` (its memory state and due date)."""
    before = Card(
        card_id=card.id or 1,
        state=State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )
    after, _log = SCHEDULER.review_card(
        before, rating, review_datetime=now.astimezone(UTC), review_duration=duration_ms
    )
    if rating == Rating.Again and card.reps > 0:
        card.lapses += 1
    card.reps += 1
    card.state = int(after.state)
    card.step = after.step
    card.stability = after.stability
    card.difficulty = after.difficulty
    card.due = after.due
    card.last_review = after.last_review
