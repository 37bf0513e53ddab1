"""Security headers on every response (the CSP allows no inline script or style), the CSRF
token's signature reused for a minute, the session cookie's serializer made once."""

from __future__ import annotations

import hashlib
import os
import time

from flask import Flask, Response, current_app, g, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

# Flask-WTF signs the session's CSRF token anew for every page (a timestamped HMAC): one
# signature serves a session's pages for this long, and never more than a tenth of the token's
# time limit (WTF_CSRF_TIME_LIMIT, six hours here), which runs from the signing.
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


def csrf_token() -> str:
    """Flask-WTF's `generate_csrf()` — the session's token, signed, one per request — with its
    serializer made once per secret key: Flask-WTF makes one for every call (a visitor's first
    page pays it)."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    signed = g.get(field)
    if signed is not None:
        return str(signed)
    raw = session.get(field)
    if not isinstance(raw, str):
        raw = session[field] = hashlib.sha1(os.urandom(64)).hexdigest()  # as Flask-WTF makes it
    secret: str | bytes = (
        current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key or ""
    )
    serializer = _CSRF_SERIALIZERS.get(secret)
    if serializer is None:
        serializer = _CSRF_SERIALIZERS[secret] = URLSafeTimedSerializer(
            secret, salt="wtf-csrf-token"
        )
    signed = serializer.dumps(raw)
    setattr(g, field, signed)
    return str(signed)


_CSRF_SERIALIZERS: dict[object, URLSafeTimedSerializer] = {}


def init_app(app: Flask) -> None:
    """Add the headers after every request; reuse CSRF signatures."""
    signatures: dict[tuple[str, str], tuple[str, float]] = {}  # (secret, raw token) → signed

    def reuse_seconds() -> float:
        limit = app.config.get("WTF_CSRF_TIME_LIMIT", 3600)
        return (
            SIGNATURE_REUSE_SECONDS if limit is None else min(SIGNATURE_REUSE_SECONDS, limit / 10)
        )

    def signature_key() -> tuple[str, str] | None:
        raw = session.get(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
        if not isinstance(raw, str):
            return None  # no token yet: generate_csrf makes one when a form needs it
        return (str(app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key), raw)

    @app.before_request
    def reuse_csrf_signature() -> None:
        key = signature_key()
        kept = signatures.get(key) if key else None
        if kept is not None and time.monotonic() - kept[1] < reuse_seconds():
            # what generate_csrf returns for this request
            setattr(g, app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), kept[0])

    @app.after_request
    def keep_csrf_signature(response: Response) -> Response:
        signed = g.get(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
        key = signature_key() if signed else None
        if key is not None:
            now = time.monotonic()
            kept = signatures.get(key)
            if kept is None or now - kept[1] >= reuse_seconds():
                if len(signatures) >= MAX_SIGNATURES:
                    signatures.clear()
                signatures[key] = (signed, now)  # signed by this request
        return response

    headers = [
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
        ("Permissions-Policy", "camera=(), geolocation=(), microphone=(self)"),
    ]
    if app.config.get("SESSION_COOKIE_SECURE"):
        headers.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))

    @app.after_request
    def security_headers(response: Response) -> Response:
        # each unless the view set its own; one pass over the headers, not one per name
        present = {name.lower() for name in response.headers.keys()}  # noqa: SIM118
        for name, value in headers:
            if name.lower() not in present:
                response.headers.add(name, value)
        return response

    app.session_interface = SessionInterface()


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with its serializer made once per secret key rather than
    twice per request (making one signs a test value to learn its kind)."""

    def __init__(self) -> None:
        self._serializers: dict[tuple[object, ...], URLSafeTimedSerializer] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        key = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        serializer = self._serializers.get(key)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            if serializer is None:
                return None
            self._serializers[key] = serializer
        return serializer
