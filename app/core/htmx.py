"""One place that knows how htmx talks to us."""

from __future__ import annotations

from flask import Response, request


def is_htmx() -> bool:
    """True when the request came from htmx (and wants a fragment, not a page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def vary_on(response: Response, *names: str) -> Response:
    """Add `names` to the response's Vary header, each once. As text: werkzeug's `response.vary`
    parses the header into a set and writes it back on every change (every response pays it)."""
    current = response.headers.get("Vary")
    if not current:
        response.headers["Vary"] = ", ".join(names)
        return response
    present = {part.strip().lower() for part in current.split(",")}
    missing = [name for name in names if name.lower() not in present]
    if missing:
        response.headers["Vary"] = ", ".join([current, *missing])
    return response


def vary_on_htmx(response: Response) -> Response:
    """Caches must keep the fragment and the full page apart."""
    return vary_on(response, "HX-Request")
