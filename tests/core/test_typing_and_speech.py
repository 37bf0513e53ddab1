"""The "Typing Kyrgyz" page with its practice, and the synthetic speech endpoint."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.kyrgyz import minimal_pairs, speech
from app.lessons.models import Lesson


@pytest.mark.parametrize(
    ("answer", "status", "text"),
    [
        ("үй", "verdict-correct", "Correct."),
        ("Үй.", "verdict-correct", "Correct."),
        ("уй", "verdict-almost", "у → ү"),
        ("u'y", "verdict-correct", "In Cyrillic it is written үй"),
        ("кол", "verdict-wrong", "The answer is үй"),
    ],
)
def test_practice_gives_teaching_feedback(client, answer, status, text):
    response = client.post(
        "/typing?word=1", data={"answer": answer}, headers={"Accept-Language": "en"}
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert status in body and text in body
    assert f'value="{answer}"' in body.replace("&#39;", "'")  # the answer is kept


def test_practice_feedback_in_japanese(client):
    response = client.post(
        "/typing?word=1", data={"answer": "уй"}, headers={"Accept-Language": "ja"}
    )
    body = response.get_data(as_text=True)
    assert "おしい" in body and "у → ү" in body


def test_htmx_gets_only_the_feedback(client):
    response = client.post(
        "/typing?word=2",
        data={"answer": "кол"},
        headers={"HX-Request": "true", "Accept-Language": "en"},
    )
    body = response.get_data(as_text=True)
    assert "<html" not in body and "verdict-almost" in body and "көл" in body
    assert "HX-Request" in response.headers["Vary"]


def test_typing_page_is_in_the_navigation_for_everyone(client, auth):
    assert 'href="/typing"' in client.get("/").get_data(as_text=True)
    auth.login("teacher")
    assert 'href="/typing"' in client.get("/").get_data(as_text=True)


def test_kyrgyz_fields_carry_the_on_screen_keys_marker(client):
    body = client.get("/typing", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "data-kyrgyz" in body and 'lang="ky"' in body
    assert "js/kyrgyz-input.js" in body


needs_espeak = pytest.mark.skipif(
    not speech.is_available(), reason="espeak-ng is not installed (Debian package espeak-ng)"
)


@needs_espeak
def test_speech_is_synthesised_once_and_cached(client, app, tmp_path):
    app.instance_path = str(tmp_path)
    with client.get("/speech?text=Кош келиңиз") as first:
        first_data = first.data
    assert first.status_code == 200
    assert first.mimetype in {"audio/mpeg", "audio/wav"}
    assert first.headers["X-Audio-Source"] == "synthetic"
    assert "immutable" in first.headers["Cache-Control"]
    assert len(first_data) > 1000
    files = list((tmp_path / "audio" / "speech").rglob("*.*"))
    assert len(files) == 1
    with client.get("/speech?text=кош  келиңиз") as again:  # same text once normalised
        assert again.data == first_data
    assert list((tmp_path / "audio" / "speech").rglob("*.*")) == files


@pytest.mark.parametrize("text", ["", "   ", "ы" * 301])
def test_speech_refuses_empty_or_long_text(client, text):
    assert client.get("/speech", query_string={"text": text}).status_code == 400


def test_speech_without_espeak_is_a_clear_503(client, monkeypatch, app, tmp_path):
    app.instance_path = str(tmp_path)
    monkeypatch.setattr(speech, "ESPEAK_BINARY", "no-such-espeak-binary")
    response = client.get("/speech?text=салам", headers={"Accept-Language": "en"})
    assert response.status_code == 503


@needs_espeak
def test_speech_warm_fills_the_cache_with_the_published_words_once(
    app, make_course, tmp_path, monkeypatch
):
    app.instance_path = str(tmp_path)
    monkeypatch.setattr(minimal_pairs, "KNOWN_PAIRS", minimal_pairs.KNOWN_PAIRS[:1])
    make_course(lessons=2, items=2, unpublished=(1,))
    with app.app_context():
        lessons = db.session.scalars(select(Lesson).order_by(Lesson.position)).all()
        published = {t for item in lessons[0].items for t in (item.ky, item.example_ky) if t}
        hidden = lessons[1].items[0].ky
    pair = minimal_pairs.KNOWN_PAIRS[0]
    texts = published | {pair.first.ky, pair.second.ky}  # the course's words may be the pair's
    runner = app.test_cli_runner()
    first = runner.invoke(args=["speech", "warm"])
    assert first.exit_code == 0, first.output
    assert f"made {len(texts)}, already cached 0, failed 0" in first.output
    again = runner.invoke(args=["speech", "warm"])
    assert f"made 0, already cached {len(texts)}, failed 0" in again.output
    cache = tmp_path / "audio" / "speech"
    for text in texts:
        assert speech.synthesize(text, cache).cached, text
    assert not speech.synthesize(hidden, cache).cached  # an unpublished lesson's word waits
