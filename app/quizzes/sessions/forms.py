"""Answer forms: typed answers, choices, matching pairs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from app.core.forms import BaseForm


class TypedAnswerForm(BaseForm):
    answer = StringField(_l("Your answer"), validators=[Length(max=500)])


class ChoiceAnswerForm(BaseForm):
    # Any value is accepted: a choice not among the question's is judged as no answer.
    answer = RadioField(_l("Meaning"), choices=[], validate_choice=False)


class MatchAnswerForm(BaseForm):
    """One select per Kyrgyz word; the fields are added by `match_form`."""

    def chosen(self) -> dict[int, int | None]:
        """{word id: chosen meaning id}, None where nothing was chosen."""
        result: dict[int, int | None] = {}
        for field in self:
            if field.name.startswith("pair_"):
                value = field.data
                result[int(field.name[5:])] = int(value) if value and value.isdigit() else None
        return result


def match_form(pairs: Sequence[dict[str, Any]], options: Sequence[tuple[str, str]]) -> Any:
    """A MatchAnswerForm with a select for each pair (`options`: (meaning id, meaning))."""

    class Form(MatchAnswerForm):
        pass

    for pair in pairs:
        field = SelectField(
            pair["ky"],
            choices=[SelectChoice("", "—"), *(SelectChoice(v, label) for v, label in options)],
            validate_choice=False,
            default="",
        )
        setattr(Form, f"pair_{pair['id']}", field)
    return Form()
