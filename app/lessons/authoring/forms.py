"""Forms of teacher authoring; formats only — uniqueness lives in app.lessons.authoring.services."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp, ValidationError

from app.core.fields import strip
from app.core.forms import BaseForm
from app.kyrgyz.normalize import has_cyrillic, has_latin
from app.lessons.authoring.services import RESERVED_SLUGS
from app.lessons.models import ItemKind

# The parts of speech a word may have (the values are stored; the labels are translated).
POS_LABELS = {
    "noun": _l("noun"),
    "verb": _l("verb"),
    "adjective": _l("adjective"),
    "adverb": _l("adverb"),
    "pronoun": _l("pronoun"),
    "numeral": _l("numeral"),
    "phrase": _l("phrase"),
    "postposition": _l("postposition"),
    "conjunction": _l("conjunction"),
    "particle": _l("particle"),
    "interjection": _l("interjection"),
    "proper_noun": _l("proper noun"),
    "question_word": _l("question word"),
}
KIND_LABELS = {ItemKind.WORD: _l("Word"), ItemKind.PHRASE: _l("Phrase")}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_NOTES = 20_000


def single_line(value: Any) -> Any:
    """NFC, no surrounding spaces, inner runs of spaces as one."""
    return (
        " ".join(unicodedata.normalize("NFC", value).split()) if isinstance(value, str) else value
    )


def lines_of(text: str | None) -> list[str]:
    """The lines of a one-entry-per-line textarea, trimmed, without blank ones."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def no_mixed_scripts(form: BaseForm, field: StringField | TextAreaField) -> None:
    """A Latin look-alike inside a Cyrillic word (кoл with a Latin o) would never match answers."""
    for word in (field.data or "").split():
        if has_cyrillic(word) and has_latin(word):
            raise ValidationError(
                _l(
                    "“%(word)s” mixes Latin and Cyrillic letters. Please type the whole word in "
                    "Cyrillic.",
                    word=word,
                )
            )


def each_line_at_most(length: int) -> Any:
    """A validator: no line of the textarea is longer than `length`."""

    def check(form: BaseForm, field: TextAreaField) -> None:
        if any(len(line) > length for line in lines_of(field.data)):
            raise ValidationError(_l("Each line may have at most %(n)d characters.", n=length))

    return check


class LessonForm(BaseForm):
    title_ja = StringField(
        _l("Title (Japanese)"), validators=[DataRequired(), Length(max=200)], filters=[strip]
    )
    title_en = StringField(
        _l("Title (English)"), validators=[DataRequired(), Length(max=200)], filters=[strip]
    )
    title_ky = StringField(
        _l("Title (Kyrgyz)"),
        validators=[DataRequired(), Length(max=200), no_mixed_scripts],
        filters=[single_line],
    )
    goals_ja = TextAreaField(
        _l("Goals (Japanese)"), validators=[Optional(), Length(max=2000), each_line_at_most(300)]
    )
    goals_en = TextAreaField(
        _l("Goals (English)"), validators=[Optional(), Length(max=2000), each_line_at_most(300)]
    )
    notes_ja = TextAreaField(_l("Notes (Japanese)"), validators=[Length(max=MAX_NOTES)])
    notes_en = TextAreaField(_l("Notes (English)"), validators=[Length(max=MAX_NOTES)])
    published = BooleanField(_l("Published (students can see this lesson)"))
    preview = SubmitField(_l("Preview"))


class NewLessonForm(LessonForm):
    slug = StringField(
        _l("Address (optional)"),
        validators=[
            Optional(),
            Length(max=80),
            Regexp(
                SLUG,
                message=_l("Use lower-case letters a–z, digits and hyphens, e.g. at-the-bazaar."),
            ),
        ],
        filters=[strip, lambda v: v.lower() if isinstance(v, str) else v],
    )

    def validate_slug(self, field: StringField) -> None:
        if field.data in RESERVED_SLUGS:
            raise ValidationError(_l("This address is reserved. Please choose another one."))


class NotesPreviewForm(BaseForm):
    notes_ja = TextAreaField(validators=[Length(max=MAX_NOTES)])
    notes_en = TextAreaField(validators=[Length(max=MAX_NOTES)])


class PublishForm(BaseForm):
    # "1" publishes, "0" hides; without a value the state is toggled.
    published = HiddenField(validators=[Optional(), AnyOf(["0", "1"])])
    next = HiddenField()


class ItemForm(BaseForm):
    ky = StringField(
        _l("Kyrgyz"),
        validators=[DataRequired(), Length(max=200), no_mixed_scripts],
        filters=[single_line],
    )
    ja = StringField(
        _l("Japanese meaning"), validators=[DataRequired(), Length(max=300)], filters=[strip]
    )
    en = StringField(
        _l("English meaning"), validators=[DataRequired(), Length(max=300)], filters=[strip]
    )
    pos = SelectField(
        _l("Part of speech"), choices=[SelectChoice(v, label) for v, label in POS_LABELS.items()]
    )
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(str(v), label) for v, label in KIND_LABELS.items()]
    )
    also_accepted = TextAreaField(
        _l("Also accepted answers (one per line)"),
        validators=[Optional(), Length(max=2000), each_line_at_most(200), no_mixed_scripts],
    )
    example_ky = StringField(
        _l("Example sentence (Kyrgyz)"),
        validators=[Optional(), Length(max=500), no_mixed_scripts],
        filters=[single_line],
    )
    example_ja = StringField(
        _l("Example (Japanese translation)"),
        validators=[Optional(), Length(max=500)],
        filters=[strip],
    )
    example_en = StringField(
        _l("Example (English translation)"),
        validators=[Optional(), Length(max=500)],
        filters=[strip],
    )
    add_another = SubmitField(_l("Save and add another"))

    def validate(self, extra_validators: Any = None) -> bool:
        """An example is a sentence with both its translations (as in the course files), or none."""
        valid = super().validate(extra_validators)
        example = {
            self.example_ky: _l("Please write the example sentence in Kyrgyz too."),
            self.example_ja: _l("Please give the Japanese translation of the example."),
            self.example_en: _l("Please give the English translation of the example."),
        }
        if any(field.data for field in example):
            for field, message in example.items():
                if not field.data:
                    field.errors.append(message)
                    valid = False
        return valid


class MoveItemForm(BaseForm):
    direction = HiddenField(validators=[DataRequired(), AnyOf(["up", "down"])])


class ConfirmForm(BaseForm):
    """A button that changes something: only the CSRF token is sent."""


class EditorForm(BaseForm):
    """Add an editor to a course by the e-mail address of their account."""

    email = StringField(
        _l("E-mail address of a teacher"), validators=[DataRequired(), Length(max=254)]
    )
