"""Privacy forms: a new policy version, agreeing to it, deleting an account, purging an edition."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.core.forms import BaseForm


class PolicyForm(BaseForm):
    body_ja = TextAreaField(
        _l("Policy in Japanese (Markdown)"), validators=[DataRequired(), Length(max=100_000)]
    )
    body_en = TextAreaField(
        _l("Policy in English (Markdown)"), validators=[DataRequired(), Length(max=100_000)]
    )
    changes = StringField(
        _l("What changed (shown in the list of versions)"),
        validators=[Optional(), Length(max=500)],
    )
    published_on = DateField(
        _l("In force from"),
        validators=[InputRequired()],
        description=_l("Signed-in people are asked to agree again from this day."),
    )


class ConsentForm(BaseForm):
    agree = BooleanField(
        _l("I have read the privacy policy and agree to it"),
        validators=[DataRequired(message=_l("Please agree to the privacy policy to continue."))],
    )


class DeleteAccountForm(BaseForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    understood = BooleanField(
        _l("I understand that my account is deleted for good and cannot be restored"),
        validators=[DataRequired(message=_l("Please confirm that you understand."))],
    )


class PurgeEditionForm(BaseForm):
    year = StringField(
        _l("Type the year of the edition to confirm"),
        validators=[DataRequired(message=_l("Please type the year to confirm.")), Length(max=4)],
    )
