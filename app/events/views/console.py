"""The organizers' console: events, sessions, roles and shifts, the roster, hours, certificates,
calls to a class, and check-in at the door."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import User
from app.core import dates
from app.core.confirm import Confirmation, ask, confirmed
from app.core.decorators import roles_required
from app.core.i18n import format_number
from app.events import attendance as attendance_service
from app.events import certificates as certificate_service
from app.events import events as events_service
from app.events import volunteers as volunteer_service
from app.events.errors import AlreadySignedUp, NotAttending, ShiftClosed, ShiftFull
from app.events.forms import (
    ActionForm,
    AssignForm,
    CallClassForm,
    EventForm,
    HoursForm,
    RoleForm,
    SessionForm,
    ShiftForm,
    kind_labels,
)
from app.events.models import Attendance, Event, EventSession, Shift, ShiftSignup
from app.events.views.common import ORGANIZERS, bp, event_or_404, language
from app.extensions import db
from app.lessons.models import CourseClass

EVENT_FIELDS = (
    "kind", "title_ja", "title_en", "title_ky", "description_ja", "description_en",
    "description_ky", "withdraw_hours", "contact_email", "published",
)  # fmt: skip


ROLE_FIELDS = ("name_ja", "name_en", "name_ky", "requirements_ja", "requirements_en")


@bp.get("/console/")
@roles_required(*ORGANIZERS)
def console() -> ResponseReturnValue:
    """Every event, latest first, with its seats and open volunteer places."""
    events = events_service.all_events()
    return render_template(
        "events/console.html",
        events=events,
        kinds=kind_labels(),
        open_places=volunteer_service.open_places(events),
        language=language(),
    )


@bp.route("/console/new", methods=["GET", "POST"])
@roles_required(*ORGANIZERS)
def new_event() -> ResponseReturnValue:
    """Write a new event; sessions, roles and shifts are added on its page."""
    form = EventForm()
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in EVENT_FIELDS}
        values["contact_email"] = values["contact_email"] or ""
        event = events_service.create_event(capacity=form.capacity.data, **values)
        db.session.commit()
        flash(_("The event is saved. Now add its sessions."), "success")
        return redirect(url_for("events.manage", event_id=event.id))
    return render_template("events/edit.html", form=form, event=None), 400 if form.errors else 200


@bp.route("/console/<int:event_id>/edit", methods=["GET", "POST"])
@roles_required(*ORGANIZERS)
def edit_event(event_id: int) -> ResponseReturnValue:
    """Change an event; more seats go to the waiting list at once."""
    event = event_or_404(event_id, published_only=False)
    form = EventForm(obj=event)
    if form.validate_on_submit():
        for name in EVENT_FIELDS:
            setattr(event, name, getattr(form, name).data)
        event.contact_email = event.contact_email or ""
        if form.capacity.data != event.capacity:
            attendance_service.set_capacity(event, form.capacity.data)
        db.session.commit()
        flash(_("The event is saved."), "success")
        return redirect(url_for("events.manage", event_id=event.id))
    return render_template("events/edit.html", form=form, event=event), 400 if form.errors else 200


def _manage_page(
    event: Event,
    session_form: SessionForm | None = None,
    role_form: RoleForm | None = None,
    shift_form: ShiftForm | None = None,
) -> str:
    shift_form = shift_form or ShiftForm()
    shift_form.role_id.choices = [(r.id, r.name(language())) for r in event.roles]
    shifts = volunteer_service.event_shifts(event)
    return render_template(
        "events/manage.html",
        event=event,
        kinds=kind_labels(),
        seats=attendance_service.seats(event),
        filled=volunteer_service.filled([s.id for s in shifts]),
        session_form=session_form or SessionForm(),
        role_form=role_form or RoleForm(),
        shift_form=shift_form,
        language=language(),
    )


@bp.get("/console/<int:event_id>")
@roles_required(*ORGANIZERS)
def manage(event_id: int) -> ResponseReturnValue:
    """An event's console page: sessions, seats, volunteer roles and shifts."""
    return _manage_page(event_or_404(event_id, published_only=False))


@bp.post("/console/<int:event_id>/sessions")
@roles_required(*ORGANIZERS)
def add_session(event_id: int) -> ResponseReturnValue:
    event = event_or_404(event_id, published_only=False)
    form = SessionForm()
    if not form.validate_on_submit():
        return _manage_page(event, session_form=form), 400
    events_service.add_session(
        event,
        day=form.day.data,
        starts=form.starts.data,
        ends=form.ends.data,
        venue_name=form.venue_name.data or "",
        venue_address=form.venue_address.data or "",
        map_url=form.map_url.data or "",
    )
    db.session.commit()
    flash(_("The session is added."), "success")
    return redirect(url_for("events.manage", event_id=event.id))


@bp.post("/console/sessions/<int:event_session_id>/remove")
@roles_required(*ORGANIZERS)
def remove_session(event_session_id: int) -> ResponseReturnValue:
    session = db.get_or_404(EventSession, event_session_id)
    event_id = session.event_id
    if not ActionForm().validate_on_submit():
        abort(400)
    if not confirmed():
        return ask(
            Confirmation(
                title=_("Remove this session?"),
                action=url_for("events.remove_session", event_session_id=event_session_id),
                button=_("Remove"),
                cancel_url=url_for("events.manage", event_id=event_id),
                cancel_label=_("Keep it"),
                lines=(f"{dates.format_datetime(session.starts_at)} · {session.venue_name}",),
            )
        )
    events_service.remove_session(session)
    db.session.commit()
    flash(_("The session is removed."), "info")
    return redirect(url_for("events.manage", event_id=event_id))


@bp.post("/console/<int:event_id>/roles")
@roles_required(*ORGANIZERS)
def add_role(event_id: int) -> ResponseReturnValue:
    event = event_or_404(event_id, published_only=False)
    form = RoleForm()
    if not form.validate_on_submit():
        return _manage_page(event, role_form=form), 400
    volunteer_service.add_role(
        event, **{name: (getattr(form, name).data or "") for name in ROLE_FIELDS}
    )
    db.session.commit()
    flash(_("The role is added. Now give it shifts."), "success")
    return redirect(url_for("events.manage", event_id=event.id))


@bp.post("/console/<int:event_id>/shifts")
@roles_required(*ORGANIZERS)
def add_shift(event_id: int) -> ResponseReturnValue:
    event = event_or_404(event_id, published_only=False)
    form = ShiftForm()
    form.role_id.choices = [(r.id, r.name(language())) for r in event.roles]
    if not form.validate_on_submit():
        return _manage_page(event, shift_form=form), 400
    role = next(r for r in event.roles if r.id == form.role_id.data)
    volunteer_service.add_shift(
        role,
        events_service.japan_moment(form.day.data, form.starts.data),
        events_service.japan_moment(form.day.data, form.ends.data),
        form.needed.data or 1,
    )
    db.session.commit()
    flash(_("The shift is added."), "success")
    return redirect(url_for("events.manage", event_id=event.id))


@bp.post("/console/shifts/<int:shift_id>/remove")
@roles_required(*ORGANIZERS)
def remove_shift(shift_id: int) -> ResponseReturnValue:
    shift = db.get_or_404(Shift, shift_id)
    event_id = shift.event_id
    if not ActionForm().validate_on_submit():
        abort(400)
    if not confirmed():
        taken = volunteer_service.filled([shift.id]).get(shift.id, 0)
        return ask(
            Confirmation(
                title=_("Remove this shift?"),
                action=url_for("events.remove_shift", shift_id=shift_id),
                button=_("Remove"),
                cancel_url=url_for("events.manage", event_id=event_id),
                cancel_label=_("Keep it"),
                lines=(
                    f"{shift.role.name(language())} · {dates.format_datetime(shift.starts_at)}",
                    _("%(count)d volunteers are signed up; they are not told automatically.",
                      count=taken),
                ),
            )
        )  # fmt: skip
    events_service.remove_shift(shift)
    db.session.commit()
    flash(_("The shift is removed."), "info")
    return redirect(url_for("events.manage", event_id=event_id))


# --- volunteers on the day --------------------------------------------------------------------


def _roster_page(
    event: Event,
    call_form: CallClassForm | None = None,
    hours: tuple[int, HoursForm] | None = None,
) -> str:
    """The roster; `hours` is a volunteer's hours form that was refused, shown with its error."""
    shifts = volunteer_service.event_shifts(event)
    query = request.args.get("q", "")
    call_form = call_form or CallClassForm()
    call_form.class_id.choices = [(c.id, c.name) for c in volunteer_service.class_choices()]
    assign = AssignForm()
    counts = volunteer_service.filled([s.id for s in shifts])
    gaps = [s for s in shifts if counts.get(s.id, 0) < s.needed]
    assign.shift_id.choices = [
        (s.id, f"{s.role.name(language())} {dates.format_datetime(s.starts_at)}") for s in gaps
    ]
    return render_template(
        "events/roster.html",
        event=event,
        shifts=shifts,
        roster=volunteer_service.roster(event),
        filled=counts,
        hours_form=HoursForm(formdata=None),
        refused_hours=hours,
        action=ActionForm(),
        call_form=call_form,
        assign=assign,
        query=query,
        candidates=volunteer_service.candidates(query) if query.strip() else [],
        certificates=certificate_service.certificates_of_event(event),
        language=language(),
    )


@bp.get("/console/<int:event_id>/roster")
@roles_required(*ORGANIZERS)
def roster(event_id: int) -> ResponseReturnValue:
    """Who is on each shift, check-in and hours; finding volunteers (course students first)."""
    return _roster_page(event_or_404(event_id, published_only=False))


def _signup_or_404(signup_id: int) -> ShiftSignup:
    signup = db.get_or_404(ShiftSignup, signup_id)
    if signup.status != "confirmed":
        abort(404)
    return signup


@bp.post("/console/signups/<int:signup_id>/check-in")
@roles_required(*ORGANIZERS)
def check_in_volunteer(signup_id: int) -> ResponseReturnValue:
    signup = _signup_or_404(signup_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if volunteer_service.check_in(signup, current_user, dates.now()):
        flash(_("Checked in: %(name)s.", name=signup.user.display_name), "success")
    db.session.commit()
    return redirect(url_for("events.roster", event_id=signup.event_id))


@bp.post("/console/signups/<int:signup_id>/hours")
@roles_required(*ORGANIZERS)
def record_hours(signup_id: int) -> ResponseReturnValue:
    """Record the hours a volunteer gave (0.25 to 24)."""
    signup = _signup_or_404(signup_id)
    form = HoursForm()
    if not form.validate_on_submit():
        return _roster_page(signup.shift.event, hours=(signup.id, form)), 400
    minutes = int((form.hours.data or Decimal(0)) * 60)
    volunteer_service.record_minutes(signup, minutes, current_user, dates.now())
    db.session.commit()
    flash(_("%(hours)s hours recorded for %(name)s.", hours=format_number(minutes / 60),
            name=signup.user.display_name), "success")  # fmt: skip
    return redirect(url_for("events.roster", event_id=signup.event_id))


@bp.post("/console/<int:event_id>/assign")
@roles_required(*ORGANIZERS)
def assign(event_id: int) -> ResponseReturnValue:
    """Put a person found by the search on a shift that needs people (they get the e-mail)."""
    event = event_or_404(event_id, published_only=False)
    form = AssignForm()
    form.shift_id.choices = [(s.id, "") for s in volunteer_service.event_shifts(event)]
    if not form.validate_on_submit():
        abort(400)
    shift = db.get_or_404(Shift, form.shift_id.data)
    user = db.get_or_404(User, form.user_id.data)
    try:
        volunteer_service.sign_up(shift, user, dates.now())
    except (ShiftFull, AlreadySignedUp, ShiftClosed):
        db.session.rollback()
        flash(_("That shift cannot take this person (full, begun, or they are already on it)."),
              "warning")  # fmt: skip
    else:
        db.session.commit()
        flash(_("%(name)s is on the shift.", name=user.display_name), "success")
    return redirect(url_for("events.roster", event_id=event_id))


@bp.post("/console/<int:event_id>/call")
@roles_required(*ORGANIZERS)
def call_class(event_id: int) -> ResponseReturnValue:
    """E-mail every student of a class the shifts that still need people."""
    event = event_or_404(event_id, published_only=False)
    form = CallClassForm()
    form.class_id.choices = [(c.id, c.name) for c in volunteer_service.class_choices()]
    if not form.validate_on_submit():
        return _roster_page(event, call_form=form), 400
    course_class = db.get_or_404(CourseClass, form.class_id.data)
    sent = volunteer_service.call_class(event, course_class, form.note.data or "")
    db.session.commit()
    flash(_("Sent to %(count)d students of %(name)s.", count=sent, name=course_class.name),
          "success")  # fmt: skip
    return redirect(url_for("events.roster", event_id=event_id))


@bp.post("/console/<int:event_id>/certificates")
@roles_required(*ORGANIZERS)
def issue_certificates(event_id: int) -> ResponseReturnValue:
    """Issue a certificate of appreciation to every volunteer with recorded hours."""
    event = event_or_404(event_id, published_only=False)
    if not ActionForm().validate_on_submit():
        abort(400)
    issued = certificate_service.issue_all(event, current_user, dates.now())
    db.session.commit()
    if issued:
        flash(_("%(count)d certificates issued; each volunteer can download theirs.",
                count=issued), "success")  # fmt: skip
    else:
        flash(_("Record the volunteers' hours first: certificates show them."), "info")
    return redirect(url_for("events.roster", event_id=event_id))


# --- the public at the door -------------------------------------------------------------------


@bp.get("/console/<int:event_id>/checkin")
@roles_required(*ORGANIZERS)
def checkin(event_id: int) -> ResponseReturnValue:
    """The door: scan QR tickets with the phone's camera, or find a reservation by name."""
    event = event_or_404(event_id, published_only=False)
    query = request.args.get("q", "")
    return render_template(
        "events/checkin.html",
        event=event,
        query=query,
        found=attendance_service.attendances(event, query),
        seats=attendance_service.seats(event),
        form=ActionForm(),
        language=language(),
    )


def _attendance_or_404(ticket: str) -> Attendance:
    attendance = attendance_service.attendance_by_ticket(ticket)
    if attendance is None:
        abort(404)
    return attendance


@bp.get("/console/checkin/<ticket>")
@roles_required(*ORGANIZERS)
def checkin_ticket(ticket: str) -> ResponseReturnValue:
    """What a scanned ticket shows the door: who, and the check-in button."""
    return render_template(
        "events/checkin_ticket.html",
        attendance=_attendance_or_404(ticket),
        form=ActionForm(),
        language=language(),
    )


@bp.post("/console/checkin/<ticket>/arrive")
@roles_required(*ORGANIZERS)
def checkin_arrive(ticket: str) -> ResponseReturnValue:
    """Record arrival; scanning the same ticket again only says when they arrived."""
    attendance = _attendance_or_404(ticket)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        newly = attendance_service.check_in(attendance, current_user, dates.now())
    except NotAttending:
        db.session.rollback()
        flash(_("This reservation is cancelled or on the waiting list."), "warning")
    else:
        db.session.commit()
        if newly:
            flash(_("Checked in: %(name)s.", name=attendance.name), "success")
        else:
            flash(_("%(name)s already checked in at %(time)s.", name=attendance.name,
                    time=dates.format_time(attendance.checked_in_at)), "info")  # fmt: skip
    return redirect(url_for("events.checkin_ticket", ticket=ticket))
