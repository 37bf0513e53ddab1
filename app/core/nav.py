"""The navigation: each feature adds its entries here, with the roles that see them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import url_for
from flask.sansio.app import App
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    """One link of the main navigation."""

    endpoint: str
    label: Callable[[], str]  # lazily translated in the request's language
    roles: frozenset[str] = field(default_factory=frozenset)  # empty: every signed-in user
    public: bool = False  # shown to visitors who are not signed in
    badge: Callable[[], int | None] | None = None  # e.g. reviews due today
    order: int = 50  # position in the navigation, smallest first
    menu: str = "main"  # "main": the navigation bar; "account": the signed-in user's own menu

    def visible(self) -> bool:
        """Whether the current user sees this entry."""
        if not current_user.is_authenticated:
            return self.public
        return not self.roles or current_user.has_any_role(*self.roles)

    @property
    def url(self) -> str:
        return url_for(self.endpoint)


def add_nav_item(app: App, item: NavItem) -> None:
    """Register a navigation entry (called while blueprints are registered)."""
    app.extensions.setdefault("sabak_nav", []).append(item)


def nav_items(app: App, menu: str = "main") -> list[NavItem]:
    """The entries of `menu` the current user may see, by their order."""
    items = sorted(app.extensions.get("sabak_nav", []), key=lambda item: item.order)
    return [item for item in items if item.menu == menu and item.visible()]


def nav_item(app: App, endpoint: str) -> NavItem | None:
    """The entry for `endpoint` if the current user sees it: a view that changes a count sends
    it again with its htmx answer (templates/core/_nav_entry_oob.html), so the badge follows."""
    return next((item for item in nav_items(app) if item.endpoint == endpoint), None)


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
