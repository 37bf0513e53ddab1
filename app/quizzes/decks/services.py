"""Anki decks (.apkg) of a lesson, a course or a student's own words, written with genanki.

Every note carries the Kyrgyz, the Japanese and English, the example with its translations and
the audio (the teacher's recording, else synthetic speech). Ids are stable, so importing a newer
export into Anki updates the cards instead of adding copies:
- the note type's id is a constant (`NOTE_TYPE_ID`) and its fields and templates only ever grow;
- a note's guid is made from the item's id, the same in a lesson's, a course's and "my words" deck;
- a deck's id is made from what it holds (the course, the lesson, the student).
Audio files are named by item and recording version, so a new recording is a new file.
"""

from __future__ import annotations

import hashlib
import html
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import genanki
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.core.media import NotAudio, read_audio, sniff_audio
from app.extensions import db
from app.kyrgyz.speech import SpeechError, SpeechUnavailable, synthesize
from app.lessons.models import Course, Item, Lesson
from app.quizzes.models import ReviewCard

NOTE_TYPE_ID = 1_736_204_511
"""Never change: Anki recognises the note type by it."""

GUID_NAMESPACE = "sabak-item"
FIELDS = [
    "Kyrgyz",
    "Japanese",
    "English",
    "Example",
    "ExampleJapanese",
    "ExampleEnglish",
    "Audio",
    "Lesson",
]
_EXAMPLE = (
    '{{#Example}}<div class="example" lang="ky">{{Example}}</div>'
    '<div class="example-translation" lang="ja">{{ExampleJapanese}}</div>'
    '<div class="example-translation en" lang="en">{{ExampleEnglish}}</div>{{/Example}}'
)
_MEANING = '<div class="ja" lang="ja">{{Japanese}}</div><div class="en" lang="en">{{English}}</div>'
_KYRGYZ = '<div class="ky" lang="ky">{{Kyrgyz}}</div>{{Audio}}'
_STYLE = """
.card { font-family: "Noto Sans", "Noto Sans CJK JP", sans-serif; font-size: 22px;
        text-align: center; color: #1b1b1b; background: #fff; }
.ky { font-size: 34px; font-weight: 600; }
.ja { font-size: 26px; }
.en, .example-translation.en { color: #555; font-size: 18px; }
.example { margin-top: 1em; font-size: 20px; }
.example-translation { font-size: 17px; }
.lesson { margin-top: 1.5em; color: #888; font-size: 13px; }
"""

NOTE_TYPE = genanki.Model(
    NOTE_TYPE_ID,
    "Sabak: Kyrgyz word (キルギス語の単語)",
    fields=[{"name": name} for name in FIELDS],
    templates=[
        {
            "name": "Kyrgyz → meaning (キルギス語 → 意味)",
            "qfmt": _KYRGYZ,
            "afmt": '{{FrontSide}}<hr id="answer">'
            + _MEANING
            + _EXAMPLE
            + '<div class="lesson">{{Lesson}}</div>',
        },
        {
            "name": "Meaning → Kyrgyz (意味 → キルギス語)",
            "qfmt": _MEANING,
            "afmt": '{{FrontSide}}<hr id="answer">'
            + _KYRGYZ
            + _EXAMPLE
            + '<div class="lesson">{{Lesson}}</div>',
        },
    ],
    css=_STYLE,
    sort_field_index=0,
)


@dataclass(frozen=True)
class DeckContent:
    """What one deck holds: its name in Anki, the key its id is made from, and its words."""

    name: str
    key: str
    items: Sequence[tuple[Item, str]]
    """Each word with the title of its lesson."""
    filename: str


AudioSource = Callable[[Item], "tuple[bytes, str] | None"]
"""An item's audio as (bytes, file extension), or None when there is none."""


def stable_id(key: str) -> int:
    """A deck id from its key: the same deck gets the same id in every export."""
    digest = hashlib.sha256(f"sabak-deck:{key}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def note_guid(item: Item) -> str:
    """The note's guid: one item is one note in every deck it appears in."""
    return str(genanki.guid_for(GUID_NAMESPACE, item.id))


def audio_name(item: Item, extension: str) -> str:
    """The media file's name: a new recording (a new version) is a new file."""
    source = "r" if item.audio_file else "s"
    return f"sabak-{item.id}-{source}{item.audio_version}.{extension}"


def _lesson_title(lesson: Lesson) -> str:
    return f"{lesson.title_ky} · {lesson.title_ja}"


def lesson_deck(lesson: Lesson) -> DeckContent:
    """A lesson's words and phrases (retired ones left out)."""
    course = lesson.course
    return DeckContent(
        name=f"Sabak::{course.title_ky}::{lesson.position:02d} {_lesson_title(lesson)}",
        key=f"lesson:{lesson.id}",
        items=[(item, _lesson_title(lesson)) for item in lesson.items if not item.retired],
        filename=f"sabak-{course.slug}-{lesson.slug}.apkg",
    )


def course_deck(course: Course, *, include_unpublished: bool = False) -> DeckContent:
    """Every published lesson's words, in the course's order (editors may include drafts)."""
    lessons = db.session.scalars(
        select(Lesson)
        .where(Lesson.course_id == course.id, Lesson.retired.is_(False))
        .options(selectinload(Lesson.items))
        .order_by(Lesson.position)
    ).all()
    items = [
        (item, _lesson_title(lesson))
        for lesson in lessons
        if lesson.published or include_unpublished
        for item in lesson.items
        if not item.retired
    ]
    return DeckContent(
        name=f"Sabak::{course.title_ky}",
        key=f"course:{course.id}",
        items=items,
        filename=f"sabak-{course.slug}.apkg",
    )


def my_words_deck(user: User) -> DeckContent:
    """The words the student has met in practice: their review cards, in the course's order."""
    rows = db.session.execute(
        select(Item, Lesson)
        .join(ReviewCard, ReviewCard.item_id == Item.id)
        .join(Lesson, Lesson.id == Item.lesson_id)
        .where(ReviewCard.user_id == user.id, Item.retired.is_(False))
        .order_by(Item.course_id, Lesson.position, Item.position, Item.id)
    ).all()
    items = [(item, _lesson_title(lesson)) for item, lesson in rows]
    return DeckContent(
        name="Sabak::Менин сөздөрүм (私の単語)",
        key=f"user:{user.id}",
        items=items,
        filename="sabak-my-words.apkg",
    )


def item_audio(speech_cache: Path, timeout: float) -> AudioSource:
    """The teacher's recording where there is one, else synthetic speech (None if neither)."""

    def audio(item: Item) -> tuple[bytes, str] | None:
        if item.audio_file:
            data = read_audio(item.audio_file)
            if data is not None:
                try:
                    return data, sniff_audio(data).extension
                except NotAudio:
                    pass
        try:
            result = synthesize(item.ky, speech_cache, timeout=timeout)
        except (ValueError, SpeechUnavailable, SpeechError):
            return None
        return result.path.read_bytes(), result.path.suffix.lstrip(".")

    return audio


def _field(text: str | None) -> str:
    """Anki fields are HTML: a word is text, never markup."""
    return html.escape(text or "", quote=False)


def build_apkg(content: DeckContent, audio: AudioSource) -> bytes:
    """The .apkg file's bytes for `content`."""
    deck = genanki.Deck(stable_id(content.key), content.name)
    with tempfile.TemporaryDirectory(prefix="sabak-apkg-") as scratch:
        media: list[str] = []
        for item, lesson_title in content.items:
            sound = ""
            found = audio(item)
            if found is not None:
                data, extension = found
                path = Path(scratch) / audio_name(item, extension)
                path.write_bytes(data)
                media.append(str(path))
                sound = f"[sound:{path.name}]"
            deck.add_note(
                genanki.Note(
                    model=NOTE_TYPE,
                    fields=[
                        _field(item.ky),
                        _field(item.ja),
                        _field(item.en),
                        _field(item.example_ky),
                        _field(item.example_ja),
                        _field(item.example_en),
                        sound,
                        _field(lesson_title),
                    ],
                    guid=note_guid(item),
                )
            )
        target = Path(scratch) / "deck.apkg"
        genanki.Package(deck, media_files=media).write_to_file(str(target))
        return target.read_bytes()
