"""The recording form: a file from the browser's recorder or the teacher's computer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from app.core.forms import BaseForm


class RecordingForm(BaseForm):
    audio = FileField(
        _l("Audio file"), validators=[FileRequired(message=_l("Please choose an audio file."))]
    )
