"""Forms of assignments and submissions: setting an assignment, reopening it, the draft."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.core.dates import TOKYO, tokyo_to_utc
from app.core.forms import BaseForm
from app.progress.models import AssignmentKind

# datetime-local sends 2027-05-31T23:59; the first format is also how the value is shown
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
KIND_LABELS = {AssignmentKind.WRITTEN: _l("Written"), AssignmentKind.SPOKEN: _l("Spoken")}
NO_CHOICE = 0
FIRST_YEAR, LAST_YEAR = 2000, 2100


def sensible_year(form: Any, field: Any) -> None:
    """A date from 2000 to 2100: year 1 or 9999 is a typo (and year 1 in Japan time is before
    the first moment UTC can hold)."""
    value = field.data
    if value is None:
        return
    message = _l("Enter a date from %(first)d to %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(message)
    try:
        tokyo_to_utc(value)
    except (OverflowError, ValueError) as error:
        raise ValidationError(message) from error


class AssignmentForm(BaseForm):
    title = StringField(
        _l("Title"),
        validators=[InputRequired(message=_l("Please enter a title.")), Length(max=200)],
    )
    lesson_id = SelectField(_l("Lesson"), coerce=int, default=NO_CHOICE)
    prompt = TextAreaField(_l("Instructions (Markdown)"), validators=[Length(max=20000)])
    kind = RadioField(
        _l("Kind of answer"),
        choices=[
            SelectChoice(AssignmentKind.WRITTEN.value, _l("Written: students type Kyrgyz")),
            SelectChoice(
                AssignmentKind.SPOKEN.value, _l("Spoken: students record or upload audio")
            ),
        ],
        default=AssignmentKind.WRITTEN.value,
        validators=[InputRequired(message=_l("Please choose the kind of answer."))],
    )
    due_at = DateTimeLocalField(
        _l("Due (Japan time)"),
        format=DATETIME_FORMATS,
        tz=TOKYO,
        validators=[
            InputRequired(message=_l("Please enter the due date and time.")),
            sensible_year,
        ],
    )
    max_points = IntegerField(
        _l("Maximum points"),
        default=10,
        validators=[
            InputRequired(message=_l("Please enter the maximum points.")),
            NumberRange(min=1, max=1000, message=_l("Enter a number from 1 to 1000.")),
        ],
    )
    rubric_id = SelectField(_l("Rubric"), coerce=int, default=NO_CHOICE)
    blind = BooleanField(_l("Blind grading: hide students' names until grades are released"))
    preview = SubmitField(_l("Preview the instructions"))


class ReopenForm(BaseForm):
    until = DateTimeLocalField(
        _l("Open until (Japan time)"),
        format=DATETIME_FORMATS,
        tz=TOKYO,
        validators=[Optional(), sensible_year],
    )


class SubmissionForm(BaseForm):
    """The student's draft; the pressed button (`intent`) says save or submit."""

    text = TextAreaField(_l("Your answer"), validators=[Length(max=20000)])
    audio = FileField(_l("Or upload a recording"))
