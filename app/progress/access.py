"""Who may see what in progress and grading: teachers their classes, students themselves.

Every view loads its objects through these functions; anything a user may not see is a 404,
as if it did not exist (a student can't even learn that another student's submission exists).
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from app.auth.models import Role, User
from app.extensions import db
from app.lessons.models import ClassTeacher, CourseClass, Enrollment
from app.progress.models import Assignment, Submission


def is_teacher(user: User) -> bool:
    return user.is_authenticated and user.has_any_role(Role.TEACHER, Role.ADMIN)


def taught_class_ids(user: User) -> set[int]:
    """The classes a teacher teaches (every class for an admin)."""
    if not user.is_authenticated:
        return set()
    if user.has_role(Role.ADMIN):
        return set(db.session.scalars(select(CourseClass.id)))
    if not user.has_role(Role.TEACHER):
        return set()
    return set(
        db.session.scalars(select(ClassTeacher.class_id).where(ClassTeacher.user_id == user.id))
    )


def enrolled_class_ids(user: User) -> set[int]:
    """The classes a student belongs to."""
    if not user.is_authenticated:
        return set()
    return set(db.session.scalars(select(Enrollment.class_id).where(Enrollment.user_id == user.id)))


def teaches(user: User, class_id: int) -> bool:
    """One query: is the user a teacher of this class (or an admin)?"""
    if not user.is_authenticated:
        return False
    if user.has_role(Role.ADMIN):
        return True
    if not user.has_role(Role.TEACHER):
        return False
    return (
        db.session.scalar(
            select(ClassTeacher.class_id).where(
                ClassTeacher.class_id == class_id, ClassTeacher.user_id == user.id
            )
        )
        is not None
    )


def is_student_of(user: User, class_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return (
        db.session.scalar(
            select(Enrollment.class_id).where(
                Enrollment.class_id == class_id, Enrollment.user_id == user.id
            )
        )
        is not None
    )


def taught_class_or_404(user: User, class_id: int) -> CourseClass:
    """A class the user teaches; anyone else gets 404."""
    course_class = db.session.get(CourseClass, class_id)
    if course_class is None or not teaches(user, class_id):
        abort(404)
    return course_class


def taught_assignment_or_404(user: User, assignment_id: int) -> Assignment:
    """An assignment of a class the user teaches."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or not teaches(user, assignment.class_id):
        abort(404)
    return assignment


def student_assignment_or_404(user: User, assignment_id: int) -> Assignment:
    """An assignment of a class the student belongs to."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or not is_student_of(user, assignment.class_id):
        abort(404)
    return assignment


def taught_submission_or_404(user: User, submission_id: int) -> Submission:
    """A submission to an assignment of a class the user teaches."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or not teaches(user, submission.assignment.class_id):
        abort(404)
    return submission


def own_submission_or_404(user: User, submission_id: int) -> Submission:
    """The student's own submission; nobody else's, ever."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.student_id != user.id:
        abort(404)
    return submission
