"""Sabak: Kyrgyz-language courses and contest for the Embassy of the Kyrgyz Republic in Tokyo."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import Config, from_environment, instance_path


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, error handlers, commands."""
    app = Flask(
        __name__,
        instance_path=instance_path(),
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    configure(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def configure(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    """Class defaults, then the environment, then the test config; refuse to run without a secret."""
    app.config.from_object(Config)
    app.config.update(from_environment(os.environ))
    if test_config:
        app.config.update(test_config)

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(
            app.instance_path, "sabak.sqlite3"
        )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # Writers queue for SQLite's single write lock; let them wait rather than fail.
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options.setdefault("connect_args", {"timeout": 30})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if not app.config["SECRET_KEY"]:
        secret_file = Path(app.instance_path) / "secret_key"
        if secret_file.exists():
            app.config["SECRET_KEY"] = secret_file.read_text().strip()
        elif app.debug or app.testing:
            app.config["SECRET_KEY"] = "development-only-not-secret"
        else:
            raise RuntimeError(
                "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
                "(or run `make run` in development, which writes instance/secret_key)."
            )
    if app.config["SESSION_COOKIE_SECURE"] is None:
        secure = not (app.debug or app.testing)
        app.config["SESSION_COOKIE_SECURE"] = secure
        app.config["REMEMBER_COOKIE_SECURE"] = secure
    if app.config["REDIS_URL"]:
        app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"])
    else:
        app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    if app.config["MAIL_DIR"] is None:
        app.config["MAIL_DIR"] = os.path.join(app.instance_path, "mail")
    if app.config["MAIL_DELIVER_INLINE"] is None:
        app.config["MAIL_DELIVER_INLINE"] = app.config["MAIL_BACKEND"] == "file"
    if app.config["PROXY_FIX"]:
        n = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    """Bind the extensions of app.extensions to this app."""
    from app.core import i18n, inputs, logs, page_cache, security, urls
    from app.core.dbtypes import render_migration_item
    from app.extensions import csrf, db, limiter, login_manager, migrate

    inputs.init_app(app)
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(app.root_path).parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_item,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    logs.init_app(app)
    page_cache.init_app(app)
    urls.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Mount each feature under its URL prefix."""
    from app import auth, calendar, contest, core, events, lessons, privacy, progress, quizzes

    app.register_blueprint(core.bp)
    app.register_blueprint(auth.bp, url_prefix="/auth")
    app.register_blueprint(lessons.bp, url_prefix="/lessons")
    app.register_blueprint(quizzes.bp, url_prefix="/quizzes")
    app.register_blueprint(contest.bp, url_prefix="/contest")
    app.register_blueprint(events.bp, url_prefix="/events")
    app.register_blueprint(progress.bp, url_prefix="/progress")
    app.register_blueprint(privacy.bp, url_prefix="/privacy")
    app.register_blueprint(calendar.bp, url_prefix="/calendar")


def register_errorhandlers(app: Flask) -> None:
    """Error pages in the user's language, and the CSRF page."""
    from app.core import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    """CLI commands: seeding and mail live in core, the others on their blueprints."""
    from app.core import cli

    cli.init_app(app)
