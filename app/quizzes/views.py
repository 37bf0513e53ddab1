"""Pages of the quizzes blueprint."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("quizzes", __name__)
