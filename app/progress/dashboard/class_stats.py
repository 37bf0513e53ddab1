"""The class dashboard: each student's activity and progress at a glance, and the class's hardest
words over the whole course. Grouped queries only: a class of 1,000 takes as many as a class of 3.

Activity is what a student does in this class: answering quiz or review questions on the
course's words, marking a lesson of the course done, submitting work for the class. Days are
days in Japan (the class's time zone), whatever the students' own time zones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import case, func, select, union
from sqlalchemy.orm import aliased

from app.core.dates import TOKYO
from app.extensions import db
from app.lessons.models import CourseClass, Enrollment, Item, Lesson, LessonProgress
from app.progress.gradebook.services import class_assignments
from app.progress.learning import (
    StudentProgress,
    class_students,
    published_lesson_count,
    student_progress,
)
from app.progress.models import Assignment, Submission, SubmissionVersion
from app.quizzes.models import Answer
from app.quizzes.stats import WordStats, hardest_words

ACTIVITY_DAYS = 14  # the row of squares
INACTIVE_AFTER_DAYS = 7  # highlighted from this many days without activity


@dataclass(frozen=True)
class StudentActivity:
    """One row of the class dashboard."""

    progress: StudentProgress
    last_active: datetime | None
    last_day: date | None  # the day of last_active in Japan
    days_since: int | None  # None: never active
    active_days: tuple[bool, ...]  # one per day, oldest first, today last
    submitted: int  # assignments with a submitted version

    @property
    def inactive(self) -> bool:
        return self.days_since is None or self.days_since >= INACTIVE_AFTER_DAYS

    @property
    def active_day_count(self) -> int:
        return sum(self.active_days)


@dataclass(frozen=True)
class ClassDashboard:
    course_class: CourseClass
    days: tuple[date, ...]  # the days of the activity row, oldest first
    lessons_total: int
    assignments_total: int
    students: list[StudentActivity]
    hardest: list[WordStats]

    @property
    def inactive_count(self) -> int:
        return sum(1 for s in self.students if s.inactive)


def _day_starts(today: date) -> list[datetime]:
    """The UTC start of each of the last ACTIVITY_DAYS days in Japan, oldest first."""
    return [
        datetime.combine(today - timedelta(days=n), time(0), tzinfo=TOKYO).astimezone(UTC)
        for n in range(ACTIVITY_DAYS - 1, -1, -1)
    ]


def _day_index(column: Any, starts: list[datetime]) -> Any:
    """SQL: which of the days (0 = oldest) a moment falls on; portable, unlike date functions."""
    return case(
        *((column >= start, index) for index, start in reversed(list(enumerate(starts)))),
        else_=-1,
    )


def active_days(course_class: CourseClass, today: date) -> dict[int, set[int]]:
    """{student id: indexes of the days they were active}, one UNION query."""
    starts = _day_starts(today)
    first = starts[0]
    enrolled = aliased(Enrollment)
    answers = (
        select(Answer.user_id.label("user_id"), _day_index(Answer.answered_at, starts).label("day"))
        .join(Item, Item.id == Answer.item_id)
        .join(enrolled, enrolled.user_id == Answer.user_id)
        .where(
            enrolled.class_id == course_class.id,
            Item.course_id == course_class.course_id,
            Answer.answered_at >= first,
        )
    )
    lessons = (
        select(LessonProgress.user_id, _day_index(LessonProgress.completed_at, starts))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .join(Enrollment, Enrollment.user_id == LessonProgress.user_id)
        .where(
            Enrollment.class_id == course_class.id,
            Lesson.course_id == course_class.course_id,
            LessonProgress.completed_at >= first,
        )
    )
    versions = (
        select(Submission.student_id, _day_index(SubmissionVersion.submitted_at, starts))
        .join(Submission, Submission.id == SubmissionVersion.submission_id)
        .join(Assignment, Assignment.id == Submission.assignment_id)
        .where(Assignment.class_id == course_class.id, SubmissionVersion.submitted_at >= first)
    )
    days: dict[int, set[int]] = {}
    for user_id, day in db.session.execute(union(answers, lessons, versions)):
        if day is not None and day >= 0:
            days.setdefault(user_id, set()).add(int(day))
    return days


def submissions_by_student(course_class: CourseClass) -> dict[int, tuple[int, datetime | None]]:
    """{student id: (assignments handed in, when last)}, one grouped query."""
    return {
        student_id: (int(count), last)
        for student_id, count, last in db.session.execute(
            select(Submission.student_id, func.count(), func.max(Submission.submitted_at))
            .join(Assignment, Assignment.id == Submission.assignment_id)
            .where(Assignment.class_id == course_class.id, Submission.version_count > 0)
            .group_by(Submission.student_id)
        )
    }


def build_class_dashboard(course_class: CourseClass, now: datetime) -> ClassDashboard:
    """Everything the class dashboard shows, in a fixed number of queries."""
    today = now.astimezone(TOKYO).date()
    students = class_students(course_class)
    progress = student_progress(course_class, students, now)
    assignments = class_assignments(course_class)
    submitted = submissions_by_student(course_class)
    days = active_days(course_class, today)

    rows = []
    for s in students:
        p = progress[s.id]
        handed_in, last_submitted = submitted.get(s.id, (0, None))
        moments = [m for m in (p.last_answer_at, p.last_lesson_at, last_submitted) if m]
        last = max(moments) if moments else None
        last_day = last.astimezone(TOKYO).date() if last else None
        rows.append(
            StudentActivity(
                progress=p,
                last_active=last,
                last_day=last_day,
                days_since=(today - last_day).days if last_day else None,
                active_days=tuple(n in days.get(s.id, ()) for n in range(ACTIVITY_DAYS)),
                submitted=handed_in,
            )
        )
    return ClassDashboard(
        course_class=course_class,
        days=tuple(today - timedelta(days=n) for n in range(ACTIVITY_DAYS - 1, -1, -1)),
        lessons_total=published_lesson_count(course_class.course_id),
        assignments_total=len(assignments),
        students=rows,
        hardest=hardest_words(course_class),
    )


def sort_students(rows: list[StudentActivity], key: str) -> list[StudentActivity]:
    """By name, or (the default) the longest inactive first: never active, then most days."""
    by_name = sorted(rows, key=lambda r: (r.progress.student.sort_name, r.progress.student.id))
    if key == "name":
        return by_name
    return sorted(by_name, key=lambda r: (r.days_since is not None, -(r.days_since or 0)))
