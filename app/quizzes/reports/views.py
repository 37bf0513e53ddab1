"""Answer reports: students file them ("my answer should count"), teachers decide."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.models import Role
from app.core import dates
from app.core.decorators import roles_required
from app.core.htmx import is_htmx, vary_on_htmx
from app.core.nav import VIEWER, NavCounts, NavItem, add_nav_item, nav_item
from app.extensions import db
from app.quizzes.models import AnswerReport
from app.quizzes.reports import services as reports
from app.quizzes.reports.forms import ReportForm, ResolveReportForm
from app.quizzes.sessions import services as sessions
from app.quizzes.sessions.views import get_question
from app.quizzes.views import bp, language

OPEN_REPORTS = NavCounts(lambda roles: reports.open_reports_select(roles, VIEWER))


@bp.record_once
def register_report_navigation(state: BlueprintSetupState) -> None:
    add_nav_item(
        state.app,
        NavItem(
            "quizzes.reports",
            lambda: _("Answer reports"),
            roles=frozenset({Role.TEACHER, Role.ADMIN}),
            badge="open_reports",
            counts=OPEN_REPORTS,
            order=25,
        ),
    )


# --- students: reporting ---------------------------------------------------------------------


@bp.post("/<int:session_id>/<int:number>/report")
@login_required
def report_answer(session_id: int, number: int) -> ResponseReturnValue:
    """ "My answer should be accepted": one report per answer; a double click finds the first."""
    question = get_question(session_id, number)
    form = ReportForm()
    if not form.validate_on_submit():
        abort(400)
    back = "results" if request.args.get("back") == "results" else None
    error = None
    created = False
    try:
        result = reports.report_answer(current_user, question, now=dates.now())
        created = result.created
    except reports.NoTeacher:
        error = _("You are not in a class of this course, so no teacher can look at it.")
    except reports.NotReportable:
        abort(400)
    db.session.commit()
    if is_htmx():
        return vary_on_htmx(
            make_response(
                render_template(
                    "quizzes/_report.html",
                    answer=question.answer,
                    report=question.answer.report if question.answer else None,
                    reportable=True,
                    report_form=form,
                    session_id=session_id,
                    number=number,
                    back=back,
                    report_error=error,
                )
            )
        )
    if error:
        flash(error, "error")
    elif created:
        flash(_("Thank you. Your teacher will look at your answer."), "success")
    if back == "results":
        return redirect(url_for("quizzes.results", session_id=session_id))
    return redirect(url_for("quizzes.question", session_id=session_id, number=number))


@bp.get("/reports/mine")
@login_required
def my_reports() -> ResponseReturnValue:
    """The student's reports with the teachers' decisions and replies."""
    return render_template(
        "quizzes/my_reports.html",
        reports=reports.student_reports(current_user),
        language=language(),
    )


# --- teachers: the queue ---------------------------------------------------------------------


def get_report(report_id: int) -> AnswerReport:
    """A report the current teacher may decide; teachers of other courses get 404."""
    report = db.get_or_404(AnswerReport, report_id)
    if not reports.can_resolve(current_user, report):
        abort(404)
    return report


def verdict_message(report: AnswerReport) -> str:
    """The message shown with the verdict the student reported."""
    return sessions.verdict_of(report.answer).render(_)


@bp.get("/reports", endpoint="reports")
@roles_required(Role.TEACHER, Role.ADMIN)
def reports_queue() -> ResponseReturnValue:
    """Open reports of the teacher's students, oldest first, and the latest decisions."""
    queue = reports.open_reports(current_user)
    return render_template(
        "quizzes/reports.html",
        queue=[(report, ResolveReportForm(prefix=f"r{report.id}")) for report in queue],
        resolved=reports.recently_resolved(current_user),
        message=verdict_message,
        language=language(),
    )


@bp.post("/reports/<int:report_id>")
@roles_required(Role.TEACHER, Role.ADMIN)
def resolve_report(report_id: int) -> ResponseReturnValue:
    """Accept the answer or keep the verdict, with an optional reply."""
    report = get_report(report_id)
    form = ResolveReportForm(prefix=f"r{report.id}")
    if not form.validate_on_submit() or not (form.approve.data or form.reject.data):
        flash(_("The reply is too long (at most 500 characters)."), "error")
        return redirect(url_for("quizzes.reports"))
    decide = reports.approve if form.approve.data else reports.reject
    try:
        decide(report, current_user, reply=form.reply.data or "", now=dates.now())
    except reports.AlreadyResolved:
        db.session.rollback()
        report = get_report(report_id)
        message = _("This report was already decided.")
    else:
        db.session.commit()
        if form.approve.data:
            message = _("Accepted: %(answer)s now counts as correct.", answer=report.given)
        else:
            message = _("The verdict stands; the student sees your reply.")
    if is_htmx():  # the decided card, and the navigation's count after the decision
        html = render_template(
            "quizzes/_resolved_report.html", report=report, language=language()
        ) + render_template(
            "core/_nav_entry_oob.html", nav_item=nav_item(current_app, "quizzes.reports")
        )
        return vary_on_htmx(make_response(html))
    flash(message, "success")
    return redirect(url_for("quizzes.reports"))
