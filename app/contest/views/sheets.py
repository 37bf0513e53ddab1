"""A judge's score sheet as a form, the same in the final and in the preliminary round: a field
per criterion (`forms.score_form`), a comment, a draft or a submission that locks it after a
confirmation. The page draws it with templates/contest/_score_sheet.html."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

from flask import request
from flask_babel import gettext as _
from wtforms import Field

from app.contest.views.common import language
from app.core.confirm import Confirmation, hidden_fields


def prefill(form: Any, sheet: Any) -> None:
    """Show the sheet as it was saved (on a GET; a POST keeps what the judge typed)."""
    if request.method == "GET" and sheet is not None:
        form.comment.data = sheet.comment
        for score in sheet.scores:
            getattr(form, f"c{score.criterion_id}").data = score.value


def fields(form: Any, criteria: Iterable[Any]) -> list[tuple[Any, Field]]:
    """Each criterion with its field, in the rubric's order."""
    return [(criterion, getattr(form, f"c{criterion.id}")) for criterion in criteria]


def values(form: Any, criteria: Iterable[Any]) -> dict[int, int | None]:
    """Criterion id → the score typed (None: none)."""
    return {criterion.id: getattr(form, f"c{criterion.id}").data for criterion in criteria}


def show_problems(form: Any, problems: Iterable[int]) -> None:
    """A score is missing or out of range: say so next to its field."""
    for criterion_id in problems:
        getattr(form, f"c{criterion_id}").errors.append(_("Please give a score."))


def wants_submit() -> bool:
    return request.form.get("action") == "submit"


def going_back() -> bool:
    """The confirmation's "Back to the sheet": the form again, as typed, nothing saved."""
    return bool(request.form.get("back"))


def submit_confirmation(
    number: str,
    criteria: Sequence[Any],
    scores: dict[int, int | None],
    total: Fraction,
    what_happens: str,
) -> Confirmation:
    """The sheet as it will be locked: each score, the weighted total, the comment."""
    lang = language()
    names = ["comment", "action", *(f"c{c.id}" for c in criteria)]
    return Confirmation(
        title=_("Submit the scores of %(number)s?", number=number),
        action=request.path,
        button=_("Submit and lock"),
        cancel_url=request.path,
        cancel_label=_("Back to the sheet"),
        cancel_action=("back", "1"),
        lines=(what_happens,),
        hidden=hidden_fields(names),
        body="contest/_sheet_summary.html",
        context={
            "rows": [(c.name(lang), c.weight, scores.get(c.id), c.max_score) for c in criteria],
            "total": f"{float(total):.2f}",
            "comment": request.form.get("comment", "").strip(),
        },
    )
