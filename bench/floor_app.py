"""The second yardstick of bench_pages.py: the least a signed-in page can cost on Flask.

`GET /` is what every signed-in page of Sabak must do at the least, and nothing else: Flask's
signed session cookie names the person (and is written back, as Sabak's is), one sqlite3
statement reads their name, and Jinja draws a page with a CSRF token — Sabak's own typing page as
it was served a moment before (`FLOOR_PAGE`, saved by bench_pages.py), compiled once.
No Flask-Login, SQLAlchemy, Flask-Babel or Flask-WTF, no navigation drawn, no hooks. Sabak's
signed-in floor (its typing page) over this one's requests per second is what its layers cost.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from pathlib import Path

from flask import Flask, session

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]  # the same in every worker (benchlib sets it)
PAGE = app.jinja_env.from_string(Path(os.environ["FLOOR_PAGE"]).read_text(encoding="utf-8"))
DATABASE = os.environ["FLOOR_DATABASE"]
_connection: sqlite3.Connection | None = None


def connection() -> sqlite3.Connection:
    global _connection
    if _connection is None:  # one per worker process, opened after the fork
        _connection = sqlite3.connect(DATABASE)
    return _connection


@app.get("/")
def page() -> str:
    user_id = session.setdefault("user_id", int(os.environ["FLOOR_USER_ID"]))
    row = connection().execute("SELECT display_name FROM users WHERE id = ?", (user_id,)).fetchone()
    token = session.setdefault("csrf_token", secrets.token_hex(20))
    return PAGE.render(name=row[0], csrf_token=token)


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
