"""The base of every contest domain error, and the errors more than one sub-feature raises."""

from __future__ import annotations


class ContestError(Exception):
    """A contest rule was broken; the view turns it into a message."""


class WrongState(ContestError):
    pass


class ResultsPublished(ContestError):
    pass
