"""Anki decks: a lesson, a course or the student's own words as an .apkg file."""

from app.quizzes.decks.services import (
    NOTE_TYPE_ID,
    DeckContent,
    build_apkg,
    course_deck,
    item_audio,
    lesson_deck,
    my_words_deck,
    note_guid,
)

__all__ = [
    "NOTE_TYPE_ID",
    "DeckContent",
    "build_apkg",
    "course_deck",
    "item_audio",
    "lesson_deck",
    "my_words_deck",
    "note_guid",
]
