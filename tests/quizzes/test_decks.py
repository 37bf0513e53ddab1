"""Anki decks: the .apkg opened as Anki reads it (the SQLite collection and the media map)."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.core.media import sniff_audio, store_audio
from app.extensions import db
from app.lessons.models import AudioSource, Item
from app.quizzes.decks import NOTE_TYPE_ID
from tests.factories.courses import CourseInfo
from tests.factories.users import UserInfo
from tests.helpers import count_queries, wav_bytes


@dataclass
class Deck:
    """An exported deck as Anki sees it: notes (guid → fields), models, decks and media."""

    notes: dict[str, dict[str, str]]
    note_types: dict[str, Any]
    deck_names: list[str]
    media: dict[str, bytes]


def open_apkg(data: bytes, tmp_path: Path) -> Deck:
    """Read an .apkg the way Anki imports it: `collection.anki2` and the `media` map."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    collection = tmp_path / "collection.anki2"
    collection.write_bytes(archive.read("collection.anki2"))
    media_map = json.loads(archive.read("media"))
    media = {name: archive.read(number) for number, name in media_map.items()}
    connection = sqlite3.connect(collection)
    try:
        models_json, decks_json = connection.execute("select models, decks from col").fetchone()
        note_types = json.loads(models_json)
        notes = {}
        for guid, mid, flds in connection.execute("select guid, mid, flds from notes"):
            fields = [f["name"] for f in note_types[str(mid)]["flds"]]
            notes[guid] = dict(zip(fields, flds.split("\x1f"), strict=True))
        card_count = connection.execute("select count(*) from cards").fetchone()[0]
    finally:
        connection.close()
    assert card_count == 2 * len(notes)  # both directions for every note
    deck_names = [deck["name"] for deck in json.loads(decks_json).values()]
    return Deck(notes, note_types, deck_names, media)


def by_kyrgyz(deck: Deck) -> dict[str, dict[str, str]]:
    return {fields["Kyrgyz"]: fields for fields in deck.notes.values()}


@pytest.fixture
def course(make_course: Callable[..., CourseInfo]) -> CourseInfo:
    """Two lessons of three words, with examples."""
    return make_course(slug="anki-course")


@pytest.fixture
def student(
    course: CourseInfo,
    make_user: Callable[..., UserInfo],
    enrol: Callable[..., None],
) -> UserInfo:
    user = make_user(roles=("student",))
    enrol(course, user)
    return user


@pytest.fixture
def recorded(app: Flask, course: CourseInfo) -> int:
    """The first word has a teacher's recording; the others fall back to synthetic speech."""
    item_id = next(iter(course.items.values()))
    with app.app_context():
        item = db.session.get(Item, item_id)
        assert item is not None
        name, kind = store_audio(wav_bytes())
        item.audio_file, item.audio_mimetype = name, kind.mimetype
        item.audio_source, item.audio_version = AudioSource.TEACHER, 1
        db.session.commit()
    return item_id


@pytest.fixture
def no_speech(monkeypatch: pytest.MonkeyPatch) -> None:
    """Synthetic speech unavailable (espeak-ng missing): decks are still made, without it."""
    from app.kyrgyz.speech import SpeechUnavailable

    def unavailable(*args: object, **kwargs: object) -> None:
        raise SpeechUnavailable("not installed")

    monkeypatch.setattr("app.quizzes.decks.services.synthesize", unavailable)


def words_of(app: Flask, course: CourseInfo) -> list[Item]:
    with app.app_context():
        items = db.session.scalars(select(Item).where(Item.course_id == course.id)).all()
        db.session.expunge_all()
    return list(items)


def test_a_course_deck_has_every_word_with_meanings_examples_and_audio(
    app, client, auth, course, student, recorded, tmp_path
):
    auth.login(user=student)
    response = client.get(f"/quizzes/courses/{course.slug}/anki.apkg")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="sabak-anki-course.apkg"'
    )
    deck = open_apkg(response.data, tmp_path)
    words = words_of(app, course)
    notes = by_kyrgyz(deck)
    assert set(notes) == {item.ky for item in words}
    for item in words:
        fields = notes[item.ky]
        assert (fields["Japanese"], fields["English"]) == (item.ja, item.en)
        assert fields["Example"] == item.example_ky and item.example_ky
        assert fields["ExampleJapanese"] == item.example_ja
        # every word has its audio in the media map, as a real sound file
        sound = fields["Audio"]
        assert sound.startswith("[sound:") and sound.endswith("]")
        name = sound[len("[sound:") : -1]
        assert sniff_audio(deck.media[name]).mimetype.startswith("audio/")
    # the teacher's recording is the recorded word's sound, byte for byte
    recorded_item = next(item for item in words if item.id == recorded)
    name = notes[recorded_item.ky]["Audio"][len("[sound:") : -1]
    assert deck.media[name] == wav_bytes()
    assert int(next(iter(deck.note_types))) == NOTE_TYPE_ID
    assert "Sabak::Сыноо курсу" in deck.deck_names


def test_importing_a_newer_export_updates_the_same_notes(
    app, client, auth, course, student, no_speech, tmp_path
):
    """Anki matches notes by guid and note type: both stay, the changed field is new."""
    auth.login(user=student)
    url = f"/quizzes/courses/{course.slug}/lessons-1/anki.apkg".replace(
        "lessons-1", course.lesson_slugs[0]
    )
    first = open_apkg(client.get(url).data, tmp_path)
    item_id = course.items[next(iter(course.items))]
    with app.app_context():
        item = db.session.get(Item, item_id)
        assert item is not None
        item.ja = "新しい訳"
        db.session.commit()
    (tmp_path / "second").mkdir()
    second = open_apkg(client.get(url).data, tmp_path / "second")
    assert set(first.notes) == set(second.notes)
    assert set(first.note_types) == set(second.note_types)
    changed = [guid for guid in second.notes if second.notes[guid] != first.notes[guid]]
    assert len(changed) == 1 and second.notes[changed[0]]["Japanese"] == "新しい訳"


def test_a_word_is_the_same_note_in_the_lesson_course_and_my_words_decks(
    client, auth, course, student, activity, no_speech, tmp_path
):
    auth.login(user=student)
    lesson = open_apkg(
        client.get(f"/quizzes/courses/{course.slug}/{course.lesson_slugs[0]}/anki.apkg").data,
        tmp_path,
    )
    (tmp_path / "course").mkdir()
    whole = open_apkg(
        client.get(f"/quizzes/courses/{course.slug}/anki.apkg").data, tmp_path / "course"
    )
    assert set(lesson.notes) < set(whole.notes)
    # my words: the two words the student has review cards for (the first lesson's first two)
    activity.cards(student.id, course.id, [(3, 4.0), (1, 1.0)])
    (tmp_path / "mine").mkdir()
    response = client.get("/quizzes/my-words.apkg")
    assert response.headers["Content-Disposition"] == 'attachment; filename="sabak-my-words.apkg"'
    mine = open_apkg(response.data, tmp_path / "mine")
    assert len(mine.notes) == 2 and set(mine.notes) < set(lesson.notes)


def test_my_words_are_only_ones_own(
    client, auth, course, student, make_user, enrol, activity, no_speech, tmp_path
):
    other = make_user(roles=("student",))
    enrol(course, other)
    activity.cards(other.id, course.id, [(3, 4.0), (1, 1.0), (1, 1.0)])
    activity.cards(student.id, course.id, [(3, 4.0)])
    auth.login(user=student)
    mine = open_apkg(client.get("/quizzes/my-words.apkg").data, tmp_path)
    assert len(mine.notes) == 1


def test_my_words_without_practice_says_what_to_do(client, auth, student):
    auth.login(user=student)
    response = client.get("/quizzes/my-words.apkg", follow_redirects=True)
    assert response.request.path == "/quizzes/"
    assert "practise a lesson first" in response.get_data(as_text=True)


def test_a_course_deck_is_404_for_someone_not_in_the_course(
    client, auth, course, make_user, no_speech
):
    auth.login(user=make_user(roles=("student",)))
    assert client.get(f"/quizzes/courses/{course.slug}/anki.apkg").status_code == 404
    lesson = course.lesson_slugs[0]
    assert client.get(f"/quizzes/courses/{course.slug}/{lesson}/anki.apkg").status_code == 404
    assert client.get("/quizzes/courses/no-such/anki.apkg").status_code == 404


def test_an_unpublished_lesson_stays_out_of_the_students_deck(
    make_course, make_user, enrol, client, auth, no_speech, tmp_path
):
    course = make_course(slug="half-published", unpublished=(1,))
    student = make_user(roles=("student",))
    enrol(course, student)
    auth.login(user=student)
    lesson = course.lesson_slugs[1]
    assert client.get(f"/quizzes/courses/{course.slug}/{lesson}/anki.apkg").status_code == 404
    deck = open_apkg(client.get(f"/quizzes/courses/{course.slug}/anki.apkg").data, tmp_path)
    assert len(deck.notes) == 3  # the first lesson's three words only


def test_fields_are_text_not_markup(app, client, auth, course, student, no_speech, tmp_path):
    item_id = next(iter(course.items.values()))
    with app.app_context():
        item = db.session.get(Item, item_id)
        assert item is not None
        item.en = '<img src=x onerror="alert(1)">'
        db.session.commit()
    auth.login(user=student)
    deck = open_apkg(client.get(f"/quizzes/courses/{course.slug}/anki.apkg").data, tmp_path)
    english = [fields["English"] for fields in deck.notes.values()]
    assert '&lt;img src=x onerror="alert(1)"&gt;' in english
    assert not any("<img" in value for value in english)


def test_the_course_decks_query_count_does_not_grow_with_the_course(
    app, client, auth, make_course, make_user, enrol, no_speech
):
    def queries(lessons: int) -> int:
        course = make_course(slug=f"size-{lessons}", lessons=lessons, items=4)
        student = make_user(roles=("student",))
        enrol(course, student)
        auth.logout()
        auth.login(user=student)
        client.get(f"/quizzes/courses/{course.slug}/anki.apkg")  # warm the per-process caches
        with count_queries(app) as counted:
            assert client.get(f"/quizzes/courses/{course.slug}/anki.apkg").status_code == 200
        return counted.count

    assert queries(2) == queries(6)


def test_the_pages_link_to_the_decks(client, auth, course, student):
    auth.login(user=student)
    lesson = course.lesson_slugs[0]
    assert f"/quizzes/courses/{course.slug}/{lesson}/anki.apkg" in client.get(
        f"/lessons/courses/{course.slug}/{lesson}"
    ).get_data(as_text=True)
    assert f"/quizzes/courses/{course.slug}/anki.apkg" in client.get(
        f"/lessons/courses/{course.slug}/"
    ).get_data(as_text=True)
    hub = client.get("/quizzes/").get_data(as_text=True)
    assert "/quizzes/my-words.apkg" in hub and f"/quizzes/courses/{course.slug}/anki.apkg" in hub
