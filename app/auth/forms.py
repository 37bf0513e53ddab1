"""Account forms; formats only — uniqueness and permissions are the services' job."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from app.auth.models import Role
from app.core.fields import (
    MultiCheckboxField,
    katakana_only,
    password_field,
    strip,
    to_fullwidth_katakana,
)
from app.core.forms import BaseForm
from app.core.i18n import LANGUAGE_NAMES

LANGUAGE_CHOICES = [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]
TIMEZONE_CHOICES = [
    SelectChoice("Asia/Tokyo", _l("Japan (Tokyo)")),
    SelectChoice("Asia/Bishkek", _l("Kyrgyzstan (Bishkek)")),
    SelectChoice("UTC", "UTC"),
    SelectChoice("Europe/London", _l("United Kingdom (London)")),
    SelectChoice("America/New_York", _l("United States (New York)")),
]


class LoginForm(BaseForm):
    email = EmailField(
        _l("E-mail address"), validators=[DataRequired(), Length(max=254)], filters=[strip]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in on this device"))


class SignupForm(BaseForm):
    display_name = StringField(
        _l("Name"), validators=[DataRequired(), Length(max=100)], filters=[strip]
    )
    name_katakana = StringField(
        _l("Name in katakana (optional)"),
        validators=[Optional(), Length(max=100), katakana_only],
        filters=[to_fullwidth_katakana],
    )
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
        filters=[strip],
    )
    password = password_field(_l("Password (8 characters or more)"))
    confirm = PasswordField(
        _l("Password (again)"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    language = SelectField(_l("Interface language"), choices=LANGUAGE_CHOICES, default="ja")


class ProfileForm(BaseForm):
    display_name = StringField(
        _l("Name"), validators=[DataRequired(), Length(max=100)], filters=[strip]
    )
    name_katakana = StringField(
        _l("Name in katakana (optional)"),
        validators=[Optional(), Length(max=100), katakana_only],
        filters=[to_fullwidth_katakana],
    )
    language = SelectField(_l("Interface language"), choices=LANGUAGE_CHOICES)
    timezone = SelectField(
        _l("Time zone"),
        choices=TIMEZONE_CHOICES,
        description=_l(
            "Deadlines and other times on the site and in e-mails are shown in this time zone, "
            "and your daily review starts a new day at its midnight. The contest's date and "
            "start stay in Japan time."
        ),
    )


class ChangePasswordForm(BaseForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = password_field(_l("New password (8 characters or more)"))
    confirm = PasswordField(
        _l("New password (again)"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )


class ResetRequestForm(BaseForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
        filters=[strip],
    )


class ResetPasswordForm(BaseForm):
    password = password_field(_l("New password (8 characters or more)"))
    confirm = PasswordField(
        _l("New password (again)"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )


def role_labels() -> dict[str, Any]:
    return {
        Role.STUDENT: _l("Student"),
        Role.TEACHER: _l("Teacher"),
        Role.ORGANIZER: _l("Organizer"),
        Role.JUDGE: _l("Judge"),
        Role.ADMIN: _l("Administrator"),
    }


class UserAdminForm(BaseForm):
    roles = MultiCheckboxField(_l("Roles"), choices=[])
    active = BooleanField(_l("Account is active (can sign in)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.roles.choices = [SelectChoice(v, label) for v, label in role_labels().items()]
