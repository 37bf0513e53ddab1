"""The progress blueprint. Its pages live with their sub-features (assignments, rubrics,
grading, the gradebook and the dashboards), each adding its routes to `bp` from its own
`views.py`; `app/progress/__init__.py` imports them all."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("progress", __name__)
