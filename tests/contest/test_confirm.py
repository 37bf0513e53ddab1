"""The confirmation of irreversible actions: a page without JavaScript, the dialog's content with it."""

from __future__ import annotations

from sqlalchemy import select

from app.contest.models import Registration
from app.extensions import db
from tests.factories.contest import form_data
from tests.helpers import visible_text


def _statuses(app) -> list[str]:
    with app.app_context():
        statuses = list(db.session.scalars(select(Registration.status)))
        db.session.remove()
    return statuses


def test_the_page_and_the_dialog_say_the_same_and_change_nothing(app, client, auth, make_edition):
    ids = make_edition()
    auth.login()
    client.post("/contest/2027/register", data=form_data(ids["A"]))
    en = {"Accept-Language": "en"}

    page = client.post("/contest/2027/me/withdraw", headers=en)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and html.startswith("<!doctype html>")
    assert "X-Sabak-Confirm" in page.headers["Vary"] and "X-Sabak-Confirm" not in page.headers
    assert page.headers["Cache-Control"] == "no-store"

    dialog = client.post("/contest/2027/me/withdraw", headers=en | {"X-Sabak-Confirm": "dialog"})
    fragment = dialog.get_data(as_text=True)
    assert dialog.headers["X-Sabak-Confirm"] == "dialog"  # confirm.js shows only this in a dialog
    assert "<html" not in fragment and 'id="confirm-title"' in fragment
    for part in ("Withdraw from the contest?", 'name="confirmed" value="1"', "data-confirm-cancel"):
        assert part in fragment and part in html
    # the dialog says word for word what the page says (the page adds only its frame)
    said = visible_text(fragment)
    assert len(said) > 40 and said in visible_text(html)
    assert _statuses(app) == ["confirmed"]

    assert client.post("/contest/2027/me/withdraw", data={"confirmed": "0"}).status_code == 200
    assert _statuses(app) == ["confirmed"]  # only the flag acts
    assert client.post("/contest/2027/me/withdraw", data={"confirmed": "1"}).status_code == 302
    assert _statuses(app) == ["withdrawn"]


def test_a_get_never_acts(app, client, auth, make_edition):
    ids = make_edition()
    auth.login()
    client.post("/contest/2027/register", data=form_data(ids["A"]))
    assert client.get("/contest/2027/me/withdraw?confirmed=1").status_code == 200
    assert _statuses(app) == ["confirmed"]


def test_the_confirmation_needs_its_csrf_token(app, client, auth, make_edition):
    ids = make_edition()
    auth.login()
    client.post("/contest/2027/register", data=form_data(ids["A"]))
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/contest/2027/me/withdraw", data={"confirmed": "1"})
    assert response.status_code == 400
    assert _statuses(app) == ["confirmed"]
