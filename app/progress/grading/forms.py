"""Forms of the grading workflow: the queue's filters, the grade form (with a radio group per
rubric criterion) and the release buttons."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DecimalField, RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from app.core.forms import BaseForm
from app.progress.grading.queue import STATE_FILTERS, QueueFilter, QueueFilters
from app.progress.models import Rubric

FEEDBACK_LENGTH = 10_000


def queue_filters(args: Mapping[str, str]) -> QueueFilters:
    """The queue's filters from the query string; anything unknown means "no filter"."""

    def number(name: str) -> int | None:
        value = args.get(name, "")
        return int(value) if value.isdigit() else None

    state = args.get("state", QueueFilter.NEEDS_WORK)
    return QueueFilters(
        class_id=number("class"),
        assignment_id=number("assignment"),
        state=state if state in STATE_FILTERS else QueueFilter.NEEDS_WORK,
        page=number("page") or 1,
    )


class GradeForm(BaseForm):
    """The grade: points (without a rubric), written feedback, an optional spoken comment.

    The form's version (Grade.version as loaded) and the version being graded travel as hidden
    inputs the template writes itself, so that a refused save can send the newer version along.
    """

    points = DecimalField(
        _l("Points"),
        places=2,
        validators=[Optional(), NumberRange(min=0)],
        render_kw={"step": "0.01"},
    )
    feedback = TextAreaField(_l("Written feedback"), validators=[Length(max=FEEDBACK_LENGTH)])
    feedback_audio = FileField(_l("Or upload an audio file"))
    remove_audio = BooleanField(_l("Remove the spoken comment"))
    save_draft = SubmitField(_l("Save draft"))
    save_graded = SubmitField(_l("Save as graded"))
    save_next = SubmitField(_l("Save and next"))  # as graded, then the queue's next submission

    def criterion_field(self, criterion_id: int) -> RadioField:
        return self[f"criterion_{criterion_id}"]

    def rubric_choices(self, rubric: Rubric) -> dict[int, int | None]:
        """The chosen level of every criterion (None: not chosen)."""
        return {c.id: self.criterion_field(c.id).data for c in rubric.criteria}


def grade_form_class(rubric: Rubric | None) -> type[GradeForm]:
    """The grade form for an assignment: one radio group of levels per rubric criterion.

    Unscored criteria are allowed in a draft, so the choices are checked by the service."""
    fields = {}
    for criterion in rubric.criteria if rubric is not None else []:
        fields[f"criterion_{criterion.id}"] = RadioField(
            criterion.title,
            choices=[SelectChoice(level.id, level.description) for level in criterion.levels],
            coerce=int,
            validate_choice=False,
        )
    return type("RubricGradeForm", (GradeForm,), fields)


class ReleaseForm(BaseForm):
    """A release button: only the CSRF token is sent."""
