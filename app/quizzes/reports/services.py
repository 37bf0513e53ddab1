"""Answer reports: a student asks for an answer to be accepted; the class's teachers decide."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.auth.models import Role, User
from app.extensions import db
from app.kyrgyz.normalize import has_cyrillic, normalize
from app.lessons.access import is_teacher, taught_by, taught_by_roles
from app.lessons.models import CourseClass, Enrollment, Item
from app.lessons.services import ACCEPTED_ANSWER_SOURCES
from app.quizzes.models import (
    Answer,
    AnswerReport,
    ExerciseKind,
    Question,
    QuizSession,
    ReportStatus,
)
from app.quizzes.sessions.services import ACCEPTED_KIND

# Only answers judged against the word's own accepted answers can be added to them: a choice
# or a pairing is not a spelling, and a suffix drill's answers are generated forms.
REPORTABLE_KINDS = frozenset({ExerciseKind.RECALL, ExerciseKind.LISTEN})
REPLY_LENGTH = 500
RESOLVED_SHOWN = 20


class ReportError(Exception):
    """A report rule was broken; the view turns it into a message."""


class NotReportable(ReportError):
    """Only a wrong or almost typed answer of one's own can be reported."""


class NoTeacher(ReportError):
    """The student is in no class of the word's course, so no teacher would see the report."""


class AlreadyResolved(ReportError):
    """Another teacher (or another click) decided first."""


def is_reportable(question: Question, answer: Answer | None) -> bool:
    """Whether the student may report this answer (by its verdict and exercise, no query)."""
    return (
        answer is not None
        and answer.status in ("wrong", "almost")
        and question.exercise in REPORTABLE_KINDS
        and bool(normalize(answer.given))
    )


def _in_a_class_of_the_course(user_id: int, course_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Enrollment.user_id == user_id,
                    Enrollment.class_id == CourseClass.id,
                    CourseClass.course_id == course_id,
                )
            )
        )
    )


@dataclass(frozen=True)
class ReportResult:
    report: AnswerReport
    created: bool


def report_answer(user: User, question: Question, *, now: datetime) -> ReportResult:
    """File a report on the student's answer to `question`; a second report returns the first."""
    answer = question.answer
    if answer is None or answer.user_id != user.id:
        raise NotReportable()
    if answer.report is not None:
        return ReportResult(answer.report, created=False)
    if not is_reportable(question, answer):
        raise NotReportable()
    if not _in_a_class_of_the_course(user.id, question.item.course_id):
        raise NoTeacher()
    report = AnswerReport(
        answer_id=answer.id,
        user_id=user.id,
        item_id=answer.item_id,
        given=answer.given,
        expected=answer.expected,
        status=ReportStatus.OPEN,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError:
        # the same answer reported at the same moment in another request: that one stands
        existing = db.session.scalar(
            select(AnswerReport).where(AnswerReport.answer_id == answer.id)
        )
        if existing is None:
            raise
        return ReportResult(existing, created=False)
    return ReportResult(report, created=True)


# --- who sees which reports ------------------------------------------------------------------


def _visible(query: Select, teacher: User) -> Select:
    """Reports by a student of a class the teacher teaches, on a word of that class's course."""
    return _visible_to(query, teacher.roles, teacher.id)


def _visible_to(query: Select, roles: frozenset[str], teacher_id: Any) -> Select:
    """`_visible` for a person with `roles`, their id a value or a bind parameter."""
    query = query.join(Item, Item.id == AnswerReport.item_id)
    if Role.ADMIN in roles:
        return query
    return query.where(
        exists().where(
            Enrollment.user_id == AnswerReport.user_id,
            Enrollment.class_id == CourseClass.id,
            CourseClass.course_id == Item.course_id,
            taught_by_roles(roles, teacher_id, CourseClass.id),
        )
    )


def open_report_count(teacher: User) -> int:
    """Open reports in the teacher's classes (one COUNT query)."""
    return int(db.session.scalar(open_reports_select(teacher.roles, teacher.id)) or 0)


def open_reports_select(roles: frozenset[str], teacher_id: Any) -> Select[Any]:
    """`open_report_count` as a one-row select for a person with `roles`, their id a value or a
    bind parameter: the navigation's badge."""
    query = (
        select(func.count().label("open_reports"))
        .select_from(AnswerReport)
        .where(AnswerReport.status == ReportStatus.OPEN)
    )
    return _visible_to(query, roles, teacher_id)


def _with_details(query: Select) -> Select:
    return query.options(
        joinedload(AnswerReport.item),
        joinedload(AnswerReport.user),
        joinedload(AnswerReport.answer),
    )


def open_reports(teacher: User) -> Sequence[AnswerReport]:
    """The teacher's queue: open reports with their word, student and answer, oldest first."""
    query = select(AnswerReport).where(AnswerReport.status == ReportStatus.OPEN)
    query = _visible(query, teacher).order_by(AnswerReport.created_at, AnswerReport.id)
    return db.session.scalars(_with_details(query)).all()


def recently_resolved(teacher: User, limit: int = RESOLVED_SHOWN) -> Sequence[AnswerReport]:
    """The latest decided reports the teacher can see."""
    query = select(AnswerReport).where(AnswerReport.status != ReportStatus.OPEN)
    query = _visible(query, teacher).order_by(
        AnswerReport.resolved_at.desc(), AnswerReport.id.desc()
    )
    return db.session.scalars(_with_details(query).limit(limit)).all()


def can_resolve(teacher: User, report: AnswerReport) -> bool:
    """Admins, and teachers of a class of the word's course that the student is in."""
    if teacher.has_role(Role.ADMIN):
        return True
    if not is_teacher(teacher):
        return False
    query = select(
        exists().where(
            and_(
                Item.id == report.item_id,
                Enrollment.user_id == report.user_id,
                Enrollment.class_id == CourseClass.id,
                CourseClass.course_id == Item.course_id,
                taught_by(teacher, CourseClass.id),
            )
        )
    )
    return bool(db.session.scalar(query))


def student_reports(user: User) -> Sequence[AnswerReport]:
    """The student's own reports, newest first, with their words."""
    return db.session.scalars(
        select(AnswerReport)
        .where(AnswerReport.user_id == user.id)
        .options(joinedload(AnswerReport.item))
        .order_by(AnswerReport.created_at.desc(), AnswerReport.id.desc())
    ).all()


_STUDENT_REPORT_COUNTS = (
    select(AnswerReport.status, func.count())
    .where(AnswerReport.user_id == bindparam("user_id"))
    .group_by(AnswerReport.status)
)


def student_report_counts(user: User) -> dict[str, int]:
    """{status: how many} of the student's reports (one GROUP BY query, built once: the home page
    asks it on every visit)."""
    rows = db.session.execute(_STUDENT_REPORT_COUNTS, {"user_id": user.id}).all()
    return {str(status): int(count) for status, count in rows}


# --- deciding --------------------------------------------------------------------------------


def _close(
    report: AnswerReport, status: ReportStatus, teacher: User, reply: str, now: datetime
) -> None:
    """Decide the report if it is still open; the conditional UPDATE lets only one decision win."""
    result = db.session.execute(
        update(AnswerReport)
        .where(AnswerReport.id == report.id, AnswerReport.status == ReportStatus.OPEN)
        .values(
            status=status,
            reply=reply.strip()[:REPLY_LENGTH] or None,
            resolved_at=now,
            resolved_by_id=teacher.id,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyResolved()
    db.session.refresh(report)


def accepted_form(answer: Answer) -> str:
    """What to add to the accepted answers: the Cyrillic of a Latin answer, else the answer."""
    given = answer.given.strip()
    if answer.converted and not has_cyrillic(given):
        return answer.converted.strip()
    return given


def add_accepted(item: Item, text: str) -> bool:
    """Add `text` to the word's accepted answers unless it is one already (after normalising)."""
    if not normalize(text) or normalize(text) in {normalize(a) for a in item.accepted_answers}:
        return False
    item.also_accepted = [*(item.also_accepted or []), text]
    return True


def approve(report: AnswerReport, teacher: User, *, reply: str = "", now: datetime) -> None:
    """Accept the answer: the word accepts it from now on, and the student's answer counts."""
    _close(report, ReportStatus.APPROVED, teacher, reply, now)
    answer = report.answer
    add_accepted(report.item, accepted_form(answer))
    if answer.status != "correct":
        # The FSRS history stays as it was; the answer keeps a note of its first verdict.
        answer.params = {
            **(answer.params or {}),
            "reported": {"status": answer.status, "kind": answer.kind, "report": report.id},
        }
        answer.status = "correct"
        answer.kind = ACCEPTED_KIND
        db.session.execute(
            update(QuizSession)
            .where(QuizSession.id == answer.session_id)
            .values(correct_count=QuizSession.correct_count + 1)
            .execution_options(synchronize_session=False)
        )
    db.session.flush()


def reject(report: AnswerReport, teacher: User, *, reply: str = "", now: datetime) -> None:
    """Keep the verdict; the reply (if any) tells the student why."""
    _close(report, ReportStatus.REJECTED, teacher, reply, now)
    db.session.flush()


def accepted_on_the_web(item_ids: list[int]) -> dict[int, list[str]]:
    """The answers approved through reports, per item: a course re-import keeps them."""
    answers = db.session.scalars(
        select(Answer)
        .join(AnswerReport, AnswerReport.answer_id == Answer.id)
        .where(AnswerReport.status == ReportStatus.APPROVED, Answer.item_id.in_(item_ids))
    )
    found: dict[int, list[str]] = {}
    for answer in answers:
        found.setdefault(answer.item_id, []).append(accepted_form(answer))
    return found


if accepted_on_the_web not in ACCEPTED_ANSWER_SOURCES:
    ACCEPTED_ANSWER_SOURCES.append(accepted_on_the_web)
