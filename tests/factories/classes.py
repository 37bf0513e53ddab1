"""Classes: `make_class` opens a class of a course (through the lessons service) and enrols
students; `enrol_students` adds more; `progress_class` makes the course, the teacher and the
students too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from app.auth.models import User
from app.extensions import db
from app.lessons import services
from app.lessons.models import Course, Enrollment
from tests.factories.courses import CourseInfo
from tests.factories.users import UserInfo


@dataclass(frozen=True)
class ClassInfo:
    id: int
    course_id: int
    teacher: UserInfo
    students: tuple[UserInfo, ...]


@pytest.fixture
def enrol_students(app: Flask) -> Callable[..., None]:
    """Enrol `students` in the class `class_id`."""

    def factory(class_id: int, *students: UserInfo) -> None:
        with app.app_context():
            for student in students:
                db.session.add(Enrollment(class_id=class_id, user_id=student.id))
            db.session.commit()
            db.session.remove()

    return factory


@pytest.fixture
def make_class(
    app: Flask, make_user: Callable[..., UserInfo], enrol_students: Callable[..., None]
) -> Callable[..., dict[str, Any]]:
    """A class of a course, taught by `teacher` (a new one unless given), with `students`
    enrolled; returns its id and join code."""

    def factory(
        course: CourseInfo,
        teacher: UserInfo | None = None,
        students: tuple[UserInfo, ...] = (),
        name: str = "2027年春 入門クラス (火曜夜)",
    ) -> dict[str, Any]:
        teacher = teacher or make_user(roles=("teacher",))
        with app.app_context():
            course_class = services.create_class(
                db.session.get_one(Course, course.id),
                services.ClassDetails(
                    name=name, starts_on=None, ends_on=None, schedule="火曜 19:00"
                ),
                teacher=db.session.get_one(User, teacher.id),
            )
            db.session.commit()
            result = {"id": course_class.id, "code": course_class.join_code}
            db.session.remove()
        enrol_students(result["id"], *students)
        return result

    return factory


@pytest.fixture
def progress_class(
    make_course: Callable[..., CourseInfo],
    make_class: Callable[..., dict[str, Any]],
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
