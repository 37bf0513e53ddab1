"""The dashboard's sounds: contrasts mastered and still confused, with a link to practise each;
its queries do not grow with the answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.auth.models import User
from app.extensions import db
from app.quizzes import sounds
from tests.helpers import queries_for, visible_text

NOW = datetime(2026, 11, 3, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.core.dates.now", lambda: NOW)


def answer(app, user_id, contrast, pattern):
    """Answer rounds of `contrast`: 1 right, 0 wrong, oldest first."""
    with app.app_context():
        user = db.session.get(User, user_id)
        moment = NOW - timedelta(days=2)
        left = list(pattern)
        while left:
            sound_round = sounds.start_round(user, contrast=contrast, now=moment, seed=len(left))
            for q in sound_round.questions:
                if not left:
                    break
                moment += timedelta(seconds=5)
                sounds.submit_answer(q, q.said if left.pop(0) else 1 - q.said, now=moment)
        db.session.commit()


def test_contrasts_mastered_and_confused(app, client, auth):
    student = auth.login("student")
    page = visible_text(client.get("/progress/").get_data(as_text=True))
    assert "Contrasts mastered" in page and "0 of 10" in page
    assert "the ones you still confuse appear here" in page
    answer(app, student.id, "oe-o", [1] * 9 + [0])
    answer(app, student.id, "y-i", [1, 0, 0, 0])
    answer(app, student.id, "ng-n", [1, 1])
    html = client.get("/progress/").get_data(as_text=True)
    page = visible_text(html)
    assert 'data-mastered="1"' in html and "1 of 10" in page
    section = html[html.index('id="sounds"') : html.index('id="upcoming"')]
    assert 'data-contrast="y-i"' in section and "1 of the last 4 right" in visible_text(section)
    assert 'href="/quizzes/sounds/y-i"' in section
    # mastered and merely learning contrasts are not listed as confused
    assert 'data-contrast="oe-o"' not in section and 'data-contrast="ng-n"' not in section
    assert 'href="/quizzes/sounds/"' in html
    assert "at least 8 of your last 10 answers" in page
    # the link leads to the contrast's page, where a round of it starts
    contrast = client.get("/quizzes/sounds/y-i").get_data(as_text=True)
    assert 'name="contrast" type="hidden" value="y-i"' in contrast


def test_the_dashboard_in_japanese(app, client, auth):
    student = auth.login("student", language="ja")
    answer(app, student.id, "ue-u", [0, 0, 1])
    page = visible_text(client.get("/progress/").get_data(as_text=True))
    assert "ү / у" in page and "習得した音の区別" in page


def test_query_count_does_not_grow_with_answers(app, client, auth, make_user):
    small = make_user()
    large = make_user()
    answer(app, small.id, "oe-o", [1])
    for contrast in ("oe-o", "ue-u", "y-i", "long-a", "long-o", "ng-n"):
        answer(app, large.id, contrast, [1, 0, 1] * 15)
    counts = []
    for info in (small, large):
        auth.login(user=info)
        counts.append(queries_for(app, client, "/progress/"))
        counts.append(queries_for(app, client, "/quizzes/sounds/"))
        auth.logout()
    assert counts[0] == counts[2] and counts[1] == counts[3], counts
