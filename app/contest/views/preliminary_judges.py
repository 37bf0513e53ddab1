"""The preliminary round's pages for judges: the entries of their divisions and the sheets,
blind by default, locked on submit after a confirmation."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import Role
from app.contest import judging as judging_service
from app.contest import preliminary as service
from app.contest import preliminary_judging as judging
from app.contest.forms import score_form
from app.contest.models import Division, Preliminary
from app.contest.views import sheets
from app.contest.views.common import bp, division_or_404, language
from app.contest.views.preliminary import _preliminary_or_404
from app.core.confirm import ask, confirmed
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
    sheets.prefill(form, sheet)
    if form.validate_on_submit() and not sheets.going_back():
        submit = sheets.wants_submit()
        values = sheets.values(form, preliminary.criteria)
        try:
            if submit and not confirmed():
                judging.check_scores(preliminary, values, submit=True)
                return ask(
                    sheets.submit_confirmation(
                        entry.code,
                        preliminary.criteria,
                        values,
                        judging.sheet_total(preliminary, values),
                        _("Once submitted, the scores are locked and count in the ranking."),
                    )
                )
            judging.save_sheet(current_user, entry, values, form.comment.data or "", submit=submit)
        except judging.InvalidScores as invalid:
            db.session.rollback()
            sheets.show_problems(form, invalid.problems)
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
        fields=sheets.fields(form, preliminary.criteria),
        language=language(),
    )
