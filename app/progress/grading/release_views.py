"""Releasing grades: one student's, or every graded grade of an assignment at once (both ask
first; a released grade can't be taken back)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.core.confirm import Confirmation, ask, confirmed, hidden_fields
from app.core.decorators import roles_required
from app.extensions import db
from app.progress import grading
from app.progress.access import taught_assignment_or_404
from app.progress.grading import QueueState
from app.progress.grading.forms import ReleaseForm
from app.progress.grading.views import (
    GRADERS,
    format_points,
    graded_submission_or_404,
    next_redirect,
    queue_args,
    request_queue_filters,
    student_label,
)
from app.progress.models import GradeState
from app.progress.views import bp


@bp.route("/grading/<int:submission_id>/release", methods=["GET", "POST"])
@roles_required(*GRADERS)
def release_grade(submission_id: int) -> ResponseReturnValue:
    """Show one graded grade to its student and e-mail them (once, however often clicked);
    "Release and next" then opens the next submission waiting in the teacher's queue."""
    submission = graded_submission_or_404(submission_id)
    grade = submission.grade
    then_next = request.form.get("then") == "next"
    back = url_for(
        "progress.grade", submission_id=submission.id, **queue_args(request_queue_filters())
    )
    if not confirmed():
        if grade is None or grade.state != GradeState.GRADED:
            if grade is not None and grade.released:
                flash(_("This grade has been released already."), "info")
            else:
                flash(_("Only a finished grade can be released: save it as graded first."), "error")
            return redirect(back)
        return ask(
            Confirmation(
                title=_("Release the grade?"),
                action=url_for("progress.release_grade", submission_id=submission.id),
                button=_("Release and open the next") if then_next else _("Release to the student"),
                hidden=hidden_fields(("then", "class", "assignment", "state")),
                cancel_url=back,
                cancel_label=_("Not yet"),
                lines=(
                    _(
                        "%(student)s sees the grade (%(points)s of %(max)d points) and your "
                        "feedback at once, and gets an e-mail.",
                        student=student_label(submission),
                        points=format_points(grade.points),
                        max=submission.assignment.max_points,
                    ),
                    _("A released grade can't be taken back; later changes show at once."),
                ),
            )
        )
    if not ReleaseForm().validate_on_submit():
        abort(400)
    try:
        grading.release_grade(submission)
    except grading.NotGraded:
        flash(_("Only a finished grade can be released: save it as graded first."), "error")
    except grading.AlreadyReleased:
        flash(_("This grade has been released already."), "info")
    else:
        db.session.commit()
        flash(_("Released. The student has been sent an e-mail."), "success")
        if then_next:
            return next_redirect(submission)
    return redirect(back)


@bp.route("/assignments/<int:assignment_id>/release", methods=["GET", "POST"])
@roles_required(*GRADERS)
def release_all(assignment_id: int) -> ResponseReturnValue:
    """Release every graded grade of an assignment at once."""
    assignment = taught_assignment_or_404(assignment_id, current_user)
    waiting = grading.graded_count(assignment.id)
    queue = url_for("progress.grading_queue", assignment=assignment.id)
    if not confirmed():
        if not waiting:
            flash(_("There were no graded grades to release."), "info")
            return redirect(queue)
        return ask(
            Confirmation(
                title=ngettext(
                    "Release %(num)d grade of “%(title)s”?",
                    "Release %(num)d grades of “%(title)s”?",
                    waiting,
                    title=assignment.title,
                ),
                action=url_for("progress.release_all", assignment_id=assignment.id),
                button=_("Release them all"),
                cancel_url=queue,
                cancel_label=_("Not yet"),
                lines=(
                    _(
                        "Each student sees their grade and your feedback at once, and gets an e-mail."
                    ),
                    _("Released grades can't be taken back; later changes show at once."),
                ),
            )
        )
    if not ReleaseForm().validate_on_submit():
        abort(400)
    count = grading.release_assignment(assignment)
    db.session.commit()
    if count:
        flash(
            ngettext(
                "Released %(num)d grade. The student has been sent an e-mail.",
                "Released %(num)d grades. Each student has been sent an e-mail.",
                count,
            ),
            "success",
        )
    else:
        flash(_("There were no graded grades to release."), "info")
    return redirect(
        url_for("progress.grading_queue", assignment=assignment.id, state=QueueState.RELEASED)
    )
