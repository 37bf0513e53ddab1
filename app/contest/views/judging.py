"""Judging, the organizer's side: judges, settings, unlocking sheets, results, prizes and publication."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import User
from app.contest import judging as judging_service
from app.contest import prizes as prizes_service
from app.contest.errors import ResultsPublished, WrongState
from app.contest.forms import (
    ActionForm,
    AssignJudgeForm,
    JudgingSettingsForm,
    UnlockForm,
    scoring_labels,
)
from app.contest.models import PrizeKind, ScoreSheet
from app.contest.views.common import ORGANIZERS, bp, division_or_404, language, prize_labels
from app.core.confirm import Confirmation, ask, confirmed
from app.core.decorators import roles_required
from app.core.inputs import CONTROL, database_int
from app.extensions import db


@bp.get("/console/divisions/<int:division_id>/judging")
@roles_required(*ORGANIZERS)
def judging(division_id: int) -> ResponseReturnValue:
    """Judges of a division, the judging settings, who has submitted what, unlocks."""
    division = division_or_404(division_id)
    state = judging_service.judging(division)
    assign_form = AssignJudgeForm()
    assigned = {j.id for j in state.judges}
    assign_form.judge.choices = [
        (u.id, f"{u.display_name} <{u.email}>")
        for u in judging_service.judge_accounts()
        if u.id not in assigned
    ]
    settings_form = JudgingSettingsForm(obj=division)
    lang = language()
    settings_form.tiebreak_position.choices = [(None, _("None: the median decides"))] + [
        (c.position, c.name(lang)) for c in division.criteria
    ]
    return render_template(
        "contest/judging.html",
        division=division,
        state=state,
        assign_form=assign_form,
        settings_form=settings_form,
        form=ActionForm(),
        logs=judging_service.unlock_logs(division),
        language=lang,
    )


@bp.post("/console/divisions/<int:division_id>/judges")
@roles_required(*ORGANIZERS)
def assign_judge(division_id: int) -> ResponseReturnValue:
    division = division_or_404(division_id)
    form = AssignJudgeForm()
    form.judge.choices = [(u.id, u.email) for u in judging_service.judge_accounts()]
    if form.validate_on_submit():
        judge = db.get_or_404(User, form.judge.data)
        judging_service.assign_judge(division, judge)
        db.session.commit()
        flash(_("%(name)s now judges this division.", name=judge.display_name), "success")
    else:
        flash(_("Please choose an account with the judge role."), "warning")
    return redirect(url_for("contest.judging", division_id=division_id))


@bp.route(
    "/console/divisions/<int:division_id>/judges/<int:user_id>/remove", methods=["GET", "POST"]
)
@roles_required(*ORGANIZERS)
def remove_judge(division_id: int, user_id: int) -> ResponseReturnValue:
    division = division_or_404(division_id)
    judge = db.get_or_404(User, user_id)
    if not confirmed():
        return ask(
            Confirmation(
                title=_("Remove %(name)s from the judges?", name=judge.display_name),
                action=url_for("contest.remove_judge", division_id=division.id, user_id=judge.id),
                button=_("Remove"),
                cancel_url=url_for("contest.judging", division_id=division.id),
                cancel_label=_("Keep them"),
                lines=(
                    _(
                        "Their score sheets stay, but no longer count for the results. You can "
                        "add them again."
                    ),
                ),
            )
        )
    try:
        judging_service.unassign_judge(division, judge)
    except ResultsPublished:
        db.session.rollback()
        flash(_("The results are published; take them down first."), "warning")
    else:
        db.session.commit()
        flash(_("%(name)s no longer judges this division.", name=judge.display_name), "info")
    return redirect(url_for("contest.judging", division_id=division_id))


@bp.post("/console/divisions/<int:division_id>/judging/settings")
@roles_required(*ORGANIZERS)
def judging_settings(division_id: int) -> ResponseReturnValue:
    division = division_or_404(division_id)
    form = JudgingSettingsForm()
    form.tiebreak_position.choices = [(None, "")] + [(c.position, "") for c in division.criteria]
    if not form.validate_on_submit():
        flash(_("Please check the judging settings."), "warning")
    else:
        try:
            judging_service.set_judging(
                division,
                blind=bool(form.blind.data),
                scoring=form.scoring.data or "mean",
                tiebreak_position=form.tiebreak_position.data,
            )
        except judging_service.JudgingStarted:
            db.session.rollback()
            flash(_("Judges have started submitting: the scoring method and the tie-break "
                    "rule are fixed now."), "warning")  # fmt: skip
        else:
            db.session.commit()
            flash(_("The judging settings have been saved."), "success")
    return redirect(url_for("contest.judging", division_id=division_id))


@bp.route("/console/sheets/<int:sheet_id>/unlock", methods=["GET", "POST"])
@roles_required(*ORGANIZERS)
def unlock_sheet(sheet_id: int) -> ResponseReturnValue:
    """Reopen a submitted score sheet, with a reason that is logged."""
    sheet = db.get_or_404(ScoreSheet, sheet_id)
    division = sheet.registration.division
    form = UnlockForm()
    if form.validate_on_submit():
        try:
            judging_service.unlock_sheet(sheet, current_user, form.reason.data or "")
        except (ResultsPublished, WrongState):
            db.session.rollback()
            flash(_("This sheet can't be reopened (not submitted, or results published)."),
                  "warning")  # fmt: skip
        else:
            db.session.commit()
            flash(_("The sheet is open again for its judge."), "success")
        return redirect(url_for("contest.judging", division_id=division.id))
    return render_template(
        "contest/unlock.html", sheet=sheet, division=division, form=form, language=language()
    )


@bp.get("/console/divisions/<int:division_id>/results")
@roles_required(*ORGANIZERS)
def results(division_id: int) -> ResponseReturnValue:
    """The ranking with the tie-break rule, prizes, and publishing."""
    division = division_or_404(division_id)
    state = judging_service.judging(division)
    people = {r.id: r for r in state.contestants}
    prizes = prizes_service.prizes_of(division)
    return render_template(
        "contest/results.html",
        division=division,
        state=state,
        ranking=state.ranking(),
        people=people,
        prizes={(p.registration_id, p.kind): p for p in prizes},
        prize_list=prizes,
        prize_labels=prize_labels(),
        scoring=scoring_labels(),
        form=ActionForm(),
        language=language(),
    )


@bp.post("/console/divisions/<int:division_id>/prizes")
@roles_required(*ORGANIZERS)
def set_prizes(division_id: int) -> ResponseReturnValue:
    """Save the prizes: a place per contestant (at most one each of 1st–3rd) and special prizes."""
    division = division_or_404(division_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    awards: list[tuple[int, str, str]] = []
    try:
        for key, value in request.form.items():
            if key.startswith("place-") and value:
                awards.append((database_int(key.removeprefix("place-")), value, ""))
            if key.startswith("special-") and value.strip():
                # a name typed in a plain field of this page: control characters dropped here
                name = CONTROL.sub("", value)
                awards.append((database_int(key.removeprefix("special-")), PrizeKind.SPECIAL, name))
        prizes_service.set_prizes(division, awards)
    except ResultsPublished:
        db.session.rollback()
        flash(_("The results are published; take them down first."), "warning")
    except (WrongState, ValueError):
        db.session.rollback()
        flash(_("Each of 1st, 2nd and 3rd prize can go to one person only."), "warning")
    else:
        db.session.commit()
        flash(_("The prizes have been saved."), "success")
    return redirect(url_for("contest.results", division_id=division_id))


@bp.post("/console/divisions/<int:division_id>/publish")
@roles_required(*ORGANIZERS)
def publish(division_id: int) -> ResponseReturnValue:
    division = division_or_404(division_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        prizes_service.publish_results(division)
    except prizes_service.ResultsIncomplete as incomplete:
        db.session.rollback()
        flash(_("Results can be published once every judge has submitted every contestant "
                "(%(count)d sheets missing).", count=incomplete.missing), "warning")  # fmt: skip
    else:
        db.session.commit()
        flash(_("The results are published on the contest page."), "success")
    return redirect(url_for("contest.results", division_id=division_id))


@bp.post("/console/divisions/<int:division_id>/unpublish")
@roles_required(*ORGANIZERS)
def unpublish(division_id: int) -> ResponseReturnValue:
    division = division_or_404(division_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    prizes_service.unpublish_results(division)
    db.session.commit()
    flash(_("The results have been taken down."), "info")
    return redirect(url_for("contest.results", division_id=division_id))
