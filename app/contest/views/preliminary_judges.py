"""The preliminary round's pages for judges: the entries of their divisions and the sheets,
blind by default, locked on submit after a confirmation."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import Role
from app.contest import judging as judging_service
from app.contest import preliminary as service
from app.contest import preliminary_judging as judging
from app.contest.forms import score_form
from app.contest.models import Division, Preliminary, PreliminaryEntry
from app.contest.views.common import bp, division_or_404, language
from app.contest.views.preliminary import _preliminary_or_404
from app.core.confirm import Confirmation, ask, confirmed, hidden_fields
from app.core.decorators import roles_required
from app.extensions import db


def _judged(division_id: int) -> tuple[Division, Preliminary]:
    division = division_or_404(division_id)
    if not judging_service.is_assigned(current_user, division):
        abort(403)
    return division, _preliminary_or_404(division)


@bp.get("/judge/divisions/<int:division_id>/preliminary")
@roles_required(Role.JUDGE)
def judge_preliminary(division_id: int) -> ResponseReturnValue:
    """The judge's preliminary: every entry handed in, with the state of their sheet."""
    division, preliminary = _judged(division_id)
    return render_template(
        "contest/judge_preliminary.html",
        division=division,
        preliminary=preliminary,
        entries=judging.judged_entries(preliminary, current_user),
        sheets=judging.judge_sheets(current_user, preliminary),
        scoring_open=judging.scoring_open(preliminary),
        language=language(),
    )


@bp.route("/judge/divisions/<int:division_id>/preliminary/<int:entry_id>", methods=["GET", "POST"])
@roles_required(Role.JUDGE)
def judge_preliminary_sheet(division_id: int, entry_id: int) -> ResponseReturnValue:
    """Score one entry: listen, read, score each criterion; submit locks the sheet."""
    division, preliminary = _judged(division_id)
    entry = next(
        (e for e in judging.judged_entries(preliminary, current_user) if e.id == entry_id), None
    )
    if entry is None:
        abort(404)
    sheet = judging.sheet_of(current_user, entry)
    form = score_form(preliminary.criteria)()
    here = url_for("contest.judge_preliminary_sheet", division_id=division_id, entry_id=entry_id)
    if request.method == "GET" and sheet is not None:
        form.comment.data = sheet.comment
        for score in sheet.scores:
            getattr(form, f"c{score.criterion_id}").data = score.value
    if form.validate_on_submit() and not request.form.get("back"):
        submit = request.form.get("action") == "submit"
        values = {c.id: getattr(form, f"c{c.id}").data for c in preliminary.criteria}
        try:
            if submit and not confirmed():
                judging.check_scores(preliminary, values, submit=True)
                return ask(_submit_confirmation(preliminary, entry, values))
            judging.save_sheet(current_user, entry, values, form.comment.data or "", submit=submit)
        except judging.InvalidScores as invalid:
            db.session.rollback()
            for criterion_id in invalid.problems:
                getattr(form, f"c{criterion_id}").errors.append(_("Please give a score."))
        except judging.SheetLocked:
            db.session.rollback()
            flash(_("This sheet is submitted and locked."), "warning")
            return redirect(here)
        except service.AlreadyPublished:
            db.session.rollback()
            flash(
                _("The finalists are published: the preliminary's scores can't change any more."),
                "warning",
            )
            return redirect(here)
        else:
            db.session.commit()
            if submit:
                flash(_("Submitted. The scores are locked."), "success")
                return redirect(url_for("contest.judge_preliminary", division_id=division_id))
            flash(_("Draft saved."), "success")
            return redirect(here)
    return render_template(
        "contest/judge_preliminary_sheet.html",
        division=division,
        preliminary=preliminary,
        entry=entry,
        version=entry.latest,
        sheet=sheet,
        form=form,
        fields=[(c, getattr(form, f"c{c.id}")) for c in preliminary.criteria],
        language=language(),
    )


def _submit_confirmation(
    preliminary: Preliminary, entry: PreliminaryEntry, values: dict[int, int | None]
) -> Confirmation:
    lang = language()
    names = ["comment", "action", *(f"c{c.id}" for c in preliminary.criteria)]
    total = judging.sheet_total(preliminary, values)
    return Confirmation(
        title=_("Submit the scores of %(number)s?", number=entry.code),
        action=request.path,
        button=_("Submit and lock"),
        cancel_url=request.path,
        cancel_label=_("Back to the sheet"),
        cancel_action=("back", "1"),
        lines=(_("Once submitted, the scores are locked and count in the ranking."),),
        hidden=hidden_fields(names),
        body="contest/_sheet_summary.html",
        context={
            "rows": [
                (c.name(lang), c.weight, values.get(c.id), c.max_score)
                for c in preliminary.criteria
            ],
            "total": f"{float(total):.2f}",
            "comment": request.form.get("comment", "").strip(),
        },
    )
