"""The app-wide input rules: ids within the database's range, no control characters in URLs,
query strings or form text (a message next to the field), safe integers from query strings."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired

from app.contest import prizes as prizes_service
from app.contest.models import Division
from app.core.forms import BaseForm
from app.core.inputs import DB_INT_MAX, Params, database_int
from app.extensions import db
from tests.helpers import visible_text

CONTROL_MESSAGE = "Please remove the invisible control characters from this text."


@pytest.mark.parametrize(
    "url",
    [
        "/progress/grading/99999999999999999999",
        "/progress/grading/2147483648",
        f"/progress/grading/{'9' * 5000}",
        "/lessons/courses/kyrgyz%00a1/",
        "/lessons/courses/%01/",
    ],
)
def test_ids_beyond_the_database_and_control_characters_in_paths_are_no_page(client, auth, url):
    auth.login("teacher")
    assert client.get(url).status_code == 404


def test_the_largest_database_id_is_still_looked_up(client, auth):
    auth.login("teacher")
    assert client.get(f"/progress/grading/{DB_INT_MAX}").status_code == 404


def test_integers_from_query_strings_stay_in_range():
    params = Params([("page", "99999999999999999999"), ("n", "-3"), ("x", "七")])
    assert params.get("page", 1, type=int) == 1
    assert params.get("n", type=int) == -3 and params.get("x", 0, type=int) == 0
    with pytest.raises(ValueError):
        database_int(str(DB_INT_MAX + 1))


def test_searches_drop_control_characters_and_huge_pages(client, auth):
    auth.login("admin", display_name="Admin Tanaka")
    response = client.get("/auth/admin/users?q=Tana%00ka&page=99999999999999999999")
    assert response.status_code == 200
    assert "Admin Tanaka" in visible_text(response.get_data(as_text=True))


def test_a_control_character_in_a_name_is_refused_next_to_the_field(client, auth):
    user = auth.login("student")
    response = client.post(
        "/auth/profile",
        data={"display_name": "花子\x00", "language": "ja", "timezone": "Asia/Tokyo"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200
    assert CONTROL_MESSAGE in visible_text(response.get_data(as_text=True))
    assert client.get("/auth/profile").get_data(as_text=True).count(user.display_name)


def test_the_sign_in_form_refuses_nul_without_asking_the_database(client):
    response = client.post(
        "/auth/login",
        data={"email": "a\x00@example.org", "password": "x"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200
    assert CONTROL_MESSAGE in visible_text(response.get_data(as_text=True))


class SampleForm(BaseForm):
    line = StringField()
    text = TextAreaField()
    number = IntegerField()


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"line": "a\tb", "text": "a\r\n\tb", "number": "3"}, {"line"}),
        ({"line": "a\ud800", "text": "a\x00", "number": "3"}, {"line", "text"}),
        ({"line": "ок", "text": "ok\x7f", "number": "2147483648"}, {"text", "number"}),
        ({"line": "ок", "text": "ok\n", "number": "-2147483648"}, set()),
    ],
)
def test_the_base_form_rules(app, data, errors):
    with app.test_request_context(method="POST"):
        form = SampleForm(formdata=MultiDict(data), meta={"csrf": False})
        form.validate()
        assert set(form.errors) == errors


@pytest.mark.parametrize(
    "data",
    [
        {"place-abc": "first"},
        {"place-99999999999999999999": "first"},
        {"special-{reg}": "大使\x00賞"},
    ],
)
def test_prize_fields_named_by_hand_are_no_error(app, client, auth, contest, data):
    auth.login("organizer")
    reg = contest["regs"][0]
    response = client.post(
        f"/contest/console/divisions/{contest['ids']['A']}/prizes",
        data={key.format(reg=reg): value for key, value in data.items()},
    )
    assert response.status_code == 302
    with app.app_context():
        prizes = prizes_service.prizes_of(db.session.get(Division, contest["ids"]["A"]))
        assert [p.name for p in prizes] == (["大使賞"] if "special-{reg}" in data else [])


class RequiredForm(BaseForm):
    name = StringField(_l("Full name (kanji)"), validators=[DataRequired()])
    year = IntegerField(_l("Year"), validators=[InputRequired()])
    age = SelectField(
        _l("Age group"),
        choices=[SelectChoice("", "—"), SelectChoice("a", "A")],
        validators=[DataRequired()],
    )
    send_to = SelectMultipleField(
        _l("Send to"), choices=[SelectChoice("a", "A")], validators=[DataRequired()]
    )
    agree = BooleanField(_l("I hold Japanese citizenship"), validators=[DataRequired()])
    reason = StringField(
        _l("Reason"), validators=[DataRequired(message=_l("Please give the reason."))]
    )


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "ja",
            {
                "name": "氏名（漢字）を入力してください。",
                "year": "開催年を入力してください。",
                "age": "年代を選んでください。",
                "send_to": "送信先を1つ以上選んでください。",
                "agree": "「日本国籍を有しています」にチェックを入れてください。",
                "reason": "理由を入力してください。",
            },
        ),
        (
            "en",
            {
                "name": "Please enter “Full name (kanji)”.",
                "year": "Please enter “Year”.",
                "age": "Please choose “Age group”.",
                "send_to": "Please choose at least one in “Send to”.",
                "agree": "Please tick “I hold Japanese citizenship”.",
                "reason": "Please give the reason.",
            },
        ),
    ],
)
def test_an_empty_required_field_says_which_one_it_is(app, locale, expected):
    with app.test_request_context(method="POST"), force_locale(locale):
        form = RequiredForm(formdata=MultiDict({"age": ""}), meta={"csrf": False})
        assert not form.validate()
        assert {name: str(errors[0]) for name, errors in form.errors.items()} == expected


def test_the_sign_up_page_names_each_missing_field_in_japanese(client):
    response = client.post("/auth/signup", data={}, headers={"Accept-Language": "ja"})
    text = visible_text(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "氏名を入力してください。" in text and "メールアドレスを入力してください。" in text
    assert "このフィールドは必須です。" not in text
