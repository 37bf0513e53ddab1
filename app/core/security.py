"""Security headers on every response (the CSP allows no inline script or style), and the
CSRF token's signature reused for a minute."""

from __future__ import annotations

import time

from flask import Flask, Response, g, session
from flask_wtf.csrf import generate_csrf

# Flask-WTF signs the session's CSRF token anew for every page (a timestamped HMAC): one
# signature serves a session's pages for this long. The token's time limit
# (WTF_CSRF_TIME_LIMIT, an hour) runs from the signing, so a page gets at most this much less.
SIGNATURE_REUSE_SECONDS = 60
MAX_SIGNATURES = 10_000

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self' blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_app(app: Flask) -> None:
    """Add the headers after every request; reuse CSRF signatures."""
    signatures: dict[tuple[str, str], tuple[str, float]] = {}  # (secret, raw token) → signed

    @app.before_request
    def reuse_csrf_signature() -> None:
        field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        raw = session.get(field)
        if not isinstance(raw, str):
            return  # a session without a token yet: generate_csrf makes one when a form needs it
        key = (str(app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key), raw)
        now = time.monotonic()
        kept = signatures.get(key)
        if kept is not None and now - kept[1] < SIGNATURE_REUSE_SECONDS:
            setattr(g, field, kept[0])  # what generate_csrf returns for this request
            return
        if len(signatures) >= MAX_SIGNATURES:
            signatures.clear()
        signatures[key] = (generate_csrf(), now)

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), geolocation=(), microphone=(self)"
        )
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response
