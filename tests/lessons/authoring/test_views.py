"""Teacher authoring through the client: access, lessons, words, order, recordings, query budget."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.models import User
from app.core.media import MAX_RECORDING_BYTES, audio_dir
from app.extensions import db
from app.lessons import services
from app.lessons.authoring import services as editing
from app.lessons.models import AudioSource, Course, Item, Lesson
from tests.factories.courses import CourseFacts, add_course
from tests.factories.users import UserInfo
from tests.helpers import queries_for, wav_bytes


@pytest.fixture
def teacher(make_user: Callable[..., UserInfo]) -> UserInfo:
    return make_user(roles="teacher", display_name="Айгүл")


@pytest.fixture
def course(app: Flask, teacher: UserInfo) -> CourseFacts:
    return add_course(app, teacher)


def get_item(app: Flask, item_id: int) -> Item:
    with app.app_context():
        item = db.session.get(Item, item_id)
        assert item is not None
        db.session.expunge(item)
        return item


def get_lesson(app: Flask, **where: Any) -> Lesson:
    with app.app_context():
        lesson = db.session.scalars(select(Lesson).filter_by(**where)).one()
        db.session.expunge(lesson)
        return lesson


def lesson_items(app: Flask, lesson_id: int) -> list[tuple[int, int, str]]:
    """(id, position, ky) of the lesson's items in order."""
    with app.app_context():
        rows = db.session.execute(
            select(Item.id, Item.position, Item.ky)
            .where(Item.lesson_id == lesson_id)
            .order_by(Item.position, Item.id)
        ).all()
        return [tuple(row) for row in rows]


MP3_BYTES = b"ID3\x04\x00\x00\x00\x00\x00\x0f" + bytes(15) + b"\xff\xfb\x90\x64" + bytes(400)


def upload(data: bytes, name: str = "word.wav") -> dict[str, Any]:
    return {"audio": (io.BytesIO(data), name)}


def post_file(client: FlaskClient, url: str, data: bytes, name: str) -> Any:
    """Post a file in a hand-made body: the test client would spool a large one to a temporary
    file that it never closes (a ResourceWarning, which is an error here)."""
    body = (
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="audio"; filename="'
        + name.encode()
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
        + data
        + b"\r\n--BOUNDARY--\r\n"
    )
    return client.post(url, data=body, content_type="multipart/form-data; boundary=BOUNDARY")


# --- access control --------------------------------------------------------------------------

LESSON_FORM = {
    "title_ja": "買い物",
    "title_en": "Shopping",
    "title_ky": "Соода",
    "goals_ja": "値段を聞ける",
    "goals_en": "Ask for prices",
    "notes_ja": "",
    "notes_en": "",
}
ITEM_FORM = {"ky": "нан", "ja": "パン", "en": "bread", "pos": "noun", "kind": "word"}

Request = tuple[str, str, Callable[[], dict[str, Any]] | None]


def authoring_requests(c: CourseFacts) -> dict[str, Request]:
    """Every authoring endpoint as (method, url, data)."""
    lesson = f"/lessons/courses/{c.slug}/{c.lesson_slug}"
    item = f"/lessons/items/{c.item_ids[0]}"
    return {
        "new_lesson": ("GET", f"/lessons/courses/{c.slug}/new-lesson", None),
        "new_lesson_post": ("POST", f"/lessons/courses/{c.slug}/new-lesson", lambda: LESSON_FORM),
        "edit_lesson": ("GET", f"{lesson}/edit", None),
        "edit_lesson_post": ("POST", f"{lesson}/edit", lambda: LESSON_FORM),
        "preview_notes": (
            "POST",
            f"/lessons/courses/{c.slug}/preview-notes",
            lambda: {"notes_ja": "**太字**", "notes_en": "**bold**"},
        ),
        "publish_lesson": ("POST", f"{lesson}/publish", lambda: {"published": "1"}),
        "new_item": ("GET", f"{lesson}/items/new", None),
        "new_item_post": ("POST", f"{lesson}/items/new", lambda: ITEM_FORM),
        "edit_item": ("GET", f"{item}/edit", None),
        "edit_item_post": ("POST", f"{item}/edit", lambda: ITEM_FORM),
        "move_item": ("POST", f"{item}/move", lambda: {"direction": "down"}),
        "retire_item": ("POST", f"{item}/retire", lambda: {}),
        "restore_item": ("POST", f"{item}/restore", lambda: {}),
        "item_recording": ("GET", f"{item}/recording", None),
        "item_recording_post": ("POST", f"{item}/recording", lambda: upload(wav_bytes())),
        "remove_recording": ("POST", f"{item}/recording/remove", lambda: {}),
        "remove_recording_confirmed": (
            "POST",
            f"{item}/recording/remove",
            lambda: {"confirmed": "1"},
        ),
        "retire_item_confirmed": ("POST", f"{item}/retire", lambda: {"confirmed": "1"}),
        "course_editors": ("GET", f"/lessons/courses/{c.slug}/editors", None),
        "course_editors_post": (
            "POST",
            f"/lessons/courses/{c.slug}/editors",
            lambda: {"email": "nobody@example.org"},
        ),
        "remove_course_editor": ("GET", f"/lessons/courses/{c.slug}/editors/1/remove", None),
    }


ENDPOINTS = list(authoring_requests(CourseFacts("c", "l", 1, (1,))))


def send(client: FlaskClient, method: str, url: str, data: Callable[[], dict[str, Any]] | None):
    if method == "GET":
        return client.get(url)
    return client.post(url, data=data() if data else {}, content_type="multipart/form-data")


def add_class(app: Flask, slug: str, teacher: UserInfo) -> None:
    """A class of the course taught by `teacher` (which doesn't make them an editor)."""
    with app.app_context():
        course = db.session.scalars(select(Course).where(Course.slug == slug)).one()
        services.create_class(
            course,
            services.ClassDetails(name="水曜クラス", starts_on=None, ends_on=None, schedule=""),
            teacher=db.session.get(User, teacher.id),
        )
        db.session.commit()
        db.session.remove()


def log_in_as(
    who: str, *, app: Flask, client: FlaskClient, auth: Any, make_user: Any, teacher: UserInfo
) -> None:
    if who == "anonymous":
        return
    if who == "course_editor":
        auth.login(user=teacher)
    elif who in ("other_teacher", "class_teacher", "added_editor"):
        other = make_user(roles="teacher")
        add_course(app, other, slug="other-course", items=1)  # they edit another course
        if who == "class_teacher":
            add_class(app, "kyrgyz-a1", other)
        if who == "added_editor":
            auth.login(user=teacher)
            response = client.post(
                "/lessons/courses/kyrgyz-a1/editors", data={"email": other.email}
            )
            assert response.status_code == 302
            auth.logout()
        auth.login(user=other)
    else:
        auth.login(who)


# What an editor gets from each endpoint: the page (200), or the redirect to where the change
# shows (its path, before any #fragment).
EDITOR_GETS: dict[str, int | str] = {
    "new_lesson": 200,
    "new_lesson_post": "{course}/shopping/edit",  # the new lesson's editor
    "edit_lesson": 200,
    "edit_lesson_post": "{lesson}/edit",
    "preview_notes": 200,  # the rendered notes
    "publish_lesson": "{lesson}/edit",
    "new_item": 200,
    "new_item_post": "{lesson}/edit",
    "edit_item": 200,
    "edit_item_post": "{lesson}/edit",
    "move_item": "{lesson}/edit",
    "retire_item": 200,  # without "confirmed": the question first
    "restore_item": "{lesson}/edit",
    "item_recording": 200,
    "item_recording_post": "{item}/recording",
    "remove_recording": 200,  # the question first
    "remove_recording_confirmed": "{item}/recording",
    "retire_item_confirmed": "{lesson}/edit",
    "course_editors": 200,
    "course_editors_post": 200,  # nobody has this address: the form again, with the error
    "remove_course_editor": 200,  # a GET only asks
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("anonymous", None),
        ("student", 403),  # not a teacher at all: the role check
        ("other_teacher", 404),  # an editor of another course: not theirs
        ("class_teacher", 404),  # teaching a class of the course doesn't make an editor
        ("added_editor", True),  # ...being added by an editor does
        ("course_editor", True),
        ("admin", True),
    ],
)
def test_access_control(app, client, auth, make_user, teacher, course, endpoint, who, allowed):
    log_in_as(who, app=app, client=client, auth=auth, make_user=make_user, teacher=teacher)
    method, url, data = authoring_requests(course)[endpoint]
    response = send(client, method, url, data)
    if allowed is None:
        assert response.status_code == 302
        assert "/auth/login" in response.headers["Location"]
    elif allowed is True:
        expected = EDITOR_GETS[endpoint]
        if expected == 200:
            assert response.status_code == 200, response.get_data(as_text=True)[:2000]
        else:
            assert response.status_code == 302, response.get_data(as_text=True)[:2000]
            target = str(expected).format(
                course=f"/lessons/courses/{course.slug}",
                lesson=f"/lessons/courses/{course.slug}/{course.lesson_slug}",
                item=f"/lessons/items/{course.item_ids[0]}",
            )
            assert response.headers["Location"].split("#")[0] == target
    else:
        assert response.status_code == allowed


def test_a_refused_teacher_changes_nothing(app, client, auth, make_user, course):
    other = make_user(roles="teacher")
    add_course(app, other, slug="other-course", items=1)
    add_class(app, course.slug, other)  # teaches the course, but doesn't edit it
    auth.login(user=other)
    item_id = course.item_ids[0]
    assert client.post(f"/lessons/items/{item_id}/edit", data=ITEM_FORM).status_code == 404
    retire = client.post(f"/lessons/items/{item_id}/retire", data={"confirmed": "1"})
    assert retire.status_code == 404
    edit_url = f"/lessons/courses/{course.slug}/{course.lesson_slug}/edit"
    assert client.post(edit_url, data=LESSON_FORM).status_code == 404
    item = get_item(app, item_id)
    assert (item.ky, item.retired) == ("салам", False)
    assert get_lesson(app, id=course.lesson_id).title_en == "Greetings"


def test_unknown_ids_and_slugs_are_404(client, auth, course):
    auth.login("admin")
    assert client.get("/lessons/items/999999/edit").status_code == 404
    assert client.get(f"/lessons/courses/{course.slug}/nope/edit").status_code == 404
    assert client.get("/lessons/courses/nope/new-lesson").status_code == 404


# --- lessons ---------------------------------------------------------------------------------


def test_create_lesson_appends_a_hidden_lesson(app, client, auth, teacher, course):
    auth.login(user=teacher)
    response = client.post(
        f"/lessons/courses/{course.slug}/new-lesson",
        data=LESSON_FORM | {"goals_ja": "値段を聞ける\n\n 数字を言える ", "slug": ""},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/lessons/courses/{course.slug}/shopping/edit")
    lesson = get_lesson(app, slug="shopping")
    assert lesson.position == 1
    assert lesson.published is False
    assert lesson.goals_ja == ["値段を聞ける", "数字を言える"]
    assert lesson.title_ky == "Соода"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The lesson has been created" in page
    assert "Draft" in page


def test_create_lesson_with_a_taken_or_reserved_slug(app, client, auth, teacher, course):
    auth.login(user=teacher)
    url = f"/lessons/courses/{course.slug}/new-lesson"
    response = client.post(url, data=LESSON_FORM | {"slug": "greetings"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "already uses this address" in body
    assert 'value="買い物"' in body
    response = client.post(url, data=LESSON_FORM | {"slug": "new-lesson"})
    assert "reserved" in response.get_data(as_text=True)
    # Without a slug, a taken one gets a number.
    client.post(url, data=LESSON_FORM | {"title_en": "Greetings"})
    assert get_lesson(app, slug="greetings-2").title_en == "Greetings"
    client.post(url, data=LESSON_FORM | {"title_en": "New lesson"})
    assert get_lesson(app, slug="new-lesson-2").title_en == "New lesson"


def test_edit_lesson_changes_the_row_in_place(app, client, auth, teacher, course):
    auth.login(user=teacher)
    url = f"/lessons/courses/{course.slug}/{course.lesson_slug}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "あいさつができる" in page and 'lang="ky"' in page and "data-kyrgyz" in page
    response = client.post(
        url,
        data={
            "title_ja": "はじめてのあいさつ",
            "title_en": "First greetings",
            "title_ky": "Саламдашуу",
            "goals_ja": "あいさつができる\n名前が言える",
            "goals_en": "Greet\nSay your name",
            "notes_ja": "## 丁寧な言い方",
            "notes_en": "## Polite forms",
        },
    )
    assert response.status_code == 302
    lesson = get_lesson(app, id=course.lesson_id)
    assert lesson.slug == "greetings"
    assert lesson.title_en == "First greetings"
    assert lesson.goals_en == ["Greet", "Say your name"]
    assert lesson.notes_ja == "## 丁寧な言い方"
    assert lesson.published is False  # the switch was off in the form
    assert len(lesson_items(app, course.lesson_id)) == 3


def test_lesson_form_errors_keep_the_input(client, auth, teacher, course):
    auth.login(user=teacher)
    url = f"/lessons/courses/{course.slug}/{course.lesson_slug}/edit"
    response = client.post(url, data=LESSON_FORM | {"title_en": "", "title_ky": "Сoода"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="title_en-error"' in body
    assert "mixes Latin and Cyrillic" in body
    assert 'value="買い物"' in body


NOTES = "## Cases\n\n**Bold** text.\n\n[[cases: кол]]\n\n<script>alert(1)</script>\n"


def test_preview_without_javascript_renders_the_notes_and_saves_nothing(
    app, client, auth, teacher, course
):
    auth.login(user=teacher)
    url = f"/lessons/courses/{course.slug}/{course.lesson_slug}/edit"
    response = client.post(url, data=LESSON_FORM | {"notes_en": NOTES, "preview": "y"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>Bold</strong>" in body
    assert 'class="forms-table"' in body and "колду" in body
    assert "<script>alert" not in body
    assert "## Cases" in body  # the textarea keeps the Markdown
    assert get_lesson(app, id=course.lesson_id).notes_en == ""


def test_preview_fragment_for_htmx(client, auth, teacher, course):
    auth.login(user=teacher)
    response = client.post(
        f"/lessons/courses/{course.slug}/preview-notes",
        data={"notes_ja": "**太字**", "notes_en": NOTES, "title_ja": "ignored"},
        headers={"HX-Request": "true"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in body
    assert "<strong>太字</strong>" in body and "<strong>Bold</strong>" in body
    assert "<script" not in body
    assert "HX-Request" in response.headers["Vary"]


def test_edit_page_has_the_htmx_preview_button(client, auth, teacher, course):
    auth.login(user=teacher)
    body = client.get(f"/lessons/courses/{course.slug}/{course.lesson_slug}/edit").get_data(
        as_text=True
    )
    assert f'hx-post="/lessons/courses/{course.slug}/preview-notes"' in body
    assert 'hx-target="#notes-preview"' in body
    assert 'name="preview"' in body


def test_publish_and_unpublish(app, client, auth, teacher, course):
    auth.login(user=teacher)
    url = f"/lessons/courses/{course.slug}/{course.lesson_slug}/publish"
    assert client.post(url, data={"published": "0"}).status_code == 302
    assert get_lesson(app, id=course.lesson_id).published is False
    response = client.post(url)  # no value: toggle
    assert get_lesson(app, id=course.lesson_id).published is True
    assert response.headers["Location"].endswith(f"/{course.lesson_slug}/edit")
    response = client.post(url, data={"published": "1", "next": f"/lessons/courses/{course.slug}/"})
    assert response.headers["Location"] == f"/lessons/courses/{course.slug}/"
    response = client.post(url, data={"published": "1", "next": "https://evil.example/"})
    assert "evil" not in response.headers["Location"]
    assert client.post(url, data={"published": "maybe"}).status_code == 400


# --- words and phrases -----------------------------------------------------------------------


def test_create_item_at_the_end_of_the_lesson(app, client, auth, teacher, course):
    auth.login(user=teacher)
    url = f"/lessons/courses/{course.slug}/{course.lesson_slug}/items/new"
    page = client.get(url).get_data(as_text=True)
    assert "data-kyrgyz" in page and 'value="proper_noun"' in page
    response = client.post(
        url,
        data={
            "ky": "  нан  ",
            "ja": "パン",
            "en": "bread",
            "pos": "noun",
            "kind": "word",
            "also_accepted": "нанды\n\n нан \n",
            "example_ky": "Бул   нан.",
            "example_ja": "これはパンです。",
            "example_en": "This is bread.",
        },
    )
    assert response.status_code == 302
    rows = lesson_items(app, course.lesson_id)
    assert [position for _, position, _ in rows] == [0, 1, 2, 3]
    new_id, _, ky = rows[-1]
    assert ky == "нан"
    assert response.headers["Location"].endswith(f"/edit#item-{new_id}")
    item = get_item(app, new_id)
    assert item.also_accepted == ["нанды"]
    assert item.example_ky == "Бул нан."
    assert item.audio_source is None


def test_an_example_needs_all_three_languages(app, client, auth, teacher, course):
    auth.login(user=teacher)
    url = f"/lessons/items/{course.item_ids[0]}/edit"
    data = {"ky": "салам", "ja": "こんにちは", "en": "hello", "pos": "interjection", "kind": "word"}
    body = client.post(url, data=data | {"example_ky": "Салам, Айгүл!"}).get_data(as_text=True)
    assert 'id="example_ja-error"' in body and 'id="example_en-error"' in body
    body = client.post(url, data=data | {"example_en": "Hi!"}).get_data(as_text=True)
    assert 'id="example_ky-error"' in body
    assert get_item(app, course.item_ids[0]).example_en is None


def test_save_and_add_another_phrase(client, auth, teacher, course):
    auth.login(user=teacher)
    url = f"/lessons/courses/{course.slug}/{course.lesson_slug}/items/new?kind=phrase"
    assert client.get(url).get_data(as_text=True).count('<option selected value="phrase">') == 2
    response = client.post(
        url,
        data={"ky": "Кандайсыз?", "ja": "お元気ですか", "en": "How are you?", "pos": "phrase"}
        | {"kind": "phrase", "add_another": "y"},
    )
    assert response.headers["Location"].endswith("/items/new?kind=phrase")


def test_edit_item_keeps_its_id(app, client, auth, teacher, course):
    auth.login(user=teacher)
    item_id = course.item_ids[1]
    assert "рахмат" in client.get(f"/lessons/items/{item_id}/edit").get_data(as_text=True)
    response = client.post(
        f"/lessons/items/{item_id}/edit",
        data={
            "ky": "рахмат",
            "ja": "ありがとうございます",
            "en": "thank you",
            "pos": "interjection",
        }
        | {"kind": "word", "also_accepted": "ракмат"},
    )
    assert response.status_code == 302
    item = get_item(app, item_id)
    assert (item.id, item.ja, item.pos, item.also_accepted) == (
        item_id,
        "ありがとうございます",
        "interjection",
        ["ракмат"],
    )
    assert [row[0] for row in lesson_items(app, course.lesson_id)] == list(course.item_ids)


def test_duplicate_kyrgyz_gives_a_field_error_and_keeps_the_input(
    app, client, auth, teacher, course
):
    auth.login(user=teacher)
    url = f"/lessons/courses/{course.slug}/{course.lesson_slug}/items/new"
    data = {"ky": "үй", "ja": "お家", "en": "home", "pos": "noun", "kind": "word"}
    response = client.post(url, data=data, headers={"Accept-Language": "en"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="ky-error"' in body and "is already in this course" in body and "Greetings" in body
    assert 'value="お家"' in body and 'value="home"' in body
    assert len(lesson_items(app, course.lesson_id)) == 3
    # Renaming another word to an existing one is refused the same way.
    response = client.post(f"/lessons/items/{course.item_ids[0]}/edit", data=data)
    assert 'id="ky-error"' in response.get_data(as_text=True)
    assert get_item(app, course.item_ids[0]).ky == "салам"


def test_duplicate_in_the_service_leaves_the_session_usable(app, course):
    """The constraint, caught in a savepoint, is what guarantees it (a race gets the same)."""
    with app.app_context():
        lesson = db.session.get(Lesson, course.lesson_id)
        item = db.session.get(Item, course.item_ids[0])
        details = editing.ItemDetails(ky="үй", ja="家", en="house", pos="noun", kind="word")
        with pytest.raises(editing.DuplicateItem) as caught:
            editing.update_item(item, details)
        assert caught.value.existing is not None
        assert caught.value.existing.id == course.item_ids[2]
        assert item.ky == "салам"
        with pytest.raises(editing.DuplicateItem):
            editing.create_item(lesson, details)
        lesson.title_en = "Still works"
        db.session.commit()
    assert get_lesson(app, id=course.lesson_id).title_en == "Still works"


def test_move_keeps_positions_a_clean_sequence(app, client, auth, teacher, course):
    auth.login(user=teacher)
    first, second, third = course.item_ids
    with app.app_context():  # messy positions, as an old import might leave them
        for item_id, position in zip(course.item_ids, (0, 5, 5), strict=True):
            db.session.get(Item, item_id).position = position
        db.session.commit()
    response = client.post(f"/lessons/items/{third}/move", data={"direction": "up"})
    assert response.headers["Location"].endswith(f"#item-{third}")
    assert [(i, p) for i, p, _ in lesson_items(app, course.lesson_id)] == [
        (first, 0),
        (third, 1),
        (second, 2),
    ]
    client.post(f"/lessons/items/{first}/move", data={"direction": "up"})  # already first
    client.post(f"/lessons/items/{first}/move", data={"direction": "down"})
    assert [(i, p) for i, p, _ in lesson_items(app, course.lesson_id)] == [
        (third, 0),
        (first, 1),
        (second, 2),
    ]
    assert (
        client.post(f"/lessons/items/{first}/move", data={"direction": "left"}).status_code == 400
    )


def test_retire_and_restore(app, client, auth, teacher, course):
    auth.login(user=teacher)
    item_id = course.item_ids[0]
    asked = client.post(f"/lessons/items/{item_id}/retire")  # the button asks first
    assert asked.status_code == 200 and "Retire “салам”?" in asked.get_data(as_text=True)
    assert get_item(app, item_id).retired is False
    confirmed = client.post(f"/lessons/items/{item_id}/retire", data={"confirmed": "1"})
    assert confirmed.status_code == 302
    assert get_item(app, item_id).retired is True
    page = client.get(f"/lessons/courses/{course.slug}/{course.lesson_slug}/edit")
    body = page.get_data(as_text=True)
    assert "is retired" in body  # the flash
    assert "Retired: hidden from students" in body
    assert f"/lessons/items/{item_id}/restore" in body
    assert client.post(f"/lessons/items/{item_id}/restore").status_code == 302
    assert get_item(app, item_id).retired is False
    assert len(lesson_items(app, course.lesson_id)) == 3


def test_edit_lesson_page_query_count_does_not_grow_with_items(app, client, auth, make_user):
    teacher = make_user(roles="teacher")
    small = add_course(app, teacher, slug="small", items=3)
    large = add_course(app, teacher, slug="large", items=30)
    auth.login(user=teacher)
    few = queries_for(app, client, f"/lessons/courses/{small.slug}/greetings/edit")
    many = queries_for(app, client, f"/lessons/courses/{large.slug}/greetings/edit")
    assert few == many
    assert many <= 8


# --- recordings ------------------------------------------------------------------------------


def recording_url(item_id: int) -> str:
    return f"/lessons/items/{item_id}/recording"


def test_upload_a_wav_replaces_synthetic_speech(app, client, auth, teacher, course):
    auth.login(user=teacher)
    item_id = course.item_ids[0]
    page = client.get(recording_url(item_id)).get_data(as_text=True)
    assert 'accept="audio/*"' in page and "Synthetic voice" in page
    assert "data-recorder" in page and "recorder.js" in page
    data = wav_bytes()
    response = client.post(recording_url(item_id), data=upload(data))
    assert response.status_code == 302
    item = get_item(app, item_id)
    assert item.audio_source == AudioSource.TEACHER
    assert item.audio_mimetype == "audio/wav"
    assert item.audio_version == 1
    with app.app_context():
        stored = audio_dir() / item.audio_file
    assert stored.read_bytes() == data
    assert Path(app.static_folder) not in stored.parents
    page = client.get(recording_url(item_id)).get_data(as_text=True)
    assert "Teacher&#39;s recording" in page or "Teacher's recording" in page
    assert f"/lessons/audio/{item_id}?v=1" in page


def test_the_student_then_hears_the_recording(app, client, auth, make_user, teacher, course):
    from app.lessons.models import CourseClass, Enrollment

    auth.login(user=teacher)
    item_id = course.item_ids[0]
    data = wav_bytes()
    client.post(recording_url(item_id), data=upload(data))
    auth.logout()
    student = make_user()
    with app.app_context():
        class_id = db.session.scalar(select(CourseClass.id))
        db.session.add(Enrollment(class_id=class_id, user_id=student.id))
        db.session.commit()
    auth.login(user=student)
    lesson_page = client.get(f"/lessons/courses/{course.slug}/{course.lesson_slug}")
    assert f"/lessons/audio/{item_id}?v=1" in lesson_page.get_data(as_text=True)
    with client.get(f"/lessons/audio/{item_id}?v=1") as response:
        assert response.status_code == 200
        assert response.headers["X-Audio-Source"] == "recording"
        assert response.data == data


def test_upload_an_mp3(app, client, auth, teacher, course):
    auth.login(user=teacher)
    item_id = course.item_ids[0]
    assert client.post(recording_url(item_id), data=upload(MP3_BYTES, "w.mp3")).status_code == 302
    assert get_item(app, item_id).audio_mimetype == "audio/mpeg"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"This is a text file, not a recording.\n" * 20, "word.mp3", "not an audio file"),
        (wav_bytes() + bytes(MAX_RECORDING_BYTES), "long.wav", "larger than 2 MB"),
    ],
)
def test_bad_uploads_get_the_error_next_to_the_field(
    app, client, auth, teacher, course, data, name, message
):
    auth.login(user=teacher)
    item_id = course.item_ids[0]
    response = post_file(client, recording_url(item_id), data, name)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="audio-error"' in body and message in body
    item = get_item(app, item_id)
    assert (item.audio_file, item.audio_version) == (None, 0)
    with app.app_context():
        assert not audio_dir().exists() or not any(audio_dir().iterdir())


@pytest.mark.parametrize("settings", [{}, {"WTF_CSRF_ENABLED": True}], ids=["", "csrf"])
def test_an_upload_over_the_request_limit_gets_the_field_error_too(
    app, client, auth, teacher, course
):
    if app.config["WTF_CSRF_ENABLED"]:  # the token is checked first, and reading it reads the body
        page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert token is not None
        client.post(
            "/auth/login",
            data={"email": teacher.email, "password": teacher.password, "csrf_token": token[1]},
        )
    else:
        auth.login(user=teacher)
    too_big = bytes(app.config["MAX_CONTENT_LENGTH"])
    response = post_file(client, recording_url(course.item_ids[0]), too_big, "long.wav")
    body = response.get_data(as_text=True)
    assert response.status_code == 413
    assert 'id="audio-error"' in body and "larger than 2 MB" in body


def test_no_file_chosen(client, auth, teacher, course):
    auth.login(user=teacher)
    response = client.post(recording_url(course.item_ids[0]), data={})
    assert "Please choose an audio file" in response.get_data(as_text=True)


def test_a_new_recording_deletes_the_old_teacher_file_but_not_course_files(
    app, client, auth, teacher, course
):
    auth.login(user=teacher)
    first, second = course.item_ids[:2]
    client.post(recording_url(first), data=upload(wav_bytes()))
    old_name = get_item(app, first).audio_file
    client.post(recording_url(first), data=upload(MP3_BYTES, "again.mp3"))
    item = get_item(app, first)
    assert (item.audio_version, item.audio_mimetype) == (2, "audio/mpeg")
    with app.app_context():
        directory = audio_dir()
        course_file = directory / "course-file.wav"
        course_file.write_bytes(wav_bytes())
        row = db.session.get(Item, second)
        row.audio_file, row.audio_source, row.audio_mimetype = (
            course_file.name,
            AudioSource.COURSE,
            "audio/wav",
        )
        db.session.commit()
    assert not (directory / old_name).exists()
    assert (directory / item.audio_file).exists()
    client.post(recording_url(second), data=upload(wav_bytes()))
    assert course_file.exists()
    assert get_item(app, second).audio_source == AudioSource.TEACHER


def test_remove_recording_goes_back_to_synthetic_speech(app, client, auth, teacher, course):
    auth.login(user=teacher)
    item_id = course.item_ids[0]
    client.post(recording_url(item_id), data=upload(wav_bytes()))
    name = get_item(app, item_id).audio_file
    asked = client.post(f"{recording_url(item_id)}/remove")
    assert asked.status_code == 200 and "Remove the recording of" in asked.get_data(as_text=True)
    assert get_item(app, item_id).audio_file == name
    response = client.post(f"{recording_url(item_id)}/remove", data={"confirmed": "1"})
    assert response.status_code == 302
    item = get_item(app, item_id)
    assert (item.audio_file, item.audio_source, item.audio_version) == (None, None, 2)
    with app.app_context():
        assert not (audio_dir() / name).exists()
    assert "Synthetic voice" in client.get(recording_url(item_id)).get_data(as_text=True)


@pytest.fixture
def japanese(client: FlaskClient) -> Iterator[None]:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ja"
    yield
    client.environ_base.pop("HTTP_ACCEPT_LANGUAGE", None)


def test_pages_render_in_japanese(client, auth, course, japanese):
    auth.login("admin", language="ja")
    for url in (
        f"/lessons/courses/{course.slug}/{course.lesson_slug}/edit",
        f"/lessons/courses/{course.slug}/new-lesson",
        f"/lessons/items/{course.item_ids[0]}/edit",
        f"/lessons/items/{course.item_ids[0]}/recording",
        f"/lessons/courses/{course.slug}/{course.lesson_slug}/items/new",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert '<html lang="ja"' in response.get_data(as_text=True)
