"""Sentence building in Chromium: tap the words in order, drag one, type the sentence."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.lessons.models import Item
from tests.browser.conftest import KEYS_ROOM, WAIT

WORDS = [
    ("мектеп", "学校", "school", "noun"),
    ("студент", "学生", "student", "noun"),
    ("китеп", "本", "book", "noun"),
]
EXAMPLES = {
    "мектеп": ("Мен мектепке барам.", "私は学校へ行きます。", "I go to school."),
    "студент": ("Мен студентмин.", "私は学生です。", "I am a student."),
    "китеп": ("Бул китеп жакшы.", "この本は良いです。", "This book is good."),
}


@pytest.fixture
def course(app: Any, make_course: Any, make_user: Any, make_class: Any) -> Any:
    info = make_course(slug="kyrgyz-sentences", words=(WORDS,))
    with app.app_context():
        for ky, (example_ky, example_ja, example_en) in EXAMPLES.items():
            item = db.session.get_one(Item, info.items[ky])
            item.example_ky, item.example_ja, item.example_en = example_ky, example_ja, example_en
        db.session.commit()
        db.session.remove()
    student = make_user(roles=("student",))
    make_class(info, students=[student])
    return info, student


def sign_in(page: Any, user: Any) -> None:
    page.goto("/auth/login")
    page.locator("input[name=email]").fill(user.email)
    page.locator("input[name=password]").fill(user.password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/auth/login" not in url, timeout=WAIT)


def tile(page: Any, word: str) -> Any:
    return page.locator("[data-tile]", has_text=word).first


def line_words(page: Any) -> Any:
    return page.locator("[data-line] [data-tile]")


def test_tap_words_in_order(page: Any, course: Any) -> None:
    info, student = course
    sign_in(page, student)
    page.goto(f"/quizzes/sentences/{info.items['мектеп']}/build-ky")
    expect(page.locator("[data-bank] [data-tile]").first).to_be_visible()
    page.wait_for_load_state("load")  # the script is in
    url = page.url
    for word in ("Мен", "мектепке", "барам"):
        tile(page, word).click()
    expect(line_words(page)).to_have_text(["Мен", "мектепке", "барам"])
    assert page.url == url  # moved in the page, not posted
    # a tap in the sentence puts the word back; another brings it again
    tile(page, "барам").click()
    expect(line_words(page)).to_have_count(2)
    page.locator("[data-bank] [data-tile]", has_text="барам").click()
    expect(line_words(page)).to_have_count(3)
    page.locator("[data-check]").click()
    expect(page.locator("[data-verdict]")).to_have_attribute("data-verdict", "correct")
    expect(page.get_by_text("Correct!")).to_be_visible()


def drag(page: Any, source: Any, x: float, y: float) -> None:
    box = source.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    for step in range(1, 11):
        start_x, start_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(start_x + (x - start_x) * step / 10, start_y + (y - start_y) * step / 10)
    page.mouse.up()


def test_drag_words_into_place(page: Any, course: Any) -> None:
    info, student = course
    sign_in(page, student)
    page.goto(f"/quizzes/sentences/{info.items['студент']}/build-ky")
    expect(page.locator("[data-bank] [data-tile]").first).to_be_visible()
    page.wait_for_load_state("load")
    line = page.locator("[data-line]").bounding_box()
    # the verb first, dragged into the empty sentence
    drag(
        page,
        tile(page, "студентмин"),
        line["x"] + line["width"] / 2,
        line["y"] + line["height"] / 2,
    )
    expect(line_words(page)).to_have_text(["студентмин"])
    # then Мен, dropped to the left of it
    verb = tile(page, "студентмин").bounding_box()
    drag(page, tile(page, "Мен"), verb["x"] + 2, verb["y"] + verb["height"] / 2)
    expect(line_words(page)).to_have_text(["Мен", "студентмин"])
    page.locator("[data-check]").click()
    expect(page.locator("[data-verdict]")).to_have_attribute("data-verdict", "correct")


def test_verb_in_the_middle_and_typed_mode(page: Any, course: Any) -> None:
    info, student = course
    sign_in(page, student)
    page.goto(f"/quizzes/sentences/{info.items['мектеп']}/build-ky")
    expect(page.locator("[data-bank] [data-tile]").first).to_be_visible()
    page.wait_for_load_state("load")
    for word in ("Мен", "барам", "мектепке"):
        tile(page, word).click()
    page.locator("[data-check]").click()
    expect(page.locator("[data-verdict]")).to_have_attribute("data-verdict-kind", "verb_final")
    expect(page.locator("[data-verdict]")).to_contain_text("like Japanese")

    page.get_by_role("link", name="Type it instead").click()
    field = page.get_by_label("The sentence in Kyrgyz")
    expect(field).to_be_visible()
    page.wait_for_load_state("load")  # the Kyrgyz keys have gone in under the field, above Check
    expect(page.locator(".ky-keys")).to_be_visible()
    before, with_keys = page.evaluate(KEYS_ROOM)
    assert abs(before - with_keys) < 1  # their room was kept: Check did not move
    field.fill("мен мектепке барам")
    page.get_by_role("button", name="Check").click()
    expect(page.locator("[data-verdict]")).to_have_attribute("data-verdict", "correct")
    page.get_by_role("button", name="Next sentence").click()
    expect(page.locator("h1")).to_have_text("Write this sentence in Kyrgyz")
