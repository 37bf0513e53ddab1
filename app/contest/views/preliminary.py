"""The preliminary round's pages for registrants (their entry, its recordings, their certificate)
and what the judges' and organizers' pages share; those are in `preliminary_judges.py` and
`preliminary_console.py` (services: `preliminary.py`, `preliminary_judging.py`)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from app.auth.models import Role
from app.contest import certificates as certificates_service
from app.contest import judging as judging_service
from app.contest import preliminary as service
from app.contest import registration as registration_service
from app.contest.models import Division, Preliminary, PreliminaryEntry, Registration
from app.contest.preliminary_forms import EntryForm
from app.contest.views.certificates import pdf_response
from app.contest.views.common import bp, edition_or_404, language
from app.core import dates
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
