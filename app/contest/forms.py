"""Contest forms: formats only; eligibility, seats and uniqueness are the services' job."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from app.contest.models import Status
from app.contest.registration import DETAIL_FIELDS, Details
from app.core.fields import (
    MultiCheckboxField,
    katakana_only,
    password_field,
    strip,
    to_fullwidth_katakana,
)
from app.core.forms import BaseForm

LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z .'\-]*$")
PHONE = re.compile(r"^\+?[0-9][0-9\- ()]{6,20}$")


def nfkc(value: Any) -> Any:
    """Full-width digits and letters (０９０, Ｙａｍａｄａ) become ASCII; spaces around go."""
    import unicodedata

    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


def age_groups() -> list[SelectChoice]:
    return [
        SelectChoice("", _l("Please choose")),
        SelectChoice("u18", _l("Under 18")),
        SelectChoice("18-29", _l("18–29")),
        SelectChoice("30-49", _l("30–49")),
        SelectChoice("50-64", _l("50–64")),
        SelectChoice("65+", _l("65 or older")),
    ]


def affiliations() -> list[SelectChoice]:
    return [
        SelectChoice("", _l("Please choose")),
        SelectChoice("university", _l("University student")),
        SelectChoice("school", _l("High-school student")),
        SelectChoice("company", _l("Company employee")),
        SelectChoice("jica", _l("JICA volunteer (current or former)")),
        SelectChoice("public", _l("Public servant")),
        SelectChoice("course", _l("Embassy Kyrgyz course student")),
        SelectChoice("other", _l("Other")),
    ]


def affiliation_labels() -> dict[str, str]:
    return {str(c.value): str(c.label) for c in affiliations() if c.value}


def age_group_labels() -> dict[str, str]:
    return {str(c.value): str(c.label) for c in age_groups() if c.value}


def status_labels() -> dict[str, str]:
    return {
        Status.PENDING: str(_l("Awaiting approval")),
        Status.CONFIRMED: str(_l("Confirmed")),
        Status.OFFERED: str(_l("Seat offered — please confirm")),
        Status.WAITLISTED: str(_l("On the waiting list")),
        Status.WITHDRAWN: str(_l("Withdrawn")),
        Status.REJECTED: str(_l("Not accepted")),
        Status.EXPIRED: str(_l("Offer expired")),
    }


def short_status_labels() -> dict[str, str]:
    """Column headings of the console's counts table."""
    return status_labels() | {
        Status.OFFERED: str(_l("Offered")),
        Status.WAITLISTED: str(_l("Waiting")),
    }


class DetailsForm(BaseForm):
    """The registrant's details, shared by registration and editing."""

    full_name = StringField(
        _l("Full name (kanji)"),
        validators=[DataRequired(), Length(max=100)],
        filters=[strip],
        description=_l("e.g. 山田 花子"),
    )
    furigana = StringField(
        _l("Furigana (katakana)"),
        validators=[DataRequired(), Length(max=100), katakana_only],
        filters=[to_fullwidth_katakana],
        description=_l("e.g. ヤマダ ハナコ"),
    )
    name_latin = StringField(
        _l("Name in Latin letters"),
        validators=[
            DataRequired(),
            Length(max=100),
            Regexp(LATIN_NAME, message=_l("Please use Latin letters only (e.g. Hanako Yamada).")),
        ],
        filters=[nfkc],
        description=_l("As it should appear on your certificate, e.g. Hanako Yamada"),
    )
    phone = StringField(
        _l("Phone number"),
        validators=[
            DataRequired(),
            Regexp(PHONE, message=_l("Please enter a phone number, e.g. 090-1234-5678.")),
        ],
        filters=[nfkc],
    )
    age_group = SelectField(_l("Age group"), choices=[], validators=[DataRequired()])
    affiliation = SelectField(_l("Affiliation"), choices=[], validators=[DataRequired()])
    affiliation_detail = StringField(
        _l("School, company or organisation (optional)"),
        validators=[Optional(), Length(max=200)],
        filters=[strip],
    )
    study_years = DecimalField(
        _l("Years of studying Kyrgyz"),
        places=1,
        validators=[
            InputRequired(message=_l("Please enter a number, e.g. 1.5.")),
            NumberRange(min=0, max=80),
        ],
        description=_l("In years; 0.5 for six months."),
    )
    study_place = StringField(
        _l("Where you studied"),
        validators=[DataRequired(), Length(max=300)],
        filters=[strip],
        description=_l("e.g. the Embassy's Kyrgyz course, university, self-study, in Bishkek"),
    )
    months_in_kyrgyzstan = IntegerField(
        _l("Time lived in Kyrgyzstan (months, in total)"),
        validators=[
            InputRequired(message=_l("Please enter a number of months (0 if never).")),
            NumberRange(min=0, max=1200),
        ],
    )
    not_native_speaker = BooleanField(
        _l("Kyrgyz is not my native language, and I did not grow up speaking it at home")
    )
    japanese_citizen = BooleanField(_l("I hold Japanese citizenship"))
    speech_title_ky = StringField(
        _l("Title of your speech or recitation in Kyrgyz"),
        validators=[DataRequired(), Length(max=200)],
        filters=[strip],
    )
    speech_title_ja = StringField(
        _l("Title in Japanese"), validators=[DataRequired(), Length(max=200)], filters=[strip]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.age_group.choices = age_groups()
        self.affiliation.choices = affiliations()

    def details(self, *, consent_privacy: bool = True, consent_photos: bool = False) -> Details:
        """The validated data as the services take it."""
        values: dict[str, Any] = {}
        for name in DETAIL_FIELDS:
            if name == "study_months":
                values[name] = round(Decimal(self.study_years.data or 0) * 12)
            elif name in {"consent_privacy", "consent_photos"}:
                field = getattr(self, name, None)
                default = consent_privacy if name == "consent_privacy" else consent_photos
                values[name] = bool(field.data) if field is not None else default
            else:
                values[name] = getattr(self, name).data
        values["affiliation_detail"] = values["affiliation_detail"] or ""
        return Details(**values)

    def load(self, registration: Any) -> None:
        """Fill the form from a registration (GET of the edit page)."""
        for name in DETAIL_FIELDS:
            if name == "study_months":
                self.study_years.data = Decimal(registration.study_months) / 12
            elif hasattr(self, name):
                getattr(self, name).data = getattr(registration, name)


class RegistrationForm(DetailsForm):
    """Registration: the details, the division, consents, and an account for newcomers."""

    division = RadioField(
        _l("Division"),
        coerce=int,
        choices=[],
        validators=[InputRequired(message=_l("Please choose a division."))],
    )
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
        filters=[strip],
    )
    password = password_field(_l("Password for your new Sabak account (8 characters or more)"))
    confirm = PasswordField(
        _l("Password (again)"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    consent_privacy = BooleanField(
        _l("I agree to the handling of my personal data as described in the privacy policy"),
        validators=[DataRequired(message=_l("Please agree to the privacy policy to register."))],
    )
    consent_photos = BooleanField(
        _l("I agree that photos and videos of the contest showing me may be published")
    )

    def for_signed_in_user(self) -> None:
        """A signed-in user registers with their account: no e-mail or password fields."""
        del self.email
        del self.password
        del self.confirm


class EditionForm(BaseForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)])
    title_ja = StringField(_l("Title (Japanese)"), validators=[DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[DataRequired(), Length(max=200)])
    title_ky = StringField(_l("Title (Kyrgyz)"), validators=[Optional(), Length(max=200)])
    registration_opens_at = DateTimeLocalField(
        _l("Registration opens (Japan time)"), validators=[InputRequired()]
    )
    registration_closes_at = DateTimeLocalField(
        _l("Registration closes (Japan time)"), validators=[InputRequired()]
    )
    event_date = DateField(_l("Date of the contest"), validators=[InputRequired()])
    event_time = TimeField(
        _l("Start time (Japan time)"),
        validators=[Optional()],
        description=_l("Given in the reminder e-mails."),
    )
    venue_ja = StringField(_l("Venue (Japanese)"), validators=[Optional(), Length(max=300)])
    venue_en = StringField(_l("Venue (English)"), validators=[Optional(), Length(max=300)])
    venue_address = StringField(
        _l("Venue address"),
        validators=[Optional(), Length(max=300)],
        description=_l("Shown to registrants and put in their calendar."),
    )
    map_url = URLField(
        _l("Map link"),
        validators=[
            Optional(),
            Length(max=500),
            Regexp(r"^https?://\S+$", message=_l("Enter a web address starting with https://.")),
        ],
        description=_l("e.g. a Google Maps or OpenStreetMap link to the venue."),
    )
    bring_ja = TextAreaField(
        _l("What to bring (Japanese)"), validators=[Optional(), Length(max=2000)]
    )
    bring_en = TextAreaField(
        _l("What to bring (English)"), validators=[Optional(), Length(max=2000)]
    )
    rules_ja = TextAreaField(_l("Rules (Japanese, Markdown)"), validators=[Optional()])
    rules_en = TextAreaField(_l("Rules (English, Markdown)"), validators=[Optional()])
    hold_hours = IntegerField(
        _l("Hours to confirm a seat offered from the waiting list"),
        default=72,
        validators=[InputRequired(), NumberRange(min=1, max=24 * 14)],
    )
    published = BooleanField(_l("Published (shown on the public contest page)"), default=True)
    contact_name = StringField(
        _l("Contact for registrants"),
        validators=[Optional(), Length(max=200)],
        description=_l("Shown to registrants, e.g. where they withdraw."),
    )
    contact_email = EmailField(
        _l("Contact e-mail address"), validators=[Optional(), Length(max=254), Email()]
    )

    def validate_registration_closes_at(self, field: DateTimeLocalField) -> None:
        if (
            field.data
            and self.registration_opens_at.data
            and field.data <= self.registration_opens_at.data
        ):
            raise ValidationError(_l("Registration must close after it opens."))


class DivisionForm(BaseForm):
    slug = StringField(
        _l("Short name (Latin letters)"),
        validators=[DataRequired(), Length(max=40), Regexp(r"^[a-z0-9-]+$")],
        description=_l("Names the kind of division across years, e.g. beginner-speech."),
    )
    letter = StringField(
        _l("Letter in participant numbers"),
        validators=[DataRequired(), Regexp(r"^[A-Z]$", message=_l("One capital letter, e.g. A."))],
    )
    position = IntegerField(_l("Position on the page"), default=0, validators=[Optional()])
    name_ja = StringField(_l("Name (Japanese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    name_ky = StringField(_l("Name (Kyrgyz)"), validators=[Optional(), Length(max=200)])
    description_ja = TextAreaField(_l("Description (Japanese)"), validators=[Optional()])
    description_en = TextAreaField(_l("Description (English)"), validators=[Optional()])
    capacity = IntegerField(_l("Capacity"), validators=[InputRequired(), NumberRange(min=0)])
    speech_minutes = DecimalField(
        _l("Speech time limit (minutes)"),
        places=1,
        validators=[InputRequired(), NumberRange(min=0.5, max=60)],
    )
    requires_moderation = BooleanField(_l("Organizers approve each registration"))
    min_study_years = DecimalField(
        _l("Studied Kyrgyz at least (years)"), places=1, validators=[Optional(), NumberRange(min=0)]
    )
    max_study_years = DecimalField(
        _l("Studied Kyrgyz at most (years)"), places=1, validators=[Optional(), NumberRange(min=0)]
    )
    max_months_in_kyrgyzstan = IntegerField(
        _l("Lived in Kyrgyzstan at most (months)"), validators=[Optional(), NumberRange(min=0)]
    )
    bar_native_speakers = BooleanField(_l("No native or heritage speakers"), default=True)
    require_japanese_citizenship = BooleanField(_l("Japanese citizens only"), default=True)
    bar_past_first_prize = BooleanField(
        _l("Past first-prize winners of this division may not enter"), default=True
    )
    criteria = TextAreaField(
        _l(
            "Rubric: one criterion per line — Japanese name | English name | weight | maximum score"
            " | what the judges look for (optional)"
        ),
        validators=[DataRequired(message=_l("Add at least one criterion."))],
        description=_l("e.g. 発音 | Pronunciation | 20 | 10 | 長母音と ө・ү の区別"),
    )

    def validate_criteria(self, field: TextAreaField) -> None:
        try:
            parse_criteria(field.data or "")
        except ValueError as error:
            raise ValidationError(str(error)) from error


def parse_criteria(text: str) -> list[tuple[str, str, int, int, str]]:
    """Lines "名前 | Name | weight | max | description" → (ja, en, weight, max, description);
    weight and max default to 1 and 10, the description to none."""
    criteria = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        try:
            weight = int(parts[2]) if len(parts) > 2 and parts[2] else 1
            maximum = int(parts[3]) if len(parts) > 3 and parts[3] else 10
        except ValueError:
            raise ValueError(
                str(_l("Line %(n)d: weight and maximum must be whole numbers.", n=number))
            ) from None
        if len(parts) < 2 or not parts[0] or not parts[1] or weight <= 0 or maximum <= 0:
            raise ValueError(str(_l("Line %(n)d: write 名前 | Name | weight | maximum.", n=number)))
        description = " | ".join(parts[4:])[:500]
        criteria.append((parts[0], parts[1], weight, maximum, description))
    if not criteria:
        raise ValueError(str(_l("Add at least one criterion.")))
    return criteria


class CapacityForm(BaseForm):
    capacity = IntegerField(
        _l("Capacity"), validators=[InputRequired(), NumberRange(min=0, max=10000)]
    )


class RejectForm(BaseForm):
    reason = TextAreaField(
        _l("Reason (sent to the registrant)"),
        validators=[
            DataRequired(message=_l("Please give a reason; it is sent to the registrant.")),
            Length(max=2000),
        ],
    )


class DivisionMailForm(BaseForm):
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=20000)])
    statuses = MultiCheckboxField(_l("Send to"), choices=[], validators=[DataRequired()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = status_labels()
        self.statuses.choices = [
            SelectChoice(s.value, labels[s])
            for s in (Status.CONFIRMED, Status.OFFERED, Status.WAITLISTED, Status.PENDING)
        ]
        if not self.statuses.data:
            self.statuses.data = [Status.CONFIRMED.value]


class ActionForm(BaseForm):
    """A button that changes something: only the CSRF token."""


class MoveForm(BaseForm):
    """Move a registration to another division of its edition (the console)."""

    division = SelectField(
        _l("Move to"),
        coerce=int,
        choices=[],
        validators=[InputRequired(message=_l("Please choose a division."))],
    )
    override_eligibility = BooleanField(
        _l("Move even if the registrant does not meet this division's conditions")
    )


class AssignJudgeForm(BaseForm):
    judge = SelectField(_l("Judge"), coerce=int, validators=[InputRequired()])


def scoring_labels() -> dict[str, str]:
    return {"mean": str(_l("Mean of all judges")),
            "trimmed": str(_l("Trimmed mean (drop the highest and lowest with 3 or more judges)"))}  # fmt: skip


def optional_int(value: Any) -> int | None:
    return None if value in (None, "", "None") else int(value)


class JudgingSettingsForm(BaseForm):
    blind = BooleanField(_l("Blind judging: judges see participant numbers only"))
    scoring = SelectField(_l("Combining the judges' totals"), validators=[InputRequired()])
    tiebreak_position = SelectField(
        _l("Tie-break criterion"), coerce=optional_int, validators=[Optional()]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scoring.choices = list(scoring_labels().items())


class ConflictForm(BaseForm):
    reason = StringField(_l("Reason (optional)"), filters=[strip], validators=[Length(max=200)])


class UnlockForm(BaseForm):
    reason = TextAreaField(
        _l("Why is this sheet reopened?"),
        filters=[strip],
        validators=[DataRequired(message=_l("Please give the reason.")), Length(max=2000)],
    )


def score_form(criteria: list[Any]) -> type[BaseForm]:
    """A score sheet form with one number field per rubric criterion (`c<id>`)."""

    class ScoreSheetForm(BaseForm):
        comment = TextAreaField(_l("Comment"), filters=[strip], validators=[Length(max=4000)])

    for criterion in criteria:
        setattr(
            ScoreSheetForm,
            f"c{criterion.id}",
            IntegerField(
                criterion.name_ja,
                validators=[Optional(), NumberRange(min=0, max=criterion.max_score)],
            ),
        )
    return ScoreSheetForm
