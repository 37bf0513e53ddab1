"""Forms of the events blueprint: formats only; the rules live in the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.core.forms import BaseForm
from app.events.models import EventKind


def kind_labels() -> dict[str, str]:
    return {
        EventKind.CONCERT: str(_l("Concert")),
        EventKind.FILM: str(_l("Film screening")),
        EventKind.LECTURE: str(_l("Lecture")),
        EventKind.RECEPTION: str(_l("Reception")),
        EventKind.EXHIBITION: str(_l("Exhibition")),
        EventKind.OTHER: str(_l("Other")),
    }


class EventForm(BaseForm):
    kind = SelectField(_l("Kind"), choices=[])
    title_ja = StringField(_l("Title (Japanese)"), validators=[DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[DataRequired(), Length(max=200)])
    title_ky = StringField(_l("Title (Kyrgyz)"), validators=[Length(max=200)])
    description_ja = TextAreaField(_l("Description (Japanese)"), validators=[Length(max=5000)])
    description_en = TextAreaField(_l("Description (English)"), validators=[Length(max=5000)])
    description_ky = TextAreaField(_l("Description (Kyrgyz)"), validators=[Length(max=5000)])
    capacity = IntegerField(
        _l("Seats for the public"),
        validators=[Optional(), NumberRange(min=0, max=100000)],
        description=_l("Leave empty when the public needs no reservation."),
    )
    withdraw_hours = IntegerField(
        _l("Volunteers may withdraw until (hours before their shift)"),
        default=48,
        validators=[DataRequired(), NumberRange(min=0, max=720)],
    )
    contact_email = EmailField(
        _l("Contact address"),
        validators=[Optional(), Email(check_deliverability=False), Length(max=254)],
    )
    published = BooleanField(_l("Published (shown to the public)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = list(kind_labels().items())


class SessionForm(BaseForm):
    day = DateField(_l("Date"), validators=[DataRequired()])
    starts = TimeField(_l("Starts (Japan time)"), validators=[DataRequired()])
    ends = TimeField(_l("Ends (Japan time)"), validators=[DataRequired()])
    venue_name = StringField(_l("Venue"), validators=[DataRequired(), Length(max=200)])
    venue_address = StringField(_l("Address"), validators=[Length(max=300)])
    map_url = StringField(
        _l("Map link"), validators=[Optional(), URL(require_tld=True), Length(max=500)]
    )

    def validate_ends(self, field: TimeField) -> None:
        if self.starts.data and field.data and field.data <= self.starts.data:
            raise ValidationError(_l("The end must come after the start."))


class RoleForm(BaseForm):
    name_ja = StringField(_l("Role (Japanese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Role (English)"), validators=[DataRequired(), Length(max=200)])
    name_ky = StringField(_l("Role (Kyrgyz)"), validators=[Length(max=200)])
    requirements_ja = TextAreaField(_l("What is needed (Japanese)"), validators=[Length(max=2000)])
    requirements_en = TextAreaField(_l("What is needed (English)"), validators=[Length(max=2000)])


class ShiftForm(BaseForm):
    role_id = SelectField(_l("Role"), coerce=int, choices=[], validate_choice=True)
    day = DateField(_l("Date"), validators=[DataRequired()])
    starts = TimeField(_l("Starts (Japan time)"), validators=[DataRequired()])
    ends = TimeField(_l("Ends (Japan time)"), validators=[DataRequired()])
    needed = IntegerField(
        _l("People needed"), default=1, validators=[DataRequired(), NumberRange(min=1, max=500)]
    )

    def validate_ends(self, field: TimeField) -> None:
        if self.starts.data and field.data and field.data <= self.starts.data:
            raise ValidationError(_l("The end must come after the start."))


class ReserveForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )


class HoursForm(BaseForm):
    hours = DecimalField(
        _l("Hours"),
        places=2,
        validators=[DataRequired(), NumberRange(min=Decimal("0.25"), max=Decimal(24))],
    )


class CallClassForm(BaseForm):
    class_id = SelectField(_l("Class"), coerce=int, choices=[], validate_choice=True)
    note = TextAreaField(_l("A few words to the students"), validators=[Length(max=2000)])


class ActionForm(BaseForm):
    """A button that changes something: only the CSRF token."""


class AssignForm(BaseForm):
    """An organizer puts a person found by the search on a shift that needs people."""

    shift_id = SelectField(_l("Shift"), coerce=int, choices=[], validate_choice=True)
    user_id = IntegerField(validators=[DataRequired()])
