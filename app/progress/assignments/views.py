"""A class's assignments, for its teachers: the list, setting, changing and deleting an
assignment, the overview of every student's work, and reopening it for one student.

Everything is loaded through app.progress.access, so anything a user may not see is a 404.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from app.core import dates
from app.core.confirm import Confirmation, ask, confirmed
from app.core.markdown import render_notes
from app.extensions import db
from app.lessons.access import class_or_404
from app.lessons.models import CourseClass
from app.progress import assignments, rubrics
from app.progress.access import class_student_or_404, taught_assignment_or_404
from app.progress.assignments.forms import KIND_LABELS, NO_CHOICE, AssignmentForm, ReopenForm
from app.progress.assignments.services import AssignmentDetails
from app.progress.blind import shows_student_name
from app.progress.models import Assignment, AssignmentKind
from app.progress.views import bp


def language() -> str:
    locale = get_locale()
    return locale.language if locale else "ja"


# --- template helpers ------------------------------------------------------------------------


def grade_student_url(assignment_id: int, user_id: int) -> str:
    """The grading page of a student's work (created on demand for a non-submission)."""
    return url_for("progress.grade_student", assignment_id=assignment_id, student_id=user_id)


def prompt_html(text: str) -> Markup:
    return render_notes(text, _)


# --- teachers: a class's assignments ---------------------------------------------------------


@bp.get("/classes/<int:class_id>/assignments")
@login_required
def class_assignments(class_id: int) -> ResponseReturnValue:
    """A class's assignments with how many students submitted and how many are graded."""
    course_class = class_or_404(class_id, current_user)
    return render_template(
        "progress/class_assignments.html",
        course_class=course_class,
        rows=assignments.class_assignment_summaries(class_id),
        kind_labels=KIND_LABELS,
        now=dates.now(),
    )


def fill_choices(
    form: AssignmentForm, course_class: CourseClass, current: Assignment | None
) -> None:
    """The class's lessons and the rubrics this teacher may choose."""
    lang = language()
    current_lesson = current.lesson_id if current else None
    form.lesson_id.choices = [SelectChoice(str(NO_CHOICE), _("No lesson"))] + [
        SelectChoice(str(lesson.id), lesson.title(lang))
        for lesson in assignments.class_lessons(course_class.course_id, current_lesson)
    ]
    choices = rubrics.rubric_choices(
        current_user, course_class.id, current.rubric_id if current else None
    )
    form.rubric_id.choices = [SelectChoice(str(NO_CHOICE), _("No rubric"))] + [
        SelectChoice(
            str(r.id), _("%(title)s (%(points)d points)", title=r.title, points=r.max_points)
        )
        for r in choices
    ]


def assignment_details(form: AssignmentForm) -> AssignmentDetails:
    """The validated form as plain values; the due date converted to UTC."""
    return AssignmentDetails(
        title=form.title.data or "",
        prompt=form.prompt.data or "",
        kind=form.kind.data or AssignmentKind.WRITTEN,
        due_at=dates.tokyo_to_utc(form.due_at.data),
        max_points=form.max_points.data or 1,
        rubric_id=form.rubric_id.data or None,
        lesson_id=form.lesson_id.data or None,
        blind=bool(form.blind.data),
    )


def render_assignment_form(
    course_class: CourseClass,
    assignment: Assignment | None,
    form: AssignmentForm,
    preview: Markup | None = None,
) -> str:
    return render_template(
        "progress/assignment_form.html",
        course_class=course_class,
        assignment=assignment,
        form=form,
        preview=preview,
        graded=assignment is not None and assignments.grades_exist(assignment.id),
    )


def default_due() -> datetime:
    """A week from today at 23:59, Japan time."""
    day = (dates.now() + timedelta(days=7)).astimezone(dates.TOKYO)
    return day.replace(hour=23, minute=59, second=0, microsecond=0)


@bp.route("/classes/<int:class_id>/assignments/new", methods=["GET", "POST"])
@login_required
def new_assignment(class_id: int) -> ResponseReturnValue:
    """Set a new assignment for the class."""
    course_class = class_or_404(class_id, current_user)
    form = AssignmentForm()
    fill_choices(form, course_class, None)
    if not form.is_submitted():
        form.due_at.data = default_due()
    preview = None
    if form.is_submitted() and form.preview.data:
        preview = prompt_html(form.prompt.data or "")
    elif form.validate_on_submit():
        assignment = assignments.create_assignment(
            course_class, assignment_details(form), created_by=current_user
        )
        db.session.commit()
        flash(_("The assignment has been set. Students of the class can see it now."), "success")
        return redirect(url_for("progress.assignment_overview", assignment_id=assignment.id))
    return render_assignment_form(course_class, None, form, preview)


LOCKED_MESSAGES = {
    "kind": lambda: _("Some work has been graded, so the kind of answer can no longer change."),
    "max_points": lambda: _(
        "Some work has been graded, so the maximum points can no longer change."
    ),
    "rubric_id": lambda: _("Some work has been graded, so the rubric can no longer change."),
}


@bp.route("/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_assignment(assignment_id: int) -> ResponseReturnValue:
    """Change an assignment (its kind, rubric and maximum points only until something is
    graded)."""
    assignment = taught_assignment_or_404(assignment_id, current_user)
    course_class = assignment.course_class
    form = AssignmentForm(
        data={
            "title": assignment.title,
            "lesson_id": assignment.lesson_id or NO_CHOICE,
            "prompt": assignment.prompt,
            "kind": assignment.kind,
            "due_at": assignment.due_at,
            "max_points": assignment.max_points,
            "rubric_id": assignment.rubric_id or NO_CHOICE,
            "blind": assignment.blind,
        }
    )
    fill_choices(form, course_class, assignment)
    preview = None
    if form.is_submitted() and form.preview.data:
        preview = prompt_html(form.prompt.data or "")
    elif form.validate_on_submit():
        try:
            assignments.update_assignment(assignment, assignment_details(form))
        except assignments.FieldsLocked as locked:
            db.session.rollback()
            for name in locked.fields:
                getattr(form, name).errors.append(LOCKED_MESSAGES[name]())
        else:
            db.session.commit()
            flash(_("The assignment has been saved."), "success")
            return redirect(url_for("progress.assignment_overview", assignment_id=assignment.id))
    return render_assignment_form(course_class, assignment, form, preview)


@bp.route("/assignments/<int:assignment_id>/delete", methods=["GET", "POST"])
@login_required
def delete_assignment(assignment_id: int) -> ResponseReturnValue:
    """Delete an assignment nobody has submitted to (it asks first)."""
    assignment = taught_assignment_or_404(assignment_id, current_user)
    course_class = assignment.course_class
    if not confirmed():
        return ask(
            Confirmation(
                title=_("Delete “%(title)s”?", title=assignment.title),
                action=url_for("progress.delete_assignment", assignment_id=assignment.id),
                button=_("Delete"),
                cancel_url=url_for("progress.edit_assignment", assignment_id=assignment.id),
                cancel_label=_("Keep it"),
                lines=(
                    _(
                        "The assignment and the drafts students have saved for it are deleted. "
                        "This can't be undone."
                    ),
                ),
            )
        )
    title = assignment.title
    try:
        files = assignments.delete_assignment(assignment)
    except assignments.HasSubmissions:
        flash(
            _(
                "Students have already submitted work for this assignment, so it can't be "
                "deleted. You can still change it."
            ),
            "error",
        )
        return redirect(url_for("progress.edit_assignment", assignment_id=assignment_id))
    db.session.commit()
    assignments.discard_audio(files)
    flash(_("“%(title)s” has been deleted.", title=title), "success")
    return redirect(url_for("progress.class_assignments", class_id=course_class.id))


def render_overview(
    assignment: Assignment,
    errors: dict[int, str] | None = None,
    entered: dict[int, str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    rubric = rubrics.get_rubric(assignment.rubric_id) if assignment.rubric_id else None
    html = render_template(
        "progress/assignment_overview.html",
        assignment=assignment,
        course_class=assignment.course_class,
        rows=assignments.student_rows(assignment),
        rubric=rubric,
        prompt=prompt_html(assignment.prompt),
        kind_labels=KIND_LABELS,
        grade_url=grade_student_url,
        reopen_errors=errors or {},
        reopen_entered=entered or {},
        now=dates.now(),
        to_tokyo=dates.in_tokyo,
    )
    return html, status


@bp.get("/assignments/<int:assignment_id>/overview")
@login_required
def assignment_overview(assignment_id: int) -> ResponseReturnValue:
    """The teacher's page of an assignment: the prompt and every student's work."""
    assignment = taught_assignment_or_404(assignment_id, current_user)
    return render_overview(assignment)


@bp.post("/assignments/<int:assignment_id>/students/<int:user_id>/reopen")
@login_required
def reopen_submission(assignment_id: int, user_id: int) -> ResponseReturnValue:
    """Let one student (re)submit after the due date until a moment, or close it again."""
    assignment = taught_assignment_or_404(assignment_id, current_user)
    student = class_student_or_404(assignment, user_id)
    form = ReopenForm()
    closing = request.form.get("close") == "1"
    until = None
    if form.validate_on_submit() and not closing:
        if form.until.data is None:
            form.until.errors.append(_("Enter a date and time."))
        else:
            until = dates.tokyo_to_utc(form.until.data)
            if until <= dates.now():
                form.until.errors.append(_("Choose a moment in the future."))
    if form.until.errors:
        message = " ".join(str(e) for e in form.until.errors)
        return render_overview(
            assignment, {user_id: message}, {user_id: request.form.get("until", "")}
        )
    submission = assignments.reopen(assignment, user_id, until, now=dates.now())
    db.session.commit()
    # Under blind grading the name stays hidden here too, until the grade is released.
    grade = submission.grade
    shown = shows_student_name(assignment.blind, grade is not None and grade.released)
    name = student.display_name if shown else _("The student")
    if until is None:
        flash(_("%(name)s can no longer submit after the due date.", name=name), "info")
    else:
        flash(
            _(
                "%(name)s can submit again until %(when)s.",
                name=name,
                when=dates.format_datetime(until),
            ),
            "success",
        )
    return redirect(
        url_for("progress.assignment_overview", assignment_id=assignment.id, _anchor=f"s{user_id}")
    )
