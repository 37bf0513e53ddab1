"""The navigation: each feature adds its entries here, with the roles that see them.

Every signed-in page draws the navigation, so what it costs is paid by every page: the entries a
person sees are worked out once per set of roles (they depend on nothing else), and every count
beside them (reviews due, assignments open, work to grade) comes from one statement per request,
built once per set of roles and executed with the person's values. The counts themselves are
never kept past the request: a student who answers a review sees the new count on the next page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app, g
from flask.sansio.app import App
from flask_login import current_user
from sqlalchemy import Integer, Select, bindparam, select, true

from app.core import dates
from app.core.dbtypes import UTCDateTime
from app.core.urls import link_for
from app.extensions import db

# The values every count of the navigation is written with, bound at each request.
VIEWER = bindparam("nav_viewer", type_=Integer())  # the signed-in person's id
NOW = bindparam("nav_now", type_=UTCDateTime())  # this request's clock (dates.now)

_COUNTS = "sabak_nav_counts"  # this request's counts, in g
_VISIBLE = "sabak_nav_visible"  # (menu, roles) → entries, in app.extensions
_STATEMENTS = "sabak_nav_statements"  # roles → the counts' statement, in app.extensions


@dataclass(frozen=True)
class NavCounts:
    """The SQL behind badges: a one-row select of labelled counts for a viewer with the given
    roles, written with VIEWER and NOW and any values of its own, which `params` gives from the
    signed-in person and the request's clock (e.g. when their day ends)."""

    select: Callable[[frozenset[str]], Select[Any]]
    params: Callable[[Any, datetime], dict[str, Any]] | None = None


@dataclass(frozen=True)
class NavItem:
    """One link of the main navigation."""

    endpoint: str
    label: Callable[[], str]  # lazily translated in the request's language
    roles: frozenset[str] = field(default_factory=frozenset)  # empty: every signed-in user
    public: bool = False  # shown to visitors who are not signed in
    badge: str | None = None  # the name of its count among `counts`' columns, e.g. reviews due
    counts: NavCounts | None = None
    order: int = 50  # position in the navigation, smallest first
    menu: str = "main"  # "main": the navigation bar; "account": the signed-in user's own menu

    def visible_to(self, roles: frozenset[str] | None) -> bool:
        """Whether a person with `roles` (None: a visitor who is not signed in) sees this entry."""
        if roles is None:
            return self.public
        return not self.roles or not self.roles.isdisjoint(roles)

    @property
    def url(self) -> str:
        return link_for(self.endpoint)

    def count(self) -> int | None:
        """The number beside the entry for the signed-in person, from this request's counts."""
        if self.badge is None:
            return None
        value = nav_counts().get(self.badge)
        return int(value) if value is not None else None


def add_nav_item(app: App, item: NavItem) -> None:
    """Register a navigation entry (called while blueprints are registered)."""
    app.extensions.setdefault("sabak_nav", []).append(item)
    app.extensions.pop(_VISIBLE, None)
    app.extensions.pop(_STATEMENTS, None)


def viewer_roles() -> frozenset[str] | None:
    """The signed-in person's roles, or None for a visitor."""
    user = current_user._get_current_object()
    return user.roles if user.is_authenticated else None


def _visible(app: App, menu: str, roles: frozenset[str] | None) -> tuple[NavItem, ...]:
    kept: dict[tuple[str, frozenset[str] | None], tuple[NavItem, ...]] = app.extensions.setdefault(
        _VISIBLE, {}
    )
    key = (menu, roles)
    found = kept.get(key)
    if found is None:
        items = sorted(app.extensions.get("sabak_nav", []), key=lambda item: item.order)
        found = tuple(item for item in items if item.menu == menu and item.visible_to(roles))
        kept[key] = found
    return found


def nav_items(app: App, menu: str = "main") -> tuple[NavItem, ...]:
    """The entries of `menu` the current user may see, by their order."""
    return _visible(app, menu, viewer_roles())


def nav_item(app: App, endpoint: str) -> NavItem | None:
    """The entry for `endpoint` if the current user sees it: a view that changes a count sends
    it again with its htmx answer (templates/core/_nav_entry_oob.html), so the badge follows.
    The counts are read again for it: the change was made after any earlier read."""
    g.pop(_COUNTS, None)
    return next((item for item in nav_items(app) if item.endpoint == endpoint), None)


def _counts_statement(
    app: App, roles: frozenset[str]
) -> tuple[Select[Any], list[NavCounts]] | None:
    kept: dict[frozenset[str], tuple[Select[Any], list[NavCounts]] | None] = (
        app.extensions.setdefault(_STATEMENTS, {})
    )
    if roles in kept:
        return kept[roles]
    sources = [
        item.counts
        for menu in ("main", "account")
        for item in _visible(app, menu, roles)
        if item.counts is not None
    ]
    built = None
    if sources:
        # each source is one row (an aggregate): joined on nothing, they make one row
        parts = [source.select(roles).subquery(f"nav_{n}") for n, source in enumerate(sources)]
        joined = parts[0]
        for part in parts[1:]:
            joined = joined.join(part, true())  # type: ignore[assignment]
        columns = [column for part in parts for column in part.c]
        built = (select(*columns).select_from(joined), sources)
    kept[roles] = built
    return built


def nav_counts() -> Mapping[str, Any]:
    """Every count the signed-in person's navigation shows, by name: one statement, at most
    once per request."""
    counts: Mapping[str, Any] | None = g.get(_COUNTS)
    if counts is not None:
        return counts
    user = current_user._get_current_object()
    counts = {}
    if user.is_authenticated:
        found = _counts_statement(current_app, user.roles)
        if found is not None:
            statement, sources = found
            now = dates.now()
            params: dict[str, Any] = {"nav_viewer": user.id, "nav_now": now}
            for source in sources:
                if source.params is not None:
                    params.update(source.params(user, now))
            # on the session's connection, without the ORM: the columns are plain counts
            counts = db.session.connection().execute(statement, params).one()._asdict()
    setattr(g, _COUNTS, counts)
    return counts


@dataclass(frozen=True)
class HomePanel:
    """A section of the signed-in home page contributed by a feature."""

    template: str
    context: Callable[[], dict[str, object] | None]  # None: nothing to show for this user
    order: int = 50


def add_home_panel(app: App, panel: HomePanel) -> None:
    """Register a home-page section (called while blueprints are registered)."""
    app.extensions.setdefault("sabak_home", []).append(panel)


def home_panels(app: App) -> list[tuple[str, dict[str, object]]]:
    """(template, context) of each section the current user has something in."""
    shown = []
    for panel in sorted(app.extensions.get("sabak_home", []), key=lambda p: p.order):
        context = panel.context()
        if context is not None:
            shown.append((panel.template, context))
    return shown
