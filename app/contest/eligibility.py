"""Who may enter a division: each rule gives its reason next to the form field it concerns."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.contest.models import Division, Edition, Registration
from app.extensions import db


@dataclass(frozen=True)
class Applicant:
    """The facts eligibility is decided on."""

    email: str
    study_months: int
    months_in_kyrgyzstan: int
    not_native_speaker: bool
    japanese_citizen: bool


def format_years(months: int) -> str:
    """Months as years for people: 24 → "2", 18 → "1.5"."""
    years = months / 12
    return f"{years:g}" if years == int(years) else f"{years:.1f}"


def past_first_prize_year(division: Division, email: str) -> int | None:
    """The year this person won first prize in a division of the same kind, if they did."""
    return db.session.scalar(
        select(Edition.year)
        .join(Registration, Registration.edition_id == Edition.id)
        .join(Division, Division.id == Registration.division_id)
        .where(
            Registration.email == email,
            Registration.award == "first",
            Division.slug == division.slug,
            Edition.year < division.edition.year,
        )
        .order_by(Edition.year.desc())
        .limit(1)
    )


def problems(division: Division, applicant: Applicant) -> dict[str, str]:
    """Form field name → why this applicant may not enter the division (empty: eligible)."""
    found: dict[str, str] = {}
    if division.min_study_months is not None and applicant.study_months < division.min_study_months:
        found["study_years"] = _(
            "This division is for people who have studied Kyrgyz for at least %(years)s years.",
            years=format_years(division.min_study_months),
        )
    if division.max_study_months is not None and applicant.study_months > division.max_study_months:
        found["study_years"] = _(
            "This division is for people who have studied Kyrgyz for at most %(years)s years. "
            "Please choose a more advanced division.",
            years=format_years(division.max_study_months),
        )
    limit = division.max_months_in_kyrgyzstan
    if limit is not None and applicant.months_in_kyrgyzstan > limit:
        found["months_in_kyrgyzstan"] = _(
            "This division is for people who have lived in Kyrgyzstan for at most %(months)d "
            "months in total.",
            months=limit,
        )
    if division.bar_native_speakers and not applicant.not_native_speaker:
        found["not_native_speaker"] = _(
            "This contest is for learners: native and heritage speakers of Kyrgyz cannot take "
            "part in this division."
        )
    if division.require_japanese_citizenship and not applicant.japanese_citizen:
        found["japanese_citizen"] = _(
            "This contest is for Japanese citizens. Please confirm that you hold Japanese "
            "citizenship."
        )
    if division.bar_past_first_prize:
        year = past_first_prize_year(division, applicant.email)
        if year is not None:
            found["division"] = _(
                "You won first prize in this division in %(year)d, so you cannot enter it again. "
                "Please choose another division.",
                year=year,
            )
    return found
