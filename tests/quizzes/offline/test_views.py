"""The installable app's files and the offline review's endpoints, through the client."""

from __future__ import annotations

import json
import uuid

import pytest
from fsrs import Rating
from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.quizzes.models import Answer, ReviewCard
from app.quizzes.sessions import services as sessions
from tests.quizzes.conftest import NOW

PACK = "/quizzes/review/offline.json"
SYNC = "/quizzes/review/offline"


@pytest.fixture
def student(auth, enrol, quiz_course, clock, app):
    user = auth.login("student")
    enrol(quiz_course, user)
    with app.app_context():
        me = db.session.get(User, user.id)
        for word in ("кол", "көл", "үй"):
            sessions.record_reviews(
                me,
                {quiz_course.items[word]: Rating.Good},
                now=NOW.replace(day=10),
                duration_ms=None,
            )
        for card in db.session.scalars(select(ReviewCard)):
            card.due = NOW.replace(hour=0)
        db.session.commit()
    return user


def answers_for(pack, count=None):
    return [
        {
            "id": str(uuid.uuid4()),
            "token": card["token"],
            "given": str(card["item"]) if card["kind"] == "recognise" else card["expected"],
            "answered_at": int(NOW.timestamp() * 1000) + 1000 * n,
            "duration_ms": 3000,
        }
        for n, card in enumerate(pack["cards"][:count])
    ]


def post(client, body, **headers):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(SYNC, data=data, content_type="application/json", headers=headers)


def test_the_pack_lists_the_due_cards_and_is_not_cached(client, student):
    response = client.get(PACK)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    pack = response.get_json()
    assert pack["user"] == student.id and pack["csrf_token"]
    assert {card["ky"] for card in pack["cards"]} == {"кол", "көл", "үй"}
    for card in pack["cards"]:
        assert card["instruction"] and card["audio"].startswith(("/speech?", "/lessons/audio/"))


def test_signed_out_the_endpoints_answer_401_not_the_sign_in_page(client):
    assert client.get(PACK).status_code == 401
    assert post(client, {"answers": []}).status_code == 401


def test_answers_sent_twice_are_recorded_once(client, student, app):
    pack = client.get(PACK).get_json()
    answers = answers_for(pack)
    first = post(client, {"answers": answers, "sent_at": int(NOW.timestamp() * 1000)})
    assert first.status_code == 200
    body = first.get_json()
    assert body["recorded"] == 3 and body["results_url"].startswith("/quizzes/")
    assert [a["status"] for a in body["answers"]] == ["recorded"] * 3
    again = post(client, {"answers": answers}).get_json()
    assert [a["status"] for a in again["answers"]] == ["duplicate"] * 3
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 3
    results = client.get(body["results_url"])
    assert results.status_code == 200


def test_another_students_answers_are_refused(client, student, app, make_user, enrol, quiz_course):
    pack = client.get(PACK).get_json()
    stranger = make_user(roles=("student",))
    enrol(quiz_course, stranger)
    other = app.test_client()
    other.post("/auth/login", data={"email": stranger.email, "password": stranger.password})
    body = post(other, {"answers": answers_for(pack)}).get_json()
    assert [a["status"] for a in body["answers"]] == ["refused"] * 3
    assert body["recorded"] == 0 and body["results_url"] is None


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'{"answers": "x"}',
        b'{"answers": [1]}',
        b'{"answers": [{"id": "not-a-uuid", "token": "t", "given": "", "answered_at": 1700000000000}]}',
        b'{"answers": [{"id": "12345678-1234-1234-1234-1234567890123", "token": "t", "answered_at": 1700000000000}]}',
        b'{"answers": [{"id": "9b2f7a3c-4d5e-4f60-8a1b-2c3d4e5f6a7b", "token": "t", "given": "a\\u0000b", "answered_at": 1700000000000}]}',
        b'{"answers": [{"id": "9b2f7a3c-4d5e-4f60-8a1b-2c3d4e5f6a7b", "token": "t", "given": "", "answered_at": 12345678901234567890}]}',
        b'{"answers": [{"id": "9b2f7a3c-4d5e-4f60-8a1b-2c3d4e5f6a7b", "token": "t", "given": "", "answered_at": "soon"}]}',
        b'{"answers": [], "sent_at": 99999999999999999999}',
        b'{"answers": [{"id": "9b2f7a3c-4d5e-4f60-8a1b-2c3d4e5f6a7b", "token": 12345678901234567890, "answered_at": 1700000000000}]}',
        b"[" * 100_000,
        json.dumps({"answers": [{"id": str(uuid.uuid4())}] * 51}).encode(),
        json.dumps({"answers": [], "padding": "x" * 300_000}).encode(),
    ],
)
def test_hostile_bodies_get_a_clear_400(client, student, body):
    response = post(client, body)
    assert response.status_code == 400
    assert response.get_json()["error"]


def test_the_sync_needs_the_csrf_token(app_factory_csrf):
    client, token = app_factory_csrf
    assert post(client, {"answers": []}).status_code == 400
    assert post(client, {"answers": []}, **{"X-CSRFToken": token}).status_code == 200


@pytest.fixture
def app_factory_csrf(app, client, student):
    app.config["WTF_CSRF_ENABLED"] = True
    token = client.get(PACK).get_json()["csrf_token"]
    yield client, token
    app.config["WTF_CSRF_ENABLED"] = False


def test_the_service_worker_is_served_from_the_root_and_versioned(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    text = response.get_data(as_text=True)
    assert 'const VERSION = "' in text and "/quizzes/review" in text
    etag = response.headers["ETag"]
    assert client.get("/sw.js", headers={"If-None-Match": etag}).status_code == 304


def test_the_manifest_makes_sabak_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    assert "Сабак" in manifest["name"] and manifest["theme_color"]
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200 and image.data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(image.data[16:20]), int.from_bytes(image.data[20:24])
        assert f"{width}x{height}" == icon["sizes"]
        image.close()
    home = client.get("/").get_data(as_text=True)
    assert 'rel="manifest"' in home and "js/pwa.js" in home


@pytest.mark.parametrize(("lang", "words"), [("ja", "オフライン"), ("en", "You are offline")])
def test_the_offline_page_speaks_the_language_asked(client, lang, words):
    page = client.get(f"/offline.html?lang={lang}").get_data(as_text=True)
    assert words in page and "/quizzes/review" in page


def test_without_javascript_the_review_page_still_starts_the_online_review(client, student):
    page = client.get("/quizzes/review").get_data(as_text=True)
    assert 'action="/quizzes/review"' in page  # the form, as before
    assert "data-offline-review" in page and " hidden" in page  # the offline layer, hidden
