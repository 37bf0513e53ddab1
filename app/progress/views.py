"""The progress blueprint: the student dashboard lives here; assignments, grading and the
gradebook add their routes to `bp` from their own modules."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("progress", __name__)
