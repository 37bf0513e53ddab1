"""The rubric editor's form: criteria, each with levels and their points."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.core.forms import BaseForm, BaseSubform


class LevelForm(BaseSubform):
    description = StringField(_l("Level"), validators=[Length(max=500)])
    points = IntegerField(
        _l("Points"),
        validators=[
            Optional(),
            NumberRange(min=0, max=1000, message=_l("Enter a number from 0 to 1000.")),
        ],
    )


class CriterionForm(BaseSubform):
    title = StringField(_l("Name"), validators=[Length(max=200)])
    description = StringField(_l("What it looks at (optional)"), validators=[Length(max=1000)])
    levels = FieldList(FormField(LevelForm))


def _filled_levels(criterion: Any) -> list[Any]:
    # entry.form: a FormField's own `description` attribute would hide the subform's field
    return [
        level
        for level in (entry.form for entry in criterion.levels)
        if (level.description.data or "").strip() or level.points.data is not None
    ]


def is_blank(criterion: Any) -> bool:
    """A row the teacher left empty (ignored)."""
    return not (criterion.title.data or "").strip() and not _filled_levels(criterion)


class RubricForm(BaseForm):
    title = StringField(
        _l("Title"),
        validators=[InputRequired(message=_l("Please enter a title.")), Length(max=200)],
    )
    description = TextAreaField(_l("Description (optional)"), validators=[Length(max=2000)])
    criteria = FieldList(FormField(CriterionForm))
    more_rows = SubmitField(_l("More rows"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria_errors: list[str] = []

    def validate(self, extra_validators: Any = None) -> bool:
        """Each filled criterion needs a title and at least one level with points."""
        valid = super().validate(extra_validators)
        filled = 0
        for entry in self.criteria:
            criterion = entry.form
            if is_blank(criterion):
                continue
            filled += 1
            if not (criterion.title.data or "").strip():
                criterion.title.errors.append(_l("Please give the criterion a title."))
                valid = False
            levels = _filled_levels(criterion)
            if not levels:
                criterion.title.errors.append(_l("Give the criterion at least one level."))
                valid = False
            for level in levels:
                if level.points.data is None and not level.points.errors:
                    level.points.errors.append(_l("Enter the points."))
                    valid = False
        if self.criteria.entries and not filled:
            self.criteria_errors.append(_l("Add at least one criterion with its levels."))
            valid = False
        return valid
