"""Irreversible actions ask first: a page without JavaScript, a <dialog> with it.

A trigger form (the `confirm_form` macro, or any form or button with `data-confirm`) posts to
the action without the flag; the view answers with `ask(...)`, which changes nothing. The
confirmation posts again with `confirmed=1`, and only then does the view act. static/js/confirm.js
fetches the same confirmation and shows it in a dialog instead of a page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import make_response, render_template, request
from flask.typing import ResponseReturnValue

from app.core.htmx import vary_on

CONFIRMED_FIELD = "confirmed"
DIALOG_HEADER = "X-Sabak-Confirm"


def confirmed() -> bool:
    """True when a POST carries the confirmation's flag: the person has seen what will happen."""
    return request.method == "POST" and request.form.get(CONFIRMED_FIELD) == "1"


@dataclass(frozen=True)
class Confirmation:
    """What the confirmation says and where its buttons lead."""

    title: str
    action: str  # the URL the confirmed form posts to
    button: str  # the confirming button's label
    cancel_url: str
    cancel_label: str
    lines: tuple[str, ...] = ()  # what will happen, one paragraph each
    hidden: tuple[tuple[str, str], ...] = ()  # values posted again with the flag
    body: str | None = None  # a template shown under the lines (e.g. a score sheet)
    cancel_action: tuple[str, str] | None = None  # cancel posts name=value instead of a link
    context: dict[str, object] = field(default_factory=dict)  # for `body`


def hidden_fields(names: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The request's values of `names`, to post them again with the confirmation."""
    return tuple((name, request.form.get(name, "")) for name in names)


def ask(confirmation: Confirmation) -> ResponseReturnValue:
    """The confirmation as a page, or as the dialog's content when confirm.js asks for it."""
    dialog = request.headers.get(DIALOG_HEADER) == "dialog"
    template = "core/_confirm.html" if dialog else "core/confirm.html"
    response = make_response(render_template(template, c=confirmation, **confirmation.context), 200)
    if dialog:
        response.headers[DIALOG_HEADER] = "dialog"
    vary_on(response, DIALOG_HEADER)
    response.headers["Cache-Control"] = "no-store"
    return response
