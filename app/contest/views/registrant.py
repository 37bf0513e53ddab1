"""The registrant's own pages: the registration and ticket, changing, withdrawing, confirming a seat."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app.contest import preliminary as preliminary_service
from app.contest import registration as registration_service
from app.contest import seats as seats_service
from app.contest.errors import WrongState
from app.contest.forms import DetailsForm, affiliation_labels, age_group_labels, status_labels
from app.contest.models import Edition, Registration, Status
from app.contest.views.common import bp, edition_or_404, expire_holds_lazily, language
from app.core import dates
from app.core.confirm import Confirmation, ask, confirmed
from app.core.dates import TOKYO
from app.core.dbtypes import utcnow
from app.core.qr import qr_svg
from app.extensions import db


@bp.get("/<int:year>/me")
@login_required
def my_registration(year: int) -> ResponseReturnValue:
    """The registrant's own page: status, number, waiting-list position, actions."""
    expire_holds_lazily()
    edition = edition_or_404(year)
    registration = registration_service.registration_of(current_user, edition)
    lang = language()
    preliminary = (
        preliminary_service.preliminary_of(registration.division) if registration else None
    )
    return render_template(
        "contest/me.html",
        preliminary=preliminary,
        entry=preliminary_service.entry_of(registration) if preliminary and registration else None,
        edition=edition,
        registration=registration,
        position=seats_service.waitlist_position(registration) if registration else None,
        can_change=registration is not None
        and registration_service.can_change(registration, utcnow()),
        event_over=edition.event_date < utcnow().astimezone(TOKYO).date(),
        registration_open=edition.registration_open(utcnow()),
        contact=contact_line(edition),
        ticket=_ticket_svg(registration) if registration else None,
        statuses=status_labels(),
        affiliations=affiliation_labels(),
        age_groups=age_group_labels(),
        language=lang,
    )


def _ticket_svg(registration: Registration) -> Markup | None:
    """The QR ticket (inline SVG) holding the check-in URL with the unguessable secret."""
    if registration.status != Status.CONFIRMED:
        return None
    url = url_for("contest.checkin_ticket", secret=registration.ticket_secret, _external=True)
    return qr_svg(url)


def _own_active_registration(year: int) -> Registration:
    edition = edition_or_404(year)
    registration = registration_service.registration_of(current_user, edition)
    if registration is None or not registration.active:
        abort(404)
    return registration


@bp.route("/<int:year>/me/edit", methods=["GET", "POST"])
@login_required
def edit_my_registration(year: int) -> ResponseReturnValue:
    """Edit one's details while registration is open."""
    registration = _own_active_registration(year)
    if not registration_service.can_change(registration, utcnow()):
        flash(
            _("Registration has closed; please contact the organizers to change anything."),
            "warning",
        )
        return redirect(url_for("contest.my_registration", year=year))
    form = DetailsForm()
    if request.method == "GET":
        form.load(registration)
    if form.validate_on_submit():
        details = form.details(
            consent_privacy=registration.consent_privacy,
            consent_photos=registration.consent_photos,
        )
        try:
            registration_service.update_details(registration, details)
        except registration_service.NotEligible as refusal:
            db.session.rollback()
            for name, message in refusal.problems.items():
                target = getattr(form, name, None)
                (target or form.study_years).errors.append(message)
        else:
            db.session.commit()
            flash(_("Your registration has been updated."), "success")
            return redirect(url_for("contest.my_registration", year=year))
    return render_template("contest/edit.html", form=form, registration=registration, console=False)


@bp.route("/<int:year>/me/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(year: int) -> ResponseReturnValue:
    """Withdraw (while registration is open, or from a seat offered from the waiting list)."""
    registration = _own_active_registration(year)
    if not (
        registration_service.can_change(registration, utcnow())
        or registration.status == Status.OFFERED
    ):
        abort(403)
    if not confirmed():
        return ask(_withdraw_confirmation(registration))
    registration_service.withdraw(registration)
    db.session.commit()
    flash(_("You have withdrawn from the contest."), "info")
    return redirect(url_for("contest.my_registration", year=year))


def _withdraw_confirmation(registration: Registration) -> Confirmation:
    """What withdrawing loses, whether one may register again, and whom to ask."""
    edition = registration.edition
    lines = []
    if registration.status == Status.CONFIRMED:
        lines.append(
            _(
                "You give up your seat and your participant number %(number)s; the seat goes "
                "to the next person on the waiting list.",
                number=registration.participant_number,
            )
        )
    elif registration.status == Status.OFFERED:
        lines.append(_("The seat offered to you goes to the next person on the waiting list."))
    elif registration.status == Status.WAITLISTED:
        lines.append(
            _(
                "You give up your place (No. %(position)d) on the waiting list.",
                position=seats_service.waitlist_position(registration) or 0,
            )
        )
    else:
        lines.append(_("Your registration is cancelled before the organizers review it."))
    if edition.registration_open(utcnow()):
        lines.append(
            _(
                "You may register again until %(date)s, but you then join at the "
                "end of the waiting list if the division is full.",
                date=dates.format_datetime(edition.registration_closes_at, label=True),
            )
        )
    else:
        lines.append(_("Registration has closed, so you can't register again."))
    lines.append(contact_line(edition))
    offered = registration.status == Status.OFFERED
    return Confirmation(
        title=_("Decline the seat?") if offered else _("Withdraw from the contest?"),
        action=url_for("contest.withdraw", year=edition.year),
        button=_("Decline the seat") if offered else _("Withdraw"),
        cancel_url=url_for("contest.my_registration", year=edition.year),
        cancel_label=_("Keep my registration"),
        lines=tuple(lines),
    )


def contact_line(edition: Edition) -> str:
    """Whom registrants write to: the edition's contact, or the organizers in general."""
    if edition.contact_email:
        return _(
            "Questions? Please write to %(name)s: %(email)s",
            name=edition.contact_name or _("the organizers"),
            email=edition.contact_email,
        )
    return _("Questions? Please contact the organizers of the contest.")


@bp.post("/<int:year>/me/confirm")
@login_required
def confirm_seat(year: int) -> ResponseReturnValue:
    """Take the seat offered from the waiting list."""
    registration = _own_active_registration(year)
    try:
        registration_service.confirm_offer(registration)
    except registration_service.HoldExpired:
        db.session.commit()
        flash(_("Sorry, the time to confirm this seat has passed."), "warning")
    except WrongState:
        db.session.rollback()
        flash(_("There is no seat waiting for your confirmation."), "info")
    else:
        db.session.commit()
        flash(
            _(
                "Your seat is confirmed. Your participant number is %(number)s.",
                number=registration.participant_number,
            ),
            "success",
        )
    return redirect(url_for("contest.my_registration", year=year))
