"""One place that knows how htmx talks to us."""

from __future__ import annotations

from flask import Response, request


def is_htmx() -> bool:
    """True when the request came from htmx (and wants a fragment, not a page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def vary_on_htmx(response: Response) -> Response:
    """Caches must keep the fragment and the full page apart."""
    response.vary.add("HX-Request")
    return response
