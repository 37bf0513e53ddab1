"""The public pages: upcoming and past events, an event's page, reservations and tickets, .ics."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core import dates
from app.core.confirm import Confirmation, ask, confirmed
from app.core.page_cache import cache_for_visitors
from app.core.qr import qr_svg
from app.events import attendance as attendance_service
from app.events import calendar
from app.events import events as events_service
from app.events import volunteers as volunteer_service
from app.events.errors import AlreadyReserved, NotTakingReservations
from app.events.forms import ActionForm, ReserveForm, kind_labels
from app.events.models import Attendance, AttendanceStatus
from app.events.views.common import bp, event_or_404, ics_response, language
from app.extensions import db


@bp.get("/")
@cache_for_visitors
def index() -> ResponseReturnValue:
    """Upcoming events, soonest first, then past ones."""
    upcoming, past = events_service.published_events(dates.now())
    return render_template(
        "events/index.html",
        upcoming=upcoming,
        past=past,
        kinds=kind_labels(),
        language=language(),
    )


def _event_page(event_id: int, form: ReserveForm | None = None) -> str:
    event = event_or_404(event_id)
    now = dates.now()
    shifts = volunteer_service.event_shifts(event)
    mine: set[int] = set()
    if current_user.is_authenticated:
        mine = {s.shift_id for s in volunteer_service.my_signups(current_user)}
    if form is None:
        form = ReserveForm()
        if current_user.is_authenticated:
            form.name.data = current_user.display_name
            form.email.data = current_user.email
    return render_template(
        "events/event.html",
        event=event,
        kinds=kind_labels(),
        seats=attendance_service.seats(event),
        reservations_open=attendance_service.reservations_open(event, now),
        filled=volunteer_service.filled([s.id for s in shifts]),
        mine=mine,
        now=now,
        form=form,
        action=ActionForm(),
        language=language(),
    )


@bp.get("/<int:event_id>")
@cache_for_visitors
def event(event_id: int) -> ResponseReturnValue:
    """An event's page: sessions and venues, seats, volunteer shifts."""
    return _event_page(event_id)


@bp.post("/<int:event_id>/reserve")
def reserve(event_id: int) -> ResponseReturnValue:
    """Reserve a seat (or a place on the waiting list) with a name and an address."""
    event = event_or_404(event_id)
    form = ReserveForm()
    if not form.validate_on_submit():
        return _event_page(event_id, form), 400
    user = current_user if current_user.is_authenticated else None
    try:
        attendance = attendance_service.reserve(
            event,
            name=form.name.data or "",
            email=form.email.data or "",
            language=language(),
            user=user,
            now=dates.now(),
        )
    except NotTakingReservations:
        db.session.rollback()
        flash(_("This event does not take reservations now."), "warning")
        return redirect(url_for("events.event", event_id=event_id))
    except AlreadyReserved:
        db.session.rollback()
        form.email.errors = [_("This address already has a reservation; see the e-mail we sent.")]
        return _event_page(event_id, form), 409
    db.session.commit()
    if attendance.status == AttendanceStatus.CONFIRMED:
        flash(_("Your seat is reserved. We have sent the ticket by e-mail."), "success")
    else:
        flash(_("The event is full: you are on the waiting list. We will write if a seat frees up."),
              "info")  # fmt: skip
    return redirect(url_for("events.ticket", ticket=attendance.ticket_secret))


def _ticket_or_404(ticket: str) -> Attendance:
    attendance = attendance_service.attendance_by_ticket(ticket)
    if attendance is None:
        abort(404)
    return attendance


@bp.get("/tickets/<ticket>")
def ticket(ticket: str) -> ResponseReturnValue:
    """The ticket (its unguessable secret is the key): the QR code shown at the door."""
    attendance = _ticket_or_404(ticket)
    qr = None
    if attendance.status == AttendanceStatus.CONFIRMED:
        qr = qr_svg(url_for("events.checkin_ticket", ticket=ticket, _external=True))
    return render_template("events/ticket.html", attendance=attendance, qr=qr, language=language())


@bp.post("/tickets/<ticket>/cancel")
def cancel(ticket: str) -> ResponseReturnValue:
    """Give up the seat, after a confirmation; the next person waiting gets it."""
    attendance = _ticket_or_404(ticket)
    if not ActionForm().validate_on_submit():
        abort(400)
    if attendance.status == AttendanceStatus.CANCELLED:
        return redirect(url_for("events.ticket", ticket=ticket))
    if not confirmed():
        return ask(
            Confirmation(
                title=_("Cancel this reservation?"),
                action=url_for("events.cancel", ticket=ticket),
                button=_("Cancel the reservation"),
                cancel_url=url_for("events.ticket", ticket=ticket),
                cancel_label=_("Keep it"),
                lines=(_("Your seat goes to the next person waiting; this cannot be undone."),),
            )
        )
    attendance_service.cancel(attendance, dates.now())
    db.session.commit()
    flash(_("Your reservation is cancelled."), "info")
    return redirect(url_for("events.ticket", ticket=ticket))


@bp.get("/<int:event_id>.ics")
def event_ics(event_id: int) -> ResponseReturnValue:
    """The event's sessions for a calendar."""
    event = event_or_404(event_id)
    lang = language()
    data = calendar.events_ics(
        [event],
        name=event.title(lang),
        language=lang,
        url_of={event.id: url_for("events.event", event_id=event.id, _external=True)},
        now=dates.now(),
    )
    return ics_response(data, f"event-{event.id}.ics")


@bp.get("/feed.ics")
def feed() -> ResponseReturnValue:
    """Every published event, upcoming and past, as one calendar to subscribe to."""
    upcoming, past = events_service.published_events(dates.now())
    lang = language()
    events = [*upcoming, *past]
    data = calendar.events_ics(
        events,
        name=_("Embassy of the Kyrgyz Republic: events"),
        language=lang,
        url_of={e.id: url_for("events.event", event_id=e.id, _external=True) for e in events},
        now=dates.now(),
    )
    return ics_response(data, "events.ics")
