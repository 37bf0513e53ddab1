"""The base of every form in the app, and the forms of the cross-cutting pages.

Every form derives from `BaseForm` (or `BaseSubform` inside a FieldList), which gives each field
the rules no field may break, with a message next to it: text without control characters
(line breaks and tabs only where the field takes several lines), whole numbers an INTEGER column
holds, finite decimals, and dates in years a calendar of ours can show. A required field that
is left empty says which one it is ("Please enter “Full name (kanji)”." / 「氏名（漢字）を入力して
ください。」) instead of WTForms' "This field is required." on every field.
"""

from __future__ import annotations

import copy
import math
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import (
    BooleanField,
    DateField,
    DateTimeField,
    DecimalField,
    Field,
    FloatField,
    Form,
    IntegerField,
    SelectFieldBase,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.csrf.core import CSRFTokenField
from wtforms.meta import DefaultMeta
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from app.core.inputs import CONTROL, DB_INT_MAX, DB_INT_MIN

FIRST_YEAR, LAST_YEAR = 1900, 2200
LINE_BREAKS = str.maketrans("", "", "\t\n\r")


def no_control_characters(form: Any, field: Field) -> None:
    """Refuse NUL and other control characters (and lone surrogates) in a line of text."""
    if isinstance(field.data, str) and CONTROL.search(field.data):
        raise StopValidation(_l("Please remove the invisible control characters from this text."))


def no_control_characters_but_line_breaks(form: Any, field: Field) -> None:
    """As `no_control_characters`, but text over several lines keeps its line breaks and tabs."""
    if isinstance(field.data, str) and CONTROL.search(field.data.translate(LINE_BREAKS)):
        raise StopValidation(_l("Please remove the invisible control characters from this text."))


def database_integer(form: Any, field: Field) -> None:
    """Refuse whole numbers the database can't store."""
    if isinstance(field.data, int) and not DB_INT_MIN <= field.data <= DB_INT_MAX:
        raise StopValidation(_l("Please enter a smaller number."))


def finite_number(form: Any, field: Field) -> None:
    """Refuse infinity and not-a-number, which a decimal field would otherwise accept."""
    value = field.data
    if (isinstance(value, Decimal) and not value.is_finite()) or (
        isinstance(value, float) and not math.isfinite(value)
    ):
        raise StopValidation(_l("Please enter a number."))


def plausible_year(form: Any, field: Field) -> None:
    """Refuse dates whose year no calendar of ours shows (and time zones can't convert)."""
    if isinstance(field.data, date) and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(
            _l(
                "Please enter a date between %(first)d and %(last)d.",
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
        )


RULES: list[tuple[type[Field], Any]] = [
    (TextAreaField, no_control_characters_but_line_breaks),
    (StringField, no_control_characters),
    (IntegerField, database_integer),
    (DecimalField, finite_number),
    (FloatField, finite_number),
    (DateTimeField, plausible_year),
    (DateField, plausible_year),
]


def required_message(field: Field) -> Any:
    """What an empty required field says, naming it by its label: enter, choose or tick."""
    label = field.label.text
    if isinstance(field, SelectMultipleField):
        return _l("Please choose at least one in “%(field)s”.", field=label)
    if isinstance(field, SelectFieldBase):
        return _l("Please choose “%(field)s”.", field=label)
    if isinstance(field, BooleanField):
        return _l("Please tick “%(field)s”.", field=label)
    return _l("Please enter “%(field)s”.", field=label)


def named_required(field: Field) -> list[Any]:
    """The field's validators, a required rule without its own message given one naming the field
    (a copy: the unbound field's validators are shared by every form built from the class)."""
    validators = []
    for validator in field.validators:
        if isinstance(validator, DataRequired | InputRequired) and validator.message is None:
            validator = copy.copy(validator)
            validator.message = required_message(field)
        validators.append(validator)
    return validators


class CsrfInput(HiddenInput):
    """The CSRF token's hidden input as WTForms' HiddenInput draws it, without its general
    attribute writer: ~40 µs a form down to a few (84 templates draw `form.csrf_token`). Still a
    HiddenInput, so Flask-WTF's `hidden_tag()` draws it."""

    def __call__(self, field: Any, **attributes: Any) -> Markup:
        if attributes or field.render_kw:  # a template asked for more: WTForms draws it
            return super().__call__(field, **attributes)
        return Markup('<input id="{0}" name="{1}" type="hidden" value="{2}">').format(
            field.id, field.name, field._value()
        )


CSRF_INPUT = CsrfInput()


class InputRulesMeta(DefaultMeta):
    """Puts the rule of each kind of field in front of the field's own validators, and names the
    field in its "required" message."""

    def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
        field = super().bind_field(form, unbound_field, options)
        if isinstance(field, CSRFTokenField):
            field.widget = CSRF_INPUT
            return field
        if field.label.text:
            field.validators = named_required(field)
        for kind, rule in RULES:
            if isinstance(field, kind):
                field.validators = [rule, *field.validators]
                break
        return field


class BaseForm(FlaskForm):
    """A page's form (CSRF-protected) with the app's input rules."""

    class Meta(InputRulesMeta, FlaskForm.Meta):
        pass


class BaseSubform(Form):
    """A repeated part of a form (FieldList of FormField) with the app's input rules."""

    class Meta(InputRulesMeta):
        pass


class TypingPracticeForm(BaseForm):
    answer = StringField(_l("Your answer"), validators=[Length(max=200)])
