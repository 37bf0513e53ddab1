"""Learning activity: `activity` writes quiz answers, FSRS cards and finished lessons of a
student in a course straight to the database (any history, at any time)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from app.core.dbtypes import utcnow
from app.extensions import db


class Activity:
    """Quiz answers, FSRS cards and finished lessons of a student in a course, written directly."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def _items(self, course_id: int) -> list[Any]:
        from sqlalchemy import select

        from app.lessons.models import Item, Lesson

        return list(
            db.session.scalars(
                select(Item)
                .join(Lesson, Lesson.id == Item.lesson_id)
                .where(Item.course_id == course_id)
                .order_by(Lesson.position, Item.position)
            )
        )

    def answers(
        self,
        user_id: int,
        course_id: int,
        statuses: str,
        at: datetime | None = None,
        given: str = "кол",
        item_index: int | None = None,
    ) -> None:
        """One quiz session with an answer per letter of `statuses` (c correct, a almost,
        w wrong), on the course's words in turn (or all on word `item_index`)."""
        from app.quizzes.models import Answer, Question, QuizSession

        with self.app.app_context():
            items = self._items(course_id)
            when = at or utcnow()
            session = QuizSession(
                user_id=user_id,
                course_id=course_id,
                source="course",
                seed=1,
                question_count=len(statuses),
                answered_count=len(statuses),
                correct_count=statuses.count("c"),
                created_at=when,
            )
            db.session.add(session)
            db.session.flush()
            words = {"c": "correct", "a": "almost", "w": "wrong"}
            for position, letter in enumerate(statuses):
                item = items[item_index if item_index is not None else position % len(items)]
                question = Question(
                    session_id=session.id, position=position, kind="recall", item_id=item.id
                )
                db.session.add(question)
                db.session.flush()
                db.session.add(
                    Answer(
                        question_id=question.id,
                        session_id=session.id,
                        user_id=user_id,
                        item_id=item.id,
                        given=item.ky if letter == "c" else given,
                        status=words[letter],
                        kind="exact" if letter == "c" else "wrong",
                        expected=item.ky,
                        answered_at=when,
                    )
                )
            db.session.commit()
            db.session.remove()

    def cards(
        self,
        user_id: int,
        course_id: int,
        cards: list[tuple[int, float | None]],
        due: datetime | None = None,
    ) -> None:
        """One card per (reps, stability), on the course's words in turn."""
        from app.quizzes.models import ReviewCard

        with self.app.app_context():
            items = self._items(course_id)
            now = utcnow()
            for n, (reps, stability) in enumerate(cards):
                db.session.add(
                    ReviewCard(
                        user_id=user_id,
                        item_id=items[n].id,
                        state=2 if reps else 1,
                        step=None,
                        stability=stability,
                        difficulty=5.0 if reps else None,
                        due=due or now + timedelta(days=1),
                        last_review=now if reps else None,
                        reps=reps,
                    )
                )
            db.session.commit()
            db.session.remove()

    def lessons_done(
        self, user_id: int, course_id: int, count: int, at: datetime | None = None
    ) -> None:
        """Mark the course's first `count` lessons done."""
        from sqlalchemy import select

        from app.lessons.models import Lesson, LessonProgress

        with self.app.app_context():
            lessons = db.session.scalars(
                select(Lesson).where(Lesson.course_id == course_id).order_by(Lesson.position)
            ).all()
            for lesson in lessons[:count]:
                db.session.add(
                    LessonProgress(
                        user_id=user_id, lesson_id=lesson.id, completed_at=at or utcnow()
                    )
                )
            db.session.commit()
            db.session.remove()


@pytest.fixture
def activity(app: Flask) -> Activity:
    """Write quiz answers, cards and finished lessons for a student (see Activity)."""
    return Activity(app)
