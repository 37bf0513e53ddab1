"""Lesson pages for students, classes for teachers and students."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import bindparam, exists, func, select
from sqlalchemy.orm import selectinload

from app.auth.models import Role, User
from app.core.i18n import localized
from app.core.markdown import render_notes
from app.core.media import NotAudio, audio_key, send_audio
from app.core.nav import HomePanel, NavItem, add_home_panel, add_nav_item
from app.core.page_cache import shared_fragment, shared_value
from app.extensions import db
from app.lessons import services
from app.lessons.access import (
    can_edit_course,
    can_view_course,
    course_or_404,
    is_teacher,
)
from app.lessons.models import Course, CourseClass, Enrollment, Item, Lesson, LessonProgress

bp = Blueprint("lessons", __name__)
# What a lesson's tables of words are drawn from: a write to any of these draws them again.
# the tables, and the links under them (practise, build sentences, Anki deck), name the course
ITEM_TABLES_DRAWN_FROM = frozenset({"courses", "lessons", "items"})


def language() -> str:
    locale = get_locale()
    return locale.language if locale else "ja"


@bp.record_once
def register_navigation(state: BlueprintSetupState) -> None:
    add_nav_item(state.app, NavItem("lessons.index", lambda: _("Courses"), order=10))
    add_nav_item(
        state.app,
        NavItem(
            "lessons.classes",
            lambda: _("Classes"),
            roles=frozenset({Role.TEACHER, Role.ADMIN}),
            order=20,
        ),
    )
    add_home_panel(state.app, HomePanel("lessons/_home_panel.html", home_panel, order=10))


# --- home and course pages -------------------------------------------------------------------


def taught_classes(user: User) -> list[CourseClass]:
    """The classes the user is on the roster of as a teacher (admins too), courses loaded."""
    if not is_teacher(user):
        return []
    return list(
        db.session.scalars(
            select(CourseClass)
            .where(CourseClass.teacher_links.any(user_id=user.id))
            .options(selectinload(CourseClass.course))
            .order_by(CourseClass.starts_on.desc(), CourseClass.id.desc())
        )
    )


def my_classes(user: User) -> tuple[list[CourseClass], list[CourseClass]]:
    """(classes the user studies in, classes the user teaches), with their courses loaded."""
    studying = db.session.scalars(
        select(CourseClass)
        .join(Enrollment, Enrollment.class_id == CourseClass.id)
        .where(Enrollment.user_id == user.id)
        .options(selectinload(CourseClass.course))
        .order_by(CourseClass.starts_on.desc(), CourseClass.id.desc())
    ).all()
    return list(studying), taught_classes(user)


@dataclass(frozen=True)
class StudiedClass:
    """A class on the home page of a student in it: what its card shows."""

    name: str
    schedule: str | None
    course_slug: str
    course_title: str


# built once: building the statement would cost more than running it
_STUDIED_CLASSES = (
    select(
        CourseClass.name,
        CourseClass.schedule,
        Course.slug,
        Course.title_ja,
        Course.title_en,
        Course.title_ky,
    )
    .join(Enrollment, Enrollment.class_id == CourseClass.id)
    .join(Course, Course.id == CourseClass.course_id)
    .where(Enrollment.user_id == bindparam("user_id"))
    .order_by(CourseClass.starts_on.desc(), CourseClass.id.desc())
)


def studied_classes(user: User, lang: str) -> list[StudiedClass]:
    """The classes the user studies in, newest first, with their course (one query)."""
    return [
        StudiedClass(name, schedule, slug, localized(lang, ja, en, ky))
        for name, schedule, slug, ja, en, ky in db.session.execute(
            _STUDIED_CLASSES, {"user_id": user.id}
        )
    ]


def home_panel() -> dict[str, object] | None:
    """The classes a user studies in or teaches; nothing for someone who does neither and isn't a
    student (a judge, an organizer, an admin), who would have no use for a class code."""
    studying = studied_classes(current_user, language())
    teaching = taught_classes(current_user)
    student = current_user.has_role(Role.STUDENT)
    if not (studying or teaching or student):
        return None
    return {"studying": studying, "teaching": teaching, "student": student or bool(studying)}


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    """The user's courses: through the classes they study in or teach."""
    studying, teaching = my_classes(current_user)
    every: list[Course] = []
    editing: list[Course] = []
    if current_user.has_role(Role.ADMIN):
        every = list(db.session.scalars(select(Course).order_by(Course.slug)))
    elif current_user.has_role(Role.TEACHER):
        editing = services.editable_courses(current_user)
    return render_template(
        "lessons/index.html",
        studying=studying,
        teaching=teaching,
        editing=editing,
        all_courses=every,
    )


# The course page's one statement, built once: its lessons (editors see the unpublished ones
# too), each with how many words it has and whether the reader marked it done
_EDITORS_LESSONS = (
    select(
        Lesson,
        select(func.count(Item.id))
        .where(Item.lesson_id == Lesson.id, Item.retired.is_(False))
        .correlate(Lesson)
        .scalar_subquery(),
        exists().where(
            LessonProgress.user_id == bindparam("user_id"),
            LessonProgress.lesson_id == Lesson.id,
        ),
    )
    .where(Lesson.course_id == bindparam("course_id"), Lesson.retired.is_(False))
    .order_by(Lesson.position)
)
_STUDENTS_LESSONS = _EDITORS_LESSONS.where(Lesson.published.is_(True))


@bp.get("/courses/<course_slug>/")
@login_required
def course(course_slug: str) -> ResponseReturnValue:
    """The lessons of a course in order, with the student's marks."""
    course = course_or_404(course_slug, current_user)
    can_edit = can_edit_course(current_user, course)
    rows = db.session.execute(
        _EDITORS_LESSONS if can_edit else _STUDENTS_LESSONS,
        {"course_id": course.id, "user_id": current_user.id},
    ).all()
    lessons = [lesson for lesson, _words, _done in rows]
    counts = {lesson.id: words for lesson, words, _done in rows}
    done = {lesson.id for lesson, _words, is_done in rows if is_done}
    return render_template(
        "lessons/course.html",
        course=course,
        lessons=lessons,
        counts=counts,
        done=done,
        can_edit=can_edit,
        editors=(
            services.course_editors(course)
            if current_user.has_any_role(Role.TEACHER, Role.ADMIN)
            else None
        ),
        language=language(),
    )


@lru_cache(maxsize=256)
def _rendered_notes(text: str, locale: str) -> Markup:
    """Notes change rarely and are read often: render each text once per process and language."""
    return render_notes(text, _)


def _item_tables(lesson: Lesson, lang: str, *, can_edit: bool) -> Markup:
    """The lesson's tables of words and phrases: the same for every student (and for every
    editor, with the edit links), kept until the lesson's items or the lesson change."""

    def render() -> str:
        items = services.visible_items(lesson)  # loaded only when drawn
        return render_template(
            "lessons/_item_tables.html",
            course=lesson.course,
            lesson=lesson,
            words=[i for i in items if i.kind == "word"],
            phrases=[i for i in items if i.kind == "phrase"],
            can_edit=can_edit,
            language=lang,
        )

    return shared_fragment(
        f"lesson-items|{lesson.id}|{lang}|{'editor' if can_edit else 'student'}",
        ITEM_TABLES_DRAWN_FROM,
        render,
    )


# The lesson page's statements, built once (building one costs more than running it): the
# lesson with whether the reader marked it done, and the course's outline for the links around it
_LESSON_AND_DONE = select(
    Lesson,
    exists().where(
        LessonProgress.user_id == bindparam("user_id"), LessonProgress.lesson_id == Lesson.id
    ),
).where(Lesson.course_id == bindparam("course_id"), Lesson.slug == bindparam("slug"))
_EDITORS_OUTLINE = (
    select(Lesson.id, Lesson.slug, Lesson.title_ja, Lesson.title_en, Lesson.title_ky)
    .where(Lesson.course_id == bindparam("course_id"), Lesson.retired.is_(False))
    .order_by(Lesson.position)
)
_STUDENTS_OUTLINE = _EDITORS_OUTLINE.where(Lesson.published.is_(True))
OUTLINE_TABLES = frozenset({Lesson.__tablename__})  # the same for every student (or editor)


@bp.get("/courses/<course_slug>/<lesson_slug>")
@login_required
def lesson(course_slug: str, lesson_slug: str) -> ResponseReturnValue:
    """A lesson: goals, notes with generated tables, its words with audio, mark as done."""
    course = course_or_404(course_slug, current_user)
    can_edit = can_edit_course(current_user, course)
    found = db.session.execute(
        _LESSON_AND_DONE,
        {"course_id": course.id, "slug": lesson_slug, "user_id": current_user.id},
    ).first()
    if found is None:
        abort(404)
    lesson, done = found
    if not can_edit and not lesson.visible_to_students:
        abort(404)
    outline = shared_value(
        ("lesson-outline", course.id, can_edit),
        OUTLINE_TABLES,
        lambda: tuple(
            db.session.execute(
                _EDITORS_OUTLINE if can_edit else _STUDENTS_OUTLINE, {"course_id": course.id}
            ).all()
        ),
    )
    index = next((i for i, row in enumerate(outline) if row.id == lesson.id), None)
    previous = outline[index - 1] if index else None
    following = outline[index + 1] if index is not None and index + 1 < len(outline) else None
    lang = language()
    return render_template(
        "lessons/lesson.html",
        course=course,
        lesson=lesson,
        item_tables=_item_tables(lesson, lang, can_edit=can_edit),
        notes=_rendered_notes(lesson.notes(lang), lang),
        done=bool(done),
        previous=previous,
        following=following,
        position=(index or 0) + 1,
        total=len(outline),
        can_edit=can_edit,
        language=lang,
    )


@bp.post("/courses/<course_slug>/<lesson_slug>/done")
@login_required
def mark_done(course_slug: str, lesson_slug: str) -> ResponseReturnValue:
    """Mark the lesson as done (or not done again); a double click is harmless."""
    course = course_or_404(course_slug, current_user)
    lesson = db.one_or_404(
        select(Lesson).where(Lesson.course_id == course.id, Lesson.slug == lesson_slug)
    )
    if request.form.get("action") == "undo":
        services.mark_not_done(current_user, lesson)
        db.session.commit()
        flash(_("The lesson is no longer marked as done."), "info")
    else:
        services.mark_done(current_user, lesson)
        db.session.commit()
        flash(_("Well done! The lesson is marked as done."), "success")
    return redirect(url_for("lessons.lesson", course_slug=course.slug, lesson_slug=lesson.slug))


@bp.get("/audio/<int:item_id>")
@login_required
def item_audio(item_id: int) -> ResponseReturnValue:
    """A word's audio: the teacher's recording if there is one, else synthetic speech."""
    item = db.get_or_404(Item, item_id)
    course = db.session.get(Course, item.course_id)
    if course is None or not can_view_course(current_user, course):
        abort(404)
    if not item.audio_file:
        return redirect(url_for("core.speech", text=item.ky))
    try:
        audio_key(item.audio_file)
    except NotAudio:
        abort(404)
    # The URL carries the recording's version, so a new recording is a new URL.
    response = send_audio(
        item.audio_file,
        "audio",
        item.audio_mimetype,
        cache_control="private, max-age=31536000, immutable",
    )
    if response is None:
        current_app.logger.error("recording %s of item %s is missing", item.audio_file, item.id)
        return redirect(url_for("core.speech", text=item.ky))
    response.headers["X-Audio-Source"] = "recording"
    return response
