"""The students' side of assignments: their list, writing or recording the answer, saving
drafts and submitting versions, and the recordings (for their student and the class's
teachers). Everything is loaded through app.progress.access: what a user may not see is a 404.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from app.auth.models import Role
from app.core import dates
from app.core.errors import render_error
from app.core.media import read_upload, send_audio
from app.core.nav import VIEWER, NavCounts, NavItem, add_nav_item
from app.extensions import db
from app.lessons.access import is_enrolled, teaches
from app.progress import assignments, rubrics
from app.progress.access import submission_or_404
from app.progress.assignments import submissions
from app.progress.assignments.forms import KIND_LABELS, SubmissionForm
from app.progress.assignments.views import language, prompt_html
from app.progress.models import Assignment, AssignmentKind, Submission
from app.progress.views import bp

MAX_RECORDING_SECONDS = 300


# --- navigation ------------------------------------------------------------------------------


OPEN_ASSIGNMENTS = NavCounts(lambda roles: assignments.open_unsubmitted_select(VIEWER))


@bp.record_once
def register_assignment_navigation(state: BlueprintSetupState) -> None:
    add_nav_item(
        state.app,
        NavItem(
            "progress.my_assignments",
            lambda: _("Assignments"),
            roles=frozenset({Role.STUDENT}),
            badge="open_assignments",
            counts=OPEN_ASSIGNMENTS,
            order=16,
        ),
    )


@bp.get("/assignments")
@login_required
def my_assignments() -> ResponseReturnValue:
    """The student's assignments in all their classes: open, past and graded."""
    rows = assignments.my_assignments(current_user.id, dates.now())
    sections = {name: [r for r in rows if r.section == name] for name in ("open", "past", "graded")}
    sections["past"].reverse()  # the most recent first
    sections["graded"].sort(key=lambda r: r.released_at or r.assignment.due_at, reverse=True)
    return render_template(
        "progress/my_assignments.html", sections=sections, kind_labels=KIND_LABELS, now=dates.now()
    )


def too_large_message() -> str:
    return _(
        "The file is larger than %(mb)d MB. Please record a shorter answer or save it in a "
        "compressed format (MP3, M4A, Ogg).",
        mb=submissions.MAX_SUBMISSION_BYTES // (1024 * 1024),
    )


def render_assignment_page(
    assignment: Assignment,
    submission: Submission | None,
    form: SubmissionForm,
    status: int = 200,
    refused_text: str | None = None,
) -> ResponseReturnValue:
    """The student's page: the prompt, their draft and versions, and the released grade."""
    current = dates.now()
    window = assignments.submission_window(assignment, submission, current)
    versions = list(reversed(submission.versions)) if submission else []
    latest = versions[0] if versions else None
    unsent_changes = bool(
        submission is not None
        and latest is not None
        and (
            submission.draft_text != latest.text or submission.draft_audio_file != latest.audio_file
        )
    )
    rubric = rubrics.get_rubric(assignment.rubric_id) if assignment.rubric_id else None
    if assignment.kind == AssignmentKind.SPOKEN:
        form.text.label.text = _("Note for your teacher (optional)")
    else:
        form.text.label.text = _("Write in Kyrgyz")
    html = render_template(
        "progress/assignment.html",
        assignment=assignment,
        course_class=assignment.course_class,
        lesson=assignment.lesson,
        submission=submission,
        versions=versions,
        latest=latest,
        unsent_changes=unsent_changes,
        window=window,
        form=form,
        rubric=rubric,
        prompt=prompt_html(assignment.prompt),
        kind_labels=KIND_LABELS,
        max_bytes=submissions.MAX_SUBMISSION_BYTES,
        max_mb=submissions.MAX_SUBMISSION_BYTES // (1024 * 1024),
        max_seconds=MAX_RECORDING_SECONDS,
        too_large=too_large_message(),
        language=language(),
        now=current,
        refused_text=refused_text,
    )
    return html, status


def uploaded_audio(form: SubmissionForm, assignment: Assignment) -> bytes | None:
    """The uploaded recording's bytes (read one past the limit: enough to refuse it)."""
    if assignment.kind != AssignmentKind.SPOKEN or not form.audio.data:
        return None
    return read_upload(form.audio.data, submissions.MAX_SUBMISSION_BYTES)


@bp.route("/assignments/<int:assignment_id>", methods=["GET", "POST"])
@login_required
def assignment(assignment_id: int) -> ResponseReturnValue:
    """Write or record the answer; save a draft or submit a new version."""
    item = db.get_or_404(Assignment, assignment_id)
    if not is_enrolled(current_user, item.class_id):
        if teaches(current_user, item.class_id):  # its teachers see their overview
            return redirect(url_for("progress.assignment_overview", assignment_id=item.id))
        abort(404)
    submission = assignments.own_submission(item.id, current_user.id)
    form = SubmissionForm(data={"text": submission.draft_text if submission else ""})
    if not form.validate_on_submit():
        return render_assignment_page(item, submission, form)
    # The recorder posts only the recording: the note or text stays as it was.
    text = form.text.data if "text" in request.form else None
    try:
        saved = assignments.save_work(
            item,
            current_user.id,
            text=text,
            audio=uploaded_audio(form, item),
            submit_now=request.form.get("intent") == "submit",
            now=dates.now(),
        )
    except assignments.GradingStarted:
        db.session.rollback()
        flash(
            _(
                "Your teacher has started grading your late work, so it can no longer be "
                "replaced. Your submitted versions are kept; what you just wrote is shown below "
                "so that you can copy it. Ask your teacher if you need to submit again."
            ),
            "error",
        )
        submission = assignments.own_submission(item.id, current_user.id)
        return render_assignment_page(item, submission, form, 409, refused_text=text)
    except assignments.SubmissionClosed:
        db.session.rollback()
        flash(
            _(
                "The due date has passed and your work was already submitted, so it can't be "
                "changed. Ask your teacher if you need to submit again."
            ),
            "error",
        )
        return redirect(url_for("progress.assignment", assignment_id=item.id))
    except assignments.AssignmentError as error:
        db.session.rollback()
        if isinstance(error, assignments.AudioTooLarge):
            form.audio.errors.append(too_large_message())
        elif isinstance(error, assignments.NotAnAudioFile):
            form.audio.errors.append(
                _(
                    "This is not an audio file we can play. Please choose a recording in WAV, "
                    "MP3, M4A, Ogg, WebM or FLAC."
                )
            )
        elif item.kind == AssignmentKind.SPOKEN:
            form.audio.errors.append(_("Record or upload your answer first."))
        else:
            form.text.errors.append(_("Write your answer first."))
        return render_assignment_page(item, submission, form)
    try:
        db.session.commit()
    except Exception:
        assignments.discard_audio([saved.stored])
        raise
    assignments.discard_unused_audio([saved.replaced])
    result = saved.result
    if result is None:
        flash(_("Your draft has been saved. It is not submitted yet."), "success")
    elif result.duplicate:
        flash(_("This is already submitted as version %(n)d.", n=result.number), "info")
    elif result.late:
        flash(
            _(
                "Submitted as version %(n)d. It is after the due date, so it is marked late.",
                n=result.number,
            ),
            "warning",
        )
    else:
        flash(
            _("Submitted as version %(n)d. Your teacher can see it now.", n=result.number),
            "success",
        )
    return redirect(url_for("progress.assignment", assignment_id=item.id))


@bp.errorhandler(RequestEntityTooLarge)
def submission_too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """Above the app's request limit a student's upload gets the field error, not a bare 413."""
    assignment_id = (request.view_args or {}).get("assignment_id")
    if request.endpoint != "progress.assignment" or not current_user.is_authenticated:
        return render_error(413)
    item = db.session.get(Assignment, assignment_id)
    if item is None or not is_enrolled(current_user, item.class_id):
        return render_error(413)
    form = SubmissionForm(formdata=None)
    form.audio.errors = [too_large_message()]
    submission = assignments.own_submission(item.id, current_user.id)
    if submission is not None:
        form.text.data = submission.draft_text
    return render_assignment_page(item, submission, form, 413)


@bp.get("/submissions/<int:submission_id>/versions/<int:number>/audio")
@login_required
def submission_audio(submission_id: int, number: int) -> ResponseReturnValue:
    """A submitted recording (number 0: the draft, for its student only)."""
    submission = submission_or_404(submission_id, current_user)
    if number == 0 and submission.student_id != current_user.id:
        abort(404)
    found = assignments.version_audio(submission, number)
    response = send_audio(found[0], assignments.AUDIO_FOLDER, found[1]) if found else None
    if response is None:
        abort(404)
    return response
