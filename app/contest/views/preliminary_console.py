"""The preliminary round's pages for organizers: settings and rubric, removal, the ranking,
the finalists' choice with its reason, publishing and certificates."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.contest import preliminary as service
from app.contest import preliminary_judging as judging
from app.contest.forms import ActionForm, parse_criteria, scoring_labels
from app.contest.preliminary_forms import PRELIMINARY_RUBRIC, ChoiceForm, PreliminaryForm
from app.contest.views.common import ORGANIZERS, bp, division_or_404, language
from app.contest.views.preliminary import _entry_or_404, _preliminary_or_404
from app.core import dates
from app.core.confirm import Confirmation, ask, confirmed
from app.core.dates import TOKYO
from app.core.decorators import roles_required
from app.core.i18n import localized
from app.extensions import db


def _to_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=TOKYO).astimezone(ZoneInfo("UTC"))


@bp.route("/console/divisions/<int:division_id>/preliminary/settings", methods=["GET", "POST"])
@roles_required(*ORGANIZERS)
def preliminary_settings(division_id: int) -> ResponseReturnValue:
    """Turn the preliminary on for a division, or change its deadline, hand-in and rubric."""
    division = division_or_404(division_id)
    preliminary = service.preliminary_of(division)
    form = PreliminaryForm(obj=preliminary)
    criteria: list[tuple[str, str, int, int, str]] = []
    if request.method == "POST":
        try:
            criteria = parse_criteria(form.criteria.data or "")
        except ValueError:
            criteria = []  # the field's own validator says why
    elif preliminary is not None:
        form.deadline_at.data = preliminary.deadline_at.astimezone(TOKYO).replace(tzinfo=None)
        form.criteria.data = "\n".join(
            f"{c.name_ja} | {c.name_en} | {c.weight} | {c.max_score}"
            + (f" | {c.description}" if c.description else "")
            for c in preliminary.criteria
        )
    else:
        form.criteria.data = PRELIMINARY_RUBRIC
        form.finalists.data = division.capacity or 10
    names = [localized(language(), ja, en) for ja, en, *_rest in criteria] or [
        c.name(language()) for c in (preliminary.criteria if preliminary else [])
    ]
    form.tiebreak_position.choices = [(None, _("None")), *enumerate(names)]
    if form.validate_on_submit():
        if form.finalists.data > division.capacity:
            form.finalists.errors.append(
                _("At most %(n)d: the division's capacity.", n=division.capacity)
            )
        else:
            settings = service.Settings(
                deadline_at=_to_utc(form.deadline_at.data),
                wants_recording=bool(form.wants_recording.data),
                max_minutes=form.max_minutes.data,
                wants_manuscript=bool(form.wants_manuscript.data),
                finalists=form.finalists.data,
                blind=bool(form.blind.data),
                tiebreak_position=form.tiebreak_position.data,
                criteria=criteria,
            )
            try:
                service.configure(division, settings)
            except service.RubricFixed:
                db.session.rollback()
                form.criteria.errors.append(
                    _("Judges have started scoring: the rubric can't change any more.")
                )
            except service.AlreadyPublished:
                db.session.rollback()
                flash(_("The finalists are published: the preliminary is closed."), "warning")
                return redirect(url_for("contest.preliminary_ranking", division_id=division_id))
            else:
                db.session.commit()
                flash(_("The preliminary round has been saved."), "success")
                return redirect(url_for("contest.preliminary_ranking", division_id=division_id))
    return render_template(
        "contest/preliminary_settings.html",
        division=division,
        preliminary=preliminary,
        removable=preliminary is not None and not service.entry_count(preliminary),
        action_form=ActionForm(),
        form=form,
        language=language(),
    )


@bp.post("/console/divisions/<int:division_id>/preliminary/remove")
@roles_required(*ORGANIZERS)
def preliminary_remove(division_id: int) -> ResponseReturnValue:
    """Turn the preliminary off again, while nobody has handed anything in (after a confirmation)."""
    division = division_or_404(division_id)
    preliminary = _preliminary_or_404(division)
    if not ActionForm().validate_on_submit():
        abort(400)
    back = url_for("contest.preliminary_settings", division_id=division_id)
    if not confirmed():
        return ask(
            Confirmation(
                title=_(
                    "Remove the preliminary round of %(division)s?",
                    division=division.name(language()),
                ),
                action=request.path,
                button=_("Remove"),
                cancel_url=back,
                cancel_label=_("Keep it"),
                lines=(
                    _("Registrations waiting for it stay pending: approve them in the console."),
                ),
            )
        )
    try:
        service.turn_off(preliminary)
    except service.HasEntries:
        db.session.rollback()
        flash(_("Entries have been handed in: the preliminary round stays."), "warning")
        return redirect(back)
    db.session.commit()
    flash(_("The preliminary round has been removed."), "success")
    return redirect(url_for("contest.console", year=division.edition.year))


@bp.get("/console/divisions/<int:division_id>/preliminary")
@roles_required(*ORGANIZERS)
def preliminary_ranking(division_id: int) -> ResponseReturnValue:
    """The ranking of the entries, the finalists to be, the log of changes, publishing."""
    division = division_or_404(division_id)
    preliminary = service.preliminary_of(division)
    if preliminary is None:
        return redirect(url_for("contest.preliminary_settings", division_id=division_id))
    return render_template(
        "contest/preliminary_ranking.html",
        division=division,
        preliminary=preliminary,
        ranking=judging.ranking(preliminary),
        choices=judging.choices(preliminary),
        action_form=ActionForm(),
        scoring=scoring_labels(),
        tiebreak=next(
            (c for c in preliminary.criteria if c.position == preliminary.tiebreak_position), None
        ),
        now=dates.now(),
        language=language(),
    )


@bp.route("/console/preliminary/entries/<int:entry_id>/choice", methods=["GET", "POST"])
@roles_required(*ORGANIZERS)
def preliminary_choice(entry_id: int) -> ResponseReturnValue:
    """Make an entry a finalist, or not, against the ranking; the reason is logged."""
    entry = _entry_or_404(entry_id)
    preliminary = entry.preliminary
    finalist = request.values.get("finalist") == "1"
    form = ChoiceForm()
    back = url_for("contest.preliminary_ranking", division_id=preliminary.division_id)
    if form.validate_on_submit():
        try:
            judging.choose(entry, finalist, form.reason.data or "", current_user)
        except service.AlreadyPublished:
            db.session.rollback()
            flash(_("The finalists are published: the preliminary is closed."), "warning")
        else:
            db.session.commit()
            flash(_("The choice for %(code)s has been saved.", code=entry.code), "success")
        return redirect(back)
    return render_template(
        "contest/preliminary_choice.html",
        entry=entry,
        preliminary=preliminary,
        finalist=finalist,
        form=form,
        back=back,
        language=language(),
    )


@bp.post("/console/divisions/<int:division_id>/preliminary/publish")
@roles_required(*ORGANIZERS)
def preliminary_publish(division_id: int) -> ResponseReturnValue:
    """Publish the finalists (after a confirmation): seats for them, a kind e-mail for the rest."""
    division = division_or_404(division_id)
    preliminary = _preliminary_or_404(division)
    back = url_for("contest.preliminary_ranking", division_id=division_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not confirmed():
        finalists = judging.ranking(preliminary).finalists
        return ask(
            Confirmation(
                title=_("Publish %(n)d finalists?", n=len(finalists)),
                action=request.path,
                button=_("Publish"),
                cancel_url=back,
                cancel_label=_("Back to the ranking"),
                lines=(
                    _(
                        "The finalists get a seat in the final and an e-mail; everyone else in the "
                        "division is told kindly that they were not chosen."
                    ),
                    _("This can't be undone: judges can no longer change their scores."),
                ),
            )
        )
    try:
        published = judging.publish(preliminary, current_user)
    except service.AlreadyPublished:
        db.session.rollback()
        flash(_("The finalists were already published."), "info")
    except judging.OverCapacity as over:
        db.session.rollback()
        flash(
            _(
                "%(n)d finalists but only %(capacity)d seats: choose fewer, or raise the capacity.",
                n=over.finalists,
                capacity=over.capacity,
            ),
            "warning",
        )
    except judging.NoFinalists:
        db.session.rollback()
        flash(_("No finalist is chosen yet."), "warning")
    else:
        db.session.commit()
        flash(
            _(
                "Published: %(n)d finalists have their seats; %(m)d others were e-mailed.",
                n=len(published.finalists),
                m=len(published.not_selected),
            ),
            "success",
        )
    return redirect(back)


@bp.post("/console/preliminary/entries/<int:entry_id>/certificate")
@roles_required(*ORGANIZERS)
def preliminary_certificate(entry_id: int) -> ResponseReturnValue:
    """Give an entrant who was not chosen a certificate of taking part in the preliminary."""
    entry = _entry_or_404(entry_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        judging.give_certificate(entry)
    except service.PreliminaryError:
        db.session.rollback()
        abort(404)
    db.session.commit()
    flash(
        _("%(code)s can download a certificate of participation now.", code=entry.code), "success"
    )
    return redirect(
        url_for("contest.preliminary_ranking", division_id=entry.preliminary.division_id)
    )
