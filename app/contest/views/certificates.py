"""Certificate downloads: a participant's own PDF, and the organizers' print PDFs."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.contest import certificates
from app.contest import editions as editions_service
from app.contest import registration as registration_service
from app.contest.models import Division, Edition, Registration
from app.contest.views.common import ORGANIZERS, bp
from app.core.dbtypes import utcnow
from app.core.decorators import roles_required
from app.extensions import db


def _edition_or_404(year: int, *, published_only: bool = True) -> Edition:
    edition = editions_service.edition_by_year(year, published_only=published_only)
    if edition is None:
        abort(404)
    return edition


def pdf_response(data: bytes, *name: str) -> Response:
    """A PDF download that no shared cache keeps (it carries a person's name)."""
    return Response(
        data,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{certificates.ascii_name(*name)}"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.context_processor
def certificate_helpers() -> dict[str, object]:
    """Lets the registrant's page offer the download once it is available."""

    def certificate_available(registration: Registration | None) -> bool:
        return registration is not None and certificates.available(registration, utcnow())

    return {"certificate_available": certificate_available}


@bp.get("/<int:year>/me/certificate.pdf")
@login_required
def my_certificate(year: int) -> ResponseReturnValue:
    """The participant's certificates (participation, then any awards), after the results."""
    edition = _edition_or_404(year)
    registration = registration_service.registration_of(current_user, edition)
    if registration is None or not certificates.available(registration, utcnow()):
        abort(404)
    number = registration.participant_number or str(registration.id)
    return pdf_response(certificates.registration_pdf(registration), "certificate", number)


@bp.get("/console/<int:year>/certificates.pdf")
@roles_required(*ORGANIZERS)
def edition_certificates(year: int) -> ResponseReturnValue:
    """Every certificate of the edition in one PDF, for printing."""
    edition = _edition_or_404(year, published_only=False)
    data = certificates.merged_pdf(edition)
    if data is None:
        flash(_no_participants(), "info")
        return redirect(url_for("contest.console", year=year))
    return pdf_response(data, "certificates", str(year))


@bp.get("/console/divisions/<int:division_id>/certificates.pdf")
@roles_required(*ORGANIZERS)
def division_certificates(division_id: int) -> ResponseReturnValue:
    """Every certificate of one division in one PDF, for printing."""
    division = db.get_or_404(Division, division_id)
    edition = division.edition
    data = certificates.merged_pdf(edition, division)
    if data is None:
        flash(_no_participants(), "info")
        return redirect(url_for("contest.results", division_id=division_id))
    return pdf_response(data, "certificates", str(edition.year), division.letter)


def _no_participants() -> str:
    return _(
        "There is nobody to print a certificate for yet: certificates go to confirmed "
        "participants (only those who checked in, once check-in has begun)."
    )
