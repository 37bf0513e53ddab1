"""The organizer's forms for an edition and its divisions."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.contest import editions as editions_service
from app.contest import seats as seats_service
from app.contest.forms import DivisionForm, EditionForm, parse_criteria
from app.contest.models import Division
from app.contest.views.common import ORGANIZERS, bp, division_or_404, edition_or_404
from app.core.dates import TOKYO
from app.core.decorators import roles_required
from app.extensions import db


def _to_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=TOKYO).astimezone(ZoneInfo("UTC"))


def _to_tokyo_naive(value: datetime) -> datetime:
    return value.astimezone(TOKYO).replace(tzinfo=None)


@bp.route("/console/editions/new", methods=["GET", "POST"])
@bp.route("/console/<int:year>/settings", methods=["GET", "POST"])
@roles_required(*ORGANIZERS)
def edit_edition(year: int | None = None) -> ResponseReturnValue:
    """Create an edition or change its titles, dates, venue and rules."""
    edition = edition_or_404(year, published_only=False) if year is not None else None
    form = EditionForm(obj=edition)
    if request.method == "GET" and edition is not None:
        form.registration_opens_at.data = _to_tokyo_naive(edition.registration_opens_at)
        form.registration_closes_at.data = _to_tokyo_naive(edition.registration_closes_at)
    if form.validate_on_submit():
        try:
            edition = editions_service.edition_to_save(edition, form.year.data)
        except editions_service.YearTaken:
            form.year.errors.append(_("There is already an edition for this year."))
        else:
            form.populate_obj(edition)
            edition.title_ky = edition.title_ky or ""
            edition.contact_name = (edition.contact_name or "").strip()
            edition.contact_email = (edition.contact_email or "").strip()
            for name in ("venue_address", "map_url", "bring_ja", "bring_en"):
                setattr(edition, name, (getattr(edition, name) or "").strip())
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
    division = division_or_404(division_id) if division_id is not None else None
    edition = division.edition if division else edition_or_404(year or 0, published_only=False)
    form = DivisionForm(obj=division)
    if request.method == "GET" and division is not None:
        form.speech_minutes.data = Decimal(division.speech_seconds) / 60
        form.min_study_years.data = _years(division.min_study_months)
        form.max_study_years.data = _years(division.max_study_months)
        form.criteria.data = "\n".join(
            f"{c.name_ja} | {c.name_en} | {c.weight} | {c.max_score}"
            + (f" | {c.description}" if c.description else "")
            for c in division.criteria
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
        try:
            editions_service.set_rubric(division, parse_criteria(form.criteria.data or ""))
        except editions_service.RubricFixed:
            db.session.rollback()
            flash(_("Judges have already scored this division, so its rubric can't change."),
                  "warning")  # fmt: skip
            return redirect(url_for("contest.edit_division", division_id=division_id))
        if division.capacity != capacity:
            seats_service.set_capacity(division, capacity)
        db.session.commit()
        flash(_("The division has been saved."), "success")
        return redirect(url_for("contest.console", year=edition.year))
    return render_template(
        "contest/division_form.html", form=form, division=division, edition=edition
    )


def _years(months: int | None) -> Decimal | None:
    return None if months is None else Decimal(months) / 12
