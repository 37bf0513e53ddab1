"""Structured logging: one JSON line per request, and errors with their traceback."""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, request, session

REQUEST_LOGGER = "sabak.request"


class JsonFormatter(logging.Formatter):
    """Format a log record as one JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def init_app(app: Flask) -> None:
    """Log each request with its status, duration and user."""
    if app.config.get("LOG_JSON") and not app.testing:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        for name in (REQUEST_LOGGER, "sabak", app.logger.name):
            logger = logging.getLogger(name)
            logger.handlers[:] = [handler]
            logger.setLevel(logging.INFO)
            logger.propagate = False
    request_logger = logging.getLogger(REQUEST_LOGGER)

    @app.before_request
    def start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response: Response) -> Response:
        started = g.get("request_started")
        duration = (time.perf_counter() - started) * 1000 if started else None
        # From the session, not current_user: after a commit that would reload the user.
        user_id = session.get("_user_id")
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "fields": {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(duration, 1) if duration is not None else None,
                    "user": str(user_id).split(":")[0] if user_id else None,
                    "remote": request.remote_addr,
                }
            },
        )
        return response
