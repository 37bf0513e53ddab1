"""Interface language: the user's preference, else the switcher's cookie, else Accept-Language."""

from __future__ import annotations

from babel.support import NullTranslations, Translations
from flask import Flask, current_app, g, request
from flask_babel import get_translations
from flask_login import current_user

from app.extensions import babel


def select_locale() -> str:
    """Pick the interface language for this request."""
    languages = current_app.config["LANGUAGES"]
    forced = g.get("forced_locale")
    if forced in languages:
        return str(forced)
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return str(current_user.language)
    cookie = request.cookies.get(current_app.config["LANGUAGE_COOKIE"])
    if cookie in languages:
        return str(cookie)
    best = request.accept_languages.best_match(languages)
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Show dates in the user's time zone (Asia/Tokyo unless they chose otherwise)."""
    if current_user and current_user.is_authenticated and current_user.timezone:
        return str(current_user.timezone)
    return str(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def translations() -> Translations | NullTranslations:
    """The request's catalogue, looked up once per language in force: Flask-Babel's own lookup
    costs ~10 µs a string (a page translates 30 to 80 in its templates). Keyed by the locale
    object itself, so `force_locale` (a mail in its recipient's language) gets its own."""
    context = g.get("_flask_babel")
    locale = getattr(context, "babel_locale", None)
    if locale is None:  # not chosen yet: Flask-Babel chooses it
        return get_translations()
    kept = getattr(context, "sabak_translations", None)
    if kept is not None and kept[0] is locale:
        return kept[1]
    found = get_translations()
    context.sabak_translations = (locale, found)
    return found


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with our selectors, and give templates the quicker catalogue lookup."""
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )

    @app.after_request
    def vary_on_language(response):
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
        return response
