"""Demo data for `flask seed-demo`: every feature extends it so a newcomer sees a living app."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from app.auth import services as accounts
from app.auth.models import Role, User
from app.config import PROJECT_ROOT
from app.core.dbtypes import utcnow
from app.extensions import db

DEMO_ACCOUNTS = [
    ("student@example.com", "山田 花子", "ヤマダ ハナコ", [Role.STUDENT], "ja"),
    ("teacher@example.com", "Айгүл Асанова", None, [Role.TEACHER], "ja"),
    ("organizer@example.com", "佐藤 健", "サトウ ケン", [Role.ORGANIZER], "ja"),
    ("judge@example.com", "Бакыт Жумабеков", None, [Role.JUDGE], "en"),
    ("admin@example.com", "Sabak Admin", None, [Role.ADMIN], "en"),
]
# Classmates of the demo class, each with some progress.
DEMO_CLASSMATES = [
    ("tanaka.yui@example.com", "田中 由衣", "タナカ ユイ"),
    ("suzuki.kenta@example.com", "鈴木 健太", "スズキ ケンタ"),
    ("takahashi.mai@example.com", "高橋 舞", "タカハシ マイ"),
    ("ito.daisuke@example.com", "伊藤 大輔", "イトウ ダイスケ"),
    ("watanabe.aoi@example.com", "渡辺 葵 (JICA)", "ワタナベ アオイ"),
    ("kobayashi.ren@example.com", "小林 蓮", "コバヤシ レン"),
]
STARTER_COURSE = PROJECT_ROOT / "content" / "courses" / "kyrgyz-a1"
DEMO_CLASS_CODE = "KYRGYZ27"  # shown as KYRG-YZ27; the README tells newcomers to join with it
DEMO_CLASS_NAME = "2027年春 入門クラス (火曜夜)"
INACTIVE_DAYS = 9  # the demo class's last classmate hasn't studied for this long


def seed_demo_data(*, password: str) -> Iterator[str]:
    """Create what is missing and leave what exists alone; yields one line per step."""
    users = {}
    for email, name, katakana, roles, language in DEMO_ACCOUNTS:
        users[email] = _account(email, password, name, katakana, roles, language)
        yield f"account: {email}"
    classmates = [
        _account(email, password, name, katakana, [Role.STUDENT], "ja")
        for email, name, katakana in DEMO_CLASSMATES
    ]
    yield f"classmates: {len(classmates)}"
    from app.privacy.seed import seed_privacy

    yield from seed_privacy(users["admin@example.com"], [*users.values(), *classmates])
    yield from _seed_lessons(users["teacher@example.com"], classmates)
    from app.contest.seed import seed_contest

    # The demo student is left out so that they can try registering themselves.
    yield from seed_contest(users["organizer@example.com"], classmates)
    from app.privacy.seed import seed_old_edition

    yield from seed_old_edition(password)


def _account(
    email: str, password: str, name: str, katakana: str | None, roles: list[Role], language: str
) -> User:
    user = accounts.get_user_by_email(email)
    if user is None:
        user = accounts.create_user(
            email=email,
            password=password,
            display_name=name,
            name_katakana=katakana,
            roles=roles,
            language=language,
        )
    return user


def _seed_lessons(teacher: User, classmates: list[User]) -> Iterator[str]:
    """The starter course, the demo class with its students, and their lesson progress."""
    from app.lessons import services as lessons
    from app.lessons.course_files import import_course
    from app.lessons.models import (
        ClassTeacher,
        Course,
        CourseClass,
        Enrollment,
        Lesson,
        LessonProgress,
    )

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
        course = db.session.scalar(select(Course).where(Course.slug == "kyrgyz-a1"))
        start = date.today() - timedelta(weeks=6)
        course_class = CourseClass(
            course=course,
            name=DEMO_CLASS_NAME,
            starts_on=start,
            ends_on=start + timedelta(weeks=15),
            schedule="毎週火曜 19:00–20:30 在日キルギス共和国大使館 / Tuesdays 19:00–20:30, Embassy",
            join_code=DEMO_CLASS_CODE,
        )
        course_class.teacher_links = [ClassTeacher(user_id=teacher.id)]
        db.session.add(course_class)
        db.session.flush()
        yield f"class: {DEMO_CLASS_NAME} (code {lessons.format_code(DEMO_CLASS_CODE)})"
    lesson_rows = db.session.scalars(
        select(Lesson).where(Lesson.course_id == course_class.course_id).order_by(Lesson.position)
    ).all()
    rng = random.Random(2027)
    now = utcnow()
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
    db.session.flush()
    yield f"class roster: {len(classmates)} students with progress"
    from app.quizzes.seed import seed_quizzes

    course = db.session.get(Course, course_class.course_id)
    if course is not None:
        # the last classmate stopped studying: the class dashboard highlights them
        yield from seed_quizzes(classmates[:-1], course)
        yield from seed_quizzes(classmates[-1:], course, now=now - timedelta(days=INACTIVE_DAYS))
    from app.progress.seed import seed_progress

    yield from seed_progress(teacher, course_class, classmates)
