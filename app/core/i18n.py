"""Interface language: the user's preference, else the switcher's cookie, else Accept-Language.

The interface speaks Japanese, English and Kyrgyz; content is written in fewer languages. The one
rule for content (course and lesson texts, glosses, notes, contest and event texts, the privacy
policy): a Kyrgyz reader reads what exists only in Japanese and English in Japanese (the Embassy's
Tokyo materials and the learners' own language), and the Kyrgyz title where one was written.
`content_language()` and `localized()` are that rule; nothing else compares language codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import flask_babel
from babel import Locale
from babel.numbers import get_group_symbol
from babel.support import NullTranslations, Translations
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import Domain, format_decimal, get_locale
from flask_login import current_user
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from app.core.htmx import vary_on
from app.extensions import babel

# How each interface language is offered, in its own words (the switcher and the profile).
LANGUAGE_NAMES = {"ja": "日本語", "en": "English", "ky": "Кыргызча"}


def interface_language() -> str:
    """The language this request (or this mail, inside `force_locale`) is drawn in: ja, en, ky."""
    locale = get_locale()
    return locale.language if locale else "ja"


def content_language(language: str | None = None) -> str:
    """ja or en: the language content written only in Japanese and English is read in by a reader
    of `language` (by default this request's): English for English, Japanese for everyone else."""
    language = language or interface_language()
    return "en" if language == "en" else "ja"


def localized(language: str | None, ja: str, en: str, ky: str | None = None) -> str:
    """Content for a reader of `language`: the Kyrgyz text where one was written and the reader
    reads Kyrgyz, else the Japanese or English one by `content_language`."""
    language = language or interface_language()
    if language == "ky" and ky:
        return ky
    return en if content_language(language) == "en" else ja


@dataclass(frozen=True)
class Beside:
    """A second title under a reader's own: its text and its language."""

    text: str
    lang: str


def beside(language: str | None, ja: str, ky: str) -> Beside | None:
    """The title shown under a reader's: the Kyrgyz one for Japanese and English readers, the
    Japanese one for a Kyrgyz reader who reads the Kyrgyz above it; None when there is none."""
    if (language or interface_language()) == "ky":
        return Beside(ja, "ja") if ky and ja else None
    return Beside(ky, "ky") if ky else None


def mail_languages(language: str | None) -> tuple[str, str]:
    """The languages of a mail for someone whose language we don't know for sure (a registrant,
    a volunteer): theirs first, then Japanese (English after Japanese for Japanese readers)."""
    if language == "en":
        return ("en", "ja")
    if language == "ky":
        return ("ky", "ja")
    return ("ja", "en")


def format_number(value: float | int) -> str:
    """A count that may have a fraction (hours, minutes, points) as the reader writes numbers:
    at most two decimals, none when whole — 1.5 in Japanese and English, 1,5 in Kyrgyz."""
    return str(format_decimal(value, format="#,##0.##"))


_GROUP_SYMBOLS: dict[str, str] = {}  # locale → what separates thousands ("," or a no-break space)


def format_count(value: object) -> str:
    """Flask-Babel's `numberformat`, with a quick way for a whole number that is not negative
    (nearly every number on a page: a count): the same text as Babel's (a test compares them),
    at a tenth of the cost (the dashboard formats about 40)."""
    if type(value) is not int or value < 0:
        return str(flask_babel.format_number(value))
    locale = get_locale()
    name = str(locale)
    group = _GROUP_SYMBOLS.get(name)
    if group is None:
        group = _GROUP_SYMBOLS[name] = get_group_symbol(locale)
    text = f"{value:,}"
    return text if group == "," else text.replace(",", group)


def _signed_in_user() -> Any | None:
    """The signed-in user, or None. A session that names nobody, without a remember cookie,
    spares Flask-Login's look-up: a visitor's page served from the cache needs only this."""
    if not has_request_context():
        return None  # a command or a job: nobody is signed in
    if (
        "_user_id" not in session
        and "_login_user" not in g
        and current_app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE) not in request.cookies
    ):
        return None
    user = current_user._get_current_object()
    return user if user.is_authenticated else None


def select_locale() -> str:
    """Pick the interface language for this request."""
    languages = current_app.config["LANGUAGES"]
    forced = g.get("forced_locale")
    if forced in languages:
        return str(forced)
    user = _signed_in_user()
    if user is not None and user.language in languages:
        return str(user.language)
    cookie = request.cookies.get(current_app.config["LANGUAGE_COOKIE"])
    if cookie in languages:
        return str(cookie)
    best = request.accept_languages.best_match(languages)
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


_LOCALES: dict[str, Locale] = {}


def _selected_locale() -> Locale:
    """`select_locale`'s choice as Babel's Locale, parsed once per language (Flask-Babel parses
    what the selector returns unless it is a Locale already: ~25 µs a request)."""
    name = select_locale()
    found = _LOCALES.get(name)
    if found is None:
        found = _LOCALES[name] = Locale.parse(name)
    return found


def select_timezone() -> str:
    """Show dates in the user's time zone (Asia/Tokyo unless they chose otherwise)."""
    user = _signed_in_user()
    if user is not None and user.timezone:
        return str(user.timezone)
    return str(current_app.config["BABEL_DEFAULT_TIMEZONE"])


class CatalogueDomain(Domain):
    """Flask-Babel's message domain, keeping the request's catalogue beside its locale:
    Flask-Babel looks it up anew for every string (~10 µs: it builds the locale's name to key
    its cache), and a page translates 30 to 80, in templates and in Python (`_()`). Keyed by the
    locale object itself, so `force_locale` (a mail in its recipient's language) gets its own."""

    def get_translations(self) -> Translations | NullTranslations:
        context = getattr(g, "_flask_babel", None) if g else None
        locale = getattr(context, "babel_locale", None)
        if context is None or locale is None:  # not chosen yet (or no request): Flask-Babel's
            return super().get_translations()
        kept = getattr(context, "sabak_translations", None)
        if kept is not None and kept[0] is locale:
            return kept[1]
        found = super().get_translations()
        context.sabak_translations = (locale, found)
        return found


# --- templates' gettext, in one call --------------------------------------------------------
# Jinja's i18n extension reaches Flask-Babel's catalogue through three nested context calls and
# Flask-Babel's look-ups of its context (~9 µs a string; a page translates 30 to 80). These do
# what it does — Jinja's "newstyle" gettext: the translation is marked safe in an HTML template
# and always formatted with the variables, which are escaped — in one call.


def _catalogue() -> Translations | NullTranslations:
    domain: Domain = babel.domain_instance
    return domain.get_translations()


@pass_eval_context
def template_gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
    text = _catalogue().ugettext(string)
    if eval_ctx.autoescape:
        text = Markup(text)
    if not variables and "%" not in text:  # what formatting would give, without its cost
        return text
    return text % variables


@pass_eval_context
def template_ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    variables.setdefault("num", num)
    text = _catalogue().ungettext(singular, plural, num)
    if eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with our selectors and the quicker catalogue lookup."""
    babel.init_app(app, locale_selector=_selected_locale, timezone_selector=select_timezone)
    app.jinja_env.filters["numberformat"] = format_count
    app.jinja_env.globals.update(
        gettext=template_gettext, _=template_gettext, ngettext=template_ngettext
    )
    # Flask-Babel keeps its domain on the extension object (a cached property, not yet computed
    # on a fresh process), shared by every app of the process
    if not isinstance(vars(babel).get("domain_instance"), CatalogueDomain):
        babel.domain_instance = CatalogueDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))

    @app.after_request
    def vary_on_language(response):
        return vary_on(response, "Accept-Language", "Cookie")
