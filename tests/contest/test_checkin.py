"""Check-in on the day: the QR ticket, scanning (idempotent), search, the gift, access."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.contest import registration as registration_service
from app.contest.models import Division, Edition, Registration
from app.extensions import db
from tests.contest.conftest import allowed_status
from tests.factories.contest import details
from tests.helpers import visible_text


@pytest.fixture
def people(app, make_edition, make_user):
    """Division A of 2027 with two confirmed registrants and one on the waiting list."""
    ids = make_edition(capacities=(2,))
    users = [make_user(display_name=n) for n in ("山田 花子", "佐藤 次郎", "鈴木 三郎")]
    names = [
        ("山田 花子", "ヤマダ ハナコ"),
        ("佐藤 次郎", "サトウ ジロウ"),
        ("鈴木 三郎", "スズキ サブロウ"),
    ]
    with app.app_context():
        edition = db.session.get(Edition, ids["edition"])
        division = db.session.get(Division, ids["A"])
        for info, (name, kana) in zip(users, names, strict=True):
            user = db.session.get(User, info.id)
            registration_service.register(
                edition, division, user, details(full_name=name, furigana=kana)
            )
        db.session.commit()
        rows = db.session.scalars(select(Registration).order_by(Registration.id)).all()
        result = {
            "users": users,
            "secrets": [r.ticket_secret for r in rows],
            "numbers": [r.participant_number for r in rows],
            "ids": [r.id for r in rows],
        }
        db.session.remove()
    return result


def _row(app, registration_id):
    with app.app_context():
        row = db.session.get(Registration, registration_id)
        db.session.expunge_all()
        return row


def test_registrant_page_shows_the_qr_ticket_as_inline_svg(client, auth, people):
    auth.login(user=people["users"][0])
    html = client.get("/contest/2027/me").get_data(as_text=True)
    assert '<svg viewBox="0 0' in html and 'class="qr-ticket"' in html
    assert people["secrets"][0] not in visible_text(html)  # in the code, not printed
    auth.logout()
    auth.login(user=people["users"][2])  # waiting list: no ticket yet
    assert "qr-ticket" not in client.get("/contest/2027/me").get_data(as_text=True)


def test_qr_code_on_the_page_holds_the_check_in_url(app, client, auth, people):
    """The code the registrant shows at the door is segno's drawing of their check-in URL (same
    modules, whatever the scale), at error level M so a creased printout still scans."""
    import segno

    auth.login(user=people["users"][0])
    html = client.get("/contest/2027/me").get_data(as_text=True)
    svg = re.search(r'<svg viewBox="0 0 (\d+) (\d+)"[^>]*class="qr-ticket".*?</svg>', html, re.S)
    assert svg is not None
    with app.test_request_context():
        from flask import url_for

        url = url_for("contest.checkin_ticket", secret=people["secrets"][0], _external=True)
    assert people["secrets"][0] in url
    expected = segno.make(url, error="m")
    assert expected.designator.endswith("-M")
    width, _height = expected.symbol_size()  # modules plus the quiet zone, at scale 1
    scale = int(svg.group(1)) // width
    assert int(svg.group(1)) == width * scale == int(svg.group(2))
    drawn = re.search(r' d="([^"]+)"', svg.group(0)).group(1)
    reference = expected.svg_inline(scale=scale, omitsize=True)
    assert drawn == re.search(r' d="([^"]+)"', reference).group(1)
    other = segno.make(url.replace(people["secrets"][0], people["secrets"][1]), error="m")
    assert drawn != re.search(r' d="([^"]+)"', other.svg_inline(scale=scale)).group(1)


def test_scan_checks_in_once_and_rescanning_is_harmless(app, client, auth, people):
    organizer = auth.login("organizer")
    secret = people["secrets"][0]
    card = client.get(f"/contest/console/checkin/{secret}", headers={"Accept-Language": "en"})
    assert "山田 花子" in card.get_data(as_text=True) and "Check in" in card.get_data(as_text=True)
    response = client.post(f"/contest/console/checkin/{secret}/arrive")
    assert response.status_code == 302 and response.location.endswith(secret)
    first = _row(app, people["ids"][0])
    assert first.checked_in_at is not None and first.checked_in_by_id == organizer.id
    assert first.gift_given_at is None
    again = client.post(
        f"/contest/console/checkin/{secret}/arrive",
        headers={"Accept-Language": "en"},
        follow_redirects=True,
    )
    text = visible_text(again.get_data(as_text=True))
    assert re.search(r"already checked in at \d\d:\d\d", text)
    assert _row(app, people["ids"][0]).checked_in_at == first.checked_in_at
    client.post(f"/contest/console/checkin/{secret}/gift")
    client.post(f"/contest/console/checkin/{secret}/gift")
    assert _row(app, people["ids"][0]).gift_given_at is not None


def test_gift_implies_arrival_and_unconfirmed_are_refused(app, client, auth, people):
    auth.login("organizer")
    client.post(f"/contest/console/checkin/{people['secrets'][1]}/gift")
    row = _row(app, people["ids"][1])
    assert row.checked_in_at is not None and row.gift_given_at is not None
    waiting = people["secrets"][2]
    response = client.post(f"/contest/console/checkin/{waiting}/arrive", follow_redirects=True)
    assert response.status_code == 200 and _row(app, people["ids"][2]).checked_in_at is None
    assert client.get("/contest/console/checkin/not-a-real-secret").status_code == 404


@pytest.mark.parametrize("query", ["山田", "ﾔﾏﾀﾞ", "やまだ", "2027-a-001", "ハナコ"])
def test_search_by_name_furigana_or_number(client, auth, people, query):
    auth.login("organizer")
    html = client.get("/contest/console/2027/checkin", query_string={"q": query}).get_data(
        as_text=True
    )
    if query == "やまだ":  # hiragana is not how furigana is stored: nothing, and no error
        assert "checkin-card" not in html
        return
    assert "山田 花子" in html and "佐藤 次郎" not in html
    assert f"/contest/console/checkin/{people['secrets'][0]}/arrive" in html


def test_waiting_list_is_not_found_at_the_door(client, auth, people):
    auth.login("organizer")
    html = client.get("/contest/console/checkin/?q=鈴木").get_data(as_text=True)
    assert "鈴木 三郎" not in html


def test_check_in_page_works_without_javascript(client, auth, people):
    auth.login("organizer")
    html = client.get("/contest/console/checkin/").get_data(as_text=True)
    assert 'role="search"' in html and "data-scanner" in html


CHECKIN_URLS = [
    ("get", "/contest/console/checkin/"),
    ("get", "/contest/console/2027/checkin?q=yamada"),
    ("get", "/contest/console/checkin/{secret}"),
    ("post", "/contest/console/checkin/{secret}/arrive"),
    ("post", "/contest/console/checkin/{secret}/gift"),
]


@pytest.mark.parametrize(
    "role", [None, "student", "teacher", "judge", "registrant", "organizer", "admin"]
)
def test_check_in_urls_with_every_role(app, client, auth, people, role):
    if role == "registrant":
        auth.login(user=people["users"][0])
    elif role:
        auth.login(role)
    for method, template in CHECKIN_URLS:
        url = template.format(secret=people["secrets"][0])
        status = getattr(client, method)(url).status_code
        if role in ("organizer", "admin"):
            assert status == allowed_status(method, template), (url, status)
        elif role is None:
            assert status == 302, (url, status)
        else:
            assert status == 403, (url, status)
    checked = _row(app, people["ids"][0]).checked_in_at is not None
    assert checked == (role in ("organizer", "admin"))
