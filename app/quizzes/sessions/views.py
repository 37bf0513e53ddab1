"""A quiz session's pages: each question with instant feedback, then the results."""

from __future__ import annotations

from typing import Any

from flask import abort, make_response, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from app.core import dates
from app.core.htmx import is_htmx, vary_on_htmx
from app.core.i18n import localized
from app.extensions import db
from app.kyrgyz.morphology import FORM_LABELS
from app.lessons.models import Lesson
from app.quizzes.exercises import JA_MARKERS, short_gloss
from app.quizzes.forms import StartForm
from app.quizzes.models import ExerciseKind, Question
from app.quizzes.reports import services as reports
from app.quizzes.reports.forms import ReportForm
from app.quizzes.sessions import services as sessions
from app.quizzes.sessions.forms import ChoiceAnswerForm, TypedAnswerForm, match_form
from app.quizzes.views import bp, get_session, language, own_session

CYRILLIC_REQUIRED = _l(
    "Your class answers in Cyrillic letters, not Latin. Switch your keyboard to Russian or "
    "Kyrgyz (see “Typing Kyrgyz”) and type ң ө ү with the keys under the field."
)


def get_question(session_id: int, number: int) -> Question:
    """Question `number` (from 1) of one of the current user's sessions, in one query."""
    question = sessions.question_at(session_id, number - 1) if number >= 1 else None
    if question is None:
        abort(404)
    own_session(question.session)
    return question


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
            SelectChoice(str(c["id"]), localized(lang, c["ja"], c["en"]))
            for c in question.params.get("choices", [])
        ]
        return form
    if kind == ExerciseKind.MATCH:
        options = {
            str(p["id"]): localized(lang, p["ja"], p["en"]) for p in question.params["pairs"]
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
    verdict = result.verdict if result else (sessions.verdict_of(answer) if answer else None)
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
        "latin": sessions.latin_allowed(current_user)
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
        sessions.mark_shown(question, dates.now())
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
        result = sessions.submit_answer(
            question, given, user=current_user, now=dates.now(), language=language()
        )
        response = answer_response(question, result, form)
        db.session.commit()
    except sessions.CyrillicRequired:
        form.answer.errors = [str(CYRILLIC_REQUIRED)]
        return render_question(question_context(question, form))
    except IntegrityError:
        # The same question answered at the same moment in another request: that one counts,
        # and submitting again now returns its stored verdict.
        db.session.rollback()
        question = get_question(session_id, number)
        result = sessions.submit_answer(
            question, given, user=current_user, now=dates.now(), language=language()
        )
        response = answer_response(question, result, form)
    return response


def answer_response(
    question: Question, result: sessions.AnswerResult, form: Any
) -> ResponseReturnValue:
    """The verdict as a fragment for htmx, else a redirect to the question's page (PRG). The
    answered question shows no form: the one just checked stands in."""
    if is_htmx():
        # Rendered before the commit, which would expire (and so reload) what it shows.
        return render_question(question_context(question, form, result))
    return redirect(
        url_for("quizzes.question", session_id=question.session_id, number=question.position + 1)
    )


@bp.get("/<int:session_id>/results")
@login_required
def results(session_id: int) -> ResponseReturnValue:
    """The score, the mistakes with their answers, and "practise the mistakes again"."""
    quiz = own_session(sessions.session_with_answers(session_id))
    if not quiz.finished:
        return redirect(url_for("quizzes.session", session_id=quiz.id))
    mistakes = []
    almost = 0
    for q in quiz.questions:
        # answers a teacher accepted on a report stay in the list, marked as accepted
        if q.answer is None or (q.answer.status == "correct" and q.answer.report is None):
            continue
        almost += q.answer.status == "almost"
        verdict = sessions.verdict_of(q.answer)
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
