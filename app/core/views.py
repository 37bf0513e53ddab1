"""Home page, health check and the language switcher."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import text

from app.core.mail import deliver_inline_after_request
from app.core.nav import nav_items
from app.core.urls import safe_next
from app.extensions import db

bp = Blueprint("core", __name__)


@bp.app_context_processor
def layout_context() -> dict[str, object]:
    """What base.html needs on every page: the language and the navigation."""
    locale = get_locale()
    return {
        "current_locale": locale.language if locale else "ja",
        "nav_items": nav_items(current_app),
    }


@bp.after_app_request
def deliver_queued_mail(response: Response) -> Response:
    """Development: mail queued by this request is written out at once."""
    deliver_inline_after_request()
    return response


@bp.get("/")
def index() -> str:
    """The landing page for visitors and the home page for signed-in users."""
    return render_template("core/index.html")


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
