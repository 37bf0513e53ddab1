"""Factories for progress tests: a class with a teacher and students, rubrics, assignments,
submissions and grades, written straight to the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from app.core.dbtypes import utcnow
from app.extensions import db
from app.progress.models import (
    Assignment,
    AssignmentKind,
    Grade,
    GradeState,
    Rubric,
    RubricCriterion,
    RubricLevel,
    Submission,
    SubmissionVersion,
)
from tests.conftest import UserInfo
from tests.lessons.conftest import make_class, make_course  # noqa: F401  (fixtures)


@dataclass(frozen=True)
class ClassInfo:
    id: int
    course_id: int
    teacher: UserInfo
    students: tuple[UserInfo, ...]


@pytest.fixture
def progress_class(
    make_course: Callable[..., Any],  # noqa: F811  (the lessons fixture, imported above)
    make_class: Callable[..., dict[str, Any]],  # noqa: F811
    make_user: Callable[..., UserInfo],
) -> Callable[..., ClassInfo]:
    """A course and a class taught by a new teacher with `students` new students
    (Japanese names, so exports and pages are checked with them)."""

    def factory(students: int = 2, slug: str = "kyrgyz-test") -> ClassInfo:
        course = make_course(slug=slug)
        teacher = make_user(roles=("teacher",), display_name="鈴木 先生")
        people = tuple(
            make_user(display_name=f"学生{n + 1} 花子", language="ja") for n in range(students)
        )
        course_class = make_class(course, teacher, people)
        return ClassInfo(course_class["id"], course.id, teacher, people)

    return factory


RUBRIC = [
    ("内容 Content", [(0, "不足"), (2, "ふつう"), (4, "よい")]),
    ("発音 Pronunciation", [(0, "不足"), (3, "ふつう"), (6, "よい")]),
]


@pytest.fixture
def make_rubric(app: Flask) -> Callable[..., int]:
    """A rubric (default: two criteria worth 4 + 6 = 10 points); returns its id."""

    def factory(
        owner_id: int | None = None,
        title: str = "スピーチ評価",
        criteria: list[tuple[str, list[tuple[int, str]]]] | None = None,
    ) -> int:
        with app.app_context():
            rubric = Rubric(owner_id=owner_id, title=title)
            for c_pos, (name, levels) in enumerate(criteria or RUBRIC):
                criterion = RubricCriterion(position=c_pos, title=name)
                criterion.levels = [
                    RubricLevel(position=l_pos, points=points, description=text)
                    for l_pos, (points, text) in enumerate(levels)
                ]
                rubric.criteria.append(criterion)
            db.session.add(rubric)
            db.session.commit()
            rubric_id = rubric.id
            db.session.remove()
        return rubric_id

    return factory


@pytest.fixture
def make_assignment(app: Flask) -> Callable[..., int]:
    """An assignment of a class (due in a week unless told); returns its id."""

    def factory(
        class_id: int,
        title: str = "自己紹介 Өзүм жөнүндө",
        kind: str = AssignmentKind.WRITTEN,
        due_at: datetime | None = None,
        max_points: int = 10,
        rubric_id: int | None = None,
        blind: bool = False,
        prompt: str = "自己紹介を書いてください。**Өзүңүз** жөнүндө жазыңыз.",
        lesson_id: int | None = None,
    ) -> int:
        with app.app_context():
            assignment = Assignment(
                class_id=class_id,
                lesson_id=lesson_id,
                title=title,
                prompt=prompt,
                kind=kind,
                due_at=due_at or utcnow() + timedelta(days=7),
                max_points=max_points,
                rubric_id=rubric_id,
                blind=blind,
            )
            db.session.add(assignment)
            db.session.commit()
            assignment_id = assignment.id
            db.session.remove()
        return assignment_id

    return factory


@pytest.fixture
def make_submission(app: Flask) -> Callable[..., int]:
    """A student's submission with `versions` submitted versions (0: a draft only);
    optionally a grade in `grade_state` with `points`. Returns the submission id."""

    def factory(
        assignment_id: int,
        student_id: int,
        text: str = "Менин атым Ханако. Мен Токиодо жашайм.",
        versions: int = 1,
        late: bool = False,
        audio_file: str | None = None,
        audio_mimetype: str | None = None,
        grade_state: str | None = None,
        points: float | None = None,
        feedback: str = "よくできました。Жакшы!",
        grader_id: int | None = None,
    ) -> int:
        with app.app_context():
            now = utcnow()
            submission = Submission(
                assignment_id=assignment_id,
                student_id=student_id,
                draft_text=text,
                draft_audio_file=audio_file,
                draft_audio_mimetype=audio_mimetype,
                draft_saved_at=now,
                version_count=versions,
                submitted_at=now if versions else None,
                late=late and versions > 0,
            )
            for number in range(1, versions + 1):
                submission.versions.append(
                    SubmissionVersion(
                        number=number,
                        text=text,
                        audio_file=audio_file,
                        audio_mimetype=audio_mimetype,
                        submitted_at=now,
                        late=late,
                    )
                )
            db.session.add(submission)
            db.session.flush()
            if grade_state is not None:
                db.session.add(
                    Grade(
                        submission_id=submission.id,
                        assignment_id=assignment_id,
                        student_id=student_id,
                        grader_id=grader_id,
                        state=grade_state,
                        points=points,
                        feedback=feedback,
                        graded_version=versions or None,
                        released_at=now if grade_state == GradeState.RELEASED else None,
                    )
                )
            db.session.commit()
            submission_id = submission.id
            db.session.remove()
        return submission_id

    return factory


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
