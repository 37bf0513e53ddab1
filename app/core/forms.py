"""Forms of the cross-cutting pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length


class TypingPracticeForm(FlaskForm):
    answer = StringField(_l("Your answer"), validators=[Length(max=200)])
