"""The preliminary round's forms: the organizer's settings and rubric, the registrant's hand-in,
the finalists' choice; formats only, the rules are in `preliminary.py`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.contest.forms import optional_int, parse_criteria
from app.core.fields import (
    strip,
)
from app.core.forms import BaseForm

PRELIMINARY_RUBRIC = "内容 | Content | 40 | 10\n発音 | Pronunciation | 30 | 10\n言葉の正確さ | Language accuracy | 30 | 10"


class PreliminaryForm(BaseForm):
    """The organizer's settings of a division's preliminary round."""

    deadline_at = DateTimeLocalField(
        _l("Hand-in deadline (Japan time)"), validators=[InputRequired()]
    )
    wants_recording = BooleanField(_l("A recorded speech"), default=True)
    max_minutes = IntegerField(
        _l("Longest recording (minutes)"),
        default=5,
        validators=[InputRequired(), NumberRange(min=1, max=30)],
    )
    wants_manuscript = BooleanField(
        _l("The manuscript in Kyrgyz with a Japanese translation"), default=False
    )
    finalists = IntegerField(
        _l("Number of finalists"),
        default=10,
        validators=[InputRequired(), NumberRange(min=1, max=10000)],
        description=_l("At most the division's capacity: every finalist gets a seat in the final."),
    )
    blind = BooleanField(
        _l("Blind: judges see entry numbers, the recording and the text only"), default=True
    )
    tiebreak_position = SelectField(
        _l("Tie-break criterion"), coerce=optional_int, validators=[Optional()], choices=[]
    )
    criteria = TextAreaField(
        _l(
            "Rubric: one criterion per line — Japanese name | English name | weight | maximum score"
            " | what the judges look for (optional)"
        ),
        default=PRELIMINARY_RUBRIC,
        validators=[DataRequired(message=_l("Add at least one criterion."))],
    )

    def validate_criteria(self, field: TextAreaField) -> None:
        try:
            parse_criteria(field.data or "")
        except ValueError as error:
            raise ValidationError(str(error)) from error

    def validate_wants_manuscript(self, field: BooleanField) -> None:
        if not (field.data or self.wants_recording.data):
            raise ValidationError(str(_l("Ask for a recording, a manuscript or both.")))


class EntryForm(BaseForm):
    """A registrant's hand-in: a recording and/or the manuscript with its translation."""

    audio = FileField(_l("Or upload a recording"))
    manuscript_ky = TextAreaField(
        _l("Manuscript in Kyrgyz"), filters=[strip], validators=[Length(max=20000)]
    )
    manuscript_ja = TextAreaField(
        _l("Japanese translation"), filters=[strip], validators=[Length(max=20000)]
    )


class ChoiceForm(BaseForm):
    """Change the default choice of finalists for one entry: the reason is required."""

    reason = TextAreaField(
        _l("Why? (kept in the log)"),
        filters=[strip],
        validators=[DataRequired(message=_l("Please give the reason.")), Length(max=2000)],
    )
