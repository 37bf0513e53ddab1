"""What a request may carry into the app, checked once for every route: its size, ids in URLs,
integers in query strings and forms, text in URL segments and query strings.

A body over MAX_CONTENT_LENGTH is refused from its Content-Length before any of it is read, and
the refused body is then read and thrown away (up to DRAIN_LIMIT): a server that answers and
closes with the upload still arriving resets the connection, and the browser shows that instead
of our 413 page.

The smallest integer column of the databases we run on is PostgreSQL's INTEGER, so an id beyond
it names nothing (404) rather than failing in the database. Browsers drop tabs and newlines from
URLs, and no URL of ours means a control character, so a segment holding one matches no route
(404) and query-string values lose them (a search for "田中<NUL>" is a search for "田中").
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Request, Response, current_app, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter, Map, UnicodeConverter, ValidationError
from werkzeug.utils import cached_property

DRAIN_LIMIT = 64 * 1024 * 1024
UNREAD = "sabak.unread_body"  # set when a body was refused before any of it was read
DB_INT_MAX = 2**31 - 1
DB_INT_MIN = -(2**31)
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def database_int(value: Any) -> int:
    """`int(value)` if an INTEGER column can hold it, else ValueError (so `get(type=...)` says no)."""
    number = int(value)
    if not DB_INT_MIN <= number <= DB_INT_MAX:
        raise ValueError(f"{number} is beyond the database's integer range")
    return number


def page_number() -> int:
    """The `?page=` of a paginated list: a number from 1 the database can handle, else 1."""
    number = request.args.get("page", 1, type=database_int)
    return number if number >= 1 else 1


class IdConverter(IntegerConverter):
    """The app's `int` converter: non-negative and within an INTEGER column, else no route (404)."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = DB_INT_MAX,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)

    def to_python(self, value: str) -> Any:
        try:
            return super().to_python(value)
        except ValueError:  # more digits than Python converts
            raise ValidationError() from None


class TextConverter(UnicodeConverter):
    """The app's default converter: one URL segment without control characters."""

    def __init__(self, map: Map, minlength: int = 1, maxlength: int | None = None) -> None:
        super().__init__(map, minlength, maxlength)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f]")


class Params(ImmutableMultiDict[str, str]):
    """Query-string and form values whose `get(..., type=int)` only gives ints the database holds."""

    def get(self, key: str, default: Any = None, type: Any = None) -> Any:  # type: ignore[override]
        return super().get(key, default, database_int if type is int else type)


class SabakRequest(Request):
    """Flask's request with `Params` for args and form, and query-string text without controls."""

    parameter_storage_class = Params

    @cached_property
    def args(self) -> Params:
        """The URL parameters, control characters removed."""
        raw = super().args  # werkzeug's parsing, then ours on top
        return Params((key, CONTROL.sub("", value)) for key, value in raw.items(multi=True))


def refuse_large_body() -> None:
    """Answer 413 from the Content-Length alone (a blueprint's handler may put it on its form)."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if limit is not None and (request.content_length or 0) > limit:
        request.environ[UNREAD] = True
        raise RequestEntityTooLarge()


def drain_refused_body(response: Response) -> Response:
    """Read what is left of a refused upload, so the client gets the 413 page, not a reset."""
    if request.environ.get(UNREAD):
        stream = request.environ["wsgi.input"]
        remaining = min(request.content_length or 0, DRAIN_LIMIT)
        while remaining > 0:
            chunk = stream.read(min(remaining, 64 * 1024))
            if not chunk:
                break
            remaining -= len(chunk)
    return response


def init_app(app: Flask) -> None:
    """Install the converters (before any blueprint adds its routes), the request class and the
    size check (before any other extension reads the body)."""
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["default"] = TextConverter
    app.url_map.converters["string"] = TextConverter
    app.request_class = SabakRequest
    app.before_request(refuse_large_body)
    app.after_request(drain_refused_body)
