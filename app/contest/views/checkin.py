"""Check-in on the contest day: the search, the ticket page, arrival and the gift."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.contest import checkin as checkin_service
from app.contest.errors import WrongState
from app.contest.forms import ActionForm, status_labels
from app.contest.models import Registration
from app.contest.views.common import ORGANIZERS, bp, console_edition, language
from app.core import dates
from app.core.decorators import roles_required
from app.extensions import db


@bp.get("/console/checkin/")
@bp.get("/console/<int:year>/checkin")
@roles_required(*ORGANIZERS)
def checkin(year: int | None = None) -> ResponseReturnValue:
    """The door: scan QR tickets with the camera, or find a person by name, furigana or number."""
    edition = console_edition(year)
    if edition is None:
        abort(404)
    query = request.args.get("q", "")
    found = checkin_service.checkin_search(edition, query)
    return render_template(
        "contest/checkin.html",
        edition=edition,
        query=query,
        found=found,
        form=ActionForm(),
        language=language(),
    )


def _ticket_or_404(secret: str) -> Registration:
    registration = checkin_service.registration_by_ticket(secret)
    if registration is None:
        abort(404)
    return registration


@bp.get("/console/checkin/<secret>")
@roles_required(*ORGANIZERS)
def checkin_ticket(secret: str) -> ResponseReturnValue:
    """What a scanned ticket (or any phone camera opening its URL) shows: who, and the actions."""
    registration = _ticket_or_404(secret)
    return render_template(
        "contest/checkin_ticket.html",
        registration=registration,
        statuses=status_labels(),
        form=ActionForm(),
        language=language(),
    )


@bp.post("/console/checkin/<secret>/arrive")
@roles_required(*ORGANIZERS)
def checkin_arrive(secret: str) -> ResponseReturnValue:
    """Record arrival; scanning the same ticket again only says when they arrived."""
    registration = _ticket_or_404(secret)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        newly = checkin_service.check_in(registration, current_user)
    except WrongState:
        db.session.rollback()
        flash(_("This registration is not confirmed; please check it at the desk."), "warning")
    else:
        db.session.commit()
        time = dates.format_time(registration.checked_in_at)
        if newly:
            flash(_("Checked in: %(name)s.", name=registration.full_name), "success")
        else:
            flash(_("%(name)s already checked in at %(time)s.", name=registration.full_name,
                    time=time), "info")  # fmt: skip
    return redirect(url_for("contest.checkin_ticket", secret=secret))


@bp.post("/console/checkin/<secret>/gift")
@roles_required(*ORGANIZERS)
def checkin_gift(secret: str) -> ResponseReturnValue:
    """Record that the participation gift was handed over (checks in too, if not yet)."""
    registration = _ticket_or_404(secret)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        newly = checkin_service.give_gift(registration, current_user)
    except WrongState:
        db.session.rollback()
        flash(_("This registration is not confirmed; please check it at the desk."), "warning")
    else:
        db.session.commit()
        if newly:
            flash(_("Gift handed over to %(name)s.", name=registration.full_name), "success")
        else:
            flash(_("The gift was already handed over at %(time)s.",
                    time=dates.format_time(registration.gift_given_at)), "info")  # fmt: skip
    return redirect(url_for("contest.checkin_ticket", secret=secret))
