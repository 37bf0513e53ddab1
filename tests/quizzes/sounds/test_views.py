"""Listening pages through the client: the no-JavaScript path, htmx, hostile input, a double
submit, the audio URL that must not give the answer away, someone else's round."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.lessons.models import Item
from app.quizzes.models import SoundQuestion, SoundRound
from tests.helpers import count_queries, visible_text, wav_bytes

HTMX = {"HX-Request": "true"}


@pytest.fixture
def student(auth, enrol, quiz_course, clock, fake_speech):
    user = auth.login("student")
    enrol(quiz_course, user)
    return user


def start(client, contrast=""):
    response = client.post("/quizzes/sounds/start", data={"contrast": contrast})
    assert response.status_code == 302, response.status_code
    match = re.search(r"/quizzes/sounds/rounds/(\d+)/1$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def question(app, round_id, number):
    with app.app_context():
        q = db.session.scalars(
            select(SoundQuestion).where(
                SoundQuestion.round_id == round_id, SoundQuestion.position == number - 1
            )
        ).one()
        db.session.expunge(q)
        return q


def test_the_hub_links_to_the_contrasts_and_each_contrast_to_its_pairs(client, student):
    hub = client.get("/quizzes/").get_data(as_text=True)
    assert 'href="/quizzes/sounds/"' in hub
    page = client.get("/quizzes/sounds/")
    text = visible_text(page.get_data(as_text=True))
    assert page.status_code == 200
    for label in ("ө / о", "ү / у", "ң / н", "ы / и", "аа / а"):
        assert label in text
    assert 'href="/quizzes/sounds/oe-o"' in page.get_data(as_text=True)
    contrast = client.get("/quizzes/sounds/oe-o").get_data(as_text=True)
    assert "көл" in contrast and "кол" in contrast and "From your course" in contrast
    assert client.get("/quizzes/sounds/xx").status_code == 404


def test_a_round_without_javascript(client, student, app):
    round_id = start(client)
    page = client.get(f"/quizzes/sounds/rounds/{round_id}/1")
    html = page.get_data(as_text=True)
    q = question(app, round_id, 1)
    # the audio element plays the question's token; the page offers both words as buttons
    assert f'<audio controls preload="auto" src="/quizzes/sounds/audio/{q.token}"' in html
    assert html.count('name="choice"') == 2
    assert "Synthetic voice" in visible_text(html)
    response = client.post(f"/quizzes/sounds/rounds/{round_id}/1", data={"choice": str(q.said)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/quizzes/sounds/rounds/{round_id}/1")
    feedback = visible_text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Correct!" in feedback and f"You heard {q.said_word}." in feedback
    assert "Next" in feedback
    # question 3 before question 2 is answered: back to question 2
    early = client.get(f"/quizzes/sounds/rounds/{round_id}/3")
    assert early.headers["Location"].endswith(f"/quizzes/sounds/rounds/{round_id}")
    assert client.get(early.headers["Location"]).headers["Location"].endswith(f"/{round_id}/2")
    for number in range(2, 11):
        q = question(app, round_id, number)
        client.post(f"/quizzes/sounds/rounds/{round_id}/{number}", data={"choice": 1 - q.said})
    results = client.get(f"/quizzes/sounds/rounds/{round_id}")
    assert results.headers["Location"].endswith(f"/quizzes/sounds/rounds/{round_id}/results")
    text = visible_text(client.get(results.headers["Location"]).get_data(as_text=True))
    assert "1 of 10 correct" in text and "Another round" in text


def test_a_wrong_answer_says_what_was_heard_and_teaches_the_contrast(client, student, app):
    round_id = start(client, "ng-n")
    q = question(app, round_id, 1)
    html = client.post(
        f"/quizzes/sounds/rounds/{round_id}/1", data={"choice": 1 - q.said}, headers=HTMX
    ).get_data(as_text=True)
    text = visible_text(html)
    assert 'id="sounds"' in html and "<html" not in html
    assert "Not quite." in text and f"You heard {q.said_word}." in text
    assert f"You chose {q.options[1 - q.said]['ky']}." in text
    assert "back of the mouth" in text  # the tip of ң / н


def test_a_double_submit_records_once(client, student, app):
    round_id = start(client)
    q = question(app, round_id, 1)
    url = f"/quizzes/sounds/rounds/{round_id}/1"
    client.post(url, data={"choice": q.said})
    second = client.post(url, data={"choice": 1 - q.said}, headers=HTMX)
    assert "Correct!" in visible_text(second.get_data(as_text=True))
    with app.app_context():
        stored = db.session.get(SoundQuestion, q.id)
        sound_round = db.session.get(SoundRound, round_id)
        assert (stored.chosen, stored.correct) == (q.said, True)
        assert (sound_round.answered_count, sound_round.correct_count) == (1, 1)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"choice": ""},
        {"choice": "2"},
        {"choice": "-1"},
        {"choice": "abc"},
        {"choice": "1\x00"},
        {"choice": "99999999999999999999"},
    ],
)
def test_hostile_choices_rerender_the_question(client, student, app, data):
    round_id = start(client)
    response = client.post(f"/quizzes/sounds/rounds/{round_id}/1", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="choice-error"' in html and html.count('name="choice"') == 2
    with app.app_context():
        assert (
            db.session.scalar(select(func.count()).where(SoundQuestion.answered_at.is_not(None)))
            == 0
        )


@pytest.mark.parametrize(
    "url",
    [
        "/quizzes/sounds/rounds/99999999999999999999/1",
        "/quizzes/sounds/rounds/1/99999999999999999999",
        "/quizzes/sounds/rounds/1/0",
        "/quizzes/sounds/audio/%00",
        "/quizzes/sounds/audio/" + "a" * 300,
        "/quizzes/sounds/audio/not-a-token",
        "/quizzes/sounds/k%C3%B6l",
    ],
)
def test_hostile_urls_are_404(client, student, url):
    assert client.get(url).status_code == 404


def test_hostile_start(client, student, app):
    assert client.post("/quizzes/sounds/start", data={"contrast": "x\x00"}).status_code == 400
    assert client.post("/quizzes/sounds/start", data={"contrast": "oe-o" * 50}).status_code == 400
    # a contrast without pairs: a message, no round
    response = client.post("/quizzes/sounds/start", data={"contrast": "long-ue"})
    assert response.headers["Location"].endswith("/quizzes/sounds/")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SoundRound)) == 0


def test_the_audio_does_not_give_the_answer_away(client, student, app, fake_speech):
    round_id = start(client)
    for number in range(1, 11):
        q = question(app, round_id, number)
        html = client.get(f"/quizzes/sounds/rounds/{round_id}/{number}").get_data(as_text=True)
        audio = re.search(r"<audio[^>]*>", html).group(0)
        for word in q.options:
            assert word["ky"] not in audio
        response = client.get(f"/quizzes/sounds/audio/{q.token}")
        assert response.status_code == 200 and response.mimetype == "audio/wav"
        assert response.headers["X-Audio-Source"] == "synthetic"
        headers = " ".join(f"{k}: {v}" for k, v in response.headers.items())
        for word in q.options:
            assert word["ky"] not in headers
        assert "ETag" not in response.headers and "Content-Disposition" not in response.headers
        assert fake_speech[-1] == q.said_word
        client.post(f"/quizzes/sounds/rounds/{round_id}/{number}", data={"choice": q.said})


def test_the_teachers_recording_plays_when_both_words_have_one(client, student, app, quiz_course):
    from app.core.media import store_audio

    with app.app_context():
        for ky in ("кол", "көл"):
            name, kind = store_audio(wav_bytes(0.3))
            item = db.session.get(Item, quiz_course.items[ky])
            item.audio_file, item.audio_mimetype = name, kind.mimetype
        db.session.commit()
    round_id = start(client, "oe-o")
    with app.app_context():
        q = db.session.scalars(
            select(SoundQuestion)
            .where(SoundQuestion.round_id == round_id, SoundQuestion.audio_item_id.is_not(None))
            .order_by(SoundQuestion.position)
        ).first()
        token, audio_file = q.token, q.audio_item.audio_file
        number = q.position + 1
    for earlier in range(1, number):
        client.post(f"/quizzes/sounds/rounds/{round_id}/{earlier}", data={"choice": 0})
    html = client.get(f"/quizzes/sounds/rounds/{round_id}/{number}").get_data(as_text=True)
    assert "Teacher&#39;s recording" in html or "Teacher's recording" in html
    response = client.get(f"/quizzes/sounds/audio/{token}")
    assert response.status_code == 200 and response.headers["X-Audio-Source"] == "recording"
    assert audio_file not in " ".join(response.headers.values())


def test_someone_elses_round_and_audio_are_404(client, student, app, auth, enrol, quiz_course):
    round_id = start(client)
    q = question(app, round_id, 1)
    auth.logout()
    other = auth.login("student")
    enrol(quiz_course, other)
    for url in (
        f"/quizzes/sounds/rounds/{round_id}",
        f"/quizzes/sounds/rounds/{round_id}/1",
        f"/quizzes/sounds/rounds/{round_id}/results",
        f"/quizzes/sounds/audio/{q.token}",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(f"/quizzes/sounds/rounds/{round_id}/1", data={"choice": 0}).status_code == 404
    )
    with app.app_context():
        assert db.session.get(SoundQuestion, q.id).answered_at is None


def test_signed_out_visitors_go_to_the_sign_in_page(client, app):
    response = client.get("/quizzes/sounds/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_query_counts_stay_constant(client, student, app):
    def cost(url):
        client.get(url)
        with count_queries(app) as log:
            assert client.get(url).status_code == 200
        return log.count

    first = start(client)
    small = (
        cost("/quizzes/sounds/"),
        cost("/quizzes/sounds/oe-o"),
        cost(f"/quizzes/sounds/rounds/{first}/1"),
    )
    for _ in range(6):
        round_id = start(client)
        for number in range(1, 11):
            q = question(app, round_id, number)
            client.post(f"/quizzes/sounds/rounds/{round_id}/{number}", data={"choice": q.said})
    large = (
        cost("/quizzes/sounds/"),
        cost("/quizzes/sounds/oe-o"),
        cost(f"/quizzes/sounds/rounds/{first}/1"),
    )
    assert small == large, (small, large)
    assert cost(f"/quizzes/sounds/rounds/{round_id}/results") <= 8
