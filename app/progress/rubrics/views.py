"""The rubric pages: a teacher's rubrics (and those used in their classes), the editor, which
works without JavaScript (blank rows, more rows, errors in place), and duplicating.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import Role
from app.core.decorators import roles_required
from app.core.nav import NavItem, add_nav_item
from app.extensions import db
from app.progress.models import Rubric
from app.progress.rubrics import services
from app.progress.rubrics.forms import CriterionForm, RubricForm, is_blank
from app.progress.rubrics.services import CriterionDetails, LevelDetails, RubricDetails
from app.progress.views import bp

TEACHERS = (Role.TEACHER, Role.ADMIN)


# --- navigation ------------------------------------------------------------------------------


@bp.record_once
def register_rubric_navigation(state: BlueprintSetupState) -> None:
    add_nav_item(
        state.app,
        NavItem("progress.rubrics", lambda: _("Rubrics"), roles=frozenset(TEACHERS), order=24),
    )


# --- rubrics ---------------------------------------------------------------------------------


@bp.get("/rubrics")
@roles_required(*TEACHERS)
def rubrics() -> ResponseReturnValue:
    """The teacher's rubrics (and those used in their classes), with where they are used."""
    return render_template("progress/rubrics.html", rows=services.teacher_rubrics(current_user))


def add_blank_rows(form: RubricForm, *, more: bool = False) -> None:
    """Rows to fill in: a blank level under each criterion (at least three rows) and a blank
    criterion (three for a new rubric); `more` adds one more of each."""
    for entry in form.criteria:
        levels = entry.form.levels
        wanted = len(levels) + 1 if more else max(3, len(levels) + 1)
        while len(levels) < wanted:
            levels.append_entry()
    new_criteria = 3 if not form.criteria.entries and not more else 1
    for _n in range(new_criteria):
        criterion = form.criteria.append_entry()
        while len(criterion.form.levels) < 3:
            criterion.form.levels.append_entry()


def rubric_details(form: RubricForm) -> RubricDetails:
    """The form as plain values; empty rows are left out, no criteria rows: keep them."""
    criteria = []
    for entry in form.criteria:
        criterion: CriterionForm = entry.form
        if is_blank(criterion):
            continue
        levels = tuple(
            LevelDetails(
                description=(level.description.data or "").strip(), points=level.points.data
            )
            for level in (row.form for row in criterion.levels)
            if level.points.data is not None
        )
        criteria.append(
            CriterionDetails(
                title=(criterion.title.data or "").strip(),
                description=(criterion.description.data or "").strip(),
                levels=levels,
            )
        )
    return RubricDetails(
        title=form.title.data or "",
        description=form.description.data or "",
        criteria=tuple(criteria) if form.criteria.entries else None,
    )


def render_rubric_form(form: RubricForm, rubric: Rubric | None, locked: bool) -> str:
    return render_template("progress/rubric_form.html", form=form, rubric=rubric, locked=locked)


@bp.route("/rubrics/new", methods=["GET", "POST"])
@roles_required(*TEACHERS)
def new_rubric() -> ResponseReturnValue:
    """A new rubric: criteria, each with levels and their points."""
    form = RubricForm()
    if form.is_submitted() and form.more_rows.data:
        add_blank_rows(form, more=True)
    elif form.validate_on_submit():
        details = rubric_details(form)
        if not details.criteria:
            form.criteria_errors.append(_("Add at least one criterion with its levels."))
        else:
            rubric = services.create_rubric(current_user, details)
            db.session.commit()
            flash(_("The rubric “%(title)s” has been saved.", title=rubric.title), "success")
            return redirect(url_for("progress.rubrics"))
    elif not form.is_submitted():
        add_blank_rows(form)
    return render_rubric_form(form, None, False)


def editable_rubric(rubric_id: int) -> Rubric:
    rubric = services.get_rubric(rubric_id)
    if rubric is None or not services.can_edit_rubric(current_user, rubric):
        abort(404)
    return rubric


@bp.route("/rubrics/<int:rubric_id>/edit", methods=["GET", "POST"])
@roles_required(*TEACHERS)
def edit_rubric(rubric_id: int) -> ResponseReturnValue:
    """Change a rubric; once grades use its levels only its title and description."""
    rubric = editable_rubric(rubric_id)
    locked = services.rubric_locked(rubric)
    form = RubricForm(obj=rubric)
    if form.is_submitted() and form.more_rows.data and not locked:
        add_blank_rows(form, more=True)
    elif form.validate_on_submit():
        try:
            services.update_rubric(rubric, rubric_details(form))
        except services.RubricLocked:
            db.session.rollback()
            rubric = editable_rubric(rubric_id)
            form = RubricForm(formdata=None, obj=rubric)
            form.title.data = request.form.get("title", rubric.title)
            form.criteria_errors.append(
                _(
                    "Work has been graded with this rubric, so its criteria and points can no "
                    "longer change. Duplicate it to make a copy you can change."
                )
            )
            return render_rubric_form(form, rubric, True)
        db.session.commit()
        flash(_("The rubric “%(title)s” has been saved.", title=rubric.title), "success")
        return redirect(url_for("progress.rubrics"))
    elif not form.is_submitted() and not locked:
        add_blank_rows(form)
    return render_rubric_form(form, rubric, locked)


@bp.post("/rubrics/<int:rubric_id>/duplicate")
@roles_required(*TEACHERS)
def duplicate_rubric(rubric_id: int) -> ResponseReturnValue:
    """An editable copy of a rubric, owned by the current teacher."""
    rubric = services.get_rubric(rubric_id)
    if rubric is None or not services.can_use_rubric(current_user, rubric):
        abort(404)
    title = _("%(title)s (copy)", title=rubric.title)[:200]
    copy = services.duplicate_rubric(rubric, current_user, title)
    db.session.commit()
    flash(_("A copy has been made. You can change it freely."), "success")
    return redirect(url_for("progress.edit_rubric", rubric_id=copy.id))
