"""Teacher authoring: lessons, words and phrases, notes with preview, editors (recordings: app.lessons.recordings).

Every endpoint is for the course's editors and admins only: `editable_course`, `editable_lesson`
and `editable_item` load by slug or id and check `can_edit_course`, so guessing an id gets a 404.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import Role, User
from app.auth.services import get_user_by_email
from app.core.confirm import Confirmation, ask, confirmed
from app.core.decorators import roles_required
from app.core.htmx import vary_on_htmx
from app.core.markdown import render_notes
from app.core.urls import safe_next
from app.extensions import db
from app.lessons.access import can_edit_course, course_or_404
from app.lessons.authoring import services
from app.lessons.authoring.forms import (
    KIND_LABELS,
    POS_LABELS,
    ConfirmForm,
    EditorForm,
    ItemForm,
    LessonForm,
    MoveItemForm,
    NewLessonForm,
    NotesPreviewForm,
    PublishForm,
    lines_of,
)
from app.lessons.models import Course, Item, ItemKind, Lesson
from app.lessons.services import (
    LastEditor,
    NotATeacher,
    add_editor,
    course_editors,
    remove_editor,
)
from app.lessons.views import bp, language

EDITORS = (Role.TEACHER, Role.ADMIN)


# --- loading with authorisation --------------------------------------------------------------


def editable_course(course_slug: str) -> Course:
    """The course, if the current user may edit it; else 404 (not theirs)."""
    return course_or_404(course_slug, current_user, edit=True)


def editable_lesson(
    course_slug: str, lesson_slug: str, *, with_items: bool = False
) -> tuple[Course, Lesson]:
    """A lesson of a course the current user may edit (with its items, when asked)."""
    course = editable_course(course_slug)
    query = select(Lesson).where(Lesson.course_id == course.id, Lesson.slug == lesson_slug)
    if with_items:
        query = query.options(selectinload(Lesson.items))
    return course, db.one_or_404(query)


def editable_item(item_id: int) -> tuple[Course, Item]:
    """An item (with its lesson) of a course the current user may edit."""
    item = db.get_or_404(Item, item_id, options=[joinedload(Item.lesson)])
    course = db.session.get(Course, item.course_id)
    if course is None or not can_edit_course(current_user, course):
        abort(404)
    return course, item


def lesson_url(lesson: Lesson, course: Course, item: Item | None = None) -> str:
    """The lesson's edit page, scrolled to `item` when given."""
    anchor = f"item-{item.id}" if item is not None else None
    return url_for(
        "lessons.edit_lesson", course_slug=course.slug, lesson_slug=lesson.slug, _anchor=anchor
    )


# --- lessons ---------------------------------------------------------------------------------


def lesson_details(form: LessonForm) -> services.LessonDetails:
    """The validated form as plain values for the service."""
    return services.LessonDetails(
        title_ja=form.title_ja.data or "",
        title_en=form.title_en.data or "",
        title_ky=form.title_ky.data or "",
        goals_ja=tuple(lines_of(form.goals_ja.data)),
        goals_en=tuple(lines_of(form.goals_en.data)),
        notes_ja=form.notes_ja.data or "",
        notes_en=form.notes_en.data or "",
        published=bool(form.published.data),
    )


def lesson_data(lesson: Lesson) -> dict[str, Any]:
    """The lesson as the form shows it: goals one per line."""
    return {
        "title_ja": lesson.title_ja,
        "title_en": lesson.title_en,
        "title_ky": lesson.title_ky,
        "goals_ja": "\n".join(lesson.goals_ja),
        "goals_en": "\n".join(lesson.goals_en),
        "notes_ja": lesson.notes_ja,
        "notes_en": lesson.notes_en,
        "published": lesson.published,
    }


def rendered_notes(notes_ja: str | None, notes_en: str | None) -> dict[str, Markup]:
    """Both languages' notes as students will see them (sanitised, with generated tables)."""
    return {"ja": render_notes(notes_ja or "", _), "en": render_notes(notes_en or "", _)}


def render_lesson_page(
    course: Course, lesson: Lesson | None, form: LessonForm, preview: dict[str, Markup] | None
) -> str:
    """The lesson form (new or edit) with its words, and the notes preview when asked."""
    return render_template(
        "lessons/edit_lesson.html",
        course=course,
        lesson=lesson,
        form=form,
        preview=preview,
        pos_labels=POS_LABELS,
        kind_labels=KIND_LABELS,
        language=language(),
    )


@bp.route("/courses/<course_slug>/new-lesson", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_lesson(course_slug: str) -> ResponseReturnValue:
    """A new lesson at the end of the course; it stays hidden until it is published."""
    course = editable_course(course_slug)
    form = NewLessonForm()
    preview = None
    if form.is_submitted() and form.preview.data:
        preview = rendered_notes(form.notes_ja.data, form.notes_en.data)
    elif form.validate_on_submit():
        try:
            lesson = services.create_lesson(
                course, lesson_details(form), slug=form.slug.data or None
            )
        except services.DuplicateLessonSlug:
            form.slug.errors.append(_("Another lesson of this course already uses this address."))
        else:
            db.session.commit()
            flash(_("The lesson has been created. Add its words, then publish it."), "success")
            return redirect(lesson_url(lesson, course))
    return render_lesson_page(course, None, form, preview)


@bp.route("/courses/<course_slug>/<lesson_slug>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_lesson(course_slug: str, lesson_slug: str) -> ResponseReturnValue:
    """Titles, goals, notes (with a preview) and publication; the lesson's words below."""
    course, lesson = editable_lesson(course_slug, lesson_slug, with_items=True)
    form = LessonForm(data=lesson_data(lesson))
    preview = None
    if form.is_submitted() and form.preview.data:
        preview = rendered_notes(form.notes_ja.data, form.notes_en.data)
    elif form.validate_on_submit():
        services.update_lesson(lesson, lesson_details(form))
        db.session.commit()
        flash(_("The lesson has been saved."), "success")
        return redirect(lesson_url(lesson, course))
    return render_lesson_page(course, lesson, form, preview)


@bp.post("/courses/<course_slug>/preview-notes")
@roles_required(*EDITORS)
def preview_notes(course_slug: str) -> ResponseReturnValue:
    """The notes rendered as students will see them (an htmx fragment for the edit page)."""
    editable_course(course_slug)
    form = NotesPreviewForm()
    if not form.validate_on_submit():
        abort(400)
    html = render_template(
        "lessons/_notes_preview.html",
        preview=rendered_notes(form.notes_ja.data, form.notes_en.data),
    )
    return vary_on_htmx(make_response(html))


@bp.post("/courses/<course_slug>/<lesson_slug>/publish")
@roles_required(*EDITORS)
def publish_lesson(course_slug: str, lesson_slug: str) -> ResponseReturnValue:
    """Publish or hide a lesson: `published` = 1 or 0, or toggle without it; back to `next`."""
    course, lesson = editable_lesson(course_slug, lesson_slug)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    published = form.published.data == "1" if form.published.data else not lesson.published
    services.set_published(lesson, published)
    db.session.commit()
    if published:
        flash(_("The lesson is published: students can see it."), "success")
    else:
        flash(_("The lesson is hidden from students."), "info")
    return redirect(safe_next(form.next.data, lesson_url(lesson, course)))


# --- words and phrases -----------------------------------------------------------------------


def item_details(form: ItemForm) -> services.ItemDetails:
    """The validated form as plain values for the service."""
    return services.ItemDetails(
        ky=form.ky.data or "",
        ja=form.ja.data or "",
        en=form.en.data or "",
        pos=form.pos.data or "noun",
        kind=form.kind.data or ItemKind.WORD,
        also_accepted=tuple(lines_of(form.also_accepted.data)),
        example_ky=form.example_ky.data,
        example_ja=form.example_ja.data,
        example_en=form.example_en.data,
    )


def item_data(item: Item) -> dict[str, Any]:
    """The item as the form shows it: accepted answers one per line."""
    return {
        "ky": item.ky,
        "ja": item.ja,
        "en": item.en,
        "pos": item.pos,
        "kind": item.kind,
        "also_accepted": "\n".join(item.also_accepted),
        "example_ky": item.example_ky or "",
        "example_ja": item.example_ja or "",
        "example_en": item.example_en or "",
    }


def duplicate_message(error: services.DuplicateItem, ky: str) -> str:
    """Where the word already is, so the teacher can go and edit it there."""
    existing = error.existing
    if existing is None:
        return _("“%(ky)s” is already a word or phrase of this course.", ky=ky)
    return _(
        "“%(ky)s” is already in this course, in the lesson “%(lesson)s”. A word appears only "
        "once in a course: please edit it there.",
        ky=ky,
        lesson=existing.lesson.title(language()),
    )


def render_item_page(course: Course, lesson: Lesson, item: Item | None, form: ItemForm) -> str:
    """The word form: a new word of `lesson` (item=None) or an existing one."""
    return render_template(
        "lessons/edit_item.html",
        course=course,
        lesson=lesson,
        item=item,
        form=form,
        language=language(),
    )


@bp.route("/courses/<course_slug>/<lesson_slug>/items/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_item(course_slug: str, lesson_slug: str) -> ResponseReturnValue:
    """Add a word (or, with ?kind=phrase, a phrase) at the end of the lesson."""
    course, lesson = editable_lesson(course_slug, lesson_slug)
    kind = ItemKind.PHRASE if request.args.get("kind") == ItemKind.PHRASE else ItemKind.WORD
    form = ItemForm(
        data={"kind": str(kind), "pos": "phrase" if kind == ItemKind.PHRASE else "noun"}
    )
    if form.validate_on_submit():
        details = item_details(form)
        try:
            item = services.create_item(lesson, details)
        except services.DuplicateItem as error:
            form.ky.errors.append(duplicate_message(error, form.ky.data or ""))
        else:
            db.session.commit()
            flash(_("“%(ky)s” has been added.", ky=item.ky), "success")
            if form.add_another.data:
                return redirect(
                    url_for(
                        "lessons.new_item",
                        course_slug=course.slug,
                        lesson_slug=lesson.slug,
                        kind=item.kind if item.kind == ItemKind.PHRASE else None,
                    )
                )
            return redirect(lesson_url(lesson, course, item))
    return render_item_page(course, lesson, None, form)


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_item(item_id: int) -> ResponseReturnValue:
    """Edit a word or phrase in place (its id, and so students' progress, stays)."""
    course, item = editable_item(item_id)
    lesson = item.lesson
    form = ItemForm(data=item_data(item))
    if form.validate_on_submit():
        try:
            services.update_item(item, item_details(form))
        except services.DuplicateItem as error:
            form.ky.errors.append(duplicate_message(error, form.ky.data or ""))
        else:
            db.session.commit()
            flash(_("“%(ky)s” has been saved.", ky=item.ky), "success")
            return redirect(lesson_url(lesson, course, item))
    return render_item_page(course, lesson, item, form)


@bp.post("/items/<int:item_id>/move")
@roles_required(*EDITORS)
def move_item(item_id: int) -> ResponseReturnValue:
    """Move a word one place up or down in its lesson."""
    course, item = editable_item(item_id)
    form = MoveItemForm()
    if not form.validate_on_submit():
        abort(400)
    services.move_item(item, "up" if form.direction.data == "up" else "down")
    db.session.commit()
    return redirect(lesson_url(item.lesson, course, item))


@bp.route("/items/<int:item_id>/retire", methods=["GET", "POST"])
@roles_required(*EDITORS)
def retire_item(item_id: int) -> ResponseReturnValue:
    """Hide a word from students; their progress on it is kept."""
    course, item = editable_item(item_id)
    if not confirmed():
        return ask(
            Confirmation(
                title=_("Retire “%(ky)s”?", ky=item.ky),
                action=url_for("lessons.retire_item", item_id=item.id),
                button=_("Retire"),
                cancel_url=lesson_url(item.lesson, course, item),
                cancel_label=_("Keep it"),
                lines=(
                    _(
                        "Students no longer see it in the lesson, in quizzes or in their "
                        "reviews. Their progress on it is kept, and you can restore it."
                    ),
                ),
            )
        )
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.retire_item(item)
    db.session.commit()
    flash(
        _(
            "“%(ky)s” is retired: students no longer see it. Their progress is kept, and you "
            "can restore it at any time.",
            ky=item.ky,
        ),
        "info",
    )
    return redirect(lesson_url(item.lesson, course, item))


@bp.post("/items/<int:item_id>/restore")
@roles_required(*EDITORS)
def restore_item(item_id: int) -> ResponseReturnValue:
    """Show a retired word to students again."""
    course, item = editable_item(item_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.restore_item(item)
    db.session.commit()
    flash(_("“%(ky)s” is shown to students again.", ky=item.ky), "success")
    return redirect(lesson_url(item.lesson, course, item))


# --- editors -------------------------------------------------------------------------------


@bp.route("/courses/<course_slug>/editors", methods=["GET", "POST"])
@roles_required(*EDITORS)
def course_editors_page(course_slug: str) -> ResponseReturnValue:
    """Who may edit the course; an editor adds another teacher by e-mail address."""
    course = editable_course(course_slug)
    form = EditorForm()
    if form.validate_on_submit():
        user = get_user_by_email(form.email.data or "")
        try:
            if user is None:
                raise NotATeacher(form.email.data or "")
            added = add_editor(course, user, by=current_user)
        except NotATeacher:
            form.email.errors.append(_("No teacher has an account with this e-mail address."))
        else:
            db.session.commit()
            if added:
                flash(_("%(name)s can now edit this course.", name=user.display_name), "success")
            else:
                flash(_("%(name)s already edits this course.", name=user.display_name), "info")
            return redirect(url_for("lessons.course_editors_page", course_slug=course.slug))
    return render_template(
        "lessons/course_editors.html",
        course=course,
        editors=course_editors(course),
        form=form,
        language=language(),
    )


@bp.route("/courses/<course_slug>/editors/<int:user_id>/remove", methods=["GET", "POST"])
@roles_required(*EDITORS)
def remove_course_editor(course_slug: str, user_id: int) -> ResponseReturnValue:
    """Take an editor off the course (asks first; the last editor stays unless an admin asks)."""
    course = editable_course(course_slug)
    editor = db.get_or_404(User, user_id)
    back = url_for("lessons.course_editors_page", course_slug=course.slug)
    if not confirmed():
        yourself = editor.id == current_user.id
        return ask(
            Confirmation(
                title=(
                    _("Stop editing this course yourself?")
                    if yourself
                    else _("Remove %(name)s from the editors?", name=editor.display_name)
                ),
                action=url_for(
                    "lessons.remove_course_editor", course_slug=course.slug, user_id=editor.id
                ),
                button=_("Remove"),
                cancel_url=back,
                cancel_label=_("Keep them"),
                lines=(
                    _(
                        "They can no longer change the lessons and words of “%(course)s”. "
                        "Another editor can add them again.",
                        course=course.title(language()),
                    ),
                ),
            )
        )
    try:
        remove_editor(course, editor, by=current_user)
    except LastEditor:
        db.session.rollback()
        flash(_("A course keeps at least one editor: add another one first."), "warning")
        return redirect(back)
    db.session.commit()
    flash(_("%(name)s no longer edits this course.", name=editor.display_name), "info")
    if not can_edit_course(current_user, course):
        return redirect(url_for("lessons.index"))
    return redirect(back)
