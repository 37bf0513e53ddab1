"""The demo data shows the privacy features: the draft policy, consents, an edition to purge."""

from __future__ import annotations

import pytest

from app.core.seed import seed_demo_data
from app.extensions import db


@pytest.fixture
def demo(app):
    with app.app_context():
        for _line in seed_demo_data(password="sabak-demo"):
            pass
        db.session.commit()


def sign_in(client, email: str) -> None:
    response = client.post("/auth/login", data={"email": email, "password": "sabak-demo"})
    assert response.status_code == 302


def test_the_demo_policy_is_a_real_draft_in_both_languages(client, demo):
    ja = client.get("/privacy/", headers={"Accept-Language": "ja"}).text
    en = client.get("/privacy/", headers={"Accept-Language": "en"}).text
    for text in (
        "電話番号",
        "日本国籍の有無",
        "3年",
        "開示、訂正、削除、利用の停止",
        "下目黒5-6-16",
    ):
        assert text in ja, text
    for text in ("phone number", "Japanese citizenship", "3 years", "5-6-16 Shimomeguro"):
        assert text in en, text


@pytest.mark.parametrize("email", ["student@example.com", "teacher@example.com"])
def test_demo_accounts_have_agreed_and_are_not_asked(client, demo, email):
    sign_in(client, email)
    assert client.get("/").status_code == 200


def test_the_console_reminds_to_erase_the_old_demo_edition(client, demo):
    sign_in(client, "organizer@example.com")
    console = client.get("/contest/console/").text  # the current edition, in Japanese
    assert "2022年の回は開催から 3 年以上たちました" in console
    assert "/privacy/contest/2022/purge" in console
