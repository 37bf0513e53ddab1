"""Lesson pages for students, classes for teachers and students."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("lessons", __name__)
