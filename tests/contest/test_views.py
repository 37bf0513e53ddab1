"""Contest pages through the client: registration, the registrant's page, the console, access."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.contest.models import Edition, Registration
from app.core.dates import TOKYO
from app.core.models import OutboxMessage
from app.extensions import db
from tests.contest.conftest import allowed_status
from tests.factories.contest import form_data
from tests.helpers import queries_for, visible_text

NEW_ACCOUNT = {"email": "hanako@example.jp", "password": "kyrgyz-2027", "confirm": "kyrgyz-2027"}


def _rows(app):
    with app.app_context():
        rows = db.session.scalars(select(Registration).order_by(Registration.id)).all()
        db.session.expunge_all()
        return rows


def test_public_page_shows_divisions_seats_and_rules(client, make_edition):
    make_edition()
    text = visible_text(
        client.get("/contest/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    )
    assert "Kyrgyz Speech Contest 2027" in text
    assert "Division A" in text and "3 of 3 left" in text and "Keep to time" in text
    assert "Register" in text


def test_anonymous_visitor_registers_and_gets_an_account(app, client, make_edition):
    ids = make_edition()
    response = client.post("/contest/2027/register", data=form_data(ids["A"], **NEW_ACCOUNT))
    assert response.status_code == 302 and response.location.endswith("/contest/2027/me")
    (registration,) = _rows(app)
    assert registration.status == "confirmed" and registration.participant_number == "2027-A-001"
    assert registration.furigana == "ヤマダ ハナコ"  # half-width katakana made full-width
    assert registration.study_months == 18
    page = visible_text(client.get("/contest/2027/me").get_data(as_text=True))
    assert "2027-A-001" in page and "山田 花子" in page
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.recipient)) == "hanako@example.jp"


def test_bad_input_keeps_values_and_shows_errors_next_to_fields(app, client, make_edition):
    ids = make_edition(max_months_in_kyrgyzstan=6)
    data = form_data(ids["A"], furigana="やまだ", months_in_kyrgyzstan="12", **NEW_ACCOUNT)
    html = client.post(
        "/contest/2027/register", data=data, headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert 'id="furigana-error"' in html and "katakana" in html
    assert 'value="Hanako Yamada"' in html
    assert _rows(app) == []
    data = form_data(ids["A"], months_in_kyrgyzstan="12", japanese_citizen=None, **NEW_ACCOUNT)
    html = client.post(
        "/contest/2027/register", data=data, headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert 'id="months_in_kyrgyzstan-error"' in html and "at most 6 months" in html
    assert 'id="japanese_citizen-error"' in html
    assert _rows(app) == []


def test_existing_account_must_sign_in_and_second_registration_is_refused(
    app, client, auth, make_edition
):
    ids = make_edition()
    user = auth.make_user(email="taken@example.jp")
    html = client.post(
        "/contest/2027/register",
        data=form_data(
            ids["A"], email="Taken@example.jp", password="whatever-1", confirm="whatever-1"
        ),
        headers={"Accept-Language": "en"},
    ).get_data(as_text=True)
    assert "Please sign in first" in html
    auth.login(user=user)
    assert client.post("/contest/2027/register", data=form_data(ids["A"])).status_code == 302
    again = client.post("/contest/2027/register", data=form_data(ids["B"]))
    assert again.status_code == 302 and again.location.endswith("/contest/2027/me")
    assert len(_rows(app)) == 1


def test_registrant_edits_and_withdraws_which_promotes_the_next(app, client, auth, make_edition):
    ids = make_edition(capacities=(1,))
    first = auth.login()
    client.post("/contest/2027/register", data=form_data(ids["A"]))
    auth.logout()
    auth.login()
    client.post("/contest/2027/register", data=form_data(ids["A"]))
    assert "No. 1 on the waiting list" in client.get(
        "/contest/2027/me", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    auth.logout()
    auth.login(user=first)
    edit = form_data(ids["A"], speech_title_ja="新しい題")
    assert client.post("/contest/2027/me/edit", data=edit).status_code == 302
    assert _rows(app)[0].speech_title_ja == "新しい題"
    assert client.post("/contest/2027/me/withdraw").status_code == 200  # asks first
    assert [r.status for r in _rows(app)] == ["confirmed", "waitlisted"]
    assert client.post("/contest/2027/me/withdraw", data={"confirmed": "1"}).status_code == 302
    rows = _rows(app)
    assert [r.status for r in rows] == ["withdrawn", "offered"]


def test_console_moderation_capacity_exports_and_print(app, client, auth, make_edition):
    ids = make_edition(capacities=(1, 1), moderated="B")
    for division in ("A", "A", "B"):
        auth.login()
        client.post("/contest/2027/register", data=form_data(ids[division]))
        auth.logout()
    auth.login("organizer")
    page = visible_text(
        client.get("/contest/console/2027/", headers={"Accept-Language": "en"}).get_data(
            as_text=True
        )
    )
    assert "Division A" in page and "2027-A-001" in page
    pending = next(r for r in _rows(app) if r.status == "pending")
    assert client.post(f"/contest/console/registrations/{pending.id}/approve").status_code == 302
    assert (
        client.post(
            f"/contest/console/divisions/{ids['A']}/capacity", data={"capacity": "2"}
        ).status_code
        == 302
    )
    assert [r.status for r in _rows(app)] == ["confirmed", "offered", "confirmed"]
    csv = client.get("/contest/console/2027/registrations.csv")
    assert csv.data.startswith(b"\xef\xbb\xbf") and b"2027-B-001" in csv.data
    assert client.get("/contest/console/2027/registrations.xlsx").data[:2] == b"PK"
    assert client.post(f"/contest/console/divisions/{ids['A']}/draw").status_code == 302
    assert "2027-A-001" in client.get("/contest/console/2027/print").get_data(as_text=True)
    sent = client.post(
        f"/contest/console/divisions/{ids['A']}/mail",
        data={
            "subject": "ご案内",
            "body": "当日は10時集合です。",
            "statuses": ["confirmed", "offered"],
        },
    )
    assert sent.status_code == 302
    reg = _rows(app)[0]
    response = client.post(
        f"/contest/console/registrations/{reg.id}/reject", data={"reason": "重複登録"}
    )
    assert response.status_code == 302 and _rows(app)[0].status == "rejected"
    filtered = client.get("/contest/console/2027/?q=2027-b").get_data(as_text=True)
    assert "2027-B-001" in filtered and "2027-A-001" not in filtered


def test_organizer_creates_an_edition_and_a_division(app, client, auth):
    auth.login("organizer")
    response = client.post("/contest/console/editions/new", data={
        "year": "2028", "title_ja": "大会 2028", "title_en": "Contest 2028",
        "registration_opens_at": "2028-04-01T10:00", "registration_closes_at": "2028-06-30T23:59",
        "event_date": "2028-09-20", "hold_hours": "72", "published": "y",
    })  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    response = client.post("/contest/console/2028/divisions/new", data={
        "slug": "beginner-speech", "letter": "A", "name_ja": "初級", "name_en": "Beginners",
        "capacity": "10", "speech_minutes": "3", "max_study_years": "2",
        "bar_native_speakers": "y", "criteria": "発音 | Pronunciation | 30 | 10\n内容 | Content | 70",
    })  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    from app.contest.models import Edition

    with app.app_context():
        edition = db.session.scalar(select(Edition).where(Edition.year == 2028))
        assert edition.registration_opens_at.hour == 1  # 10:00 in Tokyo is 01:00 UTC
        (division,) = edition.divisions
        assert division.max_study_months == 24 and division.speech_seconds == 180
        assert [(c.name_en, c.weight) for c in division.criteria] == [
            ("Pronunciation", 30),
            ("Content", 70),
        ]


CONSOLE_URLS = [
    ("get", "/contest/console/"),
    ("get", "/contest/console/2027/"),
    ("get", "/contest/console/registrations/{reg}"),
    ("post", "/contest/console/registrations/{reg}/approve"),
    ("post", "/contest/console/registrations/{reg}/reject"),
    ("post", "/contest/console/registrations/{reg}/move"),
    ("post", "/contest/console/2027/reminders"),
    ("post", "/contest/console/divisions/{div}/capacity"),
    ("post", "/contest/console/divisions/{div}/draw"),
    ("get", "/contest/console/divisions/{div}/mail"),
    ("get", "/contest/console/2027/registrations.csv"),
    ("get", "/contest/console/2027/registrations.xlsx"),
    ("get", "/contest/console/2027/print"),
    ("get", "/contest/console/2027/settings"),
    ("get", "/contest/console/editions/new"),
    ("get", "/contest/console/2027/divisions/new"),
    ("get", "/contest/console/divisions/{div}/edit"),
    ("get", "/contest/console/2027/certificates.pdf"),
    ("get", "/contest/console/divisions/{div}/certificates.pdf"),
]
OWN_URLS = [
    ("get", "/contest/2027/me"),
    ("get", "/contest/2027/me/certificate.pdf"),
    ("get", "/contest/2027/me/edit"),
    ("post", "/contest/2027/me/confirm"),
    ("post", "/contest/2027/me/withdraw"),
]
ROLES = [None, "student", "teacher", "judge", "organizer", "admin", "registrant"]


@pytest.mark.parametrize("role", ROLES)
def test_every_contest_url_with_every_role(app, client, auth, make_edition, role):
    ids = make_edition()
    registrant = auth.login()
    client.post("/contest/2027/register", data=form_data(ids["A"]))
    auth.logout()
    reg = _rows(app)[0].id
    if role == "registrant":
        auth.login(user=registrant)
    elif role:
        auth.login(role)
    for url in ["/contest/", "/contest/2027/", "/contest/2027/register"]:
        response = client.get(url)
        if role == "registrant" and url.endswith("/register"):  # registered: their own page
            assert (response.status_code, response.location) == (302, "/contest/2027/me")
        else:
            assert response.status_code == 200, url
    for method, template in CONSOLE_URLS:
        url = template.format(reg=reg, div=ids["A"])
        status = getattr(client, method)(url).status_code
        if role in ("organizer", "admin"):
            assert status == allowed_status(method, template), (url, status)
        elif role is None:
            assert status == 302, (url, status)  # to the sign-in page
        else:
            assert status == 403, (url, status)
    registrant_gets = {
        "/contest/2027/me": 200,
        "/contest/2027/me/certificate.pdf": 404,  # waits for the results
        "/contest/2027/me/edit": 200,
        "/contest/2027/me/confirm": 302,  # back to their page
        "/contest/2027/me/withdraw": 200,  # asks first
    }
    for method, url in OWN_URLS:
        response = getattr(client, method)(url)
        status = response.status_code
        if role is None:
            assert status == 302 and "/auth/login" in response.location, url
        elif role == "registrant":
            assert status == registrant_gets[url], url
            if status == 302:
                assert response.location == "/contest/2027/me"
        elif url == "/contest/2027/me":  # others have none: an invitation, not the registrant's
            assert status == 200
            assert "山田 花子" not in response.get_data(as_text=True)
        else:  # ...and nothing of theirs to print, edit, confirm or withdraw
            assert status == 404, url


def test_query_counts_do_not_grow_with_rows(app, client, auth, make_edition):
    ids = make_edition(capacities=(2, 2, 2))
    auth.login()
    client.post("/contest/2027/register", data=form_data(ids["A"]))
    auth.logout()
    auth.login("organizer")
    small = (
        queries_for(app, client, "/contest/"),
        queries_for(app, client, "/contest/console/2027/"),
    )
    auth.logout()
    for i in range(12):
        auth.login()
        client.post("/contest/2027/register", data=form_data(ids["ABC"[i % 3]]))
        auth.logout()
    auth.login("organizer")
    large = (
        queries_for(app, client, "/contest/"),
        queries_for(app, client, "/contest/console/2027/"),
    )
    assert large == small


def test_cli_expire_holds(app, make_edition):
    make_edition()
    result = app.test_cli_runner().invoke(args=["contest", "expire-holds"])
    assert result.exit_code == 0 and "expired holds: 0" in result.output


def _set_contact(app, name: str, email: str) -> None:
    from app.contest.models import Edition

    with app.app_context():
        edition = db.session.scalars(select(Edition)).one()
        edition.contact_name, edition.contact_email = name, email
        db.session.commit()


def test_withdrawing_asks_first_says_what_is_lost_and_whom_to_contact(
    app, client, auth, make_edition
):
    ids = make_edition()
    _set_contact(app, "弁論大会事務局", "contest@embassy.example")
    auth.login()
    client.post("/contest/2027/register", data=form_data(ids["A"]))
    me = client.get("/contest/2027/me", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'action="/contest/2027/me/withdraw"' in me and "data-confirm" in me

    for asked in (
        client.get("/contest/2027/me/withdraw", headers={"Accept-Language": "en"}),
        client.post("/contest/2027/me/withdraw", headers={"Accept-Language": "en"}),
    ):
        assert asked.status_code == 200
        text = visible_text(asked.get_data(as_text=True))
        assert "Withdraw from the contest?" in text
        assert "2027-A-001" in text  # the number given up
        assert "You may register again until" in text and "end of the waiting list" in text
        assert "弁論大会事務局: contest@embassy.example" in text
        assert "Keep my registration" in text
    assert [r.status for r in _rows(app)] == ["confirmed"]  # asking changed nothing

    done = client.post("/contest/2027/me/withdraw", data={"confirmed": "1"})
    assert done.status_code == 302
    assert [r.status for r in _rows(app)] == ["withdrawn"]
    me = client.get("/contest/2027/me", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Register again" in me and "contest@embassy.example" in me


def test_without_a_contact_the_page_says_to_contact_the_organizers(client, auth, make_edition):
    ids = make_edition()
    auth.login()
    client.post("/contest/2027/register", data=form_data(ids["A"]))
    text = visible_text(
        client.get("/contest/2027/me/withdraw", headers={"Accept-Language": "en"}).get_data(
            as_text=True
        )
    )
    assert "Please contact the organizers of the contest." in text


def test_after_withdrawing_one_registers_again_at_the_end_of_the_waiting_list(
    app, client, auth, make_edition
):
    ids = make_edition(capacities=(1,))
    first = auth.login()
    client.post("/contest/2027/register", data=form_data(ids["A"]))
    auth.logout()
    for _ in range(2):  # two more wait for the one seat
        auth.login()
        client.post("/contest/2027/register", data=form_data(ids["A"]))
        auth.logout()
    auth.login(user=first)
    client.post("/contest/2027/me/withdraw", data={"confirmed": "1"})
    assert [r.status for r in _rows(app)] == ["withdrawn", "offered", "waitlisted"]

    again = client.post("/contest/2027/register", data=form_data(ids["A"]))
    assert again.status_code == 302 and again.location.endswith("/contest/2027/me")
    rows = _rows(app)
    assert [r.status for r in rows] == ["withdrawn", "offered", "waitlisted", "waitlisted"]
    assert rows[3].user_id == first.id and rows[3].waitlist_seq > rows[2].waitlist_seq
    page = client.get("/contest/2027/me", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "No. 2 on the waiting list" in page


def test_after_withdrawing_a_free_seat_gives_a_new_number(app, client, auth, make_edition):
    ids = make_edition(capacities=(2, 2))
    auth.login()
    client.post("/contest/2027/register", data=form_data(ids["A"]))
    client.post("/contest/2027/me/withdraw", data={"confirmed": "1"})
    client.post("/contest/2027/register", data=form_data(ids["B"]))
    rows = _rows(app)
    assert [r.status for r in rows] == ["withdrawn", "confirmed"]
    assert rows[0].participant_number != rows[1].participant_number


def test_organizer_sets_the_edition_contact(app, client, auth, make_edition):
    make_edition()
    auth.login("organizer")
    form = client.get("/contest/console/2027/settings").get_data(as_text=True)
    assert 'name="contact_email"' in form
    from app.contest.models import Edition

    with app.app_context():
        edition = db.session.scalars(select(Edition)).one()
        data = {
            "year": "2027",
            "title_ja": edition.title_ja,
            "title_en": edition.title_en,
            "registration_opens_at": "2027-01-01T00:00",
            "registration_closes_at": "2027-12-01T00:00",
            "event_date": "2027-12-10",
            "hold_hours": "72",
            "published": "y",
            "contact_name": " 事務局 ",
            "contact_email": "office@embassy.example",
        }
    assert client.post("/contest/console/2027/settings", data=data).status_code == 302
    with app.app_context():
        edition = db.session.scalars(select(Edition)).one()
        assert (edition.contact_name, edition.contact_email) == ("事務局", "office@embassy.example")


def test_a_second_edition_for_the_same_year_is_refused_next_to_the_year(app, client, auth):
    make = {
        "title_ja": "大会", "title_en": "Contest", "registration_opens_at": "2029-04-01T10:00",
        "registration_closes_at": "2029-06-30T23:59", "event_date": "2029-09-20", "hold_hours": "72",
    }  # fmt: skip
    auth.login("organizer")
    assert (
        client.post("/contest/console/editions/new", data={"year": "2029", **make}).status_code
        == 302
    )
    response = client.post("/contest/console/editions/new", data={"year": "2029", **make})
    assert response.status_code == 200
    assert "There is already an edition for this year." in response.get_data(as_text=True)
    from app.contest.models import Edition

    with app.app_context():
        assert len(db.session.scalars(select(Edition).where(Edition.year == 2029)).all()) == 1


def test_past_contests_lists_only_editions_already_held(app, client, make_edition):
    make_edition(2027)
    past = make_edition(2026)
    make_edition(2025)
    with app.app_context():
        held = db.session.get_one(Edition, past["edition"])
        held.event_date = held.event_date - timedelta(days=400)
        old = db.session.scalar(select(Edition).where(Edition.year == 2025))
        old.event_date = old.event_date - timedelta(days=800)
        old.published = False  # an unpublished edition is never listed
        db.session.commit()

    def listed(url: str) -> list[str]:
        html = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
        if "Past contests" not in html:
            return []
        section = html.split("Past contests", 1)[1].split("</ul>", 1)[0]
        return [year for year in ("2025", "2026", "2027") if f"/contest/{year}/" in section]

    assert listed("/contest/") == ["2026"]  # the current edition is not among the past ones
    assert listed("/contest/2026/") == []  # nor the one on the page


def test_the_registrant_sees_the_day_venue_map_and_what_to_bring(app, client, make_edition):
    ids = make_edition()
    with app.app_context():
        edition = db.session.get_one(Edition, ids["edition"])
        edition.event_time = time(13, 30)
        edition.venue_address = "東京都目黒区下目黒5-6-16"
        edition.map_url = "https://www.openstreetmap.org/search?query=meguro"
        edition.bring_ja = "身分証明書とスピーチ原稿"
        day = edition.event_date
        db.session.commit()
    client.post("/contest/2027/register", data=form_data(ids["A"], **NEW_ACCOUNT))
    html = client.get("/contest/2027/me").get_data(as_text=True)  # in her language, Japanese
    text = visible_text(html)
    assert "大会当日" in text
    assert "13:30" in text and "大使館" in text and "東京都目黒区下目黒5-6-16" in text
    assert 'href="https://www.openstreetmap.org/search?query=meguro"' in html
    assert "身分証明書とスピーチ原稿" in text
    assert "受付でQRコードのチケットをご提示ください" in text  # what happens next, for a seat
    assert 'href="/contest/2027/contest.ics"' in html

    calendar = Calendar.from_ical(client.get("/contest/2027/contest.ics").data)
    (entry,) = calendar.walk("VEVENT")
    starts = entry.decoded("dtstart")
    assert starts == datetime.combine(day, time(13, 30), tzinfo=TOKYO)  # the same moment
    assert entry.decoded("dtend") - starts == timedelta(hours=3)
    assert "東京都目黒区下目黒5-6-16" in str(entry["location"])
    assert str(entry["uid"]) == "contest-2027@sabak"  # stable: importing again updates it


def test_a_contest_day_without_a_start_time_is_an_all_day_entry(app, client, make_edition):
    ids = make_edition()
    with app.app_context():
        day = db.session.get_one(Edition, ids["edition"]).event_date
    (entry,) = Calendar.from_ical(client.get("/contest/2027/contest.ics").data).walk("VEVENT")
    assert entry.decoded("dtstart") == day


def test_a_map_link_must_be_a_web_address(app, client, auth, make_edition):
    make_edition()
    auth.login("organizer")
    html = client.get("/contest/console/2027/settings").get_data(as_text=True)
    assert 'name="map_url"' in html and 'name="venue_address"' in html
    with app.app_context():
        before = db.session.scalar(select(Edition.map_url).where(Edition.year == 2027))
    html = client.post(
        "/contest/console/2027/settings",
        data={"map_url": "javascript:alert(1)", "year": "2027"},
        headers={"Accept-Language": "en"},
    ).get_data(as_text=True)
    assert "Enter a web address starting with https://." in html
    with app.app_context():
        assert db.session.scalar(select(Edition.map_url).where(Edition.year == 2027)) == before
