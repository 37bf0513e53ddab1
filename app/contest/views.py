"""Pages of the contest blueprint: the public page, registration, the registrant's page, the console."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from markupsafe import Markup
from sqlalchemy import select

from app.auth import services as accounts
from app.auth.models import Role
from app.contest import exports, services
from app.contest.forms import (
    CapacityForm,
    DetailsForm,
    DivisionForm,
    DivisionMailForm,
    EditionForm,
    RegistrationForm,
    RejectForm,
    affiliation_labels,
    age_group_labels,
    parse_criteria,
    short_status_labels,
    status_labels,
)
from app.contest.models import Criterion, Division, Edition, Registration, Status
from app.core.dbtypes import utcnow
from app.core.decorators import roles_required
from app.core.nav import NavItem, add_nav_item
from app.extensions import db, limiter
from app.lessons.notes import render_notes

bp = Blueprint("contest", __name__)

TOKYO = ZoneInfo("Asia/Tokyo")
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
            db.session.commit()
            if not current_user.is_authenticated:
                login_user(user)
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
        statuses=status_labels(),
        affiliations=affiliation_labels(),
        age_groups=age_group_labels(),
        language=lang,
    )


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


@bp.post("/<int:year>/me/withdraw")
@login_required
def withdraw(year: int) -> ResponseReturnValue:
    """Withdraw (while registration is open, or from a seat offered from the waiting list)."""
    registration = _own_active_registration(year)
    if not (services.can_change(registration, utcnow()) or registration.status == Status.OFFERED):
        abort(403)
    services.withdraw(registration)
    db.session.commit()
    flash(_("You have withdrawn from the contest."), "info")
    return redirect(url_for("contest.my_registration", year=year))


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
        services.registration_search(edition, filters), per_page=PAGE_SIZE, error_out=False
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
    return render_template(
        "contest/edit.html",
        form=form,
        registration=registration,
        console=True,
        reject_form=RejectForm(),
        statuses=status_labels(),
        affiliations=affiliation_labels(),
        age_groups=age_group_labels(),
        position=services.waitlist_position(registration),
    )


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


@bp.get("/console/<int:year>/registrations.csv")
@roles_required(*ORGANIZERS)
def export_csv(year: int) -> ResponseReturnValue:
    edition = _edition_or_404(year, published_only=False)
    return Response(
        exports.csv_bytes(edition),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename=contest-{year}.csv"},
    )


@bp.get("/console/<int:year>/registrations.xlsx")
@roles_required(*ORGANIZERS)
def export_xlsx(year: int) -> ResponseReturnValue:
    edition = _edition_or_404(year, published_only=False)
    return Response(
        exports.xlsx_bytes(edition),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename=contest-{year}.xlsx"},
    )


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
        division.criteria = []
        db.session.flush()  # the old rubric goes before the new one takes its positions
        division.criteria = [
            Criterion(position=i, name_ja=ja, name_en=en, weight=w, max_score=m)
            for i, (ja, en, w, m) in enumerate(parse_criteria(form.criteria.data or ""))
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
