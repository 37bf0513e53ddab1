"""Sentence forms: the word bank (tap a word: without JavaScript each tap posts the order so
far) and the typed sentence."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField
from wtforms.validators import Length, Regexp

from app.core.forms import BaseForm

TOKEN = Regexp(r"^[A-Za-z0-9_-]{8,32}$")


class BankForm(BaseForm):
    """The order of the tiles on the answer line; `add` / `remove` are the tapped tile's button,
    `action` says check or start again."""

    token = HiddenField(validators=[TOKEN])
    order = HiddenField(validators=[Length(max=200), Regexp(r"^[0-9,]*$")])
    add = StringField(validators=[Length(max=10)])
    remove = StringField(validators=[Length(max=10)])
    action = StringField(validators=[Length(max=10)])


class TypedSentenceForm(BaseForm):
    token = HiddenField(validators=[TOKEN])
    answer = StringField(_l("The sentence in Kyrgyz"), validators=[Length(max=500)])
