"""Answer report forms: the student's "my answer should count" and the teacher's decision."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from app.core.forms import BaseForm


class ReportForm(BaseForm):
    """ "My answer should be accepted" (the CSRF token only)."""


class ResolveReportForm(BaseForm):
    """A teacher's decision on a report, with an optional reply the student sees."""

    reply = TextAreaField(
        _l("Reply to the student (optional)"), validators=[Optional(), Length(max=500)]
    )
    approve = SubmitField(_l("Accept this answer"))
    reject = SubmitField(_l("Keep the verdict"))
