"""Tables of the quizzes blueprint."""

from __future__ import annotations
