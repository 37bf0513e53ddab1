"""Home page, health check and the language switcher."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text

from app.core import fragments, immersion
from app.core.dates import (
    format_date,
    format_datetime,
    format_time,
    on_japan_time,
    reader_zone_name,
    relative_date,
)
from app.core.forms import TypingPracticeForm
from app.core.htmx import is_htmx, vary_on_htmx
from app.core.i18n import LANGUAGE_NAMES, beside, content_language, format_number, localized
from app.core.mail import deliver_inline_after_request
from app.core.media import speech_cache
from app.core.nav import NavItem, add_nav_item, home_panels, nav_items, viewer_roles
from app.core.page_cache import cache_for_visitors
from app.core.urls import safe_next
from app.extensions import db, limiter
from app.kyrgyz.answers import check
from app.kyrgyz.speech import SpeechError, SpeechUnavailable, synthesize

bp = Blueprint("core", __name__)

YEAR = 365 * 24 * 3600
# Tells the player whether it plays a teacher's recording or synthetic speech.
AUDIO_SOURCE_HEADER = "X-Audio-Source"


@bp.record_once
def register_navigation(state: BlueprintSetupState) -> None:
    add_nav_item(
        state.app, NavItem("core.typing", lambda: _("Typing Kyrgyz"), public=True, order=80)
    )


# The one family of date filters: every template and e-mail shows time through these.
bp.add_app_template_filter(format_datetime, "datetime")
bp.add_app_template_filter(format_date, "date")
bp.add_app_template_filter(format_time, "time")
bp.add_app_template_filter(relative_date, "relative_date")
bp.add_app_template_global(on_japan_time, "on_japan_time")
bp.add_app_template_global(reader_zone_name, "reader_zone_name")
bp.add_app_template_filter(format_number, "number")
bp.add_app_template_global(localized, "localized")
bp.add_app_template_global(content_language, "content_language")
bp.add_app_template_global(beside, "beside")
bp.add_app_template_global(immersion.title_attributes, "ja_title")
bp.add_app_template_global(fragments.fragment, "fragment")
bp.add_app_template_global(fragments.slot, "slot")


@bp.app_context_processor
def layout_context() -> dict[str, object]:
    """What every page needs: the language, the navigation, the Kyrgyz keyboard's labels."""
    locale = get_locale()
    return {
        "current_locale": locale.language if locale else "ja",
        "language_names": LANGUAGE_NAMES,
        "immersion_url": immersion_url,
        "nav_items": nav_items(current_app),
        "account_items": nav_items(current_app, "account"),
        "viewer_roles": viewer_roles(),  # what the layout's header varies by, with the page
        "kyrgyz_input": kyrgyz_input_attributes,
    }


def immersion_url() -> str:
    """Where the Kyrgyz → Japanese map of this version of the catalogues is served."""
    return url_for("core.immersion_map", version=immersion.current().version)


def kyrgyz_input_attributes(latin: bool = True) -> dict[str, str]:
    """Attributes that give a text field the on-screen keys ң ө ү (static/js/kyrgyz-input.js)."""
    attributes = {
        "data-kyrgyz": "",
        "lang": "ky",
        "autocapitalize": "none",
        "autocorrect": "off",
        "spellcheck": "false",
        "data-kyrgyz-label": _("Insert {letter}"),
        "data-kyrgyz-keys-label": _("Kyrgyz letters"),
        "data-kyrgyz-shift-label": _("Capital letters"),
        "data-kyrgyz-latin-label": _("Latin → Cyrillic"),
    }
    if not latin:
        attributes["data-kyrgyz-latin"] = "off"
    return attributes


@bp.after_app_request
def deliver_queued_mail(response: Response) -> Response:
    """Development: mail queued by this request is written out at once."""
    deliver_inline_after_request()
    return response


@bp.get("/")
@cache_for_visitors
def index() -> str:
    """The landing page for visitors and the home page for signed-in users."""
    panels = home_panels(current_app) if current_user.is_authenticated else []
    return render_template("core/index.html", panels=panels)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """Liveness and database check for load balancers and `make run`."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok"), 200


@bp.post("/language")
def set_language() -> Response:
    """Switch the interface language; remembered in a cookie and in the user's profile."""
    language = request.form.get("language", "")
    target = safe_next(request.form.get("next"), url_for("core.index"))
    response = make_response(redirect(target))
    if language in current_app.config["LANGUAGES"]:
        response.set_cookie(
            current_app.config["LANGUAGE_COOKIE"],
            language,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
        )
        if current_user.is_authenticated and current_user.language != language:
            current_user.language = language
            db.session.commit()
    return response


@bp.get("/immersion/<version>.json")
def immersion_map(version: str) -> ResponseReturnValue:
    """Kyrgyz interface text → its Japanese, for static/js/immersion.js; kept a year by
    browsers, since its URL changes with the catalogues."""
    current = immersion.current()
    if version != current.version:
        return redirect(url_for("core.immersion_map", version=current.version))
    # UTF-8 as it is: escaped, every Cyrillic and Japanese character would take six bytes
    response = current_app.response_class(
        json.dumps(current.japanese, ensure_ascii=False, sort_keys=True),
        mimetype="application/json",
    )
    response.cache_control.public = True
    response.cache_control.max_age = YEAR
    response.cache_control.immutable = True
    response.set_etag(current.version)
    return response.make_conditional(request)


# Typing practice on the "Typing Kyrgyz" page: words that need ң ө ү (Kyrgyz, Japanese, English).
TYPING_PRACTICE = [
    ("Кош келиңиз!", "ようこそ！", "Welcome!"),
    ("үй", "家", "house, home"),
    ("көл", "湖", "lake"),
    ("миң", "千", "thousand"),
    ("Ысык-Көл", "イシク・クル湖", "Issyk-Kul (the lake)"),
    ("түшүнөм", "わかります", "I understand"),
]


@bp.route("/typing", methods=["GET", "POST"])
@cache_for_visitors
def typing() -> ResponseReturnValue:
    """How to type Kyrgyz on each system, and practice with the on-screen keys."""
    form = TypingPracticeForm()
    index = request.values.get("word", 0, type=int) % len(TYPING_PRACTICE)
    verdict = None
    if form.validate_on_submit():
        verdict = check(form.answer.data or "", [TYPING_PRACTICE[index][0]])
    context = {
        "form": form,
        "index": index,
        "word": TYPING_PRACTICE[index],
        "next_index": (index + 1) % len(TYPING_PRACTICE),
        "verdict": verdict,
        "message": verdict.render(_) if verdict else None,
    }
    if is_htmx() and request.method == "POST":
        return vary_on_htmx(make_response(render_template("core/_typing_feedback.html", **context)))
    return vary_on_htmx(make_response(render_template("core/typing.html", **context)))


@bp.get("/speech")
@limiter.limit("120 per minute", scope="speech")
def speech() -> ResponseReturnValue:
    """Synthetic speech of a Kyrgyz word or phrase, made once and then served from the cache."""
    text_to_speak = request.args.get("text", "")
    try:
        result = synthesize(
            text_to_speak,
            speech_cache(),
            timeout=current_app.config["SPEECH_TIMEOUT"],
        )
    except ValueError:
        abort(400)
    except (SpeechUnavailable, SpeechError):
        current_app.logger.exception("speech synthesis failed for %r", text_to_speak[:50])
        abort(503)
    response = send_file(result.path, mimetype=result.mimetype, conditional=True, max_age=YEAR)
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    response.headers[AUDIO_SOURCE_HEADER] = "synthetic"
    return response
