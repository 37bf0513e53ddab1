"""The yardstick of bench_pages.py: a Flask hello-world, served by the same gunicorn as Sabak.

`GET /` answers a line of text, `POST /` reads its form and answers it back, `/healthz` is there
so that benchlib.wait_for sees it start. Nothing else: what it costs is gunicorn, Werkzeug and
Flask, so a page's requests per second over this one's is what Sabak's own work leaves.
"""

from __future__ import annotations

from flask import Flask, request

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"


@app.post("/")
def hello_post() -> str:
    return f"Hello, {request.form.get('answer', '')}!"


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
