"""Judging, the judge's side: assigned divisions, score sheets and conflicts of interest."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import Role
from app.contest import judging as judging_service
from app.contest import preliminary as preliminary_service
from app.contest.forms import ActionForm, ConflictForm, score_form
from app.contest.judging import CANDIDATE_STATUSES
from app.contest.models import Division, Registration, Status
from app.contest.views import sheets
from app.contest.views.common import bp, division_or_404, language
from app.core.confirm import ask, confirmed
from app.core.decorators import roles_required
from app.extensions import db


def _judged_division(division_id: int) -> Division:
    """A division the signed-in judge is assigned to (403 otherwise)."""
    division = division_or_404(division_id)
    if not judging_service.is_assigned(current_user, division):
        abort(403)
    return division


def _judged_contestant(division: Division, registration_id: int) -> Registration:
    """A contestant of the division the judge may see: never a conflicted one (404)."""
    registration = db.get_or_404(Registration, registration_id)
    if registration.division_id != division.id or registration.checked_in_at is None:
        abort(404)
    if registration.status != Status.CONFIRMED:
        abort(404)
    if registration.id in judging_service.conflicted_ids(current_user, division):
        abort(404)
    return registration


@bp.get("/judge/")
@roles_required(Role.JUDGE)
def judge_home() -> ResponseReturnValue:
    """The divisions the judge scores."""
    divisions = judging_service.assigned_divisions(current_user)
    return render_template(
        "contest/judge_home.html",
        divisions=divisions,
        preliminaries=preliminary_service.preliminaries_by_division([d.id for d in divisions]),
        language=language(),
    )


@bp.get("/judge/divisions/<int:division_id>")
@roles_required(Role.JUDGE)
def judge_division(division_id: int) -> ResponseReturnValue:
    """The judge console: the division in speaking order, each with the judge's sheet state."""
    division = _judged_division(division_id)
    conflicted = judging_service.conflicted_ids(current_user, division)
    people = [r for r in judging_service.contestants(division) if r.id not in conflicted]
    return render_template(
        "contest/judge_division.html",
        division=division,
        people=people,
        sheets=judging_service.judge_sheets(current_user, division),
        conflicts=len(conflicted),
        language=language(),
    )


@bp.route(
    "/judge/divisions/<int:division_id>/registrations/<int:registration_id>",
    methods=["GET", "POST"],
)
@roles_required(Role.JUDGE)
def judge_sheet(division_id: int, registration_id: int) -> ResponseReturnValue:
    """Score one contestant: each criterion, a comment; save a draft or submit (locks it)."""
    division = _judged_division(division_id)
    registration = _judged_contestant(division, registration_id)
    sheet = judging_service.sheet_of(current_user, registration)
    form = score_form(division.criteria)()
    sheets.prefill(form, sheet)
    here = url_for("contest.judge_sheet", division_id=division_id, registration_id=registration_id)
    if request.method == "POST" and sheet is not None and sheet.submitted:
        flash(_("This sheet is submitted and locked; ask an organizer to reopen it."), "warning")
        return redirect(here)
    if form.validate_on_submit() and not sheets.going_back():
        submit = sheets.wants_submit()
        values = sheets.values(form, division.criteria)
        try:
            if submit and not confirmed():
                judging_service.check_scores(division, values, submit=True)
                return ask(
                    sheets.submit_confirmation(
                        registration.participant_number or "",
                        division.criteria,
                        values,
                        judging_service.sheet_total(division, values),
                        _(
                            "Once submitted, the scores are locked: only an organizer can reopen"
                            " the sheet."
                        ),
                    )
                )
            judging_service.save_sheet(
                current_user, registration, values, form.comment.data or "", submit=submit
            )
        except judging_service.InvalidScores as invalid:
            db.session.rollback()
            sheets.show_problems(form, invalid.problems)
        except judging_service.SheetLocked:
            db.session.rollback()
            flash(
                _("This sheet is submitted and locked; ask an organizer to reopen it."), "warning"
            )
        else:
            db.session.commit()
            if submit:
                flash(_("Submitted. The scores are locked."), "success")
                return redirect(url_for("contest.judge_division", division_id=division_id))
            flash(_("Draft saved."), "success")
            return redirect(here)
    return render_template(
        "contest/judge_sheet.html",
        division=division,
        registration=registration,
        sheet=sheet,
        form=form,
        fields=sheets.fields(form, division.criteria),
        language=language(),
    )


@bp.get("/judge/divisions/<int:division_id>/conflicts")
@roles_required(Role.JUDGE)
def judge_conflicts(division_id: int) -> ResponseReturnValue:
    """Declare conflicts of interest: names only, by furigana, with no numbers or order."""
    division = _judged_division(division_id)
    return render_template(
        "contest/judge_conflicts.html",
        division=division,
        people=judging_service.conflict_candidates(division),
        conflicted=judging_service.conflicted_ids(current_user, division),
        form=ConflictForm(),
        language=language(),
    )


def _conflict_candidate(division: Division, registration_id: int) -> Registration:
    registration = db.get_or_404(Registration, registration_id)
    if registration.division_id != division.id or registration.status not in CANDIDATE_STATUSES:
        abort(404)
    return registration


@bp.post("/judge/divisions/<int:division_id>/conflicts/<int:registration_id>")
@roles_required(Role.JUDGE)
def declare_conflict(division_id: int, registration_id: int) -> ResponseReturnValue:
    division = _judged_division(division_id)
    registration = _conflict_candidate(division, registration_id)
    form = ConflictForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        judging_service.declare_conflict(current_user, registration, form.reason.data or "")
    except judging_service.SheetLocked:
        db.session.rollback()
        flash(_("You have already submitted scores for this person; please ask an organizer."),
              "warning")  # fmt: skip
    else:
        db.session.commit()
        flash(_("Noted. You will not judge this person."), "success")
    return redirect(url_for("contest.judge_conflicts", division_id=division_id))


@bp.post("/judge/divisions/<int:division_id>/conflicts/<int:registration_id>/withdraw")
@roles_required(Role.JUDGE)
def withdraw_conflict(division_id: int, registration_id: int) -> ResponseReturnValue:
    division = _judged_division(division_id)
    registration = _conflict_candidate(division, registration_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    judging_service.withdraw_conflict(current_user, registration)
    db.session.commit()
    flash(_("The conflict has been withdrawn."), "info")
    return redirect(url_for("contest.judge_conflicts", division_id=division_id))
