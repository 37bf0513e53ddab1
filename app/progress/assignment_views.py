"""Assignments, rubrics and submissions: the teacher's pages and the student's.

Teachers (of the class, or admins) set assignments and reopen them for a student; students of
the class write or record their answer, save drafts and submit versions. Everything is loaded
through app.progress.access, so anything a user may not see is a 404.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import (
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms.fields.choices import SelectChoice

from app.auth.models import Role
from app.core import dates
from app.core.confirm import Confirmation, ask, confirmed
from app.core.decorators import roles_required
from app.core.errors import render_error
from app.core.markdown import render_notes
from app.core.nav import NavItem, add_nav_item
from app.extensions import db
from app.lessons.access import class_or_404, is_enrolled, teaches
from app.lessons.models import CourseClass
from app.progress import assignments
from app.progress.access import class_student_or_404, submission_or_404, taught_assignment_or_404
from app.progress.assignment_forms import (
    KIND_LABELS,
    NO_CHOICE,
    AssignmentForm,
    CriterionForm,
    ReopenForm,
    RubricForm,
    SubmissionForm,
    is_blank,
)
from app.progress.assignments import (
    AssignmentDetails,
    CriterionDetails,
    LevelDetails,
    RubricDetails,
)
from app.progress.blind import shows_student_name
from app.progress.models import Assignment, AssignmentKind, Rubric, Submission
from app.progress.views import bp

TEACHERS = (Role.TEACHER, Role.ADMIN)
MAX_RECORDING_SECONDS = 300


def language() -> str:
    locale = get_locale()
    return locale.language if locale else "ja"


# --- navigation and template helpers ---------------------------------------------------------


def open_assignments_badge() -> int:
    """Open assignments the signed-in student hasn't submitted, counted once per request."""
    if "progress_open_assignments" not in g:
        g.progress_open_assignments = assignments.open_unsubmitted_count(
            current_user.id, dates.now()
        )
    return int(g.progress_open_assignments)


@bp.record_once
def register_assignment_navigation(state: BlueprintSetupState) -> None:
    add_nav_item(
        state.app,
        NavItem(
            "progress.my_assignments",
            lambda: _("Assignments"),
            roles=frozenset({Role.STUDENT}),
            badge=open_assignments_badge,
            order=16,
        ),
    )
    add_nav_item(
        state.app,
        NavItem("progress.rubrics", lambda: _("Rubrics"), roles=frozenset(TEACHERS), order=24),
    )


def grade_student_url(assignment_id: int, user_id: int) -> str:
    """The grading page of a student's work (created on demand for a non-submission)."""
    return url_for("progress.grade_student", assignment_id=assignment_id, student_id=user_id)


def prompt_html(text: str) -> Markup:
    return render_notes(text, _)


# --- teachers: a class's assignments ---------------------------------------------------------


@bp.get("/classes/<int:class_id>/assignments")
@login_required
def class_assignments(class_id: int) -> ResponseReturnValue:
    """A class's assignments with how many students submitted and how many are graded."""
    course_class = class_or_404(class_id, current_user)
    return render_template(
        "progress/class_assignments.html",
        course_class=course_class,
        rows=assignments.class_assignment_summaries(class_id),
        kind_labels=KIND_LABELS,
        now=dates.now(),
    )


def fill_choices(
    form: AssignmentForm, course_class: CourseClass, current: Assignment | None
) -> None:
    """The class's lessons and the rubrics this teacher may choose."""
    lang = language()
    current_lesson = current.lesson_id if current else None
    form.lesson_id.choices = [SelectChoice(str(NO_CHOICE), _("No lesson"))] + [
        SelectChoice(str(lesson.id), lesson.title(lang))
        for lesson in assignments.class_lessons(course_class.course_id, current_lesson)
    ]
    rubrics = assignments.rubric_choices(
        current_user, course_class.id, current.rubric_id if current else None
    )
    form.rubric_id.choices = [SelectChoice(str(NO_CHOICE), _("No rubric"))] + [
        SelectChoice(
            str(r.id), _("%(title)s (%(points)d points)", title=r.title, points=r.max_points)
        )
        for r in rubrics
    ]


def assignment_details(form: AssignmentForm) -> AssignmentDetails:
    """The validated form as plain values; the due date converted to UTC."""
    return AssignmentDetails(
        title=form.title.data or "",
        prompt=form.prompt.data or "",
        kind=form.kind.data or AssignmentKind.WRITTEN,
        due_at=dates.tokyo_to_utc(form.due_at.data),
        max_points=form.max_points.data or 1,
        rubric_id=form.rubric_id.data or None,
        lesson_id=form.lesson_id.data or None,
        blind=bool(form.blind.data),
    )


def render_assignment_form(
    course_class: CourseClass,
    assignment: Assignment | None,
    form: AssignmentForm,
    preview: Markup | None = None,
) -> str:
    return render_template(
        "progress/assignment_form.html",
        course_class=course_class,
        assignment=assignment,
        form=form,
        preview=preview,
        graded=assignment is not None and assignments.grades_exist(assignment.id),
    )


def default_due() -> datetime:
    """A week from today at 23:59, Japan time."""
    day = (dates.now() + timedelta(days=7)).astimezone(dates.TOKYO)
    return day.replace(hour=23, minute=59, second=0, microsecond=0)


@bp.route("/classes/<int:class_id>/assignments/new", methods=["GET", "POST"])
@login_required
def new_assignment(class_id: int) -> ResponseReturnValue:
    """Set a new assignment for the class."""
    course_class = class_or_404(class_id, current_user)
    form = AssignmentForm()
    fill_choices(form, course_class, None)
    if not form.is_submitted():
        form.due_at.data = default_due()
    preview = None
    if form.is_submitted() and form.preview.data:
        preview = prompt_html(form.prompt.data or "")
    elif form.validate_on_submit():
        assignment = assignments.create_assignment(
            course_class, assignment_details(form), created_by=current_user
        )
        db.session.commit()
        flash(_("The assignment has been set. Students of the class can see it now."), "success")
        return redirect(url_for("progress.assignment_overview", assignment_id=assignment.id))
    return render_assignment_form(course_class, None, form, preview)


LOCKED_MESSAGES = {
    "kind": lambda: _("Some work has been graded, so the kind of answer can no longer change."),
    "max_points": lambda: _(
        "Some work has been graded, so the maximum points can no longer change."
    ),
    "rubric_id": lambda: _("Some work has been graded, so the rubric can no longer change."),
}


@bp.route("/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_assignment(assignment_id: int) -> ResponseReturnValue:
    """Change an assignment (its kind, rubric and maximum points only until something is
    graded)."""
    assignment = taught_assignment_or_404(assignment_id, current_user)
    course_class = assignment.course_class
    form = AssignmentForm(
        data={
            "title": assignment.title,
            "lesson_id": assignment.lesson_id or NO_CHOICE,
            "prompt": assignment.prompt,
            "kind": assignment.kind,
            "due_at": assignment.due_at,
            "max_points": assignment.max_points,
            "rubric_id": assignment.rubric_id or NO_CHOICE,
            "blind": assignment.blind,
        }
    )
    fill_choices(form, course_class, assignment)
    preview = None
    if form.is_submitted() and form.preview.data:
        preview = prompt_html(form.prompt.data or "")
    elif form.validate_on_submit():
        try:
            assignments.update_assignment(assignment, assignment_details(form))
        except assignments.FieldsLocked as locked:
            db.session.rollback()
            for name in locked.fields:
                getattr(form, name).errors.append(LOCKED_MESSAGES[name]())
        else:
            db.session.commit()
            flash(_("The assignment has been saved."), "success")
            return redirect(url_for("progress.assignment_overview", assignment_id=assignment.id))
    return render_assignment_form(course_class, assignment, form, preview)


@bp.route("/assignments/<int:assignment_id>/delete", methods=["GET", "POST"])
@login_required
def delete_assignment(assignment_id: int) -> ResponseReturnValue:
    """Delete an assignment nobody has submitted to (it asks first)."""
    assignment = taught_assignment_or_404(assignment_id, current_user)
    course_class = assignment.course_class
    if not confirmed():
        return ask(
            Confirmation(
                title=_("Delete “%(title)s”?", title=assignment.title),
                action=url_for("progress.delete_assignment", assignment_id=assignment.id),
                button=_("Delete"),
                cancel_url=url_for("progress.edit_assignment", assignment_id=assignment.id),
                cancel_label=_("Keep it"),
                lines=(
                    _(
                        "The assignment and the drafts students have saved for it are deleted. "
                        "This can't be undone."
                    ),
                ),
            )
        )
    title = assignment.title
    try:
        files = assignments.delete_assignment(assignment)
    except assignments.HasSubmissions:
        flash(
            _(
                "Students have already submitted work for this assignment, so it can't be "
                "deleted. You can still change it."
            ),
            "error",
        )
        return redirect(url_for("progress.edit_assignment", assignment_id=assignment_id))
    db.session.commit()
    assignments.discard_audio(files)
    flash(_("“%(title)s” has been deleted.", title=title), "success")
    return redirect(url_for("progress.class_assignments", class_id=course_class.id))


def render_overview(
    assignment: Assignment,
    errors: dict[int, str] | None = None,
    entered: dict[int, str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    rubric = assignments.get_rubric(assignment.rubric_id) if assignment.rubric_id else None
    html = render_template(
        "progress/assignment_overview.html",
        assignment=assignment,
        course_class=assignment.course_class,
        rows=assignments.student_rows(assignment),
        rubric=rubric,
        prompt=prompt_html(assignment.prompt),
        kind_labels=KIND_LABELS,
        grade_url=grade_student_url,
        reopen_errors=errors or {},
        reopen_entered=entered or {},
        now=dates.now(),
        to_tokyo=dates.in_tokyo,
    )
    return html, status


@bp.get("/assignments/<int:assignment_id>/overview")
@login_required
def assignment_overview(assignment_id: int) -> ResponseReturnValue:
    """The teacher's page of an assignment: the prompt and every student's work."""
    assignment = taught_assignment_or_404(assignment_id, current_user)
    return render_overview(assignment)


@bp.post("/assignments/<int:assignment_id>/students/<int:user_id>/reopen")
@login_required
def reopen_submission(assignment_id: int, user_id: int) -> ResponseReturnValue:
    """Let one student (re)submit after the due date until a moment, or close it again."""
    assignment = taught_assignment_or_404(assignment_id, current_user)
    student = class_student_or_404(assignment, user_id)
    form = ReopenForm()
    closing = request.form.get("close") == "1"
    until = None
    if form.validate_on_submit() and not closing:
        if form.until.data is None:
            form.until.errors.append(_("Enter a date and time."))
        else:
            until = dates.tokyo_to_utc(form.until.data)
            if until <= dates.now():
                form.until.errors.append(_("Choose a moment in the future."))
    if form.until.errors:
        message = " ".join(str(e) for e in form.until.errors)
        return render_overview(
            assignment, {user_id: message}, {user_id: request.form.get("until", "")}
        )
    submission = assignments.reopen(assignment, user_id, until, now=dates.now())
    db.session.commit()
    # Under blind grading the name stays hidden here too, until the grade is released.
    grade = submission.grade
    shown = shows_student_name(assignment.blind, grade is not None and grade.released)
    name = student.display_name if shown else _("The student")
    if until is None:
        flash(_("%(name)s can no longer submit after the due date.", name=name), "info")
    else:
        flash(
            _(
                "%(name)s can submit again until %(when)s.",
                name=name,
                when=dates.format_datetime(until),
            ),
            "success",
        )
    return redirect(
        url_for("progress.assignment_overview", assignment_id=assignment.id, _anchor=f"s{user_id}")
    )


# --- students --------------------------------------------------------------------------------


@bp.get("/assignments")
@login_required
def my_assignments() -> ResponseReturnValue:
    """The student's assignments in all their classes: open, past and graded."""
    rows = assignments.my_assignments(current_user.id, dates.now())
    sections = {name: [r for r in rows if r.section == name] for name in ("open", "past", "graded")}
    sections["past"].reverse()  # the most recent first
    sections["graded"].sort(key=lambda r: r.released_at or r.assignment.due_at, reverse=True)
    return render_template(
        "progress/my_assignments.html", sections=sections, kind_labels=KIND_LABELS, now=dates.now()
    )


def too_large_message() -> str:
    return _(
        "The file is larger than %(mb)d MB. Please record a shorter answer or save it in a "
        "compressed format (MP3, M4A, Ogg).",
        mb=assignments.MAX_SUBMISSION_BYTES // (1024 * 1024),
    )


def render_assignment_page(
    assignment: Assignment,
    submission: Submission | None,
    form: SubmissionForm,
    status: int = 200,
) -> ResponseReturnValue:
    """The student's page: the prompt, their draft and versions, and the released grade."""
    current = dates.now()
    window = assignments.submission_window(assignment, submission, current)
    versions = list(reversed(submission.versions)) if submission else []
    latest = versions[0] if versions else None
    unsent_changes = bool(
        submission is not None
        and latest is not None
        and (
            submission.draft_text != latest.text or submission.draft_audio_file != latest.audio_file
        )
    )
    rubric = assignments.get_rubric(assignment.rubric_id) if assignment.rubric_id else None
    if assignment.kind == AssignmentKind.SPOKEN:
        form.text.label.text = _("Note for your teacher (optional)")
    else:
        form.text.label.text = _("Write in Kyrgyz")
    html = render_template(
        "progress/assignment.html",
        assignment=assignment,
        course_class=assignment.course_class,
        lesson=assignment.lesson,
        submission=submission,
        versions=versions,
        latest=latest,
        unsent_changes=unsent_changes,
        window=window,
        form=form,
        rubric=rubric,
        prompt=prompt_html(assignment.prompt),
        kind_labels=KIND_LABELS,
        max_bytes=assignments.MAX_SUBMISSION_BYTES,
        max_mb=assignments.MAX_SUBMISSION_BYTES // (1024 * 1024),
        max_seconds=MAX_RECORDING_SECONDS,
        too_large=too_large_message(),
        language=language(),
        now=current,
    )
    return html, status


def uploaded_audio(form: SubmissionForm, assignment: Assignment) -> bytes | None:
    """The uploaded recording's bytes (read one past the limit: enough to refuse it)."""
    if assignment.kind != AssignmentKind.SPOKEN or not form.audio.data:
        return None
    data: bytes = form.audio.data.stream.read(assignments.MAX_SUBMISSION_BYTES + 1)
    return data or None


@bp.route("/assignments/<int:assignment_id>", methods=["GET", "POST"])
@login_required
def assignment(assignment_id: int) -> ResponseReturnValue:
    """Write or record the answer; save a draft or submit a new version."""
    item = db.get_or_404(Assignment, assignment_id)
    if not is_enrolled(current_user, item.class_id):
        if teaches(current_user, item.class_id):  # its teachers see their overview
            return redirect(url_for("progress.assignment_overview", assignment_id=item.id))
        abort(404)
    submission = assignments.own_submission(item.id, current_user.id)
    form = SubmissionForm(data={"text": submission.draft_text if submission else ""})
    if not form.validate_on_submit():
        return render_assignment_page(item, submission, form)
    # The recorder posts only the recording: the note or text stays as it was.
    text = form.text.data if "text" in request.form else None
    try:
        saved = assignments.save_work(
            item,
            current_user.id,
            text=text,
            audio=uploaded_audio(form, item),
            submit_now=request.form.get("intent") == "submit",
            now=dates.now(),
        )
    except assignments.SubmissionClosed:
        db.session.rollback()
        flash(
            _(
                "The due date has passed and your work was already submitted, so it can't be "
                "changed. Ask your teacher if you need to submit again."
            ),
            "error",
        )
        return redirect(url_for("progress.assignment", assignment_id=item.id))
    except assignments.AssignmentError as error:
        db.session.rollback()
        if isinstance(error, assignments.AudioTooLarge):
            form.audio.errors.append(too_large_message())
        elif isinstance(error, assignments.NotAnAudioFile):
            form.audio.errors.append(
                _(
                    "This is not an audio file we can play. Please choose a recording in WAV, "
                    "MP3, M4A, Ogg, WebM or FLAC."
                )
            )
        elif item.kind == AssignmentKind.SPOKEN:
            form.audio.errors.append(_("Record or upload your answer first."))
        else:
            form.text.errors.append(_("Write your answer first."))
        return render_assignment_page(item, submission, form)
    try:
        db.session.commit()
    except Exception:
        assignments.discard_audio([saved.stored])
        raise
    assignments.discard_unused_audio([saved.replaced])
    result = saved.result
    if result is None:
        flash(_("Your draft has been saved. It is not submitted yet."), "success")
    elif result.duplicate:
        flash(_("This is already submitted as version %(n)d.", n=result.number), "info")
    elif result.late:
        flash(
            _(
                "Submitted as version %(n)d. It is after the due date, so it is marked late.",
                n=result.number,
            ),
            "warning",
        )
    else:
        flash(
            _("Submitted as version %(n)d. Your teacher can see it now.", n=result.number),
            "success",
        )
    return redirect(url_for("progress.assignment", assignment_id=item.id))


@bp.errorhandler(RequestEntityTooLarge)
def submission_too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """Above the app's request limit a student's upload gets the field error, not a bare 413."""
    assignment_id = (request.view_args or {}).get("assignment_id")
    if request.endpoint != "progress.assignment" or not current_user.is_authenticated:
        return render_error(413)
    item = db.session.get(Assignment, assignment_id)
    if item is None or not is_enrolled(current_user, item.class_id):
        return render_error(413)
    form = SubmissionForm(formdata=None)
    form.audio.errors = [too_large_message()]
    submission = assignments.own_submission(item.id, current_user.id)
    if submission is not None:
        form.text.data = submission.draft_text
    return render_assignment_page(item, submission, form, 413)


@bp.get("/submissions/<int:submission_id>/versions/<int:number>/audio")
@login_required
def submission_audio(submission_id: int, number: int) -> ResponseReturnValue:
    """A submitted recording (number 0: the draft, for its student only)."""
    submission = submission_or_404(submission_id, current_user)
    if number == 0 and submission.student_id != current_user.id:
        abort(404)
    found = assignments.version_audio(submission, number)
    if found is None or not found[0].is_file():
        abort(404)
    path, mimetype = found
    response = send_file(path, mimetype=mimetype, conditional=True)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- rubrics ---------------------------------------------------------------------------------


@bp.get("/rubrics")
@roles_required(*TEACHERS)
def rubrics() -> ResponseReturnValue:
    """The teacher's rubrics (and those used in their classes), with where they are used."""
    return render_template("progress/rubrics.html", rows=assignments.teacher_rubrics(current_user))


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
            rubric = assignments.create_rubric(current_user, details)
            db.session.commit()
            flash(_("The rubric “%(title)s” has been saved.", title=rubric.title), "success")
            return redirect(url_for("progress.rubrics"))
    elif not form.is_submitted():
        add_blank_rows(form)
    return render_rubric_form(form, None, False)


def editable_rubric(rubric_id: int) -> Rubric:
    rubric = assignments.get_rubric(rubric_id)
    if rubric is None or not assignments.can_edit_rubric(current_user, rubric):
        abort(404)
    return rubric


@bp.route("/rubrics/<int:rubric_id>/edit", methods=["GET", "POST"])
@roles_required(*TEACHERS)
def edit_rubric(rubric_id: int) -> ResponseReturnValue:
    """Change a rubric; once grades use its levels only its title and description."""
    rubric = editable_rubric(rubric_id)
    locked = assignments.rubric_locked(rubric)
    form = RubricForm(obj=rubric)
    if form.is_submitted() and form.more_rows.data and not locked:
        add_blank_rows(form, more=True)
    elif form.validate_on_submit():
        try:
            assignments.update_rubric(rubric, rubric_details(form))
        except assignments.RubricLocked:
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
    rubric = assignments.get_rubric(rubric_id)
    if rubric is None or not assignments.can_use_rubric(current_user, rubric):
        abort(404)
    title = _("%(title)s (copy)", title=rubric.title)[:200]
    copy = assignments.duplicate_rubric(rubric, current_user, title)
    db.session.commit()
    flash(_("A copy has been made. You can change it freely."), "success")
    return redirect(url_for("progress.edit_rubric", rubric_id=copy.id))
