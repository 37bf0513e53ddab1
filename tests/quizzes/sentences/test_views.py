"""Sentence pages through the client: the word bank without JavaScript, typed sentences, the
verdict page, "not yours" is 404, a double submit records once, the dashboard's count."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.quizzes.models import SentenceAttempt
from tests.helpers import queries_for, visible_text


def open_exercise(client: Any, item_id: int, kind: str = "build-ky") -> tuple[str, str, str]:
    """(the exercise's URL with its token, the token, the page)."""
    response = client.get(f"/quizzes/sentences/{item_id}/{kind}")
    assert response.status_code == 302
    url = response.location
    token = parse_qs(urlsplit(url).query)["t"][0]
    page = client.get(url)
    assert page.status_code == 200
    return url, token, page.get_data(as_text=True)


def bank(page: str) -> dict[str, int]:
    """{word: tile index} of the bank's buttons."""
    found = re.findall(
        r'name="add" value="(\d+)" class="tile" data-tile="\d+">([^<]+)</button>', page
    )
    return {text: int(index) for index, text in found}


def test_word_bank_without_javascript(
    client: Any, sentence_student: Any, sentence_course: Any, app: Flask
) -> None:
    item_id = sentence_course.items["мектеп"]
    url, token, page = open_exercise(client, item_id)
    tiles = bank(page)
    assert {"Мен", "мектепке", "барам"} <= set(tiles) and len(tiles) >= 5
    order: list[int] = []
    for word in ("Мен", "мектепке", "барам"):
        # each tap posts the order so far; the answer comes back in the page's address
        response = client.post(
            url, data={"token": token, "order": ",".join(map(str, order)), "add": tiles[word]}
        )
        assert response.status_code == 302
        order = [int(i) for i in parse_qs(urlsplit(response.location).query)["order"][0].split(",")]
        page = client.get(response.location).get_data(as_text=True)
        assert f'name="remove" value="{tiles[word]}"' in page
    # take the last word back and put it again
    response = client.post(
        url, data={"token": token, "order": ",".join(map(str, order)), "remove": tiles["барам"]}
    )
    assert parse_qs(urlsplit(response.location).query)["order"][0] == ",".join(map(str, order[:2]))
    response = client.post(
        url, data={"token": token, "order": ",".join(map(str, order)), "action": "check"}
    )
    assert response.status_code == 302 and "/sentences/attempts/" in response.location
    result = visible_text(client.get(response.location).get_data(as_text=True))
    assert "Correct!" in result and "Мен мектепке барам." in result


def test_verb_in_the_middle_is_explained(
    client: Any, sentence_student: Any, sentence_course: Any
) -> None:
    url, token, page = open_exercise(client, sentence_course.items["мектеп"])
    tiles = bank(page)
    order = ",".join(str(tiles[w]) for w in ("Мен", "барам", "мектепке"))
    response = client.post(url, data={"token": token, "order": order, "action": "check"})
    text = visible_text(client.get(response.location).get_data(as_text=True))
    assert (
        "Not quite." in text
        and "like Japanese, puts the verb" in text
        and "барам comes last" in text
    )


def test_checking_nothing_asks_for_words_and_records_nothing(
    client: Any, sentence_student: Any, sentence_course: Any, app: Flask
) -> None:
    url, token, _page = open_exercise(client, sentence_course.items["мектеп"])
    response = client.post(url, data={"token": token, "order": "", "action": "check"})
    assert response.status_code == 422
    assert "Tap the words in order first." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(SentenceAttempt.id))) == 0


def test_double_submit_records_once(
    client: Any, sentence_student: Any, sentence_course: Any, app: Flask
) -> None:
    url, token, page = open_exercise(client, sentence_course.items["студент"])
    tiles = bank(page)
    order = f"{tiles['Мен']},{tiles['студентмин']}"
    first = client.post(url, data={"token": token, "order": order, "action": "check"})
    second = client.post(url, data={"token": token, "order": "", "action": "check"})
    assert first.location == second.location
    with app.app_context():
        assert db.session.scalar(select(func.count(SentenceAttempt.id))) == 1


def test_typed_mode_with_latin_and_hostile_input(
    client: Any, sentence_student: Any, sentence_course: Any
) -> None:
    url, token, page = open_exercise(client, sentence_course.items["мектеп"], "type-ky")
    assert "data-kyrgyz" in page and "I go to school." in page  # the English interface
    refused = client.post(url, data={"token": token, "answer": "мен\x00 мектепке"})
    assert refused.status_code == 422
    assert "control characters" in refused.get_data(as_text=True)
    response = client.post(url, data={"token": token, "answer": "mektepke men baram"})
    text = visible_text(client.get(response.location).get_data(as_text=True))
    assert "All the words are right, but in another order" in text


def test_japanese_direction_plays_the_kyrgyz(
    client: Any, sentence_student: Any, sentence_course: Any
) -> None:
    url, token, page = open_exercise(client, sentence_course.items["мектеп"], "build-ja")
    assert "/speech?text=" in page and "Мен мектепке барам." in page
    tiles = bank(page)
    order = ",".join(str(tiles[w]) for w in ("学校へ", "私は", "行きます"))
    response = client.post(url, data={"token": token, "order": order, "action": "check"})
    assert "Correct!" in visible_text(client.get(response.location).get_data(as_text=True))


def test_not_theirs_is_404(
    client: Any,
    auth: Any,
    sentence_course: Any,
    sentence_student: Any,
    make_course: Any,
    app: Flask,
) -> None:
    other = make_course(slug="other-course")  # with examples, but not the student's
    other_item = next(iter(other.items.values()))
    assert client.get(f"/quizzes/sentences/{other_item}/build-ky?t=abcdefgh1234").status_code == 404
    assert client.get(f"/quizzes/sentences/next?lesson={other.lessons[0]}").status_code == 404
    assert (
        client.get(f"/quizzes/sentences/{sentence_course.items['суу']}/build-ky").status_code == 404
    )
    assert (
        client.get(f"/quizzes/sentences/{sentence_course.items['мектеп']}/nonsense").status_code
        == 404
    )
    assert client.get("/quizzes/sentences/99999999999999999999/build-ky").status_code == 404
    assert client.get("/quizzes/sentences/next?lesson=99999999999999999999").status_code == 302
    # an attempt is its student's only
    url, token, page = open_exercise(client, sentence_course.items["студент"])
    tiles = bank(page)
    done = client.post(url, data={"token": token, "order": str(tiles["Мен"]), "action": "check"})
    auth.logout()
    auth.login("student")
    assert client.get(done.location).status_code == 404
    assert client.get(url).status_code == 404


def test_lesson_page_and_hub_link_here_and_index_counts(
    client: Any, sentence_student: Any, sentence_course: Any
) -> None:
    lesson = client.get(f"/lessons/courses/{sentence_course.slug}/lesson-1").get_data(as_text=True)
    assert "/quizzes/sentences/next?kind=build-ky&amp;lesson=" in lesson
    assert "/quizzes/sentences/" in client.get("/quizzes/").get_data(as_text=True)
    index = visible_text(client.get("/quizzes/sentences/").get_data(as_text=True))
    assert "You have built 0 of 4 sentences." in index
    nxt = client.get(f"/quizzes/sentences/next?kind=build-ja&lesson={sentence_course.lessons[0]}")
    assert nxt.status_code == 302 and "/build-ja" in nxt.location


def test_dashboard_counts_sentences_built_in_constant_queries(
    client: Any, sentence_student: Any, sentence_course: Any
) -> None:
    before = queries_for(client.application, client, "/progress/")
    for key, words in (
        ("мектеп", ("Мен", "мектепке", "барам")),
        ("студент", ("Мен", "студентмин")),
    ):
        for _ in range(3):
            url, token, page = open_exercise(client, sentence_course.items[key])
            tiles = bank(page)
            client.post(
                url,
                data={
                    "token": token,
                    "order": ",".join(str(tiles[w]) for w in words),
                    "action": "check",
                },
            )
    page = client.get("/progress/").get_data(as_text=True)
    assert 'data-sentences-built="2"' in page
    assert queries_for(client.application, client, "/progress/") == before
    assert queries_for(client.application, client, "/quizzes/sentences/") <= 12
