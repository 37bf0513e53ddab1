"""Rules of courses and classes: who may see and edit what, joining, progress."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import Role, User
from app.extensions import db
from app.lessons.access import is_course_editor
from app.lessons.models import (
    ClassTeacher,
    Course,
    CourseClass,
    CourseEditor,
    Enrollment,
    Item,
    Lesson,
    LessonProgress,
)

# Unambiguous letters and digits (no 0/O, 1/I/L) for codes read aloud in a classroom.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class LessonsError(Exception):
    """A rule about courses or classes was broken; the view turns it into a message."""


class UnknownJoinCode(LessonsError):
    pass


class NotATeacher(LessonsError):
    """Only teachers (and admins) can be a course's editors."""


class LastEditor(LessonsError):
    """A course keeps at least one editor, unless an admin removes the last."""


# Features that record a student's work on items register a check here, so that re-importing a
# course retires (hides) an item with progress instead of deleting it. Each check takes item ids
# and returns those that have progress.
ItemProgressCheck = Callable[[list[int]], set[int]]
ITEM_PROGRESS_CHECKS: list[ItemProgressCheck] = []


# Features that let teachers accept more answers on the web (approved answer reports) register a
# source here, so that re-importing the course files keeps those answers. Each source takes item
# ids and returns, per item, the answers accepted on the web.
AcceptedAnswerSource = Callable[[list[int]], dict[int, list[str]]]
ACCEPTED_ANSWER_SOURCES: list[AcceptedAnswerSource] = []


def web_accepted_answers(item_ids: list[int]) -> dict[int, list[str]]:
    """Answers accepted on the web for each of `item_ids` (kept when a course is re-imported)."""
    found: dict[int, list[str]] = {}
    if not item_ids:
        return found
    for source in ACCEPTED_ANSWER_SOURCES:
        for item_id, answers in source(item_ids).items():
            found.setdefault(item_id, []).extend(answers)
    return found


def items_with_progress(item_ids: list[int]) -> set[int]:
    """The items among `item_ids` on which some student has recorded work."""
    found: set[int] = set()
    for check in ITEM_PROGRESS_CHECKS:
        found |= check(item_ids)
    return found


def lessons_with_progress(lesson_ids: list[int]) -> set[int]:
    """The lessons among `lesson_ids` that some student marked as done."""
    if not lesson_ids:
        return set()
    rows = db.session.scalars(
        select(LessonProgress.lesson_id).where(LessonProgress.lesson_id.in_(lesson_ids)).distinct()
    )
    return set(rows)


# --- course editors (who may edit is app.lessons.access) -----------------------------------


def course_editors(course: Course) -> list[User]:
    """The course's editors by name (admins, who edit every course, are not listed)."""
    return list(
        db.session.scalars(
            select(User)
            .join(CourseEditor, CourseEditor.user_id == User.id)
            .where(CourseEditor.course_id == course.id)
            .order_by(User.display_name, User.id)
        )
    )


def add_editor(course: Course, user: User, *, by: User | None = None) -> bool:
    """Make a teacher (or admin) an editor of the course; False if they already were."""
    if not user.has_any_role(Role.TEACHER, Role.ADMIN):
        raise NotATeacher(user.email)
    if is_course_editor(user, course):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(
                CourseEditor(
                    course_id=course.id, user_id=user.id, added_by_id=by.id if by else None
                )
            )
    except IntegrityError:  # added at the same moment by another editor
        return False
    return True


def remove_editor(course: Course, user: User, *, by: User) -> None:
    """Take an editor off the course; the last one stays unless an admin removes them."""
    editors = course_editors(course)
    if user.id not in {e.id for e in editors}:
        return
    if len(editors) == 1 and not by.has_role(Role.ADMIN):
        raise LastEditor(user.email)
    db.session.execute(
        delete(CourseEditor).where(
            CourseEditor.course_id == course.id, CourseEditor.user_id == user.id
        )
    )


def editable_courses(user: User) -> list[Course]:
    """The courses the user is an editor of."""
    return list(
        db.session.scalars(
            select(Course)
            .join(CourseEditor, CourseEditor.course_id == Course.id)
            .where(CourseEditor.user_id == user.id)
            .order_by(Course.level, Course.slug)
        )
    )


# --- classes ---------------------------------------------------------------------------------


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _with_unique_code(course_class: CourseClass) -> None:
    """Give the class a fresh code, retrying in the (unlikely) case of a collision."""
    for _ in range(10):
        course_class.join_code = new_join_code()
        try:
            with db.session.begin_nested():
                db.session.add(course_class)
                db.session.flush()
            return
        except IntegrityError:
            continue
    raise LessonsError("could not generate a unique join code")


@dataclass(frozen=True)
class ClassDetails:
    name: str
    starts_on: date | None
    ends_on: date | None
    schedule: str
    latin_input: bool = True


def create_class(course: Course, details: ClassDetails, *, teacher: User) -> CourseClass:
    """A new class of `course` taught by `teacher`, with a fresh join code."""
    course_class = CourseClass(
        course=course,
        name=details.name.strip(),
        starts_on=details.starts_on,
        ends_on=details.ends_on,
        schedule=details.schedule.strip(),
        latin_input=details.latin_input,
    )
    course_class.teacher_links = [ClassTeacher(user_id=teacher.id)]
    _with_unique_code(course_class)
    return course_class


def update_class(course_class: CourseClass, details: ClassDetails) -> None:
    course_class.name = details.name.strip()
    course_class.starts_on = details.starts_on
    course_class.ends_on = details.ends_on
    course_class.schedule = details.schedule.strip()
    course_class.latin_input = details.latin_input
    db.session.flush()


def regenerate_code(course_class: CourseClass) -> str:
    """A new join code; the old one stops working at once."""
    _with_unique_code(course_class)
    return course_class.join_code


def class_for_code(code: str) -> CourseClass | None:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(cleaned) != CODE_LENGTH:
        return None
    return db.session.scalar(select(CourseClass).where(CourseClass.join_code == cleaned))


def join_class(student: User, code: str) -> CourseClass:
    """Enrol `student` in the class with this code; joining twice is harmless."""
    course_class = class_for_code(code)
    if course_class is None:
        raise UnknownJoinCode(code)
    already = db.session.get(Enrollment, (course_class.id, student.id))
    if already is None:
        try:
            with db.session.begin_nested():
                db.session.add(Enrollment(class_id=course_class.id, user_id=student.id))
        except IntegrityError:
            pass  # a second tab joined at the same moment: the student is enrolled either way
    return course_class


def remove_student(course_class: CourseClass, user_id: int) -> None:
    """Take a student out of a class; their lesson progress stays theirs."""
    db.session.execute(
        delete(Enrollment).where(
            Enrollment.class_id == course_class.id, Enrollment.user_id == user_id
        )
    )


def format_code(code: str) -> str:
    """ABCD-EFGH: easier to read aloud and to copy."""
    return f"{code[:4]}-{code[4:]}"


# --- progress --------------------------------------------------------------------------------


def mark_done(user: User, lesson: Lesson) -> None:
    """Record that the student finished the lesson; a double click changes nothing."""
    if db.session.get(LessonProgress, (user.id, lesson.id)) is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.add(LessonProgress(user_id=user.id, lesson_id=lesson.id))
    except IntegrityError:
        pass


def mark_not_done(user: User, lesson: Lesson) -> None:
    db.session.execute(
        delete(LessonProgress).where(
            LessonProgress.user_id == user.id, LessonProgress.lesson_id == lesson.id
        )
    )


_DONE_LESSON_IDS = select(LessonProgress.lesson_id).where(
    LessonProgress.user_id == bindparam("user_id"),
    LessonProgress.lesson_id.in_(bindparam("lesson_ids", expanding=True)),
)


def done_lesson_ids(user: User, lesson_ids: Iterable[int]) -> set[int]:
    """Which of these lessons the user has marked done (one query, built once)."""
    ids = list(lesson_ids)
    if not ids:
        return set()
    return set(db.session.scalars(_DONE_LESSON_IDS, {"user_id": user.id, "lesson_ids": ids}))


def visible_items(lesson: Lesson) -> list[Item]:
    return [item for item in lesson.items if not item.retired]
