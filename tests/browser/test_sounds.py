"""Minimal-pair listening in Chromium: play the word, choose, see the feedback, go on; the
dashboard then lists what is still confused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.kyrgyz import speech
from app.quizzes.models import SoundQuestion
from tests.helpers import wav_bytes


@pytest.fixture
def student(app, make_user, monkeypatch):
    """A student, and speech that needs no espeak-ng (a short tone per word)."""

    def synthesize(text: str, cache_dir: Path, *, timeout: float = 5.0):
        path = Path(cache_dir) / f"{speech.cache_key(text, 'wav')}.wav"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(wav_bytes(0.4))
        return speech.SpeechResult(path, "audio/wav", text, cached=False)

    monkeypatch.setattr("app.quizzes.sounds.views.synthesize", synthesize)
    return make_user(language="en")


def sign_in(page, user):
    page.goto("/auth/login")
    page.locator("input[name=email]").fill(user.email)
    page.locator("input[name=password]").fill(user.password)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))


def said(app, round_id: int, number: int) -> int:
    with app.app_context():
        return db.session.scalars(
            select(SoundQuestion.said).where(
                SoundQuestion.round_id == round_id, SoundQuestion.position == number - 1
            )
        ).one()


def test_play_choose_feedback_next(page, app, student):
    sign_in(page, student)
    page.goto("/quizzes/")
    page.get_by_role("button", name="Practise hearing the sounds").click()
    expect(page.get_by_role("heading", name="Hearing the sounds", level=1)).to_be_visible()
    page.locator("[data-contrast='y-i'] a").click()
    expect(page.get_by_role("heading", name="Hearing ы / и")).to_be_visible()
    page.get_by_role("button", name="Practise ы / и").click()
    expect(page).to_have_url(re.compile(r"/quizzes/sounds/rounds/\d+/1$"))
    round_id = int(page.url.rstrip("/").split("/")[-2])

    # with JavaScript: the big play button instead of the browser's controls; it plays
    play = page.locator("[data-sound-play]")
    expect(play).to_be_visible()
    assert page.locator("audio[data-sound-audio]").evaluate("a => a.controls") is False
    play.click()
    expect(page.locator("[data-sounds]")).to_have_attribute("data-played", "true")

    for number in range(1, 5):
        expect(page.get_by_text(f"Question {number} of 4")).to_be_visible()
        right = said(app, round_id, number)
        choice = right if number != 2 else 1 - right  # the second one wrong
        page.locator(f"button.sound-choice[value='{choice}']").click()
        verdict = page.locator("[data-verdict]")
        expect(verdict).to_have_attribute("data-verdict", "correct" if number != 2 else "wrong")
        expect(page.locator("[data-sounds]")).to_contain_text("You heard")
        if number == 2:
            expect(page.locator(".sound-tip")).to_contain_text("tongue pulled back")
        if number < 4:
            page.get_by_role("button", name="Next").click()
            # htmx swapped the next question in; after the tap it plays by itself
            expect(page.get_by_text(f"Question {number + 1} of 4")).to_be_visible()
            expect(page.locator("[data-sounds]")).to_have_attribute("data-played", "true")
    page.get_by_role("button", name="See the results").click()
    expect(page.locator("[data-score]")).to_have_attribute("data-score", "3/4")

    page.goto("/progress/")
    expect(page.locator("#sounds [data-contrast='y-i']")).to_contain_text("3 of the last 4 right")
    expect(page.locator("#sounds [data-contrast='y-i'] a")).to_have_attribute(
        "href", "/quizzes/sounds/y-i"
    )


def test_keys_choose_and_the_phone_layout_holds(phone_page, app, student):
    page = phone_page
    sign_in(page, student)
    page.goto("/quizzes/sounds/oe-o")
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/quizzes/sounds/rounds/\d+/1$"))
    expect(page.locator("[data-sound-play]")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    round_id = int(page.url.rstrip("/").split("/")[-2])
    page.keyboard.press(str(said(app, round_id, 1) + 1))
    expect(page.locator("[data-verdict]")).to_have_attribute("data-verdict", "correct")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
