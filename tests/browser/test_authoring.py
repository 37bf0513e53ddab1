"""Teacher authoring in Chromium: edit a word, give it a recording (upload, and the recorder)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.lessons.models import AudioSource, Item, Lesson
from tests.browser.conftest import KEYS_ROOM, WAIT, in_place_before_its_script
from tests.factories.courses import add_course
from tests.helpers import wav_bytes


def teacher_with_a_course(app: Any, make_user: Any) -> tuple[Any, int]:
    """A teacher of a class of a one-lesson course whose first word is салам; (user, item id)."""
    teacher = make_user(roles="teacher", display_name="Айгүл")
    return teacher, add_course(app, teacher, items=2).item_ids[0]


def sign_in(page: Any, user: Any) -> None:
    page.goto("/auth/login")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(user.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(user.display_name).first).to_be_visible()


def stored_item(app: Any, item_id: int) -> Item:
    with app.app_context():
        item = db.session.get(Item, item_id)
        db.session.expunge(item)
        return item


def test_teacher_edits_a_gloss_and_uploads_a_recording(page, app, make_user):
    teacher, item_id = teacher_with_a_course(app, make_user)
    sign_in(page, teacher)
    page.goto("/lessons/courses/kyrgyz-a1/greetings/edit")
    page.set_viewport_size({"width": 1280, "height": 1400})  # the whole form, Save included
    page.get_by_role("link", name="Edit салам").click()
    # the Kyrgyz keys (a deferred script) go in under their fields, above Save: a click before
    # that can land where the button was
    page.wait_for_load_state("load")
    expect(page.locator(".ky-keys").first).to_be_visible()
    before, with_keys = page.evaluate(KEYS_ROOM)
    assert abs(before - with_keys) < 1  # their room was kept, the hints under them included
    page.get_by_label("English meaning").fill("hello")
    page.get_by_role("button", name="Save", exact=True).click()
    row = page.locator(f"#item-{item_id}")
    expect(row).to_contain_text("hello")
    expect(page.locator(".flash-success")).to_contain_text("has been saved")
    page.wait_for_load_state("load")  # the Kyrgyz keys went in under the title, above the words

    row.get_by_role("link", name="Pronunciation салам").click()
    expect(page.locator("#audio-source")).to_contain_text("Synthetic voice")
    # the recorder (a deferred script) shows itself above the upload form: a click before
    # that can land where the button was
    page.wait_for_load_state("load")
    page.get_by_label("Audio file").set_input_files(
        {"name": "salam.wav", "mimeType": "audio/wav", "buffer": wav_bytes()}
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".flash-success")).to_contain_text("Students now hear it")
    expect(page.locator("#audio-source")).to_contain_text("Teacher's recording")
    expect(page.locator(".current-audio audio")).to_have_attribute(
        "src", f"/lessons/audio/{item_id}?v=1"
    )
    item = stored_item(app, item_id)
    assert (item.en, item.audio_source, item.audio_mimetype) == (
        "hello",
        AudioSource.TEACHER,
        "audio/wav",
    )


def test_notes_preview_updates_in_place(page, app, make_user):
    teacher, _item_id = teacher_with_a_course(app, make_user)
    sign_in(page, teacher)
    page.goto("/lessons/courses/kyrgyz-a1/greetings/edit")
    page.get_by_label("Notes (English)").fill(
        "**Bold** words\n\n[[plural: китеп]]\n\n<script>alert(1)</script>\n"
    )
    page.evaluate("window.sabakNoReload = true")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#notes-preview")
    expect(preview.locator("strong")).to_have_text("Bold")
    expect(preview.locator(".forms-table")).to_contain_text("китептер")
    assert preview.locator("script").count() == 0
    assert page.evaluate("window.sabakNoReload") is True  # htmx swapped the pane in place
    with app.app_context():
        assert db.session.scalar(select(Lesson.notes_en)) == ""


def test_a_text_file_is_refused_next_to_the_field(page, app, make_user):
    teacher, item_id = teacher_with_a_course(app, make_user)
    sign_in(page, teacher)
    page.goto(f"/lessons/items/{item_id}/recording")
    page.get_by_label("Audio file").set_input_files(
        {"name": "notes.mp3", "mimeType": "audio/mpeg", "buffer": b"just some text\n" * 10}
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#audio-error")).to_contain_text("not an audio file")
    assert stored_item(app, item_id).audio_file is None


def test_record_in_the_browser_and_save(microphone_page, app, make_user):
    page = microphone_page
    teacher, item_id = teacher_with_a_course(app, make_user)
    sign_in(page, teacher)
    page.goto(f"/lessons/items/{item_id}/recording")
    recorder = page.locator("[data-recorder]")
    expect(recorder).to_be_visible()
    recorder.get_by_role("button", name="Record", exact=True).click()
    expect(recorder).to_have_attribute("data-state", "recording")
    page.wait_for_timeout(700)
    recorder.get_by_role("button", name="Stop").click()
    expect(recorder).to_have_attribute("data-state", "recorded")
    expect(recorder.get_by_role("button", name="Play back")).to_be_enabled()
    recorder.get_by_role("button", name="Save the recording").click()
    expect(page.locator(".flash-success")).to_contain_text("Students now hear it")
    expect(page.locator("#audio-source")).to_contain_text("Teacher's recording")
    item = stored_item(app, item_id)
    assert item.audio_source == AudioSource.TEACHER
    assert item.audio_mimetype in {"audio/webm", "audio/ogg", "audio/mp4"}


def test_the_recorder_is_there_from_the_first_drawing_and_only_where_it_can_record(
    browser, live_server, app, make_user
):
    """Its room is there before recorder.js arrives (so the upload form under it never moves),
    its Record button working once the script has come; a browser without JavaScript gets the
    upload form alone."""
    teacher, item_id = teacher_with_a_course(app, make_user)
    for scripted in (True, False):
        context = browser.new_context(
            base_url=live_server,
            locale="en-US",
            java_script_enabled=scripted,
            service_workers="block",  # every script from the server, as routed
        )
        context.set_default_timeout(WAIT)
        page = context.new_page()
        sign_in(page, teacher)
        url = f"/lessons/items/{item_id}/recording"
        recorder = page.locator("[data-recorder]")
        if scripted:
            record = recorder.get_by_role("button", name="Record", exact=True)
            in_place_before_its_script(page, "recorder.js", url, recorder, record)
        else:
            page.goto(url)
            expect(recorder).to_be_hidden()
        expect(page.get_by_label("Audio file")).to_be_visible()
        context.close()
