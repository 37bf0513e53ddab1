"""The events blueprint and what its pages share: navigation, lookups that answer 404, PDF and
calendar responses."""

from __future__ import annotations

from flask import Blueprint, Response, abort
from flask.blueprints import BlueprintSetupState
from flask_babel import get_locale
from flask_babel import gettext as _

from app.auth.models import Role
from app.core.calendar import ics_response  # noqa: F401  (the events views use it from here)
from app.core.certificates import ascii_name
from app.core.nav import NavItem, add_nav_item
from app.events.models import Event
from app.extensions import db

bp = Blueprint("events", __name__)

# Organizers run the contest and the events alike: the same Embassy staff do both (see
# docs/architecture.md), so events use the organizer role rather than one of their own.
ORGANIZERS = (Role.ORGANIZER, Role.ADMIN)


# In the bar for organizers; an admin (whose bar already holds users and the contest console)
# reaches the console from the events page.
@bp.record_once
def register_navigation(state: BlueprintSetupState) -> None:
    add_nav_item(state.app, NavItem("events.index", lambda: _("Events"), public=True, order=62))
    add_nav_item(
        state.app, NavItem("events.my_shifts", lambda: _("My shifts"), order=64, menu="account")
    )
    add_nav_item(
        state.app,
        NavItem(
            "events.console",
            lambda: _("Events console"),
            roles=frozenset({Role.ORGANIZER}),
            order=72,
        ),
    )


def language() -> str:
    locale = get_locale()
    return locale.language if locale else "ja"


def event_or_404(event_id: int, *, published_only: bool = True) -> Event:
    event = db.get_or_404(Event, event_id)
    if published_only and not event.published:
        abort(404)
    return event


def pdf_response(data: bytes, *name: str) -> Response:
    """A PDF download that no shared cache keeps (it carries a person's name)."""
    return Response(
        data,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{ascii_name(*name)}"',
            "Cache-Control": "private, no-store",
        },
    )
