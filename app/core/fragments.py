"""Parts of pages drawn once per language and what else they vary by, with slots for what is
one person's own.

Every page draws the same layout around its content: the head's links and scripts, the header
(navigation, account and language menus) and the footer. Two people on the same page differ in
only a few values there — their id and name, their counts, their CSRF token, the address they
are at — and the entries they see depend only on their roles. So the layout wraps those parts
in `{% call fragment("header", request.endpoint, viewer_roles) %}…{% endcall %}`: the first
drawing for a key (the name, the interface language, the mount point and the values given —
everything the part is drawn from besides its slots) is kept in the process
with each personal value written as a slot (`{{ slot("name") }}`), and every request fills the
slots of the kept text with its own values. A fragment holds no data from the database, only code
and translations, so nothing written can make it stale; a new deployment starts new processes.

Anything in a fragment that is not the same for everyone with the same key must be a slot:
`slot()` outside a fragment writes the value itself, so a macro (the navigation entry) may use
slots wherever it is drawn. What a slot may be is listed in `FILLERS`.

`app.core.page_cache.shared_fragment` is the other kind: parts drawn from the database, the same
for everyone, kept until their tables change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from contextvars import ContextVar

from flask import current_app, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup, escape

from app.core import immersion
from app.core.security import csrf_token

OPEN, CLOSE = "\ue000", "\ue001"  # private-use characters: never in a translation or a URL
SLOT = re.compile(f"{OPEN}([^{CLOSE}]*){CLOSE}")
MAX_KEPT = 4000  # languages × role sets × pages: a few hundred in practice
_KEPT = "sabak_fragments"  # in app.extensions: key → the drawing with its slots
_drawing: ContextVar[bool] = ContextVar("sabak_fragment_drawing", default=False)


def _viewer():
    return current_user._get_current_object()


def _badge(name: str) -> str:
    from app.core.nav import nav_counts

    count = nav_counts().get(name)
    return f' <span class="badge">{int(count)}</span>' if count else ""


def _here() -> str:
    return request.full_path if request.query_string else request.path


def _sign_in() -> str:
    # back to the page after signing in, except from the pages that lead there anyway
    endpoint = request.endpoint
    after = None if endpoint in ("auth.login", "auth.signup", "core.index") else request.path
    return url_for("auth.login", next=after)


# slot name (before any ":") → its value for this request, given what follows the ":"; the
# values are written into HTML as they are, so each escapes what it takes from outside
FILLERS: dict[str, Callable[[str], str]] = {
    "csrf": lambda _arg: str(escape(csrf_token())),
    "user-id": lambda _arg: str(_viewer().id) if _viewer().is_authenticated else "",
    "user-name": lambda _arg: str(escape(_viewer().display_name)),
    "here": lambda _arg: str(escape(_here())),
    "sign-in": lambda _arg: str(escape(_sign_in())),
    "badge": _badge,  # "badge:<count name>": the count beside a navigation entry, or nothing
}


def _fill(name: str) -> str:
    kind, _sep, argument = name.partition(":")
    return FILLERS[kind](argument)


def slot(name: str) -> Markup:
    """A personal value of the layout: a mark in a fragment being drawn, the value elsewhere."""
    if _drawing.get():
        return Markup(f"{OPEN}{name}{CLOSE}")
    return Markup(_fill(name))


def fill(text: str) -> Markup:
    """`text` with each slot's mark replaced by this request's value."""
    values: dict[str, str] = {}

    def value(match: re.Match[str]) -> str:
        name = match[1]
        if name not in values:
            values[name] = _fill(name)
        return values[name]

    return Markup(SLOT.sub(value, text))


def fragment(name: str, *vary: Hashable, caller: Callable[[], str]) -> Markup:
    """The kept drawing of the call block for `name`, this language and `vary`, drawn first if
    there is none, with its slots filled for this request."""
    locale = get_locale()
    language = locale.language if locale else ""
    # the Japanese titles of a Kyrgyz page come from the catalogues, rebuilt when they change
    version = immersion.current().version if language == "ky" else ""
    # links carry the mount point: one process may serve the app under two
    key = (name, language, version, request.script_root, *vary)
    kept: dict[tuple[Hashable, ...], str] = current_app.extensions.setdefault(_KEPT, {})
    text = kept.get(key)
    if text is None:
        token = _drawing.set(True)
        try:
            text = str(caller())
        finally:
            _drawing.reset(token)
        # templates reloaded when edited (development): drawn again, as they are
        if not current_app.jinja_env.auto_reload:
            if len(kept) >= MAX_KEPT:
                kept.clear()
            kept[key] = text
    if _drawing.get():  # inside a fragment being drawn: the outer one fills the slots
        return Markup(text)
    return fill(text)
