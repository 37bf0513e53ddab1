"""Pages of the contest blueprint: the public page, registration, the registrant's page, the console."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

import segno
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from app.auth import services as accounts
from app.auth.models import Role, User
from app.auth.signin import sign_in
from app.contest import exports, services
from app.contest.forms import (
    ActionForm,
    AssignJudgeForm,
    CapacityForm,
    ConflictForm,
    DetailsForm,
    DivisionForm,
    DivisionMailForm,
    EditionForm,
    JudgingSettingsForm,
    MoveForm,
    RegistrationForm,
    RejectForm,
    UnlockForm,
    affiliation_labels,
    age_group_labels,
    parse_criteria,
    score_form,
    scoring_labels,
    short_status_labels,
    status_labels,
)
from app.contest.models import (
    Criterion,
    Division,
    Edition,
    PrizeKind,
    Registration,
    ScoreSheet,
    Status,
)
from app.core.confirm import Confirmation, ask, confirmed, hidden_fields
from app.core.dates import TOKYO
from app.core.dbtypes import utcnow
from app.core.decorators import roles_required
from app.core.exports import download
from app.core.inputs import CONTROL, database_int, page_number
from app.core.markdown import render_notes
from app.core.nav import NavItem, add_nav_item
from app.extensions import db, limiter
from app.privacy import services as privacy

bp = Blueprint("contest", __name__)

ORGANIZERS = (Role.ORGANIZER, Role.ADMIN)
PAGE_SIZE = 50


@bp.record_once
def register_navigation(state: BlueprintSetupState) -> None:
    add_nav_item(state.app, NavItem("contest.index", lambda: _("Contest"), public=True, order=60))
    add_nav_item(
        state.app,
        NavItem(
            "contest.console",
            lambda: _("Contest console"),
            roles=frozenset(ORGANIZERS),
            order=70,
        ),
    )
    add_nav_item(
        state.app,
        NavItem(
            "contest.judge_home", lambda: _("Judging"), roles=frozenset({Role.JUDGE}), order=75
        ),
    )


def language() -> str:
    locale = get_locale()
    return locale.language if locale else "ja"


@lru_cache(maxsize=64)
def _rules_html(text: str, locale: str) -> Markup:
    return render_notes(text, _)


def expire_holds_lazily() -> None:
    """Holds that ran out pass their seat on as soon as anyone looks (the CLI does it too)."""
    if services.expire_holds():
        db.session.commit()


@bp.app_template_filter("tokyo")
def tokyo_time(value: datetime | None) -> str:
    """A UTC moment as Japan time, e.g. 2027-05-31 23:59."""
    if value is None:
        return "—"
    return value.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M")


def _edition_or_404(year: int, *, published_only: bool = True) -> Edition:
    edition = services.edition_by_year(year, published_only=published_only)
    if edition is None:
        abort(404)
    return edition


# --- public -----------------------------------------------------------------------------------


@bp.get("/")
def index() -> ResponseReturnValue:
    """The current edition: divisions with seats left, rules, dates; past editions."""
    expire_holds_lazily()
    edition = services.current_edition()
    return _edition_page(edition)


@bp.get("/<int:year>/")
def edition(year: int) -> ResponseReturnValue:
    """Any published edition, past ones included."""
    expire_holds_lazily()
    return _edition_page(_edition_or_404(year))


def _edition_page(edition: Edition | None) -> ResponseReturnValue:
    past = db.session.execute(
        select(Edition.year, Edition.title_ja, Edition.title_en)
        .where(Edition.published.is_(True))
        .order_by(Edition.year.desc())
    ).all()
    mine = None
    if edition is not None and current_user.is_authenticated:
        mine = services.registration_of(current_user, edition)
    lang = language()
    return render_template(
        "contest/index.html",
        edition=edition,
        counts=services.division_counts(edition) if edition else {},
        rules=_rules_html(edition.rules(lang), lang) if edition else "",
        editions=past,
        prizes=services.published_prizes(edition) if edition else {},
        prize_labels=prize_labels(),
        scoring=scoring_labels(),
        mine=mine,
        now=utcnow(),
        language=lang,
    )


@bp.route("/<int:year>/register", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"], scope="contest-register")
def register(year: int) -> ResponseReturnValue:
    """Registration: sign in first, or create an account in the same form."""
    edition = _edition_or_404(year)
    now = utcnow()
    if current_user.is_authenticated:
        mine = services.registration_of(current_user, edition)
        if mine is not None and mine.active:
            flash(_("You are already registered for this contest."), "info")
            return redirect(url_for("contest.my_registration", year=year))
    if not edition.registration_open(now):
        flash(_("Registration for this contest is not open."), "warning")
        return redirect(url_for("contest.edition", year=year))
    form = RegistrationForm()
    if current_user.is_authenticated:
        form.for_signed_in_user()
        if request.method == "GET":
            form.full_name.data = current_user.display_name
            form.furigana.data = current_user.name_katakana
    lang = language()
    form.division.choices = [(d.id, d.name(lang)) for d in edition.divisions]
    existing = None
    if form.validate_on_submit():
        division = next(d for d in edition.divisions if d.id == form.division.data)
        details = form.details()
        user = current_user if current_user.is_authenticated else None
        email = user.email if user else (form.email.data or "")
        try:
            services.check_can_register(edition, division, email, details, now)
            if user is None:
                if accounts.get_user_by_email(email) is not None:
                    raise accounts.EmailTaken(email)
                user = accounts.create_user(
                    email=email,
                    password=form.password.data or "",
                    display_name=details.full_name,
                    name_katakana=details.furigana,
                    language=lang,
                )
            registration = services.register(
                edition, division, user, details, language=lang, now=now
            )
            privacy.record_consent(user, f"contest-{edition.year}")
        except accounts.EmailTaken:
            db.session.rollback()
            form.email.errors.append(
                _(
                    "An account with this e-mail address already exists. Please sign in first; "
                    "your registration will use that account."
                )
            )
        except services.NotEligible as refusal:
            db.session.rollback()
            for name, message in refusal.problems.items():
                getattr(form, name).errors.append(message)
        except services.AlreadyRegistered as already:
            db.session.rollback()
            existing = already.registration
        except services.RegistrationClosed:
            db.session.rollback()
            flash(_("Registration for this contest has closed."), "warning")
            return redirect(url_for("contest.edition", year=year))
        else:
            if not current_user.is_authenticated:
                sign_in(user)
            db.session.commit()
            flash(_registered_message(registration), "success")
            return redirect(url_for("contest.my_registration", year=year))
    counts = services.division_counts(edition)
    return render_template(
        "contest/register.html",
        edition=edition,
        form=form,
        counts=counts,
        existing=existing,
        language=lang,
    )


def _registered_message(registration: Registration) -> str:
    if registration.status == Status.CONFIRMED:
        return _(
            "Thank you for registering. Your participant number is %(number)s.",
            number=registration.participant_number,
        )
    if registration.status == Status.WAITLISTED:
        return _("The division is full, so you are on its waiting list. We will e-mail you.")
    return _("Thank you. The organizers will review your registration and e-mail you.")


@bp.get("/<int:year>/me")
@login_required
def my_registration(year: int) -> ResponseReturnValue:
    """The registrant's own page: status, number, waiting-list position, actions."""
    expire_holds_lazily()
    edition = _edition_or_404(year)
    registration = services.registration_of(current_user, edition)
    lang = language()
    return render_template(
        "contest/me.html",
        edition=edition,
        registration=registration,
        position=services.waitlist_position(registration) if registration else None,
        can_change=registration is not None and services.can_change(registration, utcnow()),
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
    svg = segno.make(url, error="m").svg_inline(scale=5, svgclass="qr-ticket", omitsize=True)
    return Markup(svg)  # segno escapes the URL it draws; the markup is its own


def _own_active_registration(year: int) -> Registration:
    edition = _edition_or_404(year)
    registration = services.registration_of(current_user, edition)
    if registration is None or not registration.active:
        abort(404)
    return registration


@bp.route("/<int:year>/me/edit", methods=["GET", "POST"])
@login_required
def edit_my_registration(year: int) -> ResponseReturnValue:
    """Edit one's details while registration is open."""
    registration = _own_active_registration(year)
    if not services.can_change(registration, utcnow()):
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
            services.update_details(registration, details)
        except services.NotEligible as refusal:
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
    if not (services.can_change(registration, utcnow()) or registration.status == Status.OFFERED):
        abort(403)
    if not confirmed():
        return ask(_withdraw_confirmation(registration))
    services.withdraw(registration)
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
                position=services.waitlist_position(registration) or 0,
            )
        )
    else:
        lines.append(_("Your registration is cancelled before the organizers review it."))
    if edition.registration_open(utcnow()):
        lines.append(
            _(
                "You may register again until %(date)s (Japan time), but you then join at the "
                "end of the waiting list if the division is full.",
                date=tokyo_time(edition.registration_closes_at),
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
        services.confirm_offer(registration)
    except services.HoldExpired:
        db.session.commit()
        flash(_("Sorry, the time to confirm this seat has passed."), "warning")
    except services.WrongState:
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


# --- organizer console ------------------------------------------------------------------------


def _console_edition(year: int | None) -> Edition | None:
    if year is None:
        return db.session.scalar(select(Edition).order_by(Edition.year.desc()).limit(1))
    return _edition_or_404(year, published_only=False)


@bp.get("/console/")
@bp.get("/console/<int:year>/")
@roles_required(*ORGANIZERS)
def console(year: int | None = None) -> ResponseReturnValue:
    """Counts per division and state; the list with search and filters; the actions."""
    expire_holds_lazily()
    edition = _console_edition(year)
    editions = db.session.scalars(select(Edition.year).order_by(Edition.year.desc())).all()
    if edition is None:
        return render_template("contest/console.html", edition=None, editions=editions)
    edition = _edition_or_404(edition.year, published_only=False)
    filters = services.RegistrationFilter(
        query=request.args.get("q", ""),
        division_id=request.args.get("division", type=int),
        status=request.args.get("status", ""),
    )
    page = db.paginate(
        services.registration_search(edition, filters),
        page=page_number(),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    return render_template(
        "contest/console.html",
        edition=edition,
        editions=editions,
        counts=services.division_counts(edition),
        page=page,
        filters=filters,
        positions=services.waitlist_positions(edition),
        statuses=status_labels(),
        short_statuses=short_status_labels(),
        capacity_form=CapacityForm(),
        reject_form=RejectForm(),
        reminders=services.reminder_counts(edition),
        event_over=services.event_over(edition, utcnow()),
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
            services.update_details(
                registration,
                form.details(
                    consent_privacy=registration.consent_privacy,
                    consent_photos=registration.consent_photos,
                ),
            )
        except services.NotEligible as refusal:
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
        position=services.waitlist_position(registration),
    )


def _move_form(registration: Registration) -> MoveForm:
    """The other divisions of the edition, each with its seats left."""
    form = MoveForm()
    lang = language()
    counts = services.division_counts(registration.edition)
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
            moved = services.move_registration(
                registration, target, override_eligibility=bool(form.override_eligibility.data)
            )
        except services.NotEligible as refusal:
            db.session.rollback()
            problems = list(refusal.problems.values())
            problems.append(_("Tick the box below to move the registration all the same."))
            form.division.errors = problems
        except services.JudgingStarted:
            db.session.rollback()
            flash(_("Judging has begun in one of these divisions, so registrations can no "
                    "longer move between them."), "warning")  # fmt: skip
            return redirect(back)
        except services.WrongState:
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


def _moved_message(moved: services.Move) -> str:
    registration = moved.registration
    lang = language()
    division = registration.division.name(lang)
    if registration.status == Status.CONFIRMED:
        message = _("Moved to %(division)s with the number %(number)s.", division=division,
                    number=registration.participant_number)  # fmt: skip
    elif registration.status == Status.WAITLISTED:
        message = _("Moved to %(division)s: it is full, so the registration is number "
                    "%(position)d on its waiting list.", division=division,
                    position=services.waitlist_position(registration) or 0)  # fmt: skip
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
        services.approve(registration)
    except services.WrongState:
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
        services.reject(registration, form.reason.data or "")
    except services.WrongState:
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


def _division_or_404(division_id: int) -> Division:
    return db.get_or_404(Division, division_id)


@bp.post("/console/divisions/<int:division_id>/capacity")
@roles_required(*ORGANIZERS)
def set_capacity(division_id: int) -> ResponseReturnValue:
    """Raise or lower a division's capacity; raising offers seats to the waiting list."""
    division = _division_or_404(division_id)
    form = CapacityForm()
    if form.validate_on_submit() and form.capacity.data is not None:
        promoted = services.set_capacity(division, form.capacity.data)
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
    division = _division_or_404(division_id)
    drawn = services.draw_speaking_order(division)
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
    division = _division_or_404(division_id)
    form = DivisionMailForm()
    if form.validate_on_submit():
        count = services.email_division(
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
    edition = _edition_or_404(year, published_only=False)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        count = services.send_reminders(edition)
    except services.EventOver:
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
    edition = _edition_or_404(year, published_only=False)
    return download(exports.csv_bytes(edition), f"contest-{year}.csv")


@bp.get("/console/<int:year>/registrations.xlsx")
@roles_required(*ORGANIZERS)
def export_xlsx(year: int) -> ResponseReturnValue:
    edition = _edition_or_404(year, published_only=False)
    return download(exports.xlsx_bytes(edition), f"contest-{year}.xlsx")


@bp.get("/console/<int:year>/print")
@roles_required(*ORGANIZERS)
def print_list(year: int) -> ResponseReturnValue:
    """A printable list of confirmed participants per division, in speaking order."""
    edition = _edition_or_404(year, published_only=False)
    by_division = exports.participants_by_division(edition)
    return render_template(
        "contest/print.html", edition=edition, by_division=by_division, language=language()
    )


# --- editions and divisions -------------------------------------------------------------------


def _to_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=TOKYO).astimezone(ZoneInfo("UTC"))


def _to_tokyo_naive(value: datetime) -> datetime:
    return value.astimezone(TOKYO).replace(tzinfo=None)


@bp.route("/console/editions/new", methods=["GET", "POST"])
@bp.route("/console/<int:year>/settings", methods=["GET", "POST"])
@roles_required(*ORGANIZERS)
def edit_edition(year: int | None = None) -> ResponseReturnValue:
    """Create an edition or change its titles, dates, venue and rules."""
    edition = _edition_or_404(year, published_only=False) if year is not None else None
    form = EditionForm(obj=edition)
    if request.method == "GET" and edition is not None:
        form.registration_opens_at.data = _to_tokyo_naive(edition.registration_opens_at)
        form.registration_closes_at.data = _to_tokyo_naive(edition.registration_closes_at)
    if form.validate_on_submit():
        clash = db.session.scalar(select(Edition).where(Edition.year == form.year.data))
        if clash is not None and clash is not edition:
            form.year.errors.append(_("There is already an edition for this year."))
        else:
            if edition is None:
                edition = Edition()
                db.session.add(edition)
            form.populate_obj(edition)
            edition.title_ky = edition.title_ky or ""
            edition.contact_name = (edition.contact_name or "").strip()
            edition.contact_email = (edition.contact_email or "").strip()
            edition.registration_opens_at = _to_utc(form.registration_opens_at.data)
            edition.registration_closes_at = _to_utc(form.registration_closes_at.data)
            db.session.commit()
            flash(_("The edition has been saved."), "success")
            return redirect(url_for("contest.console", year=edition.year))
    return render_template("contest/edition_form.html", form=form, edition=edition)


def _months(years: Decimal | None) -> int | None:
    return None if years is None else round(Decimal(years) * 12)


@bp.route("/console/<int:year>/divisions/new", methods=["GET", "POST"])
@bp.route("/console/divisions/<int:division_id>/edit", methods=["GET", "POST"])
@roles_required(*ORGANIZERS)
def edit_division(year: int | None = None, division_id: int | None = None) -> ResponseReturnValue:
    """Create or change a division: eligibility, capacity, time limit, rubric."""
    division = _division_or_404(division_id) if division_id is not None else None
    edition = division.edition if division else _edition_or_404(year or 0, published_only=False)
    form = DivisionForm(obj=division)
    if request.method == "GET" and division is not None:
        form.speech_minutes.data = Decimal(division.speech_seconds) / 60
        form.min_study_years.data = _years(division.min_study_months)
        form.max_study_years.data = _years(division.max_study_months)
        form.criteria.data = "\n".join(
            f"{c.name_ja} | {c.name_en} | {c.weight} | {c.max_score}" for c in division.criteria
        )
    if form.validate_on_submit():
        capacity = form.capacity.data or 0
        if division is None:
            division = Division(edition=edition, capacity=capacity)
            db.session.add(division)
        for name in ("slug", "letter", "name_ja", "name_en", "description_ja", "description_en",
                     "requires_moderation", "bar_native_speakers", "require_japanese_citizenship",
                     "bar_past_first_prize", "max_months_in_kyrgyzstan"):  # fmt: skip
            setattr(division, name, getattr(form, name).data)
        division.name_ky = form.name_ky.data or ""
        division.description_ja = division.description_ja or ""
        division.description_en = division.description_en or ""
        division.position = form.position.data or 0
        division.speech_seconds = int(Decimal(form.speech_minutes.data or 0) * 60)
        division.min_study_months = _months(form.min_study_years.data)
        division.max_study_months = _months(form.max_study_years.data)
        rubric = parse_criteria(form.criteria.data or "")
        current = [(c.name_ja, c.name_en, c.weight, c.max_score) for c in division.criteria]
        if rubric != current and division.id is not None and services.has_scores(division):
            db.session.rollback()
            flash(_("Judges have already scored this division, so its rubric can't change."),
                  "warning")  # fmt: skip
            return redirect(url_for("contest.edit_division", division_id=division_id))
        if rubric != current:
            division.criteria = []
            db.session.flush()  # the old rubric goes before the new one takes its positions
            division.criteria = [
                Criterion(position=i, name_ja=ja, name_en=en, weight=w, max_score=m)
                for i, (ja, en, w, m) in enumerate(rubric)
            ]
            db.session.flush()
        if division.capacity != capacity:
            services.set_capacity(division, capacity)
        db.session.commit()
        flash(_("The division has been saved."), "success")
        return redirect(url_for("contest.console", year=edition.year))
    return render_template(
        "contest/division_form.html", form=form, division=division, edition=edition
    )


def _years(months: int | None) -> Decimal | None:
    return None if months is None else Decimal(months) / 12


# --- check-in ---------------------------------------------------------------------------------


def prize_labels() -> dict[str, str]:
    return {
        PrizeKind.FIRST: _("1st prize"),
        PrizeKind.SECOND: _("2nd prize"),
        PrizeKind.THIRD: _("3rd prize"),
        PrizeKind.SPECIAL: _("Special prize"),
    }


@bp.app_template_filter("tokyo_hm")
def tokyo_hour_minute(value: datetime | None) -> str:
    """A UTC moment as the Japan time of day, e.g. 10:02."""
    return "—" if value is None else value.astimezone(TOKYO).strftime("%H:%M")


@bp.get("/console/checkin/")
@bp.get("/console/<int:year>/checkin")
@roles_required(*ORGANIZERS)
def checkin(year: int | None = None) -> ResponseReturnValue:
    """The door: scan QR tickets with the camera, or find a person by name, furigana or number."""
    edition = _console_edition(year)
    if edition is None:
        abort(404)
    query = request.args.get("q", "")
    found = services.checkin_search(edition, query)
    return render_template(
        "contest/checkin.html",
        edition=edition,
        query=query,
        found=found,
        form=ActionForm(),
        language=language(),
    )


def _ticket_or_404(secret: str) -> Registration:
    registration = services.registration_by_ticket(secret)
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
        newly = services.check_in(registration, current_user)
    except services.WrongState:
        db.session.rollback()
        flash(_("This registration is not confirmed; please check it at the desk."), "warning")
    else:
        db.session.commit()
        time = tokyo_hour_minute(registration.checked_in_at)
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
        newly = services.give_gift(registration, current_user)
    except services.WrongState:
        db.session.rollback()
        flash(_("This registration is not confirmed; please check it at the desk."), "warning")
    else:
        db.session.commit()
        if newly:
            flash(_("Gift handed over to %(name)s.", name=registration.full_name), "success")
        else:
            flash(_("The gift was already handed over at %(time)s.",
                    time=tokyo_hour_minute(registration.gift_given_at)), "info")  # fmt: skip
    return redirect(url_for("contest.checkin_ticket", secret=secret))


# --- judging: the organizer's side ------------------------------------------------------------


@bp.get("/console/divisions/<int:division_id>/judging")
@roles_required(*ORGANIZERS)
def judging(division_id: int) -> ResponseReturnValue:
    """Judges of a division, the judging settings, who has submitted what, unlocks."""
    division = _division_or_404(division_id)
    state = services.judging(division)
    assign_form = AssignJudgeForm()
    assigned = {j.id for j in state.judges}
    assign_form.judge.choices = [
        (u.id, f"{u.display_name} <{u.email}>")
        for u in services.judge_accounts()
        if u.id not in assigned
    ]
    settings_form = JudgingSettingsForm(obj=division)
    lang = language()
    settings_form.tiebreak_position.choices = [(None, _("None: the median decides"))] + [
        (c.position, c.name(lang)) for c in division.criteria
    ]
    return render_template(
        "contest/judging.html",
        division=division,
        state=state,
        assign_form=assign_form,
        settings_form=settings_form,
        form=ActionForm(),
        logs=services.unlock_logs(division),
        language=lang,
    )


@bp.post("/console/divisions/<int:division_id>/judges")
@roles_required(*ORGANIZERS)
def assign_judge(division_id: int) -> ResponseReturnValue:
    division = _division_or_404(division_id)
    form = AssignJudgeForm()
    form.judge.choices = [(u.id, u.email) for u in services.judge_accounts()]
    if form.validate_on_submit():
        judge = db.get_or_404(User, form.judge.data)
        services.assign_judge(division, judge)
        db.session.commit()
        flash(_("%(name)s now judges this division.", name=judge.display_name), "success")
    else:
        flash(_("Please choose an account with the judge role."), "warning")
    return redirect(url_for("contest.judging", division_id=division_id))


@bp.route(
    "/console/divisions/<int:division_id>/judges/<int:user_id>/remove", methods=["GET", "POST"]
)
@roles_required(*ORGANIZERS)
def remove_judge(division_id: int, user_id: int) -> ResponseReturnValue:
    division = _division_or_404(division_id)
    judge = db.get_or_404(User, user_id)
    if not confirmed():
        return ask(
            Confirmation(
                title=_("Remove %(name)s from the judges?", name=judge.display_name),
                action=url_for("contest.remove_judge", division_id=division.id, user_id=judge.id),
                button=_("Remove"),
                cancel_url=url_for("contest.judging", division_id=division.id),
                cancel_label=_("Keep them"),
                lines=(
                    _(
                        "Their score sheets stay, but no longer count for the results. You can "
                        "add them again."
                    ),
                ),
            )
        )
    try:
        services.unassign_judge(division, judge)
    except services.ResultsPublished:
        db.session.rollback()
        flash(_("The results are published; take them down first."), "warning")
    else:
        db.session.commit()
        flash(_("%(name)s no longer judges this division.", name=judge.display_name), "info")
    return redirect(url_for("contest.judging", division_id=division_id))


@bp.post("/console/divisions/<int:division_id>/judging/settings")
@roles_required(*ORGANIZERS)
def judging_settings(division_id: int) -> ResponseReturnValue:
    division = _division_or_404(division_id)
    form = JudgingSettingsForm()
    form.tiebreak_position.choices = [(None, "")] + [(c.position, "") for c in division.criteria]
    if not form.validate_on_submit():
        flash(_("Please check the judging settings."), "warning")
    else:
        try:
            services.set_judging(
                division,
                blind=bool(form.blind.data),
                scoring=form.scoring.data or "mean",
                tiebreak_position=form.tiebreak_position.data,
            )
        except services.JudgingStarted:
            db.session.rollback()
            flash(_("Judges have started submitting: the scoring method and the tie-break "
                    "rule are fixed now."), "warning")  # fmt: skip
        else:
            db.session.commit()
            flash(_("The judging settings have been saved."), "success")
    return redirect(url_for("contest.judging", division_id=division_id))


@bp.route("/console/sheets/<int:sheet_id>/unlock", methods=["GET", "POST"])
@roles_required(*ORGANIZERS)
def unlock_sheet(sheet_id: int) -> ResponseReturnValue:
    """Reopen a submitted score sheet, with a reason that is logged."""
    sheet = db.get_or_404(ScoreSheet, sheet_id)
    division = sheet.registration.division
    form = UnlockForm()
    if form.validate_on_submit():
        try:
            services.unlock_sheet(sheet, current_user, form.reason.data or "")
        except (services.ResultsPublished, services.WrongState):
            db.session.rollback()
            flash(_("This sheet can't be reopened (not submitted, or results published)."),
                  "warning")  # fmt: skip
        else:
            db.session.commit()
            flash(_("The sheet is open again for its judge."), "success")
        return redirect(url_for("contest.judging", division_id=division.id))
    return render_template(
        "contest/unlock.html", sheet=sheet, division=division, form=form, language=language()
    )


@bp.get("/console/divisions/<int:division_id>/results")
@roles_required(*ORGANIZERS)
def results(division_id: int) -> ResponseReturnValue:
    """The ranking with the tie-break rule, prizes, and publishing."""
    division = _division_or_404(division_id)
    state = services.judging(division)
    people = {r.id: r for r in state.contestants}
    prizes = services.prizes_of(division)
    return render_template(
        "contest/results.html",
        division=division,
        state=state,
        ranking=state.ranking(),
        people=people,
        prizes={(p.registration_id, p.kind): p for p in prizes},
        prize_list=prizes,
        prize_labels=prize_labels(),
        scoring=scoring_labels(),
        form=ActionForm(),
        language=language(),
    )


@bp.post("/console/divisions/<int:division_id>/prizes")
@roles_required(*ORGANIZERS)
def set_prizes(division_id: int) -> ResponseReturnValue:
    """Save the prizes: a place per contestant (at most one each of 1st–3rd) and special prizes."""
    division = _division_or_404(division_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    awards: list[tuple[int, str, str]] = []
    try:
        for key, value in request.form.items():
            if key.startswith("place-") and value:
                awards.append((database_int(key.removeprefix("place-")), value, ""))
            if key.startswith("special-") and value.strip():
                # a name typed in a plain field of this page: control characters dropped here
                name = CONTROL.sub("", value)
                awards.append((database_int(key.removeprefix("special-")), PrizeKind.SPECIAL, name))
        services.set_prizes(division, awards)
    except services.ResultsPublished:
        db.session.rollback()
        flash(_("The results are published; take them down first."), "warning")
    except (services.WrongState, ValueError):
        db.session.rollback()
        flash(_("Each of 1st, 2nd and 3rd prize can go to one person only."), "warning")
    else:
        db.session.commit()
        flash(_("The prizes have been saved."), "success")
    return redirect(url_for("contest.results", division_id=division_id))


@bp.post("/console/divisions/<int:division_id>/publish")
@roles_required(*ORGANIZERS)
def publish(division_id: int) -> ResponseReturnValue:
    division = _division_or_404(division_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.publish_results(division)
    except services.ResultsIncomplete as incomplete:
        db.session.rollback()
        flash(_("Results can be published once every judge has submitted every contestant "
                "(%(count)d sheets missing).", count=incomplete.missing), "warning")  # fmt: skip
    else:
        db.session.commit()
        flash(_("The results are published on the contest page."), "success")
    return redirect(url_for("contest.results", division_id=division_id))


@bp.post("/console/divisions/<int:division_id>/unpublish")
@roles_required(*ORGANIZERS)
def unpublish(division_id: int) -> ResponseReturnValue:
    division = _division_or_404(division_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.unpublish_results(division)
    db.session.commit()
    flash(_("The results have been taken down."), "info")
    return redirect(url_for("contest.results", division_id=division_id))


# --- judging: the judge's side ----------------------------------------------------------------


def _judged_division(division_id: int) -> Division:
    """A division the signed-in judge is assigned to (403 otherwise)."""
    division = _division_or_404(division_id)
    if not services.is_assigned(current_user, division):
        abort(403)
    return division


def _judged_contestant(division: Division, registration_id: int) -> Registration:
    """A contestant of the division the judge may see: never a conflicted one (404)."""
    registration = db.get_or_404(Registration, registration_id)
    if registration.division_id != division.id or registration.checked_in_at is None:
        abort(404)
    if registration.status != Status.CONFIRMED:
        abort(404)
    if registration.id in services.conflicted_ids(current_user, division):
        abort(404)
    return registration


@bp.get("/judge/")
@roles_required(Role.JUDGE)
def judge_home() -> ResponseReturnValue:
    """The divisions the judge scores."""
    return render_template(
        "contest/judge_home.html",
        divisions=services.assigned_divisions(current_user),
        language=language(),
    )


@bp.get("/judge/divisions/<int:division_id>")
@roles_required(Role.JUDGE)
def judge_division(division_id: int) -> ResponseReturnValue:
    """The judge console: the division in speaking order, each with the judge's sheet state."""
    division = _judged_division(division_id)
    conflicted = services.conflicted_ids(current_user, division)
    people = [r for r in services.contestants(division) if r.id not in conflicted]
    return render_template(
        "contest/judge_division.html",
        division=division,
        people=people,
        sheets=services.judge_sheets(current_user, division),
        conflicts=len(conflicted),
        language=language(),
    )


@bp.route(
    "/judge/divisions/<int:division_id>/registrations/<int:registration_id>",
    methods=["GET", "POST"],
)
@roles_required(Role.JUDGE)
def judge_sheet(division_id: int, registration_id: int) -> ResponseReturnValue:
    """Score one contestant: each criterion, a comment; save a draft or submit (locks it)."""
    division = _judged_division(division_id)
    registration = _judged_contestant(division, registration_id)
    sheet = services.sheet_of(current_user, registration)
    form = score_form(division.criteria)()
    if request.method == "GET" and sheet is not None:
        form.comment.data = sheet.comment
        for score in sheet.scores:
            getattr(form, f"c{score.criterion_id}").data = score.value
    if request.method == "POST" and sheet is not None and sheet.submitted:
        flash(_("This sheet is submitted and locked; ask an organizer to reopen it."), "warning")
        return redirect(url_for("contest.judge_sheet", division_id=division_id,
                                registration_id=registration_id))  # fmt: skip
    if form.validate_on_submit() and not request.form.get("back"):
        submit = request.form.get("action") == "submit"
        values = {c.id: getattr(form, f"c{c.id}").data for c in division.criteria}
        try:
            if submit and not confirmed():
                services.check_scores(division, values, submit=True)
                return ask(_submit_confirmation(division, registration, values))
            services.save_sheet(
                current_user, registration, values, form.comment.data or "", submit=submit
            )
        except services.InvalidScores as invalid:
            db.session.rollback()
            for criterion_id in invalid.problems:
                getattr(form, f"c{criterion_id}").errors.append(_("Please give a score."))
        except services.SheetLocked:
            db.session.rollback()
            flash(
                _("This sheet is submitted and locked; ask an organizer to reopen it."), "warning"
            )
        else:
            db.session.commit()
            if submit:
                flash(_("Submitted. The scores are locked."), "success")
                return redirect(url_for("contest.judge_division", division_id=division_id))
            flash(_("Draft saved."), "success")
            return redirect(url_for("contest.judge_sheet", division_id=division_id,
                                    registration_id=registration_id))  # fmt: skip
    return render_template(
        "contest/judge_sheet.html",
        division=division,
        registration=registration,
        sheet=sheet,
        form=form,
        fields=[(c, getattr(form, f"c{c.id}")) for c in division.criteria],
        language=language(),
    )


def _submit_confirmation(
    division: Division, registration: Registration, values: dict[int, int | None]
) -> Confirmation:
    """The sheet as it will be locked: each score, the weighted total, the comment."""
    lang = language()
    names = ["comment", "action", *(f"c{c.id}" for c in division.criteria)]
    total = services.sheet_total(division, values)
    return Confirmation(
        title=_("Submit the scores of %(number)s?", number=registration.participant_number),
        action=request.path,
        button=_("Submit and lock"),
        cancel_url=request.path,
        cancel_label=_("Back to the sheet"),
        cancel_action=("back", "1"),
        lines=(
            _("Once submitted, the scores are locked: only an organizer can reopen the sheet."),
        ),
        hidden=hidden_fields(names),
        body="contest/_sheet_summary.html",
        context={
            "rows": [
                (c.name(lang), c.weight, values.get(c.id), c.max_score) for c in division.criteria
            ],
            "total": f"{float(total):.2f}",
            "comment": request.form.get("comment", "").strip(),
        },
    )


@bp.get("/judge/divisions/<int:division_id>/conflicts")
@roles_required(Role.JUDGE)
def judge_conflicts(division_id: int) -> ResponseReturnValue:
    """Declare conflicts of interest: names only, by furigana, with no numbers or order."""
    division = _judged_division(division_id)
    return render_template(
        "contest/judge_conflicts.html",
        division=division,
        people=services.conflict_candidates(division),
        conflicted=services.conflicted_ids(current_user, division),
        form=ConflictForm(),
        language=language(),
    )


def _conflict_candidate(division: Division, registration_id: int) -> Registration:
    registration = db.get_or_404(Registration, registration_id)
    if registration.division_id != division.id or registration.status != Status.CONFIRMED:
        abort(404)
    return registration


@bp.post("/judge/divisions/<int:division_id>/conflicts/<int:registration_id>")
@roles_required(Role.JUDGE)
def declare_conflict(division_id: int, registration_id: int) -> ResponseReturnValue:
    division = _judged_division(division_id)
    registration = _conflict_candidate(division, registration_id)
    form = ConflictForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.declare_conflict(current_user, registration, form.reason.data or "")
    except services.SheetLocked:
        db.session.rollback()
        flash(_("You have already submitted scores for this person; please ask an organizer."),
              "warning")  # fmt: skip
    else:
        db.session.commit()
        flash(_("Noted. You will not judge this person."), "success")
    return redirect(url_for("contest.judge_conflicts", division_id=division_id))


@bp.post("/judge/divisions/<int:division_id>/conflicts/<int:registration_id>/withdraw")
@roles_required(Role.JUDGE)
def withdraw_conflict(division_id: int, registration_id: int) -> ResponseReturnValue:
    division = _judged_division(division_id)
    registration = _conflict_candidate(division, registration_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.withdraw_conflict(current_user, registration)
    db.session.commit()
    flash(_("The conflict has been withdrawn."), "info")
    return redirect(url_for("contest.judge_conflicts", division_id=division_id))
