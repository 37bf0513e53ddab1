"""The contest blueprint and what its pages share: navigation, lookups that answer 404.

Dates and times use core's filters (`app/core/dates.py`: `datetime`, `date`, `time`,
`relative_date`).
"""

from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, abort
from flask.blueprints import BlueprintSetupState
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from app.auth.models import Role
from app.contest import editions as editions_service
from app.contest import seats as seats_service
from app.contest.models import Division, Edition, PrizeKind
from app.core.markdown import render_notes
from app.core.nav import NavItem, add_nav_item
from app.extensions import db

bp = Blueprint("contest", __name__)

ORGANIZERS = (Role.ORGANIZER, Role.ADMIN)


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
def rules_html(text: str, locale: str) -> Markup:
    return render_notes(text, _)


def expire_holds_lazily() -> None:
    """Holds that ran out pass their seat on as soon as anyone looks (the CLI does it too)."""
    if seats_service.expire_holds():
        db.session.commit()


def edition_or_404(year: int, *, published_only: bool = True) -> Edition:
    edition = editions_service.edition_by_year(year, published_only=published_only)
    if edition is None:
        abort(404)
    return edition


def console_edition(year: int | None) -> Edition | None:
    if year is None:
        return db.session.scalar(select(Edition).order_by(Edition.year.desc()).limit(1))
    return edition_or_404(year, published_only=False)


def division_or_404(division_id: int) -> Division:
    return db.get_or_404(Division, division_id)


def prize_labels() -> dict[str, str]:
    return {
        PrizeKind.FIRST: _("1st prize"),
        PrizeKind.SECOND: _("2nd prize"),
        PrizeKind.THIRD: _("3rd prize"),
        PrizeKind.SPECIAL: _("Special prize"),
    }
