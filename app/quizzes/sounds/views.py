"""Minimal-pair listening pages: the contrasts and their pairs, a round of "hear one, choose
which was said" with feedback after each answer, the results, and each question's audio by an
opaque token (its URL never names the word)."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core import dates
from app.core.htmx import is_htmx, vary_on_htmx
from app.core.media import NotAudio, audio_key, send_audio, speech_cache
from app.extensions import db
from app.kyrgyz.minimal_pairs import BY_KEY, CONTRASTS, Contrast
from app.kyrgyz.speech import SpeechError, SpeechUnavailable, synthesize
from app.quizzes import sounds
from app.quizzes.models import SoundQuestion, SoundRound
from app.quizzes.sounds.forms import SoundAnswerForm, SoundStartForm
from app.quizzes.views import bp, language

TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
AUDIO_SOURCE_HEADER = "X-Audio-Source"


def contrast_or_404(key: str) -> Contrast:
    contrast = BY_KEY.get(key)
    if contrast is None:
        abort(404)
    return contrast


def own_round(sound_round: SoundRound | None) -> SoundRound:
    """The round if it is the current user's; anyone else gets 404, as if it did not exist."""
    if sound_round is None or sound_round.user_id != current_user.id:
        abort(404)
    return sound_round


def get_question(round_id: int, number: int) -> SoundQuestion:
    """Question `number` (from 1) of one of the current user's rounds, with its round."""
    question = sounds.question_at(round_id, number - 1) if 1 <= number <= 1000 else None
    if question is None:
        abort(404)
    own_round(question.round)
    return question


# --- the contrasts ---------------------------------------------------------------------------


@bp.get("/sounds/")
@login_required
def sounds_index() -> ResponseReturnValue:
    """Every contrast with how well the student hears it, its pairs and a round to start."""
    pairs = sounds.available_pairs(current_user)
    counts = {c.key: 0 for c in CONTRASTS}
    for pair in pairs:
        counts[pair.contrast.key] += 1
    return render_template(
        "quizzes/sounds/index.html",
        contrasts=CONTRASTS,
        counts=counts,
        progress=sounds.contrast_progress(current_user),
        unfinished=sounds.unfinished_round(current_user, None),
        recent=sounds.recent_rounds(current_user),
        by_key=BY_KEY,
        form=SoundStartForm(),
        window=sounds.WINDOW,
        mastered_right=sounds.MASTERED_RIGHT,
        round_length=sounds.ROUND_LENGTH,
    )


@bp.get("/sounds/<key>")
@login_required
def sounds_contrast(key: str) -> ResponseReturnValue:
    """One contrast: how to hear it, its pairs with both words to play, and a round on it."""
    contrast = contrast_or_404(key)
    return render_template(
        "quizzes/sounds/contrast.html",
        contrast=contrast,
        pairs=sounds.available_pairs(current_user, contrast.key),
        progress=sounds.contrast_progress(current_user)[contrast.key],
        unfinished=sounds.unfinished_round(current_user, contrast.key),
        form=SoundStartForm(contrast=contrast.key),
        window=sounds.WINDOW,
        language=language(),
    )


@bp.post("/sounds/start")
@login_required
def sounds_start() -> ResponseReturnValue:
    """A new round, of one contrast or of all."""
    form = SoundStartForm()
    if not form.validate_on_submit():
        abort(400)
    contrast = form.contrast.data or None
    try:
        sound_round = sounds.start_round(current_user, contrast=contrast, now=dates.now())
    except sounds.NothingToPractise:
        flash(_("There are no word pairs for this contrast yet."), "info")
        return redirect(url_for("quizzes.sounds_index"))
    db.session.commit()
    return redirect(url_for("quizzes.sounds_question", round_id=sound_round.id, number=1))


@bp.get("/sounds/rounds/<int:round_id>")
@login_required
def sounds_round(round_id: int) -> ResponseReturnValue:
    """Resume: the first unanswered question, or the results."""
    sound_round = own_round(db.session.get(SoundRound, round_id))
    if sound_round.finished:
        return redirect(url_for("quizzes.sounds_results", round_id=sound_round.id))
    return redirect(
        url_for(
            "quizzes.sounds_question",
            round_id=sound_round.id,
            number=sound_round.answered_count + 1,
        )
    )


# --- a question ------------------------------------------------------------------------------


def question_context(question: SoundQuestion, form: SoundAnswerForm) -> dict[str, Any]:
    sound_round = question.round
    number = question.position + 1
    last = number >= sound_round.question_count
    next_url = (
        url_for("quizzes.sounds_results", round_id=sound_round.id)
        if last
        else url_for("quizzes.sounds_question", round_id=sound_round.id, number=number + 1)
    )
    return {
        "question": question,
        "sound_round": sound_round,
        "contrast": BY_KEY[question.contrast],
        "number": number,
        "form": form,
        "answered": question.answered_at is not None,
        "recorded_voice": question.audio_item_id is not None,
        "next_url": next_url,
        "is_last": last,
        "language": language(),
    }


def render_question(context: dict[str, Any]) -> ResponseReturnValue:
    template = "quizzes/sounds/_question.html" if is_htmx() else "quizzes/sounds/question.html"
    return vary_on_htmx(make_response(render_template(template, **context)))


@bp.get("/sounds/rounds/<int:round_id>/<int:number>")
@login_required
def sounds_question(round_id: int, number: int) -> ResponseReturnValue:
    """A question: the audio and the two words; once answered, the same page shows the feedback."""
    question = get_question(round_id, number)
    if question.position > question.round.answered_count:
        return redirect(url_for("quizzes.sounds_round", round_id=round_id))
    return render_question(question_context(question, SoundAnswerForm()))


@bp.post("/sounds/rounds/<int:round_id>/<int:number>")
@login_required
def sounds_answer(round_id: int, number: int) -> ResponseReturnValue:
    """Record the choice once; a repeated post shows the stored answer and changes nothing."""
    question = get_question(round_id, number)
    if question.answered_at is None and question.position != question.round.answered_count:
        return redirect(url_for("quizzes.sounds_round", round_id=round_id))
    form = SoundAnswerForm()
    if question.answered_at is None:
        if not form.validate_on_submit():
            return render_question(question_context(question, form))
        sounds.submit_answer(question, int(form.choice.data), now=dates.now())
        db.session.commit()
    if is_htmx():
        return render_question(question_context(question, SoundAnswerForm()))
    return redirect(url_for("quizzes.sounds_question", round_id=round_id, number=number))


@bp.get("/sounds/rounds/<int:round_id>/results")
@login_required
def sounds_results(round_id: int) -> ResponseReturnValue:
    """The score and every pair with what was heard and chosen; another round."""
    sound_round = own_round(db.session.get(SoundRound, round_id))
    if not sound_round.finished:
        return redirect(url_for("quizzes.sounds_round", round_id=sound_round.id))
    return render_template(
        "quizzes/sounds/results.html",
        sound_round=sound_round,
        questions=sound_round.questions,
        contrast=BY_KEY.get(sound_round.contrast or ""),
        by_key=BY_KEY,
        form=SoundStartForm(contrast=sound_round.contrast or ""),
        language=language(),
    )


# --- the audio -------------------------------------------------------------------------------


@bp.get("/sounds/audio/<token>")
@login_required
def sounds_audio(token: str) -> ResponseReturnValue:
    """The heard word of a question, by its token: the teacher's recording (when both words of
    the pair have one), else synthetic speech; no word in the URL, the name or the headers."""
    if not TOKEN.match(token):
        abort(404)
    question = sounds.question_by_token(token)
    if question is None or question.user_id != current_user.id:
        abort(404)
    item = question.audio_item
    if item is not None and item.audio_file:
        try:
            audio_key(item.audio_file)
        except NotAudio:
            abort(404)
        response = send_audio(
            item.audio_file, "audio", item.audio_mimetype, cache_control="private, max-age=86400"
        )
        if response is not None:
            del response.headers["ETag"]
            response.headers[AUDIO_SOURCE_HEADER] = "recording"
            return response
        current_app.logger.error("recording %s of item %s is missing", item.audio_file, item.id)
    try:
        result = synthesize(
            question.said_word,
            speech_cache(),
            timeout=current_app.config["SPEECH_TIMEOUT"],
        )
    except (SpeechUnavailable, SpeechError):
        current_app.logger.exception("speech synthesis failed for question %s", question.id)
        abort(503)
    # from the bytes, not the cached file: its name is a hash of the word, and would be sent
    response = send_file(
        BytesIO(result.path.read_bytes()), mimetype=result.mimetype, etag=False, max_age=86400
    )
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers[AUDIO_SOURCE_HEADER] = "synthetic"
    return response
