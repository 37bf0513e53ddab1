"""Sentence building's pages: the list of the student's sentences, an exercise (word bank or
typed) and the verdict of an attempt.

Without JavaScript the word bank is a form: each word is a button that posts the order so far,
which comes back in the page's address (post/redirect/get); static/js/sentences.js moves the
words in the page instead (tap or drag) and keeps the same hidden `order` field."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.core import dates
from app.core.inputs import database_int
from app.extensions import db
from app.lessons.access import can_view_course
from app.lessons.models import Item, Lesson
from app.quizzes import sentences
from app.quizzes.models import SentenceAttempt, SentenceKind
from app.quizzes.sentences import services
from app.quizzes.sentences.forms import BankForm, TypedSentenceForm
from app.quizzes.sessions import services as quiz_sessions
from app.quizzes.views import bp, language

NOTHING_CHOSEN = _l("Tap the words in order first.")
NOTHING_TYPED = _l("Type the sentence first.")
CYRILLIC_REQUIRED = _l(
    "Your class answers in Cyrillic letters, not Latin. Type ң ө ү with the keys under the field."
)


def kind_or_404(value: str) -> SentenceKind:
    try:
        return SentenceKind(value)
    except ValueError:
        abort(404)


def id_arg(name: str) -> int | None:
    """An id from the query string, None if absent or not one a table could hold."""
    value: int | None = request.args.get(name, type=database_int)
    return value


def lesson_arg() -> int | None:
    """The lesson the student is practising (`?lesson=`), if any."""
    return id_arg("lesson")


def visible_lesson(lesson_id: int | None) -> Lesson | None:
    """The lesson (with its items and course) if the user may practise it; else 404."""
    if lesson_id is None:
        return None
    lesson = db.session.get(
        Lesson, lesson_id, options=[selectinload(Lesson.items), joinedload(Lesson.course)]
    )
    if lesson is None or not lesson.visible_to_students:
        abort(404)
    if not can_view_course(current_user, lesson.course):
        abort(404)
    return lesson


def item_or_404(item_id: int, kind: SentenceKind) -> Item:
    """A word whose example the user may build in this kind of exercise; anyone else: 404."""
    item = db.session.get(Item, item_id, options=[joinedload(Item.lesson)])
    if item is None or item.retired or not services.can_build(item, kind):
        abort(404)
    visible_lesson(item.lesson_id)
    return item


@bp.get("/sentences/")
@login_required
def sentences_index() -> ResponseReturnValue:
    """The student's lessons with example sentences, how many are built, and where to start."""
    rows = sentences.lesson_sentences(current_user)
    return render_template(
        "quizzes/sentences.html",
        rows=rows,
        counts=sentences.sentence_counts(current_user),
        total=sum(row.sentences for row in rows),
        recent=services.recent_attempts(current_user),
        kinds=SentenceKind,
        language=language(),
    )


@bp.get("/sentences/next")
@login_required
def next_sentence() -> ResponseReturnValue:
    """Pick a sentence (not yet built, if any) and go to it."""
    kind = kind_or_404(request.args.get("kind", SentenceKind.BUILD_KY.value))
    lesson = visible_lesson(lesson_arg())
    item = sentences.next_item(current_user, kind, lesson=lesson, after=id_arg("after"))
    if item is None:
        flash(_("There are no example sentences to build here yet."), "info")
        return redirect(url_for("quizzes.sentences_index"))
    return redirect(exercise_url(item.id, kind, lesson.id if lesson else None))


def exercise_url(item_id: int, kind: SentenceKind, lesson_id: int | None, **args: Any) -> str:
    return url_for("quizzes.sentence", item_id=item_id, kind=kind.value, lesson=lesson_id, **args)


def exercise_context(
    item: Item, kind: SentenceKind, token: str, lesson_id: int | None, form: Any, chosen: list[int]
) -> dict[str, Any]:
    lesson = item.lesson
    built = sentences.exercise(item, kind, token, lesson.items, chosen)
    return {
        "item": item,
        "kind": kind,
        "kinds": SentenceKind,
        "exercise": built,
        "form": form,
        "token": token,
        "lesson": lesson,
        "lesson_id": lesson_id,
        "language": language(),
        "latin": quiz_sessions.latin_allowed(current_user)
        if kind == SentenceKind.TYPE_KY
        else True,
        "other_kinds": [k for k in SentenceKind if k != kind and services.can_build(item, k)],
    }


@bp.route("/sentences/<int:item_id>/<kind>", methods=["GET", "POST"])
@login_required
def sentence(item_id: int, kind: str) -> ResponseReturnValue:
    """One sentence to build: the bank's words tapped (or dragged) into order, or typed."""
    sentence_kind = kind_or_404(kind)
    item = item_or_404(item_id, sentence_kind)
    lesson_id = lesson_arg()
    if lesson_id is not None:
        visible_lesson(lesson_id)
    if request.method == "GET":
        token = request.args.get("t", "")
        if not services.valid_token(token):
            return redirect(exercise_url(item.id, sentence_kind, lesson_id, t=services.new_token()))
        chosen = services.parse_order(request.args.get("order", ""))
        form: Any = TypedSentenceForm() if sentence_kind == SentenceKind.TYPE_KY else BankForm()
        form.token.data = token
        return render_template(
            "quizzes/sentence.html",
            **exercise_context(item, sentence_kind, token, lesson_id, form, chosen),
        )
    if sentence_kind == SentenceKind.TYPE_KY:
        return check_typed(item, lesson_id)
    return bank_post(item, sentence_kind, lesson_id)


def bank_post(item: Item, kind: SentenceKind, lesson_id: int | None) -> ResponseReturnValue:
    """A tapped word (without JavaScript) moves and the page comes back; Check judges."""
    form = BankForm()
    if not form.validate_on_submit():
        if form.token.errors or "csrf_token" in form.errors:
            abort(400)
        return redirect(exercise_url(item.id, kind, lesson_id, t=form.token.data))
    token = form.token.data
    built = sentences.exercise(
        item, kind, token, item.lesson.items, services.parse_order(form.order.data)
    )
    chosen = list(built.chosen)
    action = form.action.data or ""
    if form.add.data and form.add.data.isdigit():
        chosen = services.valid_order([*chosen, int(form.add.data)], len(built.tiles))
    elif form.remove.data and form.remove.data.isdigit():
        chosen = [index for index in chosen if index != int(form.remove.data)]
    elif action == "clear":
        chosen = []
    elif action == "check":
        return record(item, kind, token, built.given, lesson_id, form, chosen)
    order = ",".join(str(index) for index in chosen)
    return redirect(exercise_url(item.id, kind, lesson_id, t=token, order=order or None) + "#bank")


def check_typed(item: Item, lesson_id: int | None) -> ResponseReturnValue:
    form = TypedSentenceForm()
    if not form.validate_on_submit():
        if form.token.errors or "csrf_token" in form.errors:
            abort(400)
        return render_exercise(item, SentenceKind.TYPE_KY, form.token.data, lesson_id, form)
    return record(
        item, SentenceKind.TYPE_KY, form.token.data, form.answer.data or "", lesson_id, form
    )


def render_exercise(
    item: Item,
    kind: SentenceKind,
    token: str,
    lesson_id: int | None,
    form: Any,
    chosen: list[int] | None = None,
) -> ResponseReturnValue:
    context = exercise_context(item, kind, token, lesson_id, form, chosen or [])
    return render_template("quizzes/sentence.html", **context), 422


def record(
    item: Item,
    kind: SentenceKind,
    token: str,
    given: str | list[str],
    lesson_id: int | None,
    form: Any,
    chosen: list[int] | None = None,
) -> ResponseReturnValue:
    """Judge and store the attempt once, then show its verdict (post/redirect/get)."""
    try:
        result = sentences.record_attempt(current_user, item, kind, token, given, now=dates.now())
    except sentences.SentenceError:
        message = NOTHING_TYPED if kind == SentenceKind.TYPE_KY else NOTHING_CHOSEN
        if kind == SentenceKind.TYPE_KY:
            form.answer.errors = [str(message)]
        else:
            form.order.errors = [str(message)]
        return render_exercise(item, kind, token, lesson_id, form, chosen)
    if (
        kind == SentenceKind.TYPE_KY
        and not result.repeated
        and result.verdict.converted is not None
        and not quiz_sessions.latin_allowed(current_user)
    ):
        db.session.rollback()
        form.answer.errors = [str(CYRILLIC_REQUIRED)]
        return render_exercise(item, kind, token, lesson_id, form)
    try:
        db.session.commit()
    except IntegrityError:
        # The same exercise checked at the same moment in another request: that one counts.
        db.session.rollback()
        existing = services.attempt_for(current_user, token)
        if existing is None:
            raise
        result = sentences.AttemptResult(existing, sentences.verdict_of(existing), True)
    return redirect(
        url_for("quizzes.sentence_attempt", attempt_id=result.attempt.id, lesson=lesson_id)
    )


@bp.get("/sentences/attempts/<int:attempt_id>")
@login_required
def sentence_attempt(attempt_id: int) -> ResponseReturnValue:
    """The verdict of one attempt, the sentence with its sound, and what to do next."""
    attempt = db.session.scalar(
        select(SentenceAttempt)
        .where(SentenceAttempt.id == attempt_id)
        .options(joinedload(SentenceAttempt.item).joinedload(Item.lesson))
    )
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    kind = SentenceKind(attempt.kind)
    lesson_id = lesson_arg()
    verdict = sentences.verdict_of(attempt)
    item = attempt.item
    return render_template(
        "quizzes/sentence_attempt.html",
        attempt=attempt,
        item=item,
        kind=kind,
        kinds=SentenceKind,
        verdict=verdict,
        message=verdict.render(_),
        lesson_id=lesson_id,
        language=language(),
        next_url=url_for("quizzes.next_sentence", kind=kind.value, lesson=lesson_id, after=item.id),
        again_url=exercise_url(item.id, kind, lesson_id),
        other_kinds=[k for k in SentenceKind if k != kind and services.can_build(item, k)],
    )
