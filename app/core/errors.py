"""Error pages in the user's language; a CSRF failure gets its own explanation."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db

log = logging.getLogger("sabak")

PAGES = {400, 403, 404, 405, 413, 429, 500}


def _titles() -> dict[int, tuple[str, str]]:
    """Title and explanation of each error page, translated for this request."""
    return {
        400: (
            _("Bad request"),
            _("The request could not be understood. Please go back and try again."),
        ),
        403: (_("Access denied"), _("You do not have permission to view this page.")),
        404: (_("Page not found"), _("The page you are looking for does not exist or has moved.")),
        405: (_("Method not allowed"), _("This page cannot be used in that way.")),
        413: (_("File too large"), _("The file you sent is larger than we accept.")),
        429: (
            _("Too many requests"),
            _(
                "You have made too many requests in a short time. Please wait a little and try again."
            ),
        ),
        500: (
            _("Something went wrong"),
            _(
                "An unexpected error occurred on our side. Nothing you entered was saved twice; "
                "please try again in a moment."
            ),
        ),
    }


def render_error(code: int, *, title: str | None = None, message: str | None = None):
    """The error page for `code`, with an optional more specific title or message."""
    default_title, default_message = _titles().get(code, _titles()[500])
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=title or default_title,
            message=message or default_message,
        ),
        code,
    )


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400,
            title=_("Your session has expired"),
            message=_(
                "For your security the form could not be sent (its security token is missing or "
                "out of date). Please reload the page and send the form again."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code not in PAGES:
            return error
        return render_error(code)

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError):
        db.session.rollback()
        return render_error(500)

    @app.errorhandler(Exception)
    def unhandled(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        if app.testing and app.config.get("PROPAGATE_EXCEPTIONS") is not False:
            raise error
        return render_error(500)
