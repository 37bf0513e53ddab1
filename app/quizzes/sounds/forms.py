"""Forms of minimal-pair listening: starting a round, and the two-button choice."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField
from wtforms.validators import AnyOf, InputRequired, NumberRange, Optional

from app.core.forms import BaseForm
from app.kyrgyz.minimal_pairs import BY_KEY


class SoundStartForm(BaseForm):
    """A start button; `contrast` (hidden) is one contrast's key, or empty for a mix."""

    contrast = StringField(validators=[Optional(), AnyOf(list(BY_KEY))])


class SoundAnswerForm(BaseForm):
    """Two submit buttons named `choice`, valued 0 and 1: one tap answers."""

    choice = IntegerField(
        _l("Which word did you hear?"),
        validators=[
            InputRequired(_l("Choose one of the two words.")),
            NumberRange(0, 1, _l("Choose one of the two words.")),
        ],
    )
