"""Assignments (written and spoken), rubrics, submissions with every version, and grades."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.dbtypes import UTCDateTime, utcnow
from app.extensions import Model
from app.lessons.models import CourseClass, Lesson


class AssignmentKind(StrEnum):
    WRITTEN = "written"  # the student writes Kyrgyz (on-screen keys)
    SPOKEN = "spoken"  # the student records in the browser or uploads an audio file


class GradeState(StrEnum):
    """Where a grade is in the marking workflow (Moodle's, simplified)."""

    DRAFT = "draft"  # being graded: saved, not finished
    GRADED = "graded"  # finished, not yet visible to the student
    RELEASED = "released"  # the student sees it


class Rubric(Model):
    """Criteria with levels and points; a teacher's rubric can be reused by many assignments."""

    __tablename__ = "rubrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    owner: Mapped[User | None] = relationship()
    criteria: Mapped[list[RubricCriterion]] = relationship(
        back_populates="rubric",
        order_by="RubricCriterion.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def max_points(self) -> int:
        """The best level of every criterion added up."""
        return sum(max((level.points for level in c.levels), default=0) for c in self.criteria)


class RubricCriterion(Model):
    """One criterion of a rubric (e.g. pronunciation), with its levels."""

    __tablename__ = "rubric_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    rubric: Mapped[Rubric] = relationship(back_populates="criteria")
    levels: Mapped[list[RubricLevel]] = relationship(
        back_populates="criterion",
        order_by="RubricLevel.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class RubricLevel(Model):
    """One level of a criterion: a description and the points it gives."""

    __tablename__ = "rubric_levels"
    __table_args__ = (CheckConstraint("points >= 0", name="points_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("rubric_criteria.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    points: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(String(500), default="")

    criterion: Mapped[RubricCriterion] = relationship(back_populates="levels")


class Assignment(Model):
    """A task a teacher sets for a class, optionally tied to a lesson."""

    __tablename__ = "assignments"
    __table_args__ = (
        CheckConstraint("kind IN ('written', 'spoken')", name="kind_known"),
        CheckConstraint("max_points > 0", name="max_points_positive"),
        # the gradebook and the student's upcoming list: a class's assignments by due date
        Index("ix_assignments_class_id_due_at", "class_id", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("course_classes.id", ondelete="CASCADE"))
    lesson_id: Mapped[int | None] = mapped_column(
        ForeignKey("lessons.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    prompt: Mapped[str] = mapped_column(Text, default="")  # Markdown, Japanese and/or Kyrgyz
    kind: Mapped[str] = mapped_column(String(10), default=AssignmentKind.WRITTEN)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    max_points: Mapped[int] = mapped_column(default=10)
    rubric_id: Mapped[int | None] = mapped_column(
        ForeignKey("rubrics.id", ondelete="RESTRICT"), index=True
    )
    # names hidden from graders until the grade is released
    blind: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    course_class: Mapped[CourseClass] = relationship()
    lesson: Mapped[Lesson | None] = relationship()
    rubric: Mapped[Rubric | None] = relationship()


class Submission(Model):
    """One student's work on one assignment: the current draft and a counter of submitted versions."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("assignment_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # the draft being worked on (a submit copies it into a new SubmissionVersion)
    draft_text: Mapped[str] = mapped_column(Text, default="")
    draft_audio_file: Mapped[str | None] = mapped_column(String(200))
    draft_audio_mimetype: Mapped[str | None] = mapped_column(String(50))
    draft_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # number of the latest submitted version (0: never submitted)
    version_count: Mapped[int] = mapped_column(default=0)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # of the latest version
    late: Mapped[bool] = mapped_column(Boolean, default=False)  # the latest version was late
    # a teacher reopened it for this student: (re)submission allowed until then
    reopened_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    assignment: Mapped[Assignment] = relationship()
    student: Mapped[User] = relationship()
    versions: Mapped[list[SubmissionVersion]] = relationship(
        back_populates="submission",
        order_by="SubmissionVersion.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    grade: Mapped[Grade | None] = relationship(back_populates="submission", uselist=False)


class SubmissionVersion(Model):
    """A submitted version, kept for ever: resubmitting adds one."""

    __tablename__ = "submission_versions"
    __table_args__ = (UniqueConstraint("submission_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text, default="")
    audio_file: Mapped[str | None] = mapped_column(String(200))
    audio_mimetype: Mapped[str | None] = mapped_column(String(50))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    late: Mapped[bool] = mapped_column(Boolean, default=False)

    submission: Mapped[Submission] = relationship(back_populates="versions")


class Grade(Model):
    """The grade of a submission; `version` refuses a save based on a stale copy."""

    __tablename__ = "grades"
    __table_args__ = (
        CheckConstraint("state IN ('draft', 'graded', 'released')", name="state_known"),
        CheckConstraint("state <> 'released' OR released_at IS NOT NULL", name="released_at_set"),
        # the gradebook reads a class's grades by assignment
        Index("ix_grades_assignment_id_state", "assignment_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), unique=True
    )
    # copies of the submission's, for gradebook and queue queries without a join
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    grader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(10), default=GradeState.DRAFT)
    points: Mapped[float | None] = mapped_column(Float)  # out of the assignment's max_points
    # criterion id (as a string) -> chosen level id
    rubric_levels: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    feedback: Mapped[str] = mapped_column(Text, default="")
    feedback_audio_file: Mapped[str | None] = mapped_column(String(200))
    feedback_audio_mimetype: Mapped[str | None] = mapped_column(String(50))
    graded_version: Mapped[int | None]  # the SubmissionVersion.number this grade is for
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    submission: Mapped[Submission] = relationship(back_populates="grade")
    assignment: Mapped[Assignment] = relationship()
    student: Mapped[User] = relationship(foreign_keys=[student_id])
    grader: Mapped[User | None] = relationship(foreign_keys=[grader_id])

    # An UPDATE carries "WHERE version = <what was read>": a concurrent change makes it fail.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012  (SQLAlchemy reads it)

    @property
    def released(self) -> bool:
        return self.state == GradeState.RELEASED
