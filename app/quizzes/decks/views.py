"""Downloading Anki decks: a lesson's, a course's (for whoever may see it) and one's own words."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.media import speech_cache
from app.extensions import limiter
from app.lessons.access import can_edit_course, course_or_404
from app.quizzes.decks import services as decks
from app.quizzes.views import bp, lesson_for

# Building a deck may synthesise speech for every word without a recording: limited per person.
DECK_LIMIT = "20 per minute"


def apkg_response(content: decks.DeckContent) -> Response:
    """The deck as a download; private, since a deck of one's own words is personal."""
    audio = decks.item_audio(
        speech_cache(),
        timeout=current_app.config["SPEECH_TIMEOUT"],
    )
    data = decks.build_apkg(content, audio)
    response = Response(data, mimetype="application/apkg")
    response.headers["Content-Disposition"] = f'attachment; filename="{content.filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/courses/<course_slug>/<lesson_slug>/anki.apkg")
@login_required
@limiter.limit(DECK_LIMIT, scope="anki")
def lesson_deck(course_slug: str, lesson_slug: str) -> ResponseReturnValue:
    """A lesson's words as an Anki deck."""
    return apkg_response(decks.lesson_deck(lesson_for(course_slug, lesson_slug)))


@bp.get("/courses/<course_slug>/anki.apkg")
@login_required
@limiter.limit(DECK_LIMIT, scope="anki")
def course_deck(course_slug: str) -> ResponseReturnValue:
    """A course's words as an Anki deck (its editors' deck includes unpublished lessons)."""
    course = course_or_404(course_slug, current_user)
    content = decks.course_deck(course, include_unpublished=can_edit_course(current_user, course))
    return apkg_response(content)


@bp.get("/my-words.apkg")
@login_required
@limiter.limit(DECK_LIMIT, scope="anki")
def my_words_deck() -> ResponseReturnValue:
    """The words the student has practised, as an Anki deck."""
    content = decks.my_words_deck(current_user)
    if not content.items:
        flash(
            _("You have no words yet: practise a lesson first, then take your words to Anki."),
            "info",
        )
        return redirect(url_for("quizzes.index"))
    return apkg_response(content)
