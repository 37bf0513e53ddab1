"""The calendar blueprint: each person's private calendar feed (a subscription URL for Google
Calendar or the iPhone) with their assignments' deadlines, their contest day, their event
reservations and volunteer shifts."""

from app.calendar import models  # noqa: F401  (registers the table)
from app.calendar.views import bp

__all__ = ["bp"]
