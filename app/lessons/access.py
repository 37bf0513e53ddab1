"""The one access policy: who may see or teach a class, see a course or a piece of work, edit a
course. Every package asks these functions; none writes its own "teaches this class".

The rules:
- a class's teachers are the users linked to it who hold the teacher role (a teacher whose role
  was taken away no longer teaches anything); admins may see and teach every class;
- a student belongs to a class through their enrolment (no role needed: joining is the rule);
- a piece of work (a submission) is seen by its student and by the teachers of its class;
- a course is edited by admins and by the teachers who are its editors, and seen by those, by the
  teachers of its classes and by their students.

The loaders (`class_or_404`, `course_or_404`) answer 404 for "not yours", as for something that
does not exist, so guessing ids learns nothing. Pages only for teachers keep their role gate
(`roles_required`, 403 for a signed-in user without the role) in front of the loader.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import ColumnElement, Select, bindparam, exists, false, select, true
from sqlalchemy.orm import selectinload

from app.auth.models import Role, User
from app.extensions import db
from app.lessons.models import ClassTeacher, Course, CourseClass, CourseEditor, Enrollment


def is_teacher(user: User) -> bool:
    """Teachers and admins: the people who may teach (some) classes."""
    return user.is_authenticated and user.has_any_role(Role.TEACHER, Role.ADMIN)


def taught_by(user: User, class_id_column: Any) -> ColumnElement[bool]:
    """A SQL condition on a class id column: the user teaches that class (every class for an
    admin, none for a user without the teacher role)."""
    if not user.is_authenticated:
        return false()
    return taught_by_roles(user.roles, user.id, class_id_column)


def taught_by_roles(
    roles: frozenset[str], user_id: Any, class_id_column: Any
) -> ColumnElement[bool]:
    """`taught_by` for a person with `roles`, their id a value or a bind parameter: the
    condition of a statement built once for everyone with those roles (the navigation's)."""
    if Role.ADMIN in roles:
        return true()
    if Role.TEACHER not in roles:
        return false()
    return class_id_column.in_(select(ClassTeacher.class_id).where(ClassTeacher.user_id == user_id))


def teaches(user: User, class_id: int) -> bool:
    """May the user see and teach this class: one of its teachers, or an admin (one query)."""
    if not is_teacher(user):
        return False
    if user.has_role(Role.ADMIN):
        return True
    found = select(ClassTeacher.class_id).where(
        ClassTeacher.class_id == class_id, ClassTeacher.user_id == user.id
    )
    return db.session.scalar(found) is not None


def is_enrolled(user: User, class_id: int) -> bool:
    """Is the user a student of this class (one query)?"""
    if not user.is_authenticated:
        return False
    found = select(Enrollment.class_id).where(
        Enrollment.class_id == class_id, Enrollment.user_id == user.id
    )
    return db.session.scalar(found) is not None


def may_see_work(user: User, student_id: int, class_id: int) -> bool:
    """A student's work in a class: the student, and the class's teachers."""
    return (user.is_authenticated and user.id == student_id) or teaches(user, class_id)


def teaches_course(user: User, course: Course) -> bool:
    """Teachers of any class of the course (with the teacher role) are its teachers."""
    if not user.is_authenticated or not user.has_role(Role.TEACHER):
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    ClassTeacher.user_id == user.id,
                    ClassTeacher.class_id == CourseClass.id,
                    CourseClass.course_id == course.id,
                )
            )
        )
    )


def studied_course_ids(user: User) -> Select[int]:
    """The ids of the courses the user studies (the courses of their classes), as a subquery."""
    return studied_course_ids_of(user.id)


def studied_course_ids_of(user_id: int | ColumnElement[int]) -> Select[int]:
    """`studied_course_ids` by the user's id, which may be a bound parameter (a statement built
    once for every request)."""
    return (
        select(CourseClass.course_id)
        .join(Enrollment, Enrollment.class_id == CourseClass.id)
        .where(Enrollment.user_id == user_id)
    )


# built once: every lesson and course page asks them
_ENROLLED_IN_COURSE = select(
    exists().where(
        Enrollment.user_id == bindparam("user_id"),
        Enrollment.class_id == CourseClass.id,
        CourseClass.course_id == bindparam("course_id"),
    )
)
_COURSE_BY_SLUG = select(Course).where(Course.slug == bindparam("slug"))
# the course and whether the user studies it, in one statement (a student's every course and
# lesson page asks both)
_COURSE_AND_ENROLLED = select(
    Course,
    exists()
    .where(
        Enrollment.user_id == bindparam("user_id"),
        Enrollment.class_id == CourseClass.id,
        CourseClass.course_id == Course.id,
    )
    .label("enrolled"),
).where(Course.slug == bindparam("slug"))


def is_enrolled_in_course(user: User, course: Course) -> bool:
    if not user.is_authenticated:
        return False
    return bool(
        db.session.scalar(_ENROLLED_IN_COURSE, {"user_id": user.id, "course_id": course.id})
    )


def is_course_editor(user: User, course: Course) -> bool:
    return db.session.get(CourseEditor, (course.id, user.id)) is not None


def can_edit_course(user: User, course: Course) -> bool:
    """The one rule for authoring: admins, and teachers who are editors of the course."""
    if not user.is_authenticated:
        return False
    if user.has_role(Role.ADMIN):
        return True
    return user.has_role(Role.TEACHER) and is_course_editor(user, course)


def can_view_course(user: User, course: Course) -> bool:
    """Its editors, admins, the teachers and students of its classes see a course's lessons."""
    return (
        can_edit_course(user, course)
        or is_enrolled_in_course(user, course)
        or teaches_course(user, course)
    )


# --- loaders: the object, or 404 ------------------------------------------------------------------


def class_or_404(class_id: int, user: User) -> CourseClass:
    """A class the user teaches, with its teachers and course loaded; anyone else gets 404."""
    course_class = db.session.get(
        CourseClass,
        class_id,
        options=[selectinload(CourseClass.teacher_links), selectinload(CourseClass.course)],
    )
    if course_class is None or not teaches(user, course_class.id):
        abort(404)
    return course_class


def course_or_404(slug: str, user: User, *, edit: bool = False) -> Course:
    """The course, if the user may see it (or edit it); anyone else gets 404."""
    if edit:
        course = db.session.scalar(_COURSE_BY_SLUG, {"slug": slug})
        if course is None or not can_edit_course(user, course):
            abort(404)
        return course
    user_id = user.id if user.is_authenticated else None
    found = db.session.execute(_COURSE_AND_ENROLLED, {"slug": slug, "user_id": user_id}).first()
    if found is None:
        abort(404)
    course, enrolled = found
    # can_view_course's rule, with the enrolment already read
    if not (can_edit_course(user, course) or enrolled or teaches_course(user, course)):
        abort(404)
    return course
