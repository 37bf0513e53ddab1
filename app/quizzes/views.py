"""Quiz pages: start, questions with instant feedback, results, and the daily review."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from app.auth.models import Role
from app.core import dates
from app.core.dates import minutes_until
from app.core.htmx import is_htmx, vary_on_htmx
from app.core.nav import HomePanel, NavItem, add_home_panel, add_nav_item
from app.extensions import db
from app.kyrgyz.morphology import FORM_LABELS
from app.lessons.access import can_view_course
from app.lessons.models import Course, Lesson
from app.quizzes import hub, reports, scheduling, services
from app.quizzes.exercises import JA_MARKERS, short_gloss
from app.quizzes.forms import (
    ChoiceAnswerForm,
    ReportForm,
    StartForm,
    TypedAnswerForm,
    match_form,
)
from app.quizzes.models import ExerciseKind, Question, QuizSession, SessionSource

bp = Blueprint("quizzes", __name__)

CYRILLIC_REQUIRED = _l(
    "Your class answers in Cyrillic letters, not Latin. Switch your keyboard to Russian or "
    "Kyrgyz (see “Typing Kyrgyz”) and type ң ө ү with the keys under the field."
)


def language() -> str:
    locale = get_locale()
    return locale.language if locale else "ja"


# --- navigation and home ---------------------------------------------------------------------


def review_counts() -> services.ReviewCounts:
    """The signed-in student's due and waiting cards, queried once per request."""
    if "quizzes_counts" not in g:
        g.quizzes_counts = services.review_counts(current_user, dates.now())
    counts: services.ReviewCounts = g.quizzes_counts
    return counts


def due_today() -> int:
    """The navigation's badge: words due now."""
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
            badge=due_today,
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


def get_question(session_id: int, number: int) -> Question:
    """Question `number` (from 1) of one of the current user's sessions, in one query."""
    question = services.question_at(session_id, number - 1) if number >= 1 else None
    if question is None:
        abort(404)
    own_session(question.session)
    return question


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
    original = own_session(services.session_with_answers(session_id))
    try:
        session = services.start_mistakes_session(current_user, original, now=dates.now())
    except services.NothingToPractise:
        flash(_("There were no mistakes to practise."), "info")
        return redirect(url_for("quizzes.results", session_id=session_id))
    db.session.commit()
    return redirect(session_url(session))


# --- questions -------------------------------------------------------------------------------


@bp.get("/<int:session_id>")
@login_required
def session(session_id: int) -> ResponseReturnValue:
    """Resume: the first unanswered question, or the results."""
    quiz = get_session(session_id)
    if quiz.finished:
        return redirect(url_for("quizzes.results", session_id=quiz.id))
    return redirect(url_for("quizzes.question", session_id=quiz.id, number=quiz.answered_count + 1))


def answer_form(question: Question, lang: str) -> Any:
    """The form of the question's exercise."""
    kind = question.exercise
    if kind == ExerciseKind.RECOGNISE:
        form = ChoiceAnswerForm()
        form.answer.choices = [
            SelectChoice(str(c["id"]), c["ja"] if lang == "ja" else c["en"])
            for c in question.params.get("choices", [])
        ]
        return form
    if kind == ExerciseKind.MATCH:
        options = {
            str(p["id"]): p["ja"] if lang == "ja" else p["en"] for p in question.params["pairs"]
        }
        return match_form(
            question.params["pairs"],
            [(str(i), options[str(i)]) for i in question.params.get("options", [])],
        )
    return TypedAnswerForm()


def question_context(question: Question, form: Any, result: Any = None) -> dict[str, Any]:
    lang = language()
    quiz = question.session
    answer = question.answer
    verdict = result.verdict if result else (services.verdict_of(answer) if answer else None)
    number = question.position + 1
    form_key = question.params.get("form")
    item = question.item
    shown = result.answer if result else answer
    # a fresh answer has no report yet: don't load one
    report = None if result and not result.repeated else (answer.report if answer else None)
    return {
        "quiz": quiz,
        "question": question,
        "item": item,
        "kind": question.kind,
        "form": form,
        "number": number,
        "answer": shown,
        "report": report,
        "reportable": reports.is_reportable(question, shown),
        "report_form": ReportForm(),
        "session_id": quiz.id,
        "back": None,
        "verdict": verdict,
        "message": verdict.render(_) if verdict else None,
        "gloss": item.gloss(lang),
        "form_label": _(FORM_LABELS[form_key]) if form_key else None,
        "ja_prompt": f"「{short_gloss(item.ja)}{JA_MARKERS[form_key]}」" if form_key else None,
        "next_url": (
            url_for("quizzes.question", session_id=quiz.id, number=number + 1)
            if number < quiz.question_count
            else url_for("quizzes.results", session_id=quiz.id)
        ),
        "is_last": number >= quiz.question_count,
        "language": lang,
        # typed answers: a class may ask for Cyrillic, and then the Latin toggle goes too
        "latin": services.latin_allowed(current_user)
        if question.exercise.typed and shown is None
        else True,
    }


def render_question(context: dict[str, Any]) -> ResponseReturnValue:
    template = "quizzes/_question.html" if is_htmx() else "quizzes/question.html"
    return vary_on_htmx(make_response(render_template(template, **context)))


@bp.get("/<int:session_id>/<int:number>")
@login_required
def question(session_id: int, number: int) -> ResponseReturnValue:
    """A question; once answered, the same page shows the feedback."""
    question = get_question(session_id, number)
    quiz = question.session
    if question.position > quiz.answered_count:
        return redirect(
            url_for("quizzes.question", session_id=quiz.id, number=quiz.answered_count + 1)
        )
    if question.answer is None and question.shown_at is None:
        services.mark_shown(question, dates.now())
        db.session.commit()
    form = answer_form(question, language())
    return render_question(question_context(question, form))


@bp.post("/<int:session_id>/<int:number>")
@login_required
def answer(session_id: int, number: int) -> ResponseReturnValue:
    """Judge the answer; a repeated POST shows the stored verdict and changes nothing."""
    question = get_question(session_id, number)
    quiz = question.session
    if question.answer is None and question.position != quiz.answered_count:
        return redirect(url_for("quizzes.session", session_id=quiz.id))
    form = answer_form(question, language())
    if not form.validate_on_submit():
        return render_question(question_context(question, form))
    given = form.chosen() if question.exercise == ExerciseKind.MATCH else (form.answer.data or "")
    try:
        result = services.submit_answer(
            question, given, user=current_user, now=dates.now(), language=language()
        )
        response = answer_response(question, result)
        db.session.commit()
    except services.CyrillicRequired:
        form.answer.errors = [str(CYRILLIC_REQUIRED)]
        return render_question(question_context(question, form))
    except IntegrityError:
        # The same question answered at the same moment in another request: that one counts,
        # and submitting again now returns its stored verdict.
        db.session.rollback()
        question = get_question(session_id, number)
        result = services.submit_answer(
            question, given, user=current_user, now=dates.now(), language=language()
        )
        response = answer_response(question, result)
    return response


def answer_response(question: Question, result: services.AnswerResult) -> ResponseReturnValue:
    """The verdict as a fragment for htmx, else a redirect to the question's page (PRG)."""
    if is_htmx():
        # Rendered before the commit, which would expire (and so reload) what it shows.
        return render_question(
            question_context(question, answer_form(question, language()), result)
        )
    return redirect(
        url_for("quizzes.question", session_id=question.session_id, number=question.position + 1)
    )


@bp.get("/<int:session_id>/results")
@login_required
def results(session_id: int) -> ResponseReturnValue:
    """The score, the mistakes with their answers, and "practise the mistakes again"."""
    quiz = own_session(services.session_with_answers(session_id))
    if not quiz.finished:
        return redirect(url_for("quizzes.session", session_id=quiz.id))
    mistakes = []
    almost = 0
    for q in quiz.questions:
        # answers a teacher accepted on a report stay in the list, marked as accepted
        if q.answer is None or (q.answer.status == "correct" and q.answer.report is None):
            continue
        almost += q.answer.status == "almost"
        verdict = services.verdict_of(q.answer)
        mistakes.append((q, q.answer, verdict.render(_), reports.is_reportable(q, q.answer)))
    back_url = None
    if quiz.lesson_id is not None:
        lesson = db.session.get(Lesson, quiz.lesson_id)
        if lesson is not None:
            back_url = url_for(
                "lessons.lesson", course_slug=lesson.course.slug, lesson_slug=lesson.slug
            )
    return render_template(
        "quizzes/results.html",
        quiz=quiz,
        mistakes=mistakes,
        mistake_count=sum(1 for _q, a, _m, _r in mistakes if a.status != "correct"),
        almost=almost,
        form=StartForm(),
        report_form=ReportForm(),
        back_url=back_url,
        language=language(),
        form_labels=FORM_LABELS,
    )
