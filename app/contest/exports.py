"""Registrations out of Sabak: CSV (UTF-8 with BOM, for Excel), XLSX, the printable list."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.contest.eligibility import format_years
from app.contest.forms import affiliation_labels, age_group_labels, status_labels
from app.contest.models import Division, Edition, Registration, Status
from app.core import exports
from app.core.dates import TOKYO
from app.extensions import db


def _rows(edition: Edition) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.edition_id == edition.id)
            .options(selectinload(Registration.division))
            .order_by(Registration.division_id, Registration.participant_number, Registration.id)
        )
    )


def table(edition: Edition) -> tuple[list[str], list[list[Any]]]:
    """The header and rows shared by the CSV and XLSX exports."""
    header = [
        _("Participant number"), _("Division"), _("Status"), _("Waiting-list number"),
        _("Speaking order"), _("Full name (kanji)"), _("Furigana (katakana)"),
        _("Name in Latin letters"), _("E-mail address"), _("Phone number"), _("Age group"),
        _("Affiliation"), _("School, company or organisation (optional)"),
        _("Years of studying Kyrgyz"), _("Where you studied"),
        _("Time lived in Kyrgyzstan (months, in total)"), _("Japanese citizen"),
        _("Title in Kyrgyz"), _("Title in Japanese"), _("Photos allowed"), _("Registered at"),
    ]  # fmt: skip
    statuses, affiliations, ages = status_labels(), affiliation_labels(), age_group_labels()
    yes, no = _("yes"), _("no")
    rows = [
        [
            r.participant_number or "",
            r.division.name_ja,
            statuses.get(r.status, r.status),
            r.waitlist_seq if r.status == Status.WAITLISTED else "",
            r.speaking_order or "",
            r.full_name,
            r.furigana,
            r.name_latin,
            r.email,
            r.phone,
            ages.get(r.age_group, r.age_group),
            affiliations.get(r.affiliation, r.affiliation),
            r.affiliation_detail,
            format_years(r.study_months),
            r.study_place,
            r.months_in_kyrgyzstan,
            yes if r.japanese_citizen else no,
            r.speech_title_ky,
            r.speech_title_ja,
            yes if r.consent_photos else no,
            r.created_at.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M"),
        ]
        for r in _rows(edition)
    ]
    return header, rows


def csv_bytes(edition: Edition) -> bytes:
    """The registrations as CSV (UTF-8 with BOM, so Excel opens Japanese text correctly)."""
    return exports.csv_bytes(*table(edition))


def xlsx_bytes(edition: Edition) -> bytes:
    """The registrations as a workbook with one sheet."""
    return exports.xlsx_bytes(str(edition.year), *table(edition))


def participants_by_division(edition: Edition) -> list[tuple[Division, list[Registration]]]:
    """Confirmed participants of each division, in speaking order (then by number)."""
    confirmed = db.session.scalars(
        select(Registration).where(
            Registration.edition_id == edition.id, Registration.status == Status.CONFIRMED
        )
    ).all()
    grouped: dict[int, list[Registration]] = {d.id: [] for d in edition.divisions}
    for registration in confirmed:
        grouped.setdefault(registration.division_id, []).append(registration)
    return [
        (
            division,
            sorted(
                grouped[division.id],
                key=lambda r: (r.speaking_order or 10**6, r.participant_number or ""),
            ),
        )
        for division in edition.divisions
    ]
