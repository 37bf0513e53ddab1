"""Interface language: the user's preference, else the switcher's cookie, else Accept-Language."""

from __future__ import annotations

from flask import Flask, current_app, g, request
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


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with our selectors."""
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)

    @app.after_request
    def vary_on_language(response):
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
        return response
