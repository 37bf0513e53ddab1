"""Sentence building: put an example sentence's words in order (tap, drag or type)."""

from app.quizzes.sentences.services import (
    AttemptResult,
    Exercise,
    SentenceCounts,
    SentenceError,
    can_build,
    exercise,
    lesson_sentences,
    next_item,
    record_attempt,
    sentence_counts,
    sentence_counts_select,
    verdict_of,
)

__all__ = [
    "AttemptResult",
    "Exercise",
    "SentenceCounts",
    "SentenceError",
    "can_build",
    "exercise",
    "lesson_sentences",
    "next_item",
    "record_attempt",
    "sentence_counts",
    "sentence_counts_select",
    "verdict_of",
]
