"""The preliminary round's pages: the registrant's entry, the judge's sheets, the organizer's
settings, ranking and publishing (services: `preliminary.py`, `preliminary_judging.py`)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from app.auth.models import Role
from app.contest import certificates as certificates_service
from app.contest import judging as judging_service
from app.contest import preliminary as service
from app.contest import preliminary_judging as judging
from app.contest import registration as registration_service
from app.contest.forms import (
    PRELIMINARY_RUBRIC,
    ActionForm,
    ChoiceForm,
    EntryForm,
    PreliminaryForm,
    parse_criteria,
    score_form,
    scoring_labels,
)
from app.contest.models import Division, Preliminary, PreliminaryEntry, Registration
from app.contest.views.certificates import pdf_response
from app.contest.views.common import ORGANIZERS, bp, division_or_404, edition_or_404, language
from app.core import dates
from app.core.confirm import Confirmation, ask, confirmed, hidden_fields
from app.core.dates import TOKYO
from app.core.decorators import roles_required
from app.core.errors import render_error
from app.core.media import read_upload, send_audio
from app.extensions import db


def _preliminary_or_404(division: Division) -> Preliminary:
    preliminary = service.preliminary_of(division)
    if preliminary is None:
        abort(404)
    return preliminary


def _entry_or_404(entry_id: int) -> PreliminaryEntry:
    entry = db.get_or_404(PreliminaryEntry, entry_id)
    return entry


def too_large_message() -> str:
    return _(
        "The file is larger than %(mb)d MB. Please record a shorter speech or save it in a "
        "compressed format (MP3, M4A, Ogg).",
        mb=service.MAX_ENTRY_BYTES // (1024 * 1024),
    )


# --- the registrant -----------------------------------------------------------------------------


def _own_registration(year: int) -> tuple[Registration, Preliminary]:
    edition = edition_or_404(year)
    registration = registration_service.registration_of(current_user, edition)
    if registration is None:
        abort(404)
    preliminary = service.preliminary_of(registration.division)
    if preliminary is None:
        abort(404)
    return registration, preliminary


@bp.route("/<int:year>/me/preliminary", methods=["GET", "POST"])
@login_required
def my_preliminary(year: int) -> ResponseReturnValue:
    """The registrant's entry: record or upload, the manuscript, every version and its state."""
    registration, preliminary = _own_registration(year)
    form = _entry_form(service.entry_of(registration))
    now = dates.now()
    if form.validate_on_submit():
        audio = read_upload(form.audio.data, service.MAX_ENTRY_BYTES) if form.audio.data else None
        # The recorder posts only the recording: the manuscript stays as it was.
        texts = preliminary.wants_manuscript and "manuscript_ky" in request.form
        try:
            handed = service.hand_in(
                registration,
                audio=audio if preliminary.wants_recording else None,
                manuscript_ky=form.manuscript_ky.data if texts else None,
                manuscript_ja=form.manuscript_ja.data if texts else None,
                now=now,
            )
        except service.DeadlinePassed:
            db.session.rollback()
            flash(
                _(
                    "The deadline has passed, so nothing new can be handed in. Everything you "
                    "handed in before the deadline is kept and will be judged."
                ),
                "error",
            )
            return redirect(url_for("contest.my_preliminary", year=year))
        except service.NotEntitled:
            db.session.rollback()
            abort(404)
        except service.PreliminaryError as error:
            db.session.rollback()
            if isinstance(error, service.AudioTooLarge):
                form.audio.errors.append(too_large_message())
            elif isinstance(error, service.NotAnAudioFile):
                form.audio.errors.append(
                    _(
                        "This is not an audio file we can play. Please choose a recording in "
                        "WAV, MP3, M4A, Ogg, WebM or FLAC."
                    )
                )
            else:
                form.audio.errors.append(_("Record or upload your speech first."))
        else:
            try:
                db.session.commit()
            except Exception:
                service.discard_audio([handed.stored])
                raise
            flash(
                _(
                    "Handed in as version %(n)d. You may hand in again until the deadline.",
                    n=handed.version.number,
                ),
                "success",
            )
            return redirect(url_for("contest.my_preliminary", year=year))
    return _entry_page(registration, preliminary, form)


def _entry_form(entry: PreliminaryEntry | None, *, unread: bool = False) -> EntryForm:
    """The hand-in form, its manuscript as last handed in; `unread`: the request's body was
    refused, so the form doesn't look at it."""
    latest = entry.latest if entry else None
    data = {
        "manuscript_ky": latest.manuscript_ky if latest else "",
        "manuscript_ja": latest.manuscript_ja if latest else "",
    }
    return EntryForm(formdata=None, data=data) if unread else EntryForm(data=data)


def _entry_page(
    registration: Registration, preliminary: Preliminary, form: EntryForm, status: int = 200
) -> ResponseReturnValue:
    entry = service.entry_of(registration)
    page = render_template(
        "contest/preliminary_entry.html",
        edition=registration.edition,
        registration=registration,
        preliminary=preliminary,
        entry=entry,
        versions=list(reversed(entry.versions)) if entry else [],
        complete=service.complete(preliminary, entry.latest if entry else None),
        is_open=preliminary.open(dates.now()) and registration.active,
        form=form,
        max_bytes=service.MAX_ENTRY_BYTES,
        max_mb=service.MAX_ENTRY_BYTES // (1024 * 1024),
        too_large=too_large_message(),
        language=language(),
    )
    return page, status


@bp.errorhandler(RequestEntityTooLarge)
def entry_too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """Above the app's request limit a registrant's speech gets the field error, as one under the
    entry's own limit does, not a bare 413 page (the body is refused unread: the manuscript shown
    is the one last handed in)."""
    year = (request.view_args or {}).get("year")
    if request.endpoint != "contest.my_preliminary" or not current_user.is_authenticated:
        return render_error(413)
    registration, preliminary = _own_registration(int(year or 0))
    form = _entry_form(service.entry_of(registration), unread=True)
    form.audio.errors = [too_large_message()]
    return _entry_page(registration, preliminary, form, 413)


def _may_hear(entry: PreliminaryEntry) -> bool:
    """The entrant, an organizer, or a judge of the division without a conflict."""
    if entry.registration.user_id == current_user.id:
        return True
    if current_user.has_role(Role.ORGANIZER) or current_user.has_role(Role.ADMIN):
        return True
    division = entry.registration.division
    return (
        current_user.has_role(Role.JUDGE)
        and judging_service.is_assigned(current_user, division)
        and entry.registration_id not in judging_service.conflicted_ids(current_user, division)
    )


@bp.get("/preliminary/entries/<int:entry_id>/versions/<int:number>/audio")
@login_required
def preliminary_audio(entry_id: int, number: int) -> ResponseReturnValue:
    """A version's recording, for those who may hear it (404 for everyone else)."""
    entry = _entry_or_404(entry_id)
    if not _may_hear(entry):
        abort(404)
    found = service.version_audio(entry, number)
    response = send_audio(found[0], service.AUDIO_FOLDER, found[1]) if found else None
    if response is None:
        abort(404)
    return response


@bp.get("/<int:year>/me/preliminary/certificate.pdf")
@login_required
def my_preliminary_certificate(year: int) -> ResponseReturnValue:
    """The certificate of taking part in the preliminary, once the organizer has given it."""
    registration, _preliminary = _own_registration(year)
    entry = service.entry_of(registration)
    if entry is None or entry.certificate_at is None:
        abort(404)
    data = certificates_service.preliminary_pdf(registration)
    return pdf_response(data, "preliminary-certificate", str(registration.edition.year))


# --- the judge ----------------------------------------------------------------------------------


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


# --- the organizer ------------------------------------------------------------------------------


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
    names = [ja if language() == "ja" else en for ja, en, *_rest in criteria] or [
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
