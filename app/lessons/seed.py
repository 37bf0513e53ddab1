"""Demo data: the starter course, the demo class with its students, and their lesson progress."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from flask.blueprints import BlueprintSetupState
from sqlalchemy import select

from app.auth.models import User
from app.config import PROJECT_ROOT
from app.core.seed import INACTIVE_DAYS, DemoData, DemoSeeder, add_seeder
from app.extensions import db
from app.lessons import services as lessons
from app.lessons.course_files import import_course
from app.lessons.models import Course, CourseClass, Enrollment, Lesson, LessonProgress

STARTER_COURSE = PROJECT_ROOT / "content" / "courses" / "kyrgyz-a1"
DEMO_CLASS_CODE = "KYRGYZ27"  # shown as KYRG-YZ27; the README tells newcomers to join with it
DEMO_CLASS_NAME = "2027年春 入門クラス (火曜夜)"


def register_seeders(state: BlueprintSetupState) -> None:
    """`flask seed-demo` makes the course and the class before the quizzes and work in it."""
    add_seeder(state.app, DemoSeeder("lessons", seed_lessons, order=20))


# The classmate who is halfway through the course: their dashboard suggests the Kyrgyz interface.
HALFWAY = 4


def _halfway(student: User, lesson_rows: Sequence[Lesson], now: datetime) -> Iterator[str]:
    """Mark the first half of the course's lessons done for `student` (those not done yet)."""
    done = set(
        db.session.scalars(
            select(LessonProgress.lesson_id).where(LessonProgress.user_id == student.id)
        )
    )
    half = lesson_rows[: (len(lesson_rows) + 1) // 2]
    missing = [lesson for lesson in half if lesson.id not in done]
    for n, lesson in enumerate(missing):
        db.session.add(
            LessonProgress(
                user_id=student.id,
                lesson_id=lesson.id,
                completed_at=now - timedelta(days=len(missing) - n),
            )
        )
    if missing:
        yield f"halfway through the course: {student.email}"


def seed_lessons(data: DemoData) -> Iterator[str]:
    """The starter course, the demo class with its students, and their lesson progress."""
    teacher, classmates = data.users["teacher@example.com"], data.classmates
    report = import_course(Path(STARTER_COURSE))
    yield f"course kyrgyz-a1: {report}"
    db.session.flush()
    starter = db.session.scalars(select(Course).where(Course.slug == report.course)).one()
    if lessons.add_editor(starter, teacher):
        yield f"course editor: {teacher.email}"
    course_class = db.session.scalar(
        select(CourseClass).where(CourseClass.join_code == DEMO_CLASS_CODE)
    )
    if course_class is None:
        start = date.today() - timedelta(weeks=6)
        course_class = lessons.create_class(
            starter,
            lessons.ClassDetails(
                name=DEMO_CLASS_NAME,
                starts_on=start,
                ends_on=start + timedelta(weeks=15),
                schedule="毎週火曜 19:00–20:30 在日キルギス共和国大使館 / Tuesdays 19:00–20:30, Embassy",
            ),
            teacher=teacher,
        )
        course_class.join_code = DEMO_CLASS_CODE  # the code the README gives
        db.session.flush()
        yield f"class: {DEMO_CLASS_NAME} (code {lessons.format_code(DEMO_CLASS_CODE)})"
    lesson_rows = db.session.scalars(
        select(Lesson).where(Lesson.course_id == course_class.course_id).order_by(Lesson.position)
    ).all()
    rng = random.Random(2027)
    now = data.now
    for student in classmates:
        if db.session.get(Enrollment, (course_class.id, student.id)) is None:
            db.session.add(Enrollment(class_id=course_class.id, user_id=student.id))
            finished = rng.randint(1, min(7, len(lesson_rows)))
            # one lesson every few days since the class began; the inactive one stopped earlier
            latest = now - timedelta(days=INACTIVE_DAYS if student is classmates[-1] else 1)
            for n, lesson in enumerate(lesson_rows[:finished]):
                done_at = min(now - timedelta(weeks=6) + timedelta(days=4 * n), latest)
                db.session.add(
                    LessonProgress(user_id=student.id, lesson_id=lesson.id, completed_at=done_at)
                )
    yield from _halfway(classmates[HALFWAY], lesson_rows, now)
    db.session.flush()
    yield f"class roster: {len(classmates)} students with progress"
    data.course_class = course_class
