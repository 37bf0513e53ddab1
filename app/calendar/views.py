"""The calendar feed: the owner's page (make, replace, turn off the link) and the feed itself,
which calendar apps fetch without signing in."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    session,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.calendar import services
from app.calendar.forms import FeedActionForm
from app.core import dates
from app.core.calendar import ics_response
from app.core.confirm import Confirmation, ask, confirmed
from app.extensions import db, limiter

bp = Blueprint("calendar", __name__)

JUST_MADE = "calendar_feed_token"  # the session key holding a new token until its page shows it


@bp.record_once
def register_navigation(state: BlueprintSetupState) -> None:
    from app.core.nav import NavItem, add_nav_item

    add_nav_item(
        state.app,
        NavItem("calendar.index", lambda: _("Calendar feed"), order=66, menu="account"),
    )


def feed_url(token: str) -> str:
    """The subscription address of a token."""
    return url_for("calendar.feed", token=token, _external=True)


def render_page(token: str | None = None) -> ResponseReturnValue:
    """The page; with `token` (just made) it shows the link, which is never shown again."""
    if token and services.feed_for_token(token) is None:
        token = None  # replaced or turned off in the meantime (another tab)
    url = feed_url(token) if token else None
    response = make_response(
        render_template(
            "calendar/index.html",
            feed=services.feed_of(current_user),
            url=url,
            webcal=("webcal://" + url.split("://", 1)[1]) if url else None,
            form=FeedActionForm(),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    """What the feed is, and the buttons to make, replace or turn off its link; right after the
    link is made, the link itself (handed over once through the session, then forgotten)."""
    return render_page(session.pop(JUST_MADE, None))


@bp.post("/new")
@login_required
def new_link() -> ResponseReturnValue:
    """Make the link (after a confirmation when it replaces one) and show it, once."""
    if not FeedActionForm().validate_on_submit():
        abort(400)
    if services.feed_of(current_user) is not None and not confirmed():
        return ask(
            Confirmation(
                title=_("Create a new link?"),
                action=url_for("calendar.new_link"),
                button=_("Create a new link"),
                cancel_url=url_for("calendar.index"),
                cancel_label=_("Keep the current link"),
                lines=(
                    _("The current link stops working at once."),
                    _(
                        "Calendars subscribed with it stop updating: subscribe again with the "
                        "new link."
                    ),
                ),
            )
        )
    token = services.new_link(current_user, dates.now())
    db.session.commit()
    session[JUST_MADE] = token
    return redirect(url_for("calendar.index"))


@bp.post("/off")
@login_required
def turn_off() -> ResponseReturnValue:
    """Turn the feed off, after a confirmation."""
    if not FeedActionForm().validate_on_submit():
        abort(400)
    if services.feed_of(current_user) is None:
        return redirect(url_for("calendar.index"))
    if not confirmed():
        return ask(
            Confirmation(
                title=_("Turn off your calendar feed?"),
                action=url_for("calendar.turn_off"),
                button=_("Turn off"),
                cancel_url=url_for("calendar.index"),
                cancel_label=_("Keep it on"),
                lines=(
                    _(
                        "The link stops working, and calendars subscribed with it no longer "
                        "show Sabak's dates."
                    ),
                ),
            )
        )
    services.turn_off(current_user)
    db.session.commit()
    flash(_("Your calendar feed is off."), "info")
    return redirect(url_for("calendar.index"))


@bp.get("/<token>.ics")
@limiter.limit("60 per minute", scope="calendar-feed")
def feed(token: str) -> ResponseReturnValue:
    """The feed a calendar app subscribes to: no sign-in, the secret token is the key."""
    found = services.feed_for_token(token)
    if found is None:
        abort(404)
    now = dates.now()
    data = services.feed_ics(
        found.user,
        links=services.Links(
            assignment=lambda i: url_for("progress.assignment", assignment_id=i, _external=True),
            assignment_overview=lambda i: url_for(
                "progress.assignment_overview", assignment_id=i, _external=True
            ),
            edition=lambda year: url_for("contest.edition", year=year, _external=True),
            my_registration=lambda year: url_for(
                "contest.my_registration", year=year, _external=True
            ),
            event=lambda i: url_for("events.event", event_id=i, _external=True),
            my_shifts=url_for("events.my_shifts", _external=True),
        ),
        now=now,
    )
    services.note_fetch(found, now)
    db.session.commit()
    return ics_response(data, "sabak.ics", private=True, subscription=True)
