"""Fields, filters and validators more than one feature's forms use (names, passwords, choices)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, PasswordField, SelectMultipleField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

KATAKANA = re.compile(r"^[\u30A0-\u30FF\u3000 ]+$")
MIN_PASSWORD = 8


def strip(value: Any) -> Any:
    """Filter: surrounding spaces go."""
    return value.strip() if isinstance(value, str) else value


def to_fullwidth_katakana(value: Any) -> Any:
    """Half-width katakana (ｶﾀｶﾅ) becomes full-width; surrounding spaces go."""
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


def katakana_only(form: Any, field: Field) -> None:
    """A name written in katakana only (the furigana of a Japanese name)."""
    if field.data and not KATAKANA.match(field.data):
        raise ValidationError(_l("Please write your name in katakana (e.g. ヤマダ ハナコ)."))


def password_field(label: Any) -> PasswordField:
    """A new password: 8 to 128 characters."""
    return PasswordField(
        label,
        validators=[
            DataRequired(),
            Length(min=MIN_PASSWORD, max=128, message=_l("Use between 8 and 128 characters.")),
        ],
    )


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
