"""The public pages: the contest and its editions, and the registration form."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth import services as accounts
from app.auth.signin import sign_in
from app.contest import editions as editions_service
from app.contest import preliminary as preliminary_service
from app.contest import prizes as prizes_service
from app.contest import registration as registration_service
from app.contest import seats as seats_service
from app.contest.forms import RegistrationForm, scoring_labels
from app.contest.models import Edition, Registration, Status
from app.contest.views.common import (
    bp,
    edition_or_404,
    expire_holds_lazily,
    language,
    prize_labels,
    rules_html,
)
from app.core import dates, page_cache
from app.core.calendar import ics_response
from app.core.dbtypes import utcnow
from app.core.page_cache import cache_for_visitors
from app.extensions import db, limiter
from app.privacy import services as privacy


@bp.get("/")
@cache_for_visitors
def index() -> ResponseReturnValue:
    """The current edition: divisions with seats left, rules, dates; past editions."""
    expire_holds_lazily()
    edition = editions_service.current_edition()
    return _edition_page(edition)


@bp.get("/<int:year>/contest.ics")
def edition_ics(year: int) -> ResponseReturnValue:
    """The contest day for a calendar (Google Calendar, the iPhone): date, start, venue."""
    edition = edition_or_404(year)
    lang = language()
    data = editions_service.edition_ics(
        edition,
        language=lang,
        url=url_for("contest.edition", year=year, _external=True),
        now=dates.now(),
    )
    return ics_response(data, f"contest-{year}.ics")


@bp.get("/<int:year>/")
@cache_for_visitors
def edition(year: int) -> ResponseReturnValue:
    """Any published edition, past ones included."""
    expire_holds_lazily()
    return _edition_page(edition_or_404(year))


def _edition_page(edition: Edition | None) -> ResponseReturnValue:
    if page_cache.drawing_for_cache():  # the seats shown change when a hold runs out
        page_cache.keep_until(seats_service.next_hold_expiry())
    # 「これまでの大会」: published editions already held, except the one on this page
    held = select(Edition.year, Edition.title_ja, Edition.title_en).where(
        Edition.published.is_(True), Edition.event_date < dates.now().astimezone(dates.TOKYO).date()
    )
    if edition is not None:
        held = held.where(Edition.id != edition.id)
    past = db.session.execute(held.order_by(Edition.year.desc())).all()
    mine = None
    if edition is not None and current_user.is_authenticated:
        mine = registration_service.registration_of(current_user, edition)
    lang = language()
    return render_template(
        "contest/index.html",
        edition=edition,
        counts=seats_service.division_counts(edition) if edition else {},
        rules=rules_html(edition.rules(lang), lang) if edition else "",
        editions=past,
        prizes=prizes_service.published_prizes(edition) if edition else {},
        prize_labels=prize_labels(),
        scoring=scoring_labels(),
        preliminaries=preliminary_service.preliminaries_by_division(
            [d.id for d in edition.divisions] if edition else []
        ),
        mine=mine,
        now=utcnow(),
        language=lang,
    )


@bp.route("/<int:year>/register", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"], scope="contest-register")
def register(year: int) -> ResponseReturnValue:
    """Registration: sign in first, or create an account in the same form."""
    edition = edition_or_404(year)
    now = utcnow()
    if current_user.is_authenticated:
        mine = registration_service.registration_of(current_user, edition)
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
        password = "" if user else (form.password.data or "")
        try:
            registration = registration_service.register_with_account(
                edition,
                division,
                user,
                details,
                email=email,
                password=password,
                language=lang,
                now=now,
            )
            privacy.record_consent(registration.user, f"contest-{edition.year}")
        except accounts.EmailTaken:
            db.session.rollback()
            form.email.errors.append(
                _(
                    "An account with this e-mail address already exists. Please sign in first; "
                    "your registration will use that account."
                )
            )
        except registration_service.NotEligible as refusal:
            db.session.rollback()
            for name, message in refusal.problems.items():
                getattr(form, name).errors.append(message)
        except registration_service.AlreadyRegistered as already:
            db.session.rollback()
            existing = already.registration
        except registration_service.RegistrationClosed:
            db.session.rollback()
            flash(_("Registration for this contest has closed."), "warning")
            return redirect(url_for("contest.edition", year=year))
        else:
            if not current_user.is_authenticated:
                sign_in(registration.user)
            db.session.commit()
            flash(_registered_message(registration), "success")
            return redirect(url_for("contest.my_registration", year=year))
    counts = seats_service.division_counts(edition)
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
