"""Practice pages: the hub, starting a quiz (a lesson, a course, the daily review, weak words,
mistakes); the questions themselves are app.quizzes.sessions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from app.auth.models import Role
from app.core import dates
from app.core.dates import minutes_until
from app.core.dbtypes import UTCDateTime
from app.core.nav import (
    NOW,
    VIEWER,
    HomePanel,
    NavCounts,
    NavItem,
    add_home_panel,
    add_nav_item,
    nav_counts,
)
from app.extensions import db
from app.lessons.access import can_view_course
from app.lessons.models import Course, Lesson
from app.quizzes import hub, scheduling, services
from app.quizzes.forms import StartForm
from app.quizzes.models import QuizSession, SessionSource
from app.quizzes.reports import services as reports
from app.quizzes.sessions import services as sessions

bp = Blueprint("quizzes", __name__)


def language() -> str:
    locale = get_locale()
    return locale.language if locale else "ja"


# --- navigation and home ---------------------------------------------------------------------


# The end of the student's day, bound beside the navigation's VIEWER and NOW.
DAY_END = bindparam("review_day_end", type_=UTCDateTime())
REVIEW_COUNTS = NavCounts(
    lambda roles: services.review_counts_select(VIEWER, NOW, DAY_END),
    lambda user, now: {"review_day_end": scheduling.end_of_day(now, user.timezone)},
)


def review_counts() -> services.ReviewCounts:
    """The signed-in student's due and waiting cards: the navigation's counts, read once per
    request with every other count the navigation shows."""
    counts = nav_counts()
    if "review_due" in counts:
        return services.counts_of(counts)
    # someone who sees no Practice entry (not a student): the counts on their own
    if "quizzes_counts" not in g:
        g.quizzes_counts = services.review_counts(current_user, dates.now())
    found: services.ReviewCounts = g.quizzes_counts
    return found


def due_today() -> int:
    """Words due now (the navigation's badge)."""
    return review_counts().due


def home_panel() -> dict[str, object] | None:
    if not current_user.has_role(Role.STUDENT):
        return None
    return {
        **review_status(with_first_lesson=False),
        "form": StartForm(),
        "limit": services.REVIEW_LIMIT,
        "reports": reports.student_report_counts(current_user),
    }


@bp.record_once
def register_navigation(state: BlueprintSetupState) -> None:
    add_nav_item(
        state.app,
        NavItem(
            "quizzes.index",
            lambda: _("Practice"),
            roles=frozenset({Role.STUDENT}),
            badge="review_due",
            counts=REVIEW_COUNTS,
            order=15,
        ),
    )
    add_home_panel(state.app, HomePanel("quizzes/_home_panel.html", home_panel, order=5))


# --- loading with authorisation --------------------------------------------------------------


def own_session(session: QuizSession | None) -> QuizSession:
    """The session if it is the current user's; anyone else gets 404, as if it did not exist."""
    if session is None or session.user_id != current_user.id:
        abort(404)
    return session


def get_session(session_id: int) -> QuizSession:
    return own_session(db.session.get(QuizSession, session_id))


def lesson_for(course_slug: str, lesson_slug: str) -> Lesson:
    lesson = db.one_or_404(
        select(Lesson)
        .join(Course, Course.id == Lesson.course_id)
        .where(Course.slug == course_slug, Lesson.slug == lesson_slug)
        .options(selectinload(Lesson.items), selectinload(Lesson.course))
    )
    if not can_view_course(current_user, lesson.course) or not lesson.visible_to_students:
        abort(404)
    return lesson


# --- starting --------------------------------------------------------------------------------


def session_url(session: QuizSession) -> str:
    return url_for("quizzes.session", session_id=session.id)


@bp.route("/courses/<course_slug>/<lesson_slug>/practise", methods=["GET", "POST"])
@login_required
def practise_lesson(course_slug: str, lesson_slug: str) -> ResponseReturnValue:
    """Start (or resume) a quiz on a lesson's words."""
    lesson = lesson_for(course_slug, lesson_slug)
    form = StartForm()
    if form.validate_on_submit():
        try:
            session = services.start_lesson_session(current_user, lesson, now=dates.now())
        except services.NothingToPractise:
            flash(_("This lesson has no words to practise yet."), "info")
            return redirect(
                url_for("lessons.lesson", course_slug=course_slug, lesson_slug=lesson_slug)
            )
        db.session.commit()
        return redirect(session_url(session))
    unfinished = services.unfinished_session(
        current_user, SessionSource.LESSON, course_id=lesson.course_id, lesson_id=lesson.id
    )
    return render_template(
        "quizzes/start.html",
        form=form,
        title=lesson.title(language()),
        course=lesson.course,
        lesson=lesson,
        unfinished=unfinished,
        word_count=sum(1 for item in lesson.items if not item.retired),
        language=language(),
    )


@bp.route("/courses/<course_slug>/practise", methods=["GET", "POST"])
@login_required
def practise_course(course_slug: str) -> ResponseReturnValue:
    """Start (or resume) a quiz on words from the whole course."""
    course = db.one_or_404(select(Course).where(Course.slug == course_slug))
    if not can_view_course(current_user, course):
        abort(404)
    form = StartForm()
    if form.validate_on_submit():
        try:
            session = services.start_course_session(current_user, course, now=dates.now())
        except services.NothingToPractise:
            flash(_("This course has no words to practise yet."), "info")
            return redirect(url_for("lessons.course", course_slug=course_slug))
        db.session.commit()
        return redirect(session_url(session))
    unfinished = services.unfinished_session(
        current_user, SessionSource.COURSE, course_id=course.id
    )
    return render_template(
        "quizzes/start.html",
        form=form,
        title=course.title(language()),
        course=course,
        lesson=None,
        unfinished=unfinished,
        word_count=None,
        language=language(),
    )


def review_status(*, with_first_lesson: bool = True) -> dict[str, Any]:
    """What the review offers now: the due count; else when to come back, or where to start."""
    moment = dates.now()
    counts = review_counts()
    status: dict[str, Any] = {
        "due": counts.due,
        "now": moment,
        "soon": None,
        "next_due": None,
        "new_student": False,
        "first_lesson": None,
    }
    if counts.due:
        return status
    if counts.next_due is None:
        # a student with no cards yet is sent to a lesson, not congratulated
        status["new_student"] = True
        if with_first_lesson:
            status["first_lesson"] = services.first_lesson(current_user)
    elif counts.next_due < scheduling.end_of_day(moment, current_user.timezone):
        # only words in their learning steps are pending today: minutes away
        status["soon"] = minutes_until(counts.next_due, moment)
    else:
        status["next_due"] = counts.next_due
    return status


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    """The practice hub: today's review, mastery per lesson and course, weak words, scores."""
    return render_template(
        "quizzes/index.html",
        hub=hub.practice_hub(current_user),
        form=StartForm(),
        language=language(),
        limit=services.REVIEW_LIMIT,
        **review_status(),
    )


@bp.get("/review")
@login_required
def review() -> ResponseReturnValue:
    """Today's review: how many words are due, and a button to start; or when the next is due."""
    unfinished = services.unfinished_session(current_user, SessionSource.REVIEW, course_id=None)
    return render_template(
        "quizzes/review.html",
        limit=services.REVIEW_LIMIT,
        unfinished=unfinished,
        form=StartForm(),
        **review_status(),
    )


@bp.post("/review")
@login_required
def start_review() -> ResponseReturnValue:
    """A session of the due cards, most overdue first."""
    form = StartForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        session = services.start_review_session(current_user, now=dates.now())
    except services.NothingToPractise:
        flash(_("Nothing is due today. Well done!"), "info")
        return redirect(url_for("quizzes.review"))
    db.session.commit()
    return redirect(session_url(session))


@bp.post("/weak")
@login_required
def practise_weak() -> ResponseReturnValue:
    """A session on the student's most often forgotten words."""
    form = StartForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        session = services.start_weak_session(current_user, now=dates.now())
    except services.NothingToPractise:
        flash(_("You have no weak words yet."), "info")
        return redirect(url_for("quizzes.index"))
    db.session.commit()
    return redirect(session_url(session))


@bp.post("/<int:session_id>/mistakes")
@login_required
def practise_mistakes(session_id: int) -> ResponseReturnValue:
    """A new session on the words answered wrong or almost in this one."""
    form = StartForm()
    if not form.validate_on_submit():
        abort(400)
    original = own_session(sessions.session_with_answers(session_id))
    try:
        session = services.start_mistakes_session(current_user, original, now=dates.now())
    except services.NothingToPractise:
        flash(_("There were no mistakes to practise."), "info")
        return redirect(url_for("quizzes.results", session_id=session_id))
    db.session.commit()
    return redirect(session_url(session))
