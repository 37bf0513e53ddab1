"""The offline review's two JSON endpoints: the due cards for the device, the answers back."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy.exc import IntegrityError

from app.core import dates
from app.core.i18n import content_language
from app.extensions import client_address, db, limiter
from app.kyrgyz.morphology import FORM_LABELS
from app.quizzes.offline import payload
from app.quizzes.offline import services as offline
from app.quizzes.views import bp, language


def _signed_out() -> ResponseReturnValue:
    """A JSON answer a script can read (not the sign-in page a redirect would give it)."""
    return jsonify(error="signed out"), 401


def _no_store(response: Any) -> Any:
    response.headers["Cache-Control"] = "no-store"
    return response


def _instruction(card: offline.PackedCard) -> str:
    if card.kind == "recognise":
        return _("What does this mean?")
    if card.kind == "listen":
        return _("Listen and write what you hear")
    if card.kind == "suffix" and card.form:
        return _("Put %(word)s into the %(form)s", word=card.ky, form=_(FORM_LABELS[card.form]))
    return _("Write it in Kyrgyz")


def _audio_url(card: offline.PackedCard) -> str:
    """The word's audio, at the URL its play button uses online (so one cached copy serves)."""
    if card.recording:
        return url_for("lessons.item_audio", item_id=card.item_id, v=card.audio_version)
    return url_for("core.speech", text=card.ky)


@bp.get("/review/offline.json")
def offline_pack() -> ResponseReturnValue:
    """The student's due cards, for the device to review them without a network."""
    if not current_user.is_authenticated:
        return _signed_out()
    lang = language()
    now = dates.now()
    cards = offline.pack(
        current_user, now=now, language=lang, secret_key=current_app.config["SECRET_KEY"]
    )
    return _no_store(
        jsonify(
            user=current_user.id,
            language=lang,
            fetched_at=int(now.timestamp() * 1000),
            csrf_token=generate_csrf(),
            cards=[
                {
                    "token": card.token,
                    "item": card.item_id,
                    "kind": card.kind,
                    "instruction": _instruction(card),
                    "ky": card.ky,
                    "gloss": card.gloss,
                    "ja_prompt": card.ja_prompt if content_language(lang) == "ja" else None,
                    "choices": card.choices,
                    "keys": card.keys,
                    "expected": card.expected,
                    "audio": _audio_url(card),
                }
                for card in cards
            ],
        )
    )


def _limit_key() -> str:
    """Per student, not per address: a train's passengers share one mobile network address."""
    return f"user:{current_user.get_id() or client_address()}"


@bp.post("/review/offline")
@limiter.limit("30 per minute", scope="offline-review", key_func=_limit_key)
def offline_sync() -> ResponseReturnValue:
    """Record the answers given offline, each once (by its id), in the order given."""
    if not current_user.is_authenticated:
        return _signed_out()
    try:
        answers, sent_at = payload.parse(request.stream.read(payload.MAX_BODY_BYTES + 1))
    except payload.PayloadError as error:
        return jsonify(error=str(error)), 400

    def record() -> offline.SyncResult:
        return offline.sync(
            current_user,
            answers,
            now=dates.now(),
            sent_at=sent_at,
            secret_key=current_app.config["SECRET_KEY"],
            language=language(),
        )

    try:
        result = record()
        session_id = result.session.id if result.session else None
        db.session.commit()
    except IntegrityError:
        # The same answers sent at the same moment by another tab: those count; now they
        # are duplicates here.
        db.session.rollback()
        result = record()
        session_id = result.session.id if result.session else None
        db.session.commit()
    return _no_store(
        jsonify(
            recorded=result.recorded,
            results_url=(url_for("quizzes.results", session_id=session_id) if session_id else None),
            answers=[
                {"id": str(o.client_id), "status": o.status, "verdict": o.verdict}
                for o in result.outcomes
            ],
        )
    )
