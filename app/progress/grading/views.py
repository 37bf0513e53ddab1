"""Grading pages: the teacher's queue, the grading page (a stale save is refused) and the
spoken comment's audio (the student hears it only after release)."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.models import Role
from app.core.decorators import roles_required
from app.core.markdown import render_notes
from app.core.media import NotAudio, delete_audio, send_audio, store_audio
from app.core.nav import VIEWER, NavCounts, NavItem, add_nav_item
from app.extensions import db
from app.lessons.access import teaches
from app.progress import assignments, grading
from app.progress.access import class_student_or_404, submission_or_404, taught_assignment_or_404
from app.progress.blind import blind_number, shows_student_name
from app.progress.grading import (
    FEEDBACK_AUDIO_FOLDER,
    MAX_FEEDBACK_AUDIO_BYTES,
    QueueFilter,
    QueueState,
)
from app.progress.grading.forms import GradeForm, ReleaseForm, grade_form_class, queue_filters
from app.progress.models import Assignment, Grade, GradeState, Submission
from app.progress.views import bp

log = logging.getLogger("sabak.progress")

GRADERS = (Role.TEACHER, Role.ADMIN)


AWAITING = NavCounts(lambda roles: grading.awaiting_select(roles, VIEWER))


@bp.record_once
def register_grading_navigation(state: BlueprintSetupState) -> None:
    add_nav_item(
        state.app,
        NavItem(
            "progress.grading_queue",
            lambda: _("Grading"),
            roles=frozenset({Role.TEACHER}),
            badge="awaiting_grading",
            counts=AWAITING,
            order=22,
        ),
    )


def format_points(value: float | Decimal | None) -> str:
    """Points without useless decimals: 14, 13.5, 13.25."""
    if value is None:
        return "—"
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


@bp.app_template_filter("grade_points")
def grade_points_filter(value: float | Decimal | None) -> str:
    return format_points(value)


def state_labels() -> dict[str, str]:
    return {
        QueueFilter.NEEDS_WORK: _("Needs grading"),
        QueueState.NOT_SUBMITTED: _("Not submitted"),
        QueueState.SUBMITTED: _("Submitted"),
        QueueState.BEING_GRADED: _("Being graded"),
        QueueState.GRADED: _("Graded"),
        QueueState.RELEASED: _("Released"),
        QueueFilter.RESUBMITTED: _("Resubmitted since graded"),
        QueueFilter.ALL: _("All"),
    }


# --- the queue ----------------------------------------------------------------------------------


@bp.get("/grading")
@roles_required(*GRADERS)
def grading_queue() -> ResponseReturnValue:
    """What to grade in the teacher's classes, oldest submission first; filter by class,
    assignment and state."""
    filters = queue_filters(request.args)
    page = grading.grading_queue(current_user, filters)
    choices = grading.filter_choices(current_user)
    release_count = None
    chosen = next((a for a in choices.assignments if a[0] == filters.assignment_id), None)
    if chosen is not None:
        release_count = grading.graded_count(chosen[0])
    return render_template(
        "progress/grading_queue.html",
        page=page,
        filters=filters,
        choices=choices,
        chosen_assignment=chosen,
        release_count=release_count,
        release_form=ReleaseForm(formdata=None),
        state_labels=state_labels(),
        state_filters=grading.STATE_FILTERS,
        queue_url=lambda **changes: queue_url(filters, **changes),
        from_queue=queue_args(filters),
    )


def queue_args(filters: grading.QueueFilters) -> dict[str, Any]:
    """The queue's filters as query-string values: the grading page carries them along, so
    that "Save and next" continues in the queue the teacher came from."""
    values: dict[str, Any] = {
        "class": filters.class_id,
        "assignment": filters.assignment_id,
        "state": filters.state if filters.state != QueueFilter.NEEDS_WORK else None,
    }
    return {k: v for k, v in values.items() if v is not None}


def queue_url(filters: grading.QueueFilters, **changes: Any) -> str:
    """The queue with the current filters and some changed (e.g. another page)."""
    values: dict[str, Any] = {
        **queue_args(filters),
        "page": filters.page if filters.page > 1 else None,
    }
    values.update(changes)
    return url_for("progress.grading_queue", **{k: v for k, v in values.items() if v is not None})


def request_queue_filters() -> grading.QueueFilters:
    """The queue the grading page was opened from (query string, or the form's hidden inputs)."""
    return queue_filters(request.form if request.method == "POST" else request.args)


def next_redirect(submission: Submission) -> ResponseReturnValue:
    """On to the next submission waiting in the teacher's queue, or back to the queue when
    nothing is left there."""
    filters = request_queue_filters()
    following = grading.next_waiting(current_user, filters, submission)
    if following is None:
        flash(_("Nothing else is waiting in this queue: everything is graded."), "success")
        return redirect(queue_url(filters, page=None))
    return redirect(url_for("progress.grade", submission_id=following, **queue_args(filters)))


# --- the grading page ---------------------------------------------------------------------------


def graded_submission_or_404(submission_id: int) -> Submission:
    """A submission of a class the current user teaches, loaded for the grading page."""
    submission = grading.submission_for_grading(submission_id)
    if submission is None or not teaches(current_user, submission.assignment.class_id):
        abort(404)
    return submission


def initial_data(grade: Grade | None) -> dict[str, Any]:
    if grade is None:
        return {}
    data: dict[str, Any] = {
        "feedback": grade.feedback,
        "points": Decimal(format_points(grade.points)) if grade.points is not None else None,
    }
    for criterion_id, level_id in grading.stored_choices(grade).items():
        data[f"criterion_{criterion_id}"] = level_id
    return data


def name_hidden(assignment: Assignment, grade: Grade | None) -> bool:
    """The blind-grading rule for one piece of work (see blind.py)."""
    return not shows_student_name(assignment.blind, grade is not None and grade.released)


def student_label(submission: Submission, grade: Grade | None = None) -> str:
    """The student's name, or their blind number while a blind assignment's grade is unreleased."""
    grade = grade or submission.grade
    if name_hidden(submission.assignment, grade):
        number_in_class = blind_number(submission.assignment, submission.student_id)
        return (
            _("Student %(number)d", number=number_in_class) if number_in_class else _("A student")
        )
    return submission.student.display_name


def render_grade_page(
    submission: Submission,
    form: GradeForm,
    *,
    number: int | None,
    conflict: Grade | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """The grading page: the work on one side, the grade form on the other."""
    assignment = submission.assignment
    grade = conflict or submission.grade
    versions = submission.versions
    version = next((v for v in versions if v.number == number), versions[-1] if versions else None)
    rubric = assignment.rubric if assignment.rubric and assignment.rubric.criteria else None
    score = grading.score_rubric(rubric, form.rubric_choices(rubric)) if rubric else None
    conflict_score = (
        grading.score_rubric(rubric, grading.stored_choices(conflict))
        if rubric and conflict is not None
        else None
    )
    html = render_template(
        "progress/grade.html",
        submission=submission,
        assignment=assignment,
        grade=grade,
        conflict=conflict,
        conflict_score=conflict_score,
        versions=versions,
        version=version,
        student_label=student_label(submission, grade),
        name_hidden=name_hidden(assignment, grade),
        rubric=rubric,
        score=score,
        scaled=(
            grading.scale_points(score.total, score.max_total, assignment.max_points)
            if score is not None
            else None
        ),
        form=form,
        form_version=grade.version if grade is not None else 0,
        prompt_html=render_notes(assignment.prompt, _),
        release_form=ReleaseForm(formdata=None),
        from_queue=queue_args(request_queue_filters()),
        max_audio_bytes=MAX_FEEDBACK_AUDIO_BYTES,
        state_labels=state_labels(),
    )
    return html, status


@bp.get("/grading/assignments/<int:assignment_id>/students/<int:student_id>")
@roles_required(*GRADERS)
def grade_student(assignment_id: int, student_id: int) -> ResponseReturnValue:
    """Grade a student of the class even without a submission (the row is made on demand)."""
    assignment = taught_assignment_or_404(assignment_id, current_user)
    class_student_or_404(assignment, student_id)
    submission = assignments.get_or_create_submission(assignment, student_id)
    db.session.commit()
    return redirect(
        url_for(
            "progress.grade", submission_id=submission.id, **queue_args(request_queue_filters())
        )
    )


@bp.route("/grading/<int:submission_id>", methods=["GET", "POST"])
@roles_required(*GRADERS)
def grade(submission_id: int) -> ResponseReturnValue:
    """Read the work, score the rubric, write feedback; save a draft or the finished grade."""
    submission = graded_submission_or_404(submission_id)
    assignment = submission.assignment
    form_class = grade_form_class(assignment.rubric)
    if request.method == "GET":
        form = form_class(formdata=None, data=initial_data(submission.grade))
        return render_grade_page(submission, form, number=request.args.get("v", type=int))

    form = form_class()
    expected = request.form.get("version", type=int)
    number = request.form.get("graded_version", type=int)
    if expected is None:
        abort(400)
    if number not in {v.number for v in submission.versions}:
        number = None  # the latest
    if not form.validate_on_submit():
        return render_grade_page(submission, form, number=number)
    stored = None
    upload = form.feedback_audio.data
    if upload and getattr(upload, "filename", ""):
        try:
            stored = store_audio(
                upload.stream.read(MAX_FEEDBACK_AUDIO_BYTES + 1),
                max_bytes=MAX_FEEDBACK_AUDIO_BYTES,
                folder=FEEDBACK_AUDIO_FOLDER,
            )
        except NotAudio:
            form.feedback_audio.errors.append(
                _(
                    "Please choose an audio file (WAV, MP3, M4A, Ogg, WebM or FLAC) of at most "
                    "%(mb)d MB.",
                    mb=MAX_FEEDBACK_AUDIO_BYTES // (1024 * 1024),
                )
            )
            return render_grade_page(submission, form, number=number)
    data = grading.GradeInput(
        finished=bool(form.save_graded.data or form.save_next.data),
        levels=form.rubric_choices(assignment.rubric) if assignment.rubric else {},
        points=round(float(form.points.data), 2) if form.points.data is not None else None,
        feedback=form.feedback.data or "",
        graded_version=number,
        new_audio=(stored[0], stored[1].mimetype) if stored else None,
        remove_audio=bool(form.remove_audio.data),
    )
    try:
        saved = grading.save_grade(submission, current_user, expected, data)
    except grading.StaleGrade:
        newer = grading.current_grade(submission.id)
        repeated = grading.is_repeated_save(submission, newer, current_user, data)
        discard_feedback_audio(stored[0] if stored else None)
        if repeated and newer is not None:  # a double click: the first click saved it all
            return saved_redirect(submission, newer, number)
        return render_grade_page(submission, form, number=number, conflict=newer, status=409)
    except grading.IncompleteGrade as error:
        discard_feedback_audio(stored[0] if stored else None)
        for criterion_id in error.missing_criteria:
            form.criterion_field(criterion_id).errors = [_("Choose a level.")]
        if error.points_missing:
            form.points.errors = [_("Enter the points.")]
        return render_grade_page(submission, form, number=number)
    except grading.PointsOutOfRange:
        discard_feedback_audio(stored[0] if stored else None)
        form.points.errors = [_("Enter points from 0 to %(max)d.", max=assignment.max_points)]
        return render_grade_page(submission, form, number=number)
    try:
        db.session.commit()
    except Exception:
        discard_feedback_audio(stored[0] if stored else None)
        raise
    discard_feedback_audio(saved.replaced_audio)
    return saved_redirect(submission, saved.grade, number)


def saved_redirect(submission: Submission, grade: Grade, number: int | None) -> ResponseReturnValue:
    """Back to the grading page with the message of a successful save ("Save and next": on to
    the queue's next submission)."""
    if grade.released:
        flash(_("Saved. The student sees the change."), "success")
    elif grade.state == GradeState.GRADED:
        flash(_("Saved as graded. Release it when you are ready."), "success")
    else:
        flash(_("Draft saved."), "success")
    if "save_next" in request.form:
        return next_redirect(submission)
    return redirect(
        url_for(
            "progress.grade",
            submission_id=submission.id,
            v=number,
            **queue_args(request_queue_filters()),
        )
    )


def discard_feedback_audio(name: str | None) -> None:
    """Delete a spoken comment nobody refers to (after the commit, or after a refused save)."""
    delete_audio(name, FEEDBACK_AUDIO_FOLDER)


# --- the spoken comment ---------------------------------------------------------------------------


@bp.get("/grading/<int:submission_id>/feedback-audio")
@login_required
def feedback_audio(submission_id: int) -> ResponseReturnValue:
    """The teacher's spoken comment: for the class's teachers, and for the student once released."""
    submission = submission_or_404(submission_id, current_user)
    grade = submission.grade
    if grade is None or not grade.feedback_audio_file:
        abort(404)
    if not grade.released and not teaches(current_user, submission.assignment.class_id):
        abort(404)  # the student hears it once the grade is released
    response = send_audio(
        grade.feedback_audio_file,
        FEEDBACK_AUDIO_FOLDER,
        grade.feedback_audio_mimetype,
        cache_control="private, no-cache",
    )
    if response is None:
        log.error("spoken comment %s of grade %s is missing", grade.feedback_audio_file, grade.id)
        abort(404)
    return response
