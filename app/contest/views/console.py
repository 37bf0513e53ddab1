"""The organizer console: registrations, moderation, moves, capacity, the draw, division mail, exports."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.contest import editions as editions_service
from app.contest import exports
from app.contest import judging as judging_service
from app.contest import notifications as notifications_service
from app.contest import preliminary as preliminary_service
from app.contest import registration as registration_service
from app.contest import seats as seats_service
from app.contest.errors import WrongState
from app.contest.forms import (
    ActionForm,
    CapacityForm,
    DetailsForm,
    DivisionMailForm,
    MoveForm,
    RejectForm,
    affiliation_labels,
    age_group_labels,
    short_status_labels,
    status_labels,
)
from app.contest.models import Division, Edition, Registration, Status
from app.contest.views.common import (
    ORGANIZERS,
    bp,
    console_edition,
    division_or_404,
    edition_or_404,
    expire_holds_lazily,
    language,
)
from app.core.dbtypes import utcnow
from app.core.decorators import roles_required
from app.core.exports import download
from app.core.inputs import page_number
from app.extensions import db

PAGE_SIZE = 50


@bp.get("/console/")
@bp.get("/console/<int:year>/")
@roles_required(*ORGANIZERS)
def console(year: int | None = None) -> ResponseReturnValue:
    """Counts per division and state; the list with search and filters; the actions."""
    expire_holds_lazily()
    edition = console_edition(year)
    editions = db.session.scalars(select(Edition.year).order_by(Edition.year.desc())).all()
    if edition is None:
        return render_template("contest/console.html", edition=None, editions=editions)
    edition = edition_or_404(edition.year, published_only=False)
    filters = registration_service.RegistrationFilter(
        query=request.args.get("q", ""),
        division_id=request.args.get("division", type=int),
        status=request.args.get("status", ""),
    )
    page = db.paginate(
        registration_service.registration_search(edition, filters),
        page=page_number(),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    return render_template(
        "contest/console.html",
        edition=edition,
        editions=editions,
        counts=seats_service.division_counts(edition),
        page=page,
        filters=filters,
        positions=seats_service.waitlist_positions(edition),
        statuses=status_labels(),
        short_statuses=short_status_labels(),
        capacity_form=CapacityForm(),
        reject_form=RejectForm(),
        reminders=notifications_service.reminder_counts(edition),
        preliminaries=preliminary_service.preliminaries_by_division(
            [d.id for d in edition.divisions]
        ),
        event_over=editions_service.event_over(edition, utcnow()),
        language=language(),
    )


def _registration_or_404(registration_id: int) -> Registration:
    return db.get_or_404(Registration, registration_id)


@bp.route("/console/registrations/<int:registration_id>", methods=["GET", "POST"])
@roles_required(*ORGANIZERS)
def console_registration(registration_id: int) -> ResponseReturnValue:
    """One registration: every detail, editing, approve or reject."""
    registration = _registration_or_404(registration_id)
    form = DetailsForm()
    if request.method == "GET":
        form.load(registration)
    if form.validate_on_submit():
        try:
            registration_service.update_details(
                registration,
                form.details(
                    consent_privacy=registration.consent_privacy,
                    consent_photos=registration.consent_photos,
                ),
            )
        except registration_service.NotEligible as refusal:
            db.session.rollback()
            for name, message in refusal.problems.items():
                (getattr(form, name, None) or form.study_years).errors.append(message)
        else:
            db.session.commit()
            flash(_("The registration has been saved."), "success")
            return redirect(
                url_for("contest.console_registration", registration_id=registration_id)
            )
    return _console_registration_page(registration, form, _move_form(registration))


def _console_registration_page(
    registration: Registration, form: DetailsForm, move_form: MoveForm
) -> str:
    return render_template(
        "contest/edit.html",
        form=form,
        registration=registration,
        console=True,
        reject_form=RejectForm(),
        move_form=move_form,
        statuses=status_labels(),
        affiliations=affiliation_labels(),
        age_groups=age_group_labels(),
        position=seats_service.waitlist_position(registration),
    )


def _move_form(registration: Registration) -> MoveForm:
    """The other divisions of the edition, each with its seats left."""
    form = MoveForm()
    lang = language()
    counts = seats_service.division_counts(registration.edition)
    choices = []
    for division in registration.edition.divisions:
        if division.id == registration.division_id:
            continue
        left = counts[division.id].seats_left
        seats = (
            _("%(left)d of %(capacity)d left", left=left, capacity=division.capacity)
            if left
            else _("Full — waiting list open")
        )
        choices.append((division.id, f"{division.letter} · {division.name(lang)} ({seats})"))
    form.division.choices = choices
    return form


@bp.post("/console/registrations/<int:registration_id>/move")
@roles_required(*ORGANIZERS)
def move(registration_id: int) -> ResponseReturnValue:
    """Move a registration to another division: seat or waiting list there, its seat passed on."""
    registration = _registration_or_404(registration_id)
    back = url_for("contest.console_registration", registration_id=registration_id)
    form = _move_form(registration)
    if form.validate_on_submit():
        target = db.get_or_404(Division, form.division.data)
        try:
            moved = registration_service.move_registration(
                registration, target, override_eligibility=bool(form.override_eligibility.data)
            )
        except registration_service.NotEligible as refusal:
            db.session.rollback()
            problems = list(refusal.problems.values())
            problems.append(_("Tick the box below to move the registration all the same."))
            form.division.errors = problems
        except judging_service.JudgingStarted:
            db.session.rollback()
            flash(_("Judging has begun in one of these divisions, so registrations can no "
                    "longer move between them."), "warning")  # fmt: skip
            return redirect(back)
        except WrongState:
            db.session.rollback()
            flash(_("This registration can't be moved (it is no longer active, or it has "
                    "just been moved)."), "warning")  # fmt: skip
            return redirect(back)
        else:
            db.session.commit()
            flash(_moved_message(moved), "success")
            return redirect(back)
    details = DetailsForm(formdata=None)
    details.load(registration)
    return _console_registration_page(registration, details, form)


def _moved_message(moved: registration_service.Move) -> str:
    registration = moved.registration
    lang = language()
    division = registration.division.name(lang)
    if registration.status == Status.CONFIRMED:
        message = _("Moved to %(division)s with the number %(number)s.", division=division,
                    number=registration.participant_number)  # fmt: skip
    elif registration.status == Status.WAITLISTED:
        message = _("Moved to %(division)s: it is full, so the registration is number "
                    "%(position)d on its waiting list.", division=division,
                    position=seats_service.waitlist_position(registration) or 0)  # fmt: skip
    else:
        message = _("Moved to %(division)s, awaiting approval there.", division=division)
    if moved.promoted:
        message += " " + _("The seat it left was offered to %(name)s.",
                           name=", ".join(r.full_name for r in moved.promoted))  # fmt: skip
    return message + " " + _("The registrant has been e-mailed.")


@bp.post("/console/registrations/<int:registration_id>/approve")
@roles_required(*ORGANIZERS)
def approve(registration_id: int) -> ResponseReturnValue:
    registration = _registration_or_404(registration_id)
    try:
        registration_service.approve(registration)
    except registration_service.DecidedByPreliminary:
        db.session.rollback()
        flash(_("This division's seats are given by its preliminary round."), "warning")
    except WrongState:
        db.session.rollback()
        flash(_("This registration is not waiting for approval."), "warning")
    else:
        db.session.commit()
        flash(_("Approved: %(name)s.", name=registration.full_name), "success")
    return redirect(_back(registration))


@bp.post("/console/registrations/<int:registration_id>/reject")
@roles_required(*ORGANIZERS)
def reject(registration_id: int) -> ResponseReturnValue:
    registration = _registration_or_404(registration_id)
    form = RejectForm()
    if not form.validate_on_submit():
        flash(_("Please give a reason; it is sent to the registrant."), "warning")
        return redirect(url_for("contest.console_registration", registration_id=registration_id))
    try:
        registration_service.reject(registration, form.reason.data or "")
    except WrongState:
        db.session.rollback()
        flash(_("This registration is no longer active."), "warning")
    else:
        db.session.commit()
        flash(
            _("Not accepted: %(name)s. The reason was e-mailed.", name=registration.full_name),
            "info",
        )
    return redirect(_back(registration))


def _back(registration: Registration) -> str:
    return url_for("contest.console", year=registration.edition.year, status="pending")


@bp.post("/console/divisions/<int:division_id>/capacity")
@roles_required(*ORGANIZERS)
def set_capacity(division_id: int) -> ResponseReturnValue:
    """Raise or lower a division's capacity; raising offers seats to the waiting list."""
    division = division_or_404(division_id)
    form = CapacityForm()
    if form.validate_on_submit() and form.capacity.data is not None:
        promoted = seats_service.set_capacity(division, form.capacity.data)
        db.session.commit()
        flash(
            _(
                "Capacity is now %(capacity)d; %(count)d offered a seat from the waiting list.",
                capacity=form.capacity.data,
                count=len(promoted),
            ),
            "success",
        )
    else:
        flash(_("Please enter a capacity of 0 or more."), "warning")
    return redirect(url_for("contest.console", year=division.edition.year))


@bp.post("/console/divisions/<int:division_id>/draw")
@roles_required(*ORGANIZERS)
def draw(division_id: int) -> ResponseReturnValue:
    """Draw the speaking order of a division's confirmed participants."""
    division = division_or_404(division_id)
    drawn = registration_service.draw_speaking_order(division)
    db.session.commit()
    flash(
        _("The speaking order has been drawn for %(count)d participants.", count=len(drawn)),
        "success",
    )
    return redirect(url_for("contest.print_list", year=division.edition.year))


@bp.route("/console/divisions/<int:division_id>/mail", methods=["GET", "POST"])
@roles_required(*ORGANIZERS)
def division_mail(division_id: int) -> ResponseReturnValue:
    """E-mail everyone in a division (by state), through the outbox."""
    division = division_or_404(division_id)
    form = DivisionMailForm()
    if form.validate_on_submit():
        count = notifications_service.email_division(
            division, form.subject.data or "", form.body.data or "", form.statuses.data or []
        )
        db.session.commit()
        flash(_("%(count)d messages are on their way.", count=count), "success")
        return redirect(url_for("contest.console", year=division.edition.year))
    return render_template(
        "contest/division_mail.html", division=division, form=form, language=language()
    )


@bp.post("/console/<int:year>/reminders")
@roles_required(*ORGANIZERS)
def send_reminders(year: int) -> ResponseReturnValue:
    """Remind every confirmed participant not yet reminded (a second click sends nothing)."""
    edition = edition_or_404(year, published_only=False)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        count = notifications_service.send_reminders(edition)
    except notifications_service.EventOver:
        db.session.rollback()
        flash(_("The contest is over; no reminders were sent."), "warning")
    else:
        db.session.commit()
        if count:
            flash(ngettext("%(num)d reminder is on its way.",
                           "%(num)d reminders are on their way.", count), "success")  # fmt: skip
        else:
            flash(_("Every confirmed participant has already had a reminder."), "info")
    return redirect(url_for("contest.console", year=year))


@bp.get("/console/<int:year>/registrations.csv")
@roles_required(*ORGANIZERS)
def export_csv(year: int) -> ResponseReturnValue:
    edition = edition_or_404(year, published_only=False)
    return download(exports.csv_bytes(edition), f"contest-{year}.csv")


@bp.get("/console/<int:year>/registrations.xlsx")
@roles_required(*ORGANIZERS)
def export_xlsx(year: int) -> ResponseReturnValue:
    edition = edition_or_404(year, published_only=False)
    return download(exports.xlsx_bytes(edition), f"contest-{year}.xlsx")


@bp.get("/console/<int:year>/print")
@roles_required(*ORGANIZERS)
def print_list(year: int) -> ResponseReturnValue:
    """A printable list of confirmed participants per division, in speaking order."""
    edition = edition_or_404(year, published_only=False)
    by_division = exports.participants_by_division(edition)
    return render_template(
        "contest/print.html", edition=edition, by_division=by_division, language=language()
    )
