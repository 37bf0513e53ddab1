"""Factories for courses, lessons, items and classes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from app.auth.models import User
from app.extensions import db
from app.lessons import services
from app.lessons.models import Course, Enrollment, Item, Lesson
from tests.conftest import UserInfo

WORDS = [
    ("кол", "手", "hand"),
    ("көл", "湖", "lake"),
    ("үй", "家", "house"),
    ("китеп", "本", "book"),
    ("суу", "水", "water"),
    ("нан", "パン", "bread"),
]


@dataclass(frozen=True)
class CourseInfo:
    id: int
    slug: str
    lesson_slugs: tuple[str, ...]


@pytest.fixture
def make_course(app: Flask) -> Callable[..., CourseInfo]:
    """A course with `lessons` lessons of `items` words each (published unless told)."""

    def factory(
        slug: str = "kyrgyz-test",
        lessons: int = 2,
        items: int = 3,
        notes: str = "",
        unpublished: tuple[int, ...] = (),
    ) -> CourseInfo:
        with app.app_context():
            course = Course(
                slug=slug,
                title_ja="テスト講座",
                title_en="Test course",
                title_ky="Сыноо курсу",
                level="A1",
            )
            db.session.add(course)
            db.session.flush()
            counter = 0
            for n in range(lessons):
                lesson = Lesson(
                    course=course,
                    slug=f"lesson-{n + 1}",
                    position=n,
                    title_ja=f"第{n + 1}課",
                    title_en=f"Lesson {n + 1}",
                    title_ky=f"{n + 1}-сабак",
                    goals_ja=["目標"],
                    goals_en=["a goal"],
                    notes_ja=notes,
                    notes_en=notes,
                    published=n not in unpublished,
                )
                db.session.add(lesson)
                db.session.flush()
                for position in range(items):
                    ky, ja, en = WORDS[counter % len(WORDS)]
                    suffix = "" if counter < len(WORDS) else f" {counter}"
                    counter += 1
                    db.session.add(
                        Item(
                            course_id=course.id,
                            lesson_id=lesson.id,
                            position=position,
                            ky=ky + suffix,
                            ja=ja,
                            en=en,
                            pos="noun",
                            example_ky=f"Бул {ky}.",
                            example_ja=f"これは{ja}です。",
                            example_en=f"This is a {en}.",
                        )
                    )
            db.session.commit()
            info = CourseInfo(
                course.id, course.slug, tuple(f"lesson-{n + 1}" for n in range(lessons))
            )
            db.session.remove()
        return info

    return factory


@pytest.fixture
def make_class(app: Flask) -> Callable[..., dict[str, Any]]:
    """A class of a course, taught by `teacher`, with `students` enrolled."""

    def factory(
        course: CourseInfo,
        teacher: UserInfo,
        students: tuple[UserInfo, ...] = (),
        name: str = "2027年春 入門クラス (火曜夜)",
    ) -> dict[str, Any]:
        with app.app_context():
            course_row = db.session.get(Course, course.id)
            teacher_row = db.session.get(User, teacher.id)
            course_class = services.create_class(
                course_row,
                services.ClassDetails(
                    name=name, starts_on=None, ends_on=None, schedule="火曜 19:00"
                ),
                teacher=teacher_row,
            )
            for student in students:
                db.session.add(Enrollment(class_id=course_class.id, user_id=student.id))
            db.session.commit()
            result = {"id": course_class.id, "code": course_class.join_code}
            db.session.remove()
        return result

    return factory
