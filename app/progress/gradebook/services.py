"""The gradebook of a class: its students × its assignments, with lessons done, words learned and
quiz accuracy, and totals. Everything comes from grouped queries, so a class of 1,000 students
takes as many queries as a class of 3; the definitions are in app.progress.learning.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.lessons.models import CourseClass
from app.progress.blind import shows_student_name
from app.progress.learning import (
    Student,
    StudentProgress,
    class_students,
    published_lesson_count,
    student_progress,
)
from app.progress.models import Assignment, Grade, Submission

# --- assignments and grades -----------------------------------------------------------------


class CellState(StrEnum):
    """What a gradebook cell shows for one student and one assignment."""

    MISSING = "missing"  # nothing submitted, no grade
    SUBMITTED = "submitted"  # submitted, no points yet
    DRAFT = "draft"  # points saved as a draft grade (not finished)
    GRADED = "graded"  # graded, not yet released to the student
    RELEASED = "released"  # the student sees it
    # Blind grading, submitted and not released: graded or not, it looks the same (no points,
    # no "draft"), so the gradebook doesn't tell which named students have been graded.
    HIDDEN = "hidden"

    @property
    def unreleased(self) -> bool:
        return self in (CellState.DRAFT, CellState.GRADED)


_STATES = {state.value: state for state in CellState}  # faster than CellState(value)


class Cell(NamedTuple):
    """One student's work on one assignment, as the gradebook shows it."""

    assignment_id: int
    state: CellState = CellState.MISSING
    points: float | None = None
    late: bool = False
    submitted: bool = False
    blind: bool = False  # a blind assignment's cell before release: no link to the grading page


class SubmissionRow(NamedTuple):
    assignment_id: int
    student_id: int
    version_count: int
    late: bool
    grade_state: str | None
    points: float | None


def class_assignments(course_class: CourseClass) -> list[Assignment]:
    """The class's assignments by due date."""
    return list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.class_id == course_class.id)
            .order_by(Assignment.due_at, Assignment.id)
        )
    )


def class_submissions(course_class: CourseClass) -> list[SubmissionRow]:
    """Every submission to the class's assignments with its grade's state and points (one query;
    plain columns, no dates: a class of 1,000 has 30,000 of them)."""
    rows = db.session.execute(
        select(
            Submission.assignment_id,
            Submission.student_id,
            Submission.version_count,
            Submission.late,
            Grade.state,
            Grade.points,
        )
        .join(Assignment, Assignment.id == Submission.assignment_id)
        .outerjoin(Grade, Grade.submission_id == Submission.id)
        .where(Assignment.class_id == course_class.id)
    )
    return [SubmissionRow(*row) for row in rows]


def cell_for(row: SubmissionRow) -> Cell:
    """A submission's cell: its grade's points and state when it has points, else whether submitted."""
    submitted = row.version_count > 0
    if row.grade_state is not None and row.points is not None:
        state = _STATES[row.grade_state]
        points = row.points
    else:
        state = CellState.SUBMITTED if submitted else CellState.MISSING
        points = None
    return Cell(row.assignment_id, state, points, bool(row.late) and submitted, submitted)


# --- the gradebook ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """An assignment column with its class average over the graded cells."""

    assignment: Assignment
    graded: int
    submitted: int
    average: float | None


@dataclass(frozen=True)
class Row:
    progress: StudentProgress
    cells: tuple[Cell, ...]

    @property
    def student(self) -> Student:
        return self.progress.student

    @property
    def points(self) -> float:
        """Points of every graded cell, released or not."""
        return sum(c.points for c in self.cells if c.points is not None)

    @property
    def unreleased(self) -> bool:
        """Whether the total includes points the student can't see yet."""
        return any(c.state.unreleased for c in self.cells)


@dataclass
class Gradebook:
    course_class: CourseClass
    lessons_total: int
    columns: list[Column]
    rows: list[Row]
    max_points: dict[int, int] = field(default_factory=dict)
    has_progress: bool = True  # False: build_gradebook(progress=False), see with_progress

    def with_progress(self, rows: Sequence[Row], now: datetime) -> list[Row]:
        """`rows` (a page of them) with their students' progress, read for them alone if the
        gradebook was built without it."""
        if self.has_progress:
            return list(rows)
        progress = student_progress(self.course_class, [r.student for r in rows], now, some=True)
        return [replace(r, progress=progress[r.student.id]) for r in rows]

    def possible(self, row: Row) -> int:
        """The maximum points of the assignments graded for this student."""
        return sum(self.max_points[c.assignment_id] for c in row.cells if c.points is not None)

    def percent(self, row: Row) -> float | None:
        """Total over possible, 0–100; None while nothing is graded."""
        possible = self.possible(row)
        return row.points / possible * 100 if possible else None

    def sorted_rows(self, key: str, descending: bool = False) -> list[Row]:
        """Rows ordered by a column; students without a value go last either way."""
        value = self._sort_value(key)
        by_name = sorted(self.rows, key=lambda r: (r.student.sort_name, r.student.id))
        if value is None:
            return list(reversed(by_name)) if descending else by_name
        with_value = [r for r in by_name if value(r) is not None]
        without = [r for r in by_name if value(r) is None]
        return sorted(with_value, key=lambda r: value(r), reverse=descending) + without

    def _sort_value(self, key: str) -> Callable[[Row], Any] | None:
        if key == "total":
            return self.percent
        if key == "lessons":
            return lambda r: r.progress.lessons_done
        if key == "words":
            return lambda r: r.progress.words_learned
        if key == "accuracy":
            return lambda r: r.progress.accuracy
        if key.startswith("a") and key[1:].isdigit():
            index = {c.assignment.id: n for n, c in enumerate(self.columns)}.get(int(key[1:]))
            if index is not None:
                return lambda r: r.cells[index].points
        return None  # by name


SORT_KEYS = ("name", "total", "lessons", "words", "accuracy")


def valid_sort(key: str | None, gradebook: Gradebook) -> str:
    """The sort key asked for if it names a column of this gradebook, else "name"."""
    if key in SORT_KEYS:
        return key
    ids = {c.assignment.id for c in gradebook.columns}
    if key and key.startswith("a") and key[1:].isdigit() and int(key[1:]) in ids:
        return key
    return "name"


# Sorting by these needs every student's progress; by the others, only the shown students' is read.
PROGRESS_SORTS = frozenset({"lessons", "words", "accuracy"})


def build_gradebook(
    course_class: CourseClass, now: datetime, *, progress: bool = True
) -> Gradebook:
    """The class's gradebook in a fixed number of queries (seven, whatever the class's size).
    `progress=False` leaves out the lessons, words and answers (three grouped queries over every
    answer of the class): `with_progress` reads them for the rows shown."""
    students = class_students(course_class)
    progress_of = (
        student_progress(course_class, students, now)
        if progress
        else {s.id: StudentProgress(student=s) for s in students}
    )
    assignments = class_assignments(course_class)
    cells: dict[tuple[int, int], Cell] = {
        (r.student_id, r.assignment_id): cell_for(r) for r in class_submissions(course_class)
    }
    # Blind grading hides who got which grade until release, so the gradebook does too: before
    # release a cell says only whether the work was submitted, never whether it is graded.
    blind = {a.id for a in assignments if a.blind}
    for key, cell in cells.items():
        if not shows_student_name(cell.assignment_id in blind, cell.state == CellState.RELEASED):
            state = CellState.HIDDEN if cell.submitted else CellState.MISSING
            cells[key] = cell._replace(state=state, points=None, blind=True)
    empty = [Cell(a.id, blind=a.id in blind) for a in assignments]
    rows = [
        Row(
            progress_of[s.id],
            tuple(cells.get((s.id, a.id)) or empty[n] for n, a in enumerate(assignments)),
        )
        for s in students
    ]
    columns = []
    for index, assignment in enumerate(assignments):
        column = [row.cells[index] for row in rows]
        points = [c.points for c in column if c.points is not None]
        columns.append(
            Column(
                assignment,
                graded=len(points),
                submitted=sum(1 for c in column if c.submitted),
                average=sum(points) / len(points) if points else None,
            )
        )
    return Gradebook(
        course_class=course_class,
        lessons_total=published_lesson_count(course_class.course_id),
        columns=columns,
        rows=rows,
        max_points={a.id: a.max_points for a in assignments},
        has_progress=progress,
    )


def format_points(value: float | None) -> str:
    """Points as people write them: 8, 7.5 (one decimal at most); "—" for none."""
    if value is None:
        return "—"
    return f"{value:.1f}".removesuffix(".0")


# --- links to the grading page ----------------------------------------------------------------

_ASSIGNMENT, _USER = 900000001, 900000002


def grading_link() -> Callable[[int, int], str]:
    """Builds the URL of the grading page of one student's work on one assignment. One url_for
    for the whole table: a class of 1,000 students has 30,000 cells."""
    pattern = url_for("progress.grade_student", assignment_id=_ASSIGNMENT, student_id=_USER)

    def link(assignment_id: int, user_id: int) -> str:
        return pattern.replace(str(_ASSIGNMENT), str(assignment_id)).replace(
            str(_USER), str(user_id)
        )

    return link


def queue_links(gradebook: Gradebook) -> dict[int, str]:
    """{assignment id: the grading queue of that assignment}: where a blind assignment's cells
    lead before release (the grading page, reached from a name, would pair it with its number)."""
    return {
        column.assignment.id: url_for(
            "progress.grading_queue", assignment=column.assignment.id, state="all"
        )
        for column in gradebook.columns
        if column.assignment.blind
    }


def state_labels() -> Mapping[CellState, str]:
    """How a cell's state reads in exports and screen readers (in the request's language)."""
    return {
        CellState.MISSING: _("not submitted"),
        CellState.SUBMITTED: _("submitted, ungraded"),
        CellState.DRAFT: _("draft grade"),
        CellState.GRADED: _("graded, not released"),
        CellState.RELEASED: _("released"),
        CellState.HIDDEN: _("submitted, blind grading"),
    }
