"""Tables of the contest blueprint."""

from __future__ import annotations
