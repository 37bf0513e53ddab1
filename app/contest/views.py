"""Pages of the contest blueprint."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("contest", __name__)
