"""Configuration: class defaults, then the environment (DATABASE_URL, SECRET_KEY, SABAK_*), then test config."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Config:
    """Defaults shared by every environment; nothing secret here."""

    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None  # default: SQLite file in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {"pool_pre_ping": True}

    # Interface languages; Japanese first because most of our users are Japanese. Content written
    # only in Japanese and English is read in Japanese by Kyrgyz readers (app/core/i18n.py).
    LANGUAGES = ("ja", "en", "ky")
    BABEL_DEFAULT_LOCALE = "ja"
    BABEL_DEFAULT_TIMEZONE = "Asia/Tokyo"
    LANGUAGE_COOKIE = "sabak_lang"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE: bool | None = None  # None: secure unless debug or testing
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    SESSION_MAX_AGE_DAYS = 30  # a sign-in ends on the server after this, even if kept signed in
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = 6 * 3600

    # Limits counted in the database (app/auth/limits.py), so every worker and host shares them:
    # failed sign-ins per e-mail address and per client address, reset requests, sign-ups.
    LOGIN_LIMIT_PER_EMAIL = "5 per 15 minutes"
    LOGIN_LIMIT_PER_ADDRESS = "30 per 15 minutes"
    RESET_LIMIT_PER_EMAIL = "3 per hour"
    RESET_LIMIT_PER_ADDRESS = "10 per hour"
    SIGNUP_LIMIT_PER_ADDRESS = "20 per hour"
    RATELIMIT_ENABLED = True  # off: no limit at all, these nor Flask-Limiter's (tests, benchmarks)
    # SABAK_REDIS_URL: storage for Flask-Limiter's other limits (contest registration, speech),
    # shared by several workers; without it each worker counts those alone. The visitors' page
    # cache keeps its pages and generations there too (else pages per process, generations in the DB).
    REDIS_URL: str | None = None
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True  # a Redis outage must not turn logins into 500s
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Visitors' pages kept whole (app/core/page_cache.py): at most this many seconds (0: no
    # cache), less when their data changes; this many pages per process when there is no Redis.
    PAGE_CACHE_SECONDS = 60
    PAGE_CACHE_ENTRIES = 500
    PROXY_FIX = 0  # number of trusted proxies in front of the app (X-Forwarded-For)

    PASSWORD_RESET_MAX_AGE = 3600  # seconds

    # Mail: written to the outbox table, delivered by `flask mail send`.
    MAIL_BACKEND = "file"  # "file" (instance/mail/*.eml) or "smtp"
    MAIL_FROM = "Sabak <no-reply@sabak.example>"
    MAIL_DELIVER_INLINE: bool | None = None  # None: only with the file backend
    MAIL_DIR: str | None = None  # default: instance/mail
    SMTP_HOST = "localhost"
    SMTP_PORT = 25
    SMTP_USER: str | None = None
    SMTP_PASSWORD: str | None = None
    SMTP_STARTTLS = False
    SMTP_SSL = False
    SMTP_TIMEOUT = 10
    MAIL_MAX_ATTEMPTS = 8
    MAIL_RETRY_BASE_SECONDS = 60
    MAIL_KEEP_DAYS = 365  # sent and failed mail is deleted after this (`flask mail prune`)

    # Uploaded recordings: "folder" (instance/media/, one machine) or "database" (the stored_files
    # table, which every app host shares; set it on every host of a multi-host deployment).
    MEDIA_STORAGE = "folder"

    SPEECH_TIMEOUT = 5  # seconds espeak-ng may take for one word or phrase
    SITE_URL: str | None = None  # e.g. https://sabak.example; links in e-mails
    LOG_JSON = True
    # The privacy policy's promise: contest registrants' details are erased this long after the day.
    CONTEST_DATA_RETENTION_YEARS = 3
    # ... and reservations made without an account are deleted this long after their event ended.
    EVENT_VISITOR_RESERVATION_KEEP_DAYS = 90


def _coerce(value: str, default: Any) -> Any:
    """Turn an environment string into the type of the setting's default."""
    if isinstance(default, bool) or (
        default is None and value.lower() in {"true", "false", "1", "0"}
    ):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    return value


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Read DATABASE_URL, SECRET_KEY and every SABAK_<NAME> variable as setting <NAME>."""
    settings: dict[str, Any] = {}
    if environ.get("DATABASE_URL"):
        settings["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(environ["DATABASE_URL"])
    if environ.get("SECRET_KEY"):
        settings["SECRET_KEY"] = environ["SECRET_KEY"]
    for key, value in environ.items():
        if key.startswith("SABAK_") and key not in {"SABAK_INSTANCE_PATH"}:
            name = key.removeprefix("SABAK_")
            settings[name] = _coerce(value, getattr(Config, name, None))
    return settings


def normalize_database_url(url: str) -> str:
    """Accept the postgres:// URLs hosting services hand out and use psycopg 3 for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def instance_path() -> str:
    """The instance folder: SABAK_INSTANCE_PATH, else instance/ at the project root."""
    return os.environ.get("SABAK_INSTANCE_PATH") or str(PROJECT_ROOT / "instance")
