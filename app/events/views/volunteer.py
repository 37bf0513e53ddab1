"""The volunteer's pages: signing up for a shift, withdrawing, my shifts, my certificates."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core import dates
from app.core.confirm import Confirmation, ask, confirmed
from app.events import calendar
from app.events import certificates as certificate_service
from app.events import volunteers as volunteer_service
from app.events.errors import AlreadySignedUp, ShiftClosed, ShiftFull, TooLateToWithdraw
from app.events.forms import ActionForm
from app.events.models import Shift
from app.events.views.common import (
    bp,
    event_or_404,
    ics_response,
    language,
    pdf_response,
)
from app.extensions import db


def _shift_or_404(shift_id: int) -> Shift:
    shift = db.get_or_404(Shift, shift_id)
    if not shift.event.published:
        abort(404)
    return shift


@bp.post("/shifts/<int:shift_id>/sign-up")
@login_required
def sign_up(shift_id: int) -> ResponseReturnValue:
    """Take a place on a shift while it still needs people."""
    shift = _shift_or_404(shift_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    back = url_for("events.event", event_id=shift.event_id)
    try:
        volunteer_service.sign_up(shift, current_user, dates.now())
    except ShiftFull:
        db.session.rollback()
        flash(_("Sorry, this shift has just been filled. Please choose another."), "warning")
        return redirect(back)
    except AlreadySignedUp:
        db.session.rollback()
        flash(_("You are already on this shift."), "info")
        return redirect(url_for("events.my_shifts"))
    except ShiftClosed:
        db.session.rollback()
        flash(_("This shift has begun; sign-ups are closed."), "warning")
        return redirect(back)
    db.session.commit()
    flash(_("Thank you! You are on the shift; we have sent the details by e-mail."), "success")
    return redirect(url_for("events.my_shifts"))


@bp.post("/shifts/<int:shift_id>/withdraw")
@login_required
def withdraw(shift_id: int) -> ResponseReturnValue:
    """Leave a shift, after a confirmation, until the withdrawal deadline."""
    shift = _shift_or_404(shift_id)
    signup = volunteer_service.signup_of(shift, current_user)
    if signup is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not confirmed():
        return ask(
            Confirmation(
                title=_("Withdraw from this shift?"),
                action=url_for("events.withdraw", shift_id=shift_id),
                button=_("Withdraw"),
                cancel_url=url_for("events.my_shifts"),
                cancel_label=_("Stay on the shift"),
                lines=(
                    _("%(role)s, %(time)s.", role=shift.role.name(language()),
                      time=dates.format_datetime(shift.starts_at, label=True)),
                    _("Your place goes to whoever signs up next."),
                ),
            )
        )  # fmt: skip
    try:
        volunteer_service.withdraw(signup, dates.now())
    except TooLateToWithdraw:
        db.session.rollback()
        flash(_("It is too late to withdraw online; please write to the organizers."), "warning")
        return redirect(url_for("events.my_shifts"))
    db.session.commit()
    flash(_("You have withdrawn from the shift."), "info")
    return redirect(url_for("events.my_shifts"))


@bp.get("/me")
@login_required
def my_shifts() -> ResponseReturnValue:
    """My shifts to come, my events as a volunteer with their hours, and my certificates."""
    now = dates.now()
    signups = volunteer_service.my_signups(current_user)
    return render_template(
        "events/my_shifts.html",
        upcoming=[s for s in signups if s.shift.ends_at > now],
        record=volunteer_service.volunteer_record(current_user),
        certificates=certificate_service.certificates_of(current_user),
        deadline=volunteer_service.withdraw_deadline,
        now=now,
        language=language(),
    )


@bp.get("/me/shifts.ics")
@login_required
def my_shifts_ics() -> ResponseReturnValue:
    """My shifts for my calendar."""
    lang = language()
    data = calendar.shifts_ics(
        volunteer_service.my_signups(current_user),
        name=_("My volunteer shifts"),
        language=lang,
        url=url_for("events.my_shifts", _external=True),
        now=dates.now(),
    )
    return ics_response(data, "my-shifts.ics", private=True)


@bp.get("/<int:event_id>/certificate.pdf")
@login_required
def my_certificate(event_id: int) -> ResponseReturnValue:
    """My certificate of appreciation for an event, once the organizers have issued it."""
    event = event_or_404(event_id, published_only=False)
    certificate = certificate_service.certificate_of(event, current_user)
    if certificate is None:
        abort(404)
    return pdf_response(certificate_service.pdf(certificate), "certificate", "event", str(event.id))
