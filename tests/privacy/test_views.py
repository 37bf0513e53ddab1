"""Privacy pages through the client: the policy, consents, my data, deletion, purges, access."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User, UserSession
from app.contest.models import Edition, Registration
from app.extensions import db
from app.privacy import export, services
from app.privacy.models import Consent, EditionPurge
from tests.core.test_i18n import ALLOWED_LATIN, english_words
from tests.factories.contest import form_data
from tests.helpers import queries_for, visible_text


def consents(app, user_id: int) -> list[tuple[int, str]]:
    with app.app_context():
        return [
            (c.policy_version, c.context)
            for c in db.session.scalars(
                select(Consent).where(Consent.user_id == user_id).order_by(Consent.id)
            )
        ]


def agree(app, user_id: int, version: int) -> None:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        services.record_consent(user, "signup", version=version)
        db.session.commit()


# --- the policy --------------------------------------------------------------------------------


def test_the_policy_is_public_in_both_languages_and_linked_from_the_footer(client, make_policy):
    assert (
        "まだ公開されていません" in client.get("/privacy/", headers={"Accept-Language": "ja"}).text
    )
    make_policy()
    ja = client.get("/privacy/", headers={"Accept-Language": "ja"}).text
    en = client.get("/privacy/", headers={"Accept-Language": "en"}).text
    assert "<h3>個人情報</h3>" in ja and "電話番号を集めます" in ja
    assert "<h3>Personal data</h3>" in en and "We collect phone numbers." in en
    assert 'href="/privacy/"' in client.get("/").text


def test_older_versions_stay_readable_and_unknown_ones_are_404(client, make_policy):
    make_policy(body_en="The first words.")
    make_policy(body_en="The second words.", changes="Retention shortened")
    old = client.get("/privacy/1", headers={"Accept-Language": "en"}).text
    assert "The first words." in old and "This is an earlier version." in old
    current = client.get("/privacy/", headers={"Accept-Language": "en"}).text
    assert "The second words." in current and "Retention shortened" in current
    assert client.get("/privacy/3").status_code == 404


def test_policy_markdown_is_rendered_safely(client, make_policy):
    make_policy(body_en="<script>alert(1)</script> [x](javascript:alert(1)) **bold**")
    html = client.get("/privacy/", headers={"Accept-Language": "en"}).text
    assert "<script>alert(1)" not in html and "javascript:" not in html
    assert "<strong>bold</strong>" in html


# --- the admin's editor ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["student", "teacher", "organizer", "judge"])
def test_only_admins_edit_the_policy(client, auth, role):
    auth.login(role)
    assert client.get("/privacy/admin/").status_code == 403
    assert client.post("/privacy/admin/new", data={}).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in ("/privacy/admin/", "/privacy/my-data.zip", "/privacy/delete-account"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_admin_writes_a_new_version_from_the_current_text(app, client, auth, make_policy):
    make_policy(body_en="Old English text.")
    auth.login("admin")
    form = client.get("/privacy/admin/new").text
    assert "Old English text." in form
    response = client.post(
        "/privacy/admin/new",
        data={
            "body_ja": "### 新しい方針",
            "body_en": "### New policy",
            "changes": "Contact address added",
            "published_on": date.today().isoformat(),
        },
    )
    assert response.status_code == 302
    listing = client.get("/privacy/admin/").text
    assert "Contact address added" in listing and "/privacy/2" in listing
    assert "Old English text." in client.get("/privacy/1").text


def test_a_version_without_english_is_refused(client, auth):
    auth.login("admin")
    response = client.post(
        "/privacy/admin/new",
        data={"body_ja": "日本語", "body_en": "", "published_on": date.today().isoformat()},
    )
    assert response.status_code == 200 and "field-error" in response.text
    assert "No version yet." in client.get("/privacy/admin/").text


# --- consents ----------------------------------------------------------------------------------


def test_sign_up_links_the_policy_and_records_consent(app, client, make_policy):
    make_policy()
    page = client.get("/auth/signup", headers={"Accept-Language": "en"}).text
    assert '<a href="/privacy/" target="_blank" rel="noopener">privacy policy</a>' in page
    response = client.post(
        "/auth/signup",
        data={
            "display_name": "新しい 人",
            "email": "new@example.org",
            "password": "a good password",
            "confirm": "a good password",
            "language": "ja",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "new@example.org"))
    assert consents(app, user_id) == [(1, "signup")]
    assert client.get("/").status_code == 200  # no question asked: just agreed


def test_contest_registration_links_the_policy_and_records_consent(
    app, client, auth, make_edition, make_policy
):
    make_policy()
    ids = make_edition()
    user = auth.login("student")
    agree(app, user.id, 1)
    page = client.get("/contest/2027/register", headers={"Accept-Language": "en"}).text
    assert 'href="/privacy/"' in page and "phone number, age group and nationality" in page
    response = client.post("/contest/2027/register", data=form_data(ids["A"]))
    assert response.status_code == 302
    assert consents(app, user.id) == [(1, "signup"), (1, "contest-2027")]


def test_a_new_version_is_agreed_to_before_going_on(app, client, auth, make_policy):
    make_policy()
    user = auth.login("student")
    agree(app, user.id, 1)
    assert client.get("/lessons/").status_code == 200
    make_policy(changes="Judges see less", body_en="Version two.")
    response = client.get("/lessons/?x=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/privacy/consent?next=/lessons/?x%3D1"
    page = client.get(response.headers["Location"], headers={"Accept-Language": "en"}).text
    assert "Our privacy policy has changed" in page and "Judges see less" in page
    assert "Version two." in page
    # without ticking the box nothing is recorded
    refused = client.post("/privacy/consent?next=/lessons/", data={})
    assert refused.status_code == 200 and consents(app, user.id) == [(1, "signup")]
    done = client.post("/privacy/consent?next=/lessons/", data={"agree": "y"})
    assert done.status_code == 302 and done.headers["Location"] == "/lessons/"
    assert consents(app, user.id) == [(1, "signup"), (2, "prompt")]
    assert client.get("/lessons/").status_code == 200


def test_the_consent_page_lets_people_sign_out_download_or_leave(app, client, auth, make_policy):
    make_policy()
    auth.login("student")
    assert client.get("/").status_code == 302
    assert client.get("/privacy/").status_code == 200
    download = client.get("/privacy/my-data.zip")
    assert download.status_code == 200
    download.close()
    assert client.get("/privacy/delete-account").status_code == 200
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/").status_code == 200


def test_the_consent_page_refuses_foreign_next_urls(app, client, auth, make_policy):
    make_policy()
    auth.login("student")
    response = client.post("/privacy/consent?next=https://evil.example/", data={"agree": "y"})
    assert response.headers["Location"] == "/"


def test_pages_cost_no_extra_query_once_agreed(app, client, auth, make_policy):
    make_policy()
    user = auth.login("student")
    agree(app, user.id, 1)
    assert queries_for(app, client, "/auth/profile") <= 4


# --- my data -----------------------------------------------------------------------------------


def test_the_profile_offers_download_and_deletion(client, auth):
    auth.login("student")
    page = client.get("/auth/profile").text
    assert 'href="/privacy/my-data.zip"' in page and 'href="/privacy/delete-account"' in page


def test_download_my_data_is_a_zip_of_my_own_data(app, client, auth, student_with_work):
    work = student_with_work
    auth.login(user=work.student)
    response = client.get("/privacy/my-data.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()
    data = json.loads(archive.read(export.DATA_FILE))
    assert data["account"]["email"] == work.student.email
    assert any(name.startswith("recordings/") for name in archive.namelist())


def test_delete_account_page_says_what_stays_and_what_goes(client, auth, student_with_work):
    auth.login(user=student_with_work.student)
    page = client.get("/privacy/delete-account").text  # the student reads Japanese
    assert "評価されていない課題 2 件" in page
    assert "評価済みの課題 1 件は" in page
    assert "コンテストの出場記録 1 件は" in page
    assert "結果のないコンテストの申込み 1 件" in page


def test_a_wrong_password_deletes_nothing(app, client, auth, student_with_work):
    user = auth.login(user=student_with_work.student)
    response = client.post(
        "/privacy/delete-account",
        data={"password": "wrong", "understood": "y"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200 and "パスワードが正しくありません。" in response.text
    with app.app_context():
        assert db.session.get(User, user.id).active  # type: ignore[union-attr]


def test_deleting_signs_out_for_good_and_the_gradebook_keeps_the_work(
    app, client, auth, student_with_work
):
    work = student_with_work
    auth.login(user=work.student)
    response = client.post(
        "/privacy/delete-account", data={"password": work.student.password, "understood": "y"}
    )
    assert response.status_code == 302
    assert client.get("/auth/profile").status_code == 302  # signed out
    again = client.post(
        "/auth/login", data={"email": work.student.email, "password": work.student.password}
    )
    assert again.status_code == 200
    auth.login(user=work.course_class.teacher)
    book = client.get(f"/progress/classes/{work.course_class.id}/gradebook").text
    assert f"退会したユーザー {work.student.id}" in book
    assert work.student.display_name not in book


def test_deleting_ends_the_sessions_of_every_other_browser_too(
    app, client, auth, student_with_work
):
    work = student_with_work
    phone = app.test_client()
    phone.post("/auth/login", data={"email": work.student.email, "password": work.student.password})
    assert phone.get("/auth/profile").status_code == 200
    auth.login(user=work.student)
    client.post(
        "/privacy/delete-account", data={"password": work.student.password, "understood": "y"}
    )
    assert phone.get("/auth/profile").status_code == 302  # the other browser is signed out
    with app.app_context():
        rows = db.session.scalars(select(UserSession).where(UserSession.user_id == work.student.id))
        assert list(rows) == []


def test_staff_cannot_delete_themselves_here(app, client, auth):
    teacher = auth.login("teacher")
    page = client.get("/privacy/delete-account", headers={"Accept-Language": "en"}).text
    assert "Please ask an administrator" in page and 'name="password"' not in page
    client.post("/privacy/delete-account", data={"password": teacher.password, "understood": "y"})
    with app.app_context():
        assert db.session.get(User, teacher.id).active  # type: ignore[union-attr]


# --- purging a past edition ---------------------------------------------------------------------


def _make_old(app, edition_id: int, years: int) -> None:
    with app.app_context():
        edition = db.session.get(Edition, edition_id)
        assert edition is not None
        edition.event_date = date.today() - timedelta(days=365 * years + 10)
        db.session.commit()


@pytest.mark.parametrize("role", ["student", "teacher", "judge"])
def test_only_organizers_purge(client, auth, make_edition, role):
    make_edition()
    auth.login(role)
    assert client.get("/privacy/contest/2027/purge").status_code == 403
    assert client.post("/privacy/contest/2027/purge", data={"year": "2027"}).status_code == 403


def test_the_console_reminds_of_old_editions_and_the_purge_is_confirmed(
    app, client, auth, student_with_work
):
    with app.app_context():
        entry = db.session.get(Registration, student_with_work.result_registration)
        assert entry is not None
        edition_id, year = entry.edition_id, entry.edition.year
    auth.login("organizer")
    headers = {"Accept-Language": "en"}
    assert "should now be erased" not in client.get(f"/contest/console/{year}/").text
    _make_old(app, edition_id, 4)
    console = client.get(f"/contest/console/{year}/", headers=headers).text
    assert "should now be erased" in console and f"/privacy/contest/{year}/purge" in console
    page = client.get(f"/privacy/contest/{year}/purge", headers=headers).text
    assert "This cannot be undone." in page
    wrong = client.post(f"/privacy/contest/{year}/purge", data={"year": "2020"}, headers=headers)
    assert wrong.status_code == 200 and f"Please type {year} to confirm." in wrong.text
    with app.app_context():
        assert db.session.get(EditionPurge, edition_id) is None
    done = client.post(f"/privacy/contest/{year}/purge", data={"year": str(year)})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(EditionPurge, edition_id) is not None
        entry = db.session.get(Registration, student_with_work.result_registration)
        assert entry is not None and entry.phone == "" and entry.full_name.startswith("2025-A-")
    console = client.get(f"/contest/console/{year}/", headers=headers).text
    assert "was erased on" in console and "should now be erased" not in console


def test_an_edition_still_to_come_is_not_purged(app, client, auth, make_edition):
    ids = make_edition()
    auth.login("organizer")
    page = client.get("/privacy/contest/2027/purge", headers={"Accept-Language": "en"}).text
    assert "once the contest day has passed" in page and 'name="year"' not in page
    client.post("/privacy/contest/2027/purge", data={"year": "2027"})
    with app.app_context():
        assert db.session.get(EditionPurge, ids["edition"]) is None


def test_purging_an_unknown_edition_is_404(client, auth):
    auth.login("organizer")
    assert client.get("/privacy/contest/1999/purge").status_code == 404


# --- Japanese -----------------------------------------------------------------------------------


def test_privacy_pages_speak_japanese(app, client, auth, make_policy, student_with_work):
    make_policy(body_en="### Жеке маалымат")  # the author's text is not under test here
    user = auth.login("admin", language="ja", display_name="管理 者")
    agree(app, user.id, 1)
    allowed = ALLOWED_LATIN | {"Markdown", "https"} | set(re.findall(r"[A-Za-z]+", user.email))
    for url in ("/privacy/", "/privacy/1", "/privacy/admin/", "/privacy/admin/new"):
        html = client.get(url, headers={"Accept-Language": "ja"}).text
        assert english_words(visible_text(html), allowed) == [], url
    auth.logout()
    student = auth.login(user=student_with_work.student)
    allowed = ALLOWED_LATIN | set(re.findall(r"[A-Za-z]+", student.email))
    for url in ("/privacy/consent", "/privacy/delete-account"):
        html = client.get(url, headers={"Accept-Language": "ja"}).text
        assert english_words(visible_text(html), allowed) == [], url
    agree(app, student.id, 1)
    html = client.get("/auth/profile", headers={"Accept-Language": "ja"}).text
    assert english_words(visible_text(html), allowed) == []


def test_a_new_student_is_told_nothing_stays(client, auth):
    auth.login("student")
    page = client.get("/privacy/delete-account", headers={"Accept-Language": "en"}).text
    assert "Nothing: you have no graded work and no contest results." in page
    assert "pieces of work that have not been graded" not in page


def test_admins_reach_the_editor_from_the_policy(client, auth, make_policy):
    make_policy()
    auth.login("student")
    assert 'href="/privacy/admin/"' not in client.get("/privacy/").text
    auth.logout()
    auth.login("admin")
    assert 'href="/privacy/admin/"' in client.get("/privacy/").text


def test_only_pages_stop_at_the_question_not_audio_or_fragments(app, client, auth, make_policy):
    make_policy()
    auth.login("student")
    assert client.get("/", headers={"Accept": "text/html,*/*;q=0.8"}).status_code == 302
    assert client.get("/", headers={"Accept": "audio/webm,audio/*;q=0.9"}).status_code == 200
    assert client.get("/", headers={"HX-Request": "true"}).status_code == 200
