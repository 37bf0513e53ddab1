"""Factories for quizzes: a course with real Kyrgyz words, a class, a student, a fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask

from app.extensions import db
from app.lessons.models import ClassTeacher, Course, CourseClass, Enrollment, Item, Lesson
from tests.conftest import UserInfo

# (ky, ja, en, pos)
LESSON_1 = [
    ("кол", "手", "hand", "noun"),
    ("көл", "湖", "lake", "noun"),
    ("үй", "家", "house", "noun"),
    ("китеп", "本", "book", "noun"),
    ("көчө", "通り", "street", "noun"),
    ("куш", "鳥", "bird", "noun"),
    ("чай", "お茶", "tea", "noun"),
    ("эшик", "ドア", "door", "noun"),
    ("жакшы", "良い", "good", "adjective"),
    ("чоң", "大きい", "big", "adjective"),
    ("Рахмат!", "ありがとう", "Thank you!", "phrase"),
]
LESSON_2 = [
    ("суу", "水", "water", "noun"),
    ("нан", "パン", "bread", "noun"),
    ("тоо", "山", "mountain", "noun"),
    ("шаар", "町", "town", "noun"),
    ("кичине", "小さい", "small", "adjective"),
    ("жаңы", "新しい", "new", "adjective"),
]
NOW = datetime(2027, 4, 14, 1, 0, tzinfo=UTC)  # 10:00 in Tokyo


@dataclass(frozen=True)
class QuizCourse:
    id: int
    slug: str
    lessons: tuple[int, ...]
    items: dict[str, int]  # ky → item id


@pytest.fixture
def quiz_course(app: Flask) -> QuizCourse:
    """A course of two lessons with nouns, adjectives and a phrase."""
    with app.app_context():
        course = Course(
            slug="kyrgyz-quiz",
            title_ja="テスト講座",
            title_en="Test course",
            title_ky="Курс",
            level="A1",
        )
        db.session.add(course)
        db.session.flush()
        lesson_ids = []
        items: dict[str, int] = {}
        for number, words in enumerate((LESSON_1, LESSON_2), start=1):
            lesson = Lesson(
                course=course,
                slug=f"lesson-{number}",
                position=number,
                title_ja=f"第{number}課",
                title_en=f"Lesson {number}",
                title_ky=f"{number}-сабак",
            )
            db.session.add(lesson)
            db.session.flush()
            lesson_ids.append(lesson.id)
            for position, (ky, ja, en, pos) in enumerate(words):
                item = Item(
                    course_id=course.id,
                    lesson_id=lesson.id,
                    position=position,
                    ky=ky,
                    ja=ja,
                    en=en,
                    pos=pos,
                    kind="phrase" if pos == "phrase" else "word",
                )
                db.session.add(item)
                db.session.flush()
                items[ky] = item.id
        db.session.commit()
        info = QuizCourse(course.id, course.slug, tuple(lesson_ids), items)
        db.session.remove()
    return info


@pytest.fixture
def enrol(app: Flask, make_user: Callable[..., UserInfo]) -> Callable[..., None]:
    """Enrol students in a class of the course (made on first use, with a teacher)."""

    def factory(course: QuizCourse, *students: UserInfo) -> None:
        with app.app_context():
            course_class = db.session.query(CourseClass).filter_by(course_id=course.id).first()
            if course_class is None:
                teacher = make_user(roles=("teacher",))
                course_class = CourseClass(
                    course_id=course.id, name="クラス", join_code=f"QUIZ{course.id:04d}"
                )
                course_class.teacher_links = [ClassTeacher(user_id=teacher.id)]
                db.session.add(course_class)
                db.session.flush()
            for student in students:
                db.session.add(Enrollment(class_id=course_class.id, user_id=student.id))
            db.session.commit()
            db.session.remove()

    return factory


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The views' clock, fixed at NOW; set clock["now"] to move it."""
    state: dict[str, Any] = {"now": NOW}
    monkeypatch.setattr("app.core.dates.now", lambda: state["now"])
    monkeypatch.setattr("app.quizzes.services.new_seed", lambda: 7)
    return state
