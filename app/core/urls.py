"""Links: redirect targets taken from the request must stay on this site; the links every page
draws are built once."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, request, url_for

_LINKS = "sabak_links"  # (script root, endpoint, static file) → link, in app.extensions


def safe_next(target: str | None, default: str) -> str:
    """Return `target` if it is a path on this site, else `default` (no open redirects)."""
    if not target:
        return default
    target = target.strip()
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def link_for(endpoint: str, **values: Any) -> str:
    """`url_for` for templates, remembering the links that depend on nothing but their endpoint
    (a static file: and its name), as each page draws some thirty of them (the navigation, the
    styles and scripts) and Werkzeug builds each anew (~10 µs). Links with any other value, a
    relative endpoint or an external link are built as usual."""
    if endpoint.startswith(".") or not has_request_context():
        return url_for(endpoint, **values)
    if values and (endpoint != "static" or values.keys() != {"filename"}):
        return url_for(endpoint, **values)
    key = (request.script_root, endpoint, values.get("filename"))
    links: dict[tuple[str, str, str | None], str] = current_app.extensions.setdefault(_LINKS, {})
    link = links.get(key)
    if link is None:
        link = links[key] = url_for(endpoint, **values)
    return link


def init_app(app: Flask) -> None:
    """Templates build their links with `link_for`."""
    app.jinja_env.globals["url_for"] = link_for
