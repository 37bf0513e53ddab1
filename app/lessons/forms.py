"""Forms for classes and joining them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.core.fields import strip
from app.core.forms import BaseForm


class ClassForm(BaseForm):
    course = SelectField(_l("Course"), choices=[], coerce=int)
    name = StringField(
        _l("Class name"),
        validators=[DataRequired(), Length(max=200)],
        filters=[strip],
        description=_l("e.g. 2027年春 入門クラス (火曜夜)"),
    )
    starts_on = DateField(_l("First lesson"), validators=[Optional()])
    ends_on = DateField(_l("Last lesson"), validators=[Optional()])
    schedule = TextAreaField(
        _l("Schedule"),
        validators=[Optional(), Length(max=500)],
        filters=[strip],
        description=_l("e.g. Tuesdays 19:00–20:30 at the Embassy, or online"),
    )
    latin_input = BooleanField(
        _l("Accept answers typed in Latin letters"),
        default=True,
        description=_l(
            "Turn off for contest preparation: students of this class must type Cyrillic in "
            "quizzes (a student in several classes types Cyrillic if any of them turns this off)."
        ),
    )

    def set_courses(self, courses: list[tuple[int, str]]) -> None:
        self.course.choices = [SelectChoice(value, label) for value, label in courses]

    def validate_ends_on(self, field: DateField) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last lesson cannot be before the first one."))


class JoinForm(BaseForm):
    code = StringField(
        _l("Class code"),
        validators=[DataRequired(), Length(max=20)],
        filters=[strip],
        description=_l("Your teacher gives you an 8-character code, e.g. K7QF-3MZP."),
    )
