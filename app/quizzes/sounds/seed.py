"""Demo listening history: the demo students hear ө / о well (mastered), still confuse ы / и,
and have a mixed round half-way (to continue)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import exists, select

from app.core.seed import DemoData
from app.extensions import db
from app.quizzes.models import SoundRound
from app.quizzes.sounds.services import NothingToPractise, start_round, submit_answer

# (contrast or None for a mix, days ago, answers given, which answers are wrong by position)
ROUNDS: tuple[tuple[str | None, int, int, frozenset[int]], ...] = (
    ("oe-o", 3, 10, frozenset()),
    ("y-i", 1, 10, frozenset({0, 3})),
    (None, 0, 3, frozenset()),
)
DEMO_STUDENTS = ("student@example.com", "tanaka.yui@example.com")


def seed_sounds(data: DemoData) -> Iterator[str]:
    """Two finished rounds for each demo student who has none yet."""
    for email in DEMO_STUDENTS:
        user = data.users.get(email) or next((u for u in data.classmates if u.email == email), None)
        if user is None or db.session.scalar(select(exists().where(SoundRound.user_id == user.id))):
            continue
        for number, (contrast, days_ago, answers, wrong) in enumerate(ROUNDS):
            moment = data.now - timedelta(days=days_ago)
            try:
                sound_round = start_round(
                    user, contrast=contrast, now=moment, seed=user.id + number
                )
            except NothingToPractise:
                continue
            for question in sound_round.questions[:answers]:
                chosen = 1 - question.said if question.position in wrong else question.said
                submit_answer(
                    question, chosen, now=moment + timedelta(seconds=20 * (question.position + 1))
                )
        yield f"listening rounds: {email}"
