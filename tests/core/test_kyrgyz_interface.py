"""The Kyrgyz interface (issue #19): a complete catalogue, the switcher and the order that picks
a language, the one rule for content written only in Japanese and English, Kyrgyz dates, mail in
the recipient's language, certificates that stay Japanese and Kyrgyz, the immersion map and the
dashboard's note for students halfway through a course."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale
from sqlalchemy import select

from app.core import immersion
from app.core.dates import format_date, format_datetime, relative_date
from app.core.i18n import Beside, beside, content_language, localized, mail_languages
from app.core.models import OutboxMessage
from app.extensions import db
from tests.core.test_i18n import TRANSLATIONS
from tests.helpers import visible_text

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_kyrgyz_catalogue_is_complete_and_keeps_every_placeholder():
    """A missing, empty or fuzzy Kyrgyz string would show in English; a lost placeholder would
    drop a name or a number from the sentence."""
    with (TRANSLATIONS / "ky" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale="ky")
    missing, fuzzy, placeholders = [], [], []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            missing.append(ids[0])
        if message.fuzzy:
            fuzzy.append(ids[0])
        for index, text in enumerate(strings):
            source = ids[min(index, len(ids) - 1)]
            wanted = _placeholders(source)
            # a singular may name its number in words ("one word") where the plural has %(num)d
            if text and _placeholders(text) != wanted and not (index == 0 and len(ids) > 1):
                placeholders.append((source, text))
    assert missing == [] and fuzzy == [] and placeholders == []


def test_kyrgyz_comes_from_each_step_of_the_order(client, auth):
    def lang(**headers: str) -> str:
        return re.search(r'<html lang="(\w+)"', client.get("/", headers=headers).text)[1]

    assert lang(**{"Accept-Language": "ky-KG,ky;q=0.9,ru;q=0.5"}) == "ky"
    assert lang(**{"Accept-Language": "ru, en;q=0.5"}) == "en"
    assert lang() == "ja"  # nothing known: Japanese
    client.post("/language", data={"language": "ky", "next": "/"})
    assert lang(**{"Accept-Language": "en"}) == "ky"  # the cookie beats Accept-Language
    auth.login(language="ja")
    assert lang(**{"Accept-Language": "ky"}) == "ja"  # the preference beats the cookie


def test_the_switch_to_kyrgyz_is_kept_in_the_profile(client, auth):
    user = auth.login(language="ja")
    client.post("/language", data={"language": "ky", "next": "/"})
    auth.logout()
    client.delete_cookie("sabak_lang")
    assert 'lang="ja"' in client.get("/").text
    auth.login(user=user)
    assert 'lang="ky"' in client.get("/", headers={"Accept-Language": "en"}).text


@pytest.mark.parametrize(
    ("language", "offered"),
    [
        ("ja", ["English", "Кыргызча"]),
        ("en", ["日本語", "Кыргызча"]),
        ("ky", ["日本語", "English"]),
    ],
)
def test_the_switcher_offers_the_other_two_languages(client, language, offered):
    page = client.get("/", headers={"Accept-Language": language}).text
    switcher = page[page.index('class="language-switcher"') :]
    switcher = switcher[: switcher.index("</form>")]
    assert re.findall(r'value="(\w\w)"', switcher) == [
        c for c in ("ja", "en", "ky") if c != language
    ]
    assert re.findall(r'class="lang-button">([^<]+)<', switcher) == offered


def test_the_profile_offers_kyrgyz_and_keeps_it(client, auth, app):
    from app.auth.models import User

    user = auth.login(language="ja")
    page = client.get("/auth/profile").text
    assert '<option value="ky">Кыргызча</option>' in page
    form = {"display_name": "Test", "language": "ky", "timezone": "Asia/Tokyo"}
    response = client.post("/auth/profile", data=form)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).language == "ky"
    assert 'lang="ky"' in client.get("/auth/profile").text


def test_the_cli_creates_an_account_in_kyrgyz(app):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "aigul@example.kg",
            "--language",
            "ky",
            "--password",
            "x" * 10,
        ]
    )
    assert result.exit_code == 0, result.output
    from app.auth.models import User

    with app.app_context():
        assert db.session.scalar(select(User.language).where(User.email == "aigul@example.kg")) == (
            "ky"
        )


def test_content_in_japanese_and_english_only_is_read_in_japanese_in_kyrgyz():
    assert [content_language(code) for code in ("ja", "en", "ky")] == ["ja", "en", "ja"]
    assert localized("ky", "第1課", "Lesson 1", "1-сабак") == "1-сабак"
    assert localized("ky", "第1課", "Lesson 1", "") == "第1課"
    assert localized("ky", "会場", "Venue") == "会場"
    assert localized("en", "第1課", "Lesson 1", "1-сабак") == "Lesson 1"
    assert localized("ja", "第1課", "Lesson 1", "1-сабак") == "第1課"


def test_under_a_title_kyrgyz_for_others_and_japanese_for_kyrgyz_readers():
    assert beside("ja", "第1課", "1-сабак") == Beside("1-сабак", "ky")
    assert beside("en", "第1課", "1-сабак") == Beside("1-сабак", "ky")
    assert beside("ky", "第1課", "1-сабак") == Beside("第1課", "ja")
    assert beside("ky", "第1課", "") is None  # the Japanese is the title itself


def test_a_kyrgyz_reader_sees_kyrgyz_titles_and_japanese_glosses(
    client, auth, make_course, make_class, make_user
):
    course = make_course()
    student = make_user(language="ky")
    make_class(course, students=(student,))
    auth.login(user=student)
    page = client.get(f"/lessons/courses/{course.slug}/{course.lesson_slugs[0]}").text
    text = visible_text(page)
    assert "1-сабак" in text and "2-сабак" in text  # the lesson's and the next one's ky titles
    assert "Lesson 1" not in text and "a goal" not in text
    assert '<ul lang="ja"><li>目標</li></ul>' in page  # goals exist in ja and en: Japanese
    assert '<h1>1-сабак</h1>\n  <p lang="ja">第1課</p>' in page  # the Japanese title under it


NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # Thursday 10:00 in Tokyo


def test_kyrgyz_dates_from_the_locale_data(app_ctx):
    moment = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)  # Friday 18:30 in Tokyo
    with force_locale("ky"):
        assert format_datetime(moment) == "2026-ж., 4-декабрь, жума 18:30"
        assert format_date(date(2027, 3, 1)) == "2027-ж., 1-март, дүйшөмбү"
        assert relative_date(datetime(2026, 12, 3, 2, tzinfo=UTC), NOW) == "бүгүн"
        assert relative_date(datetime(2026, 12, 4, 2, tzinfo=UTC), NOW) == "эртең"
        assert relative_date(datetime(2026, 12, 6, 2, tzinfo=UTC), NOW) == "3 күндөн кийин"
        assert relative_date(datetime(2026, 11, 30, 2, tzinfo=UTC), NOW) == "3 күн мурун"


def test_mail_to_someone_unsure_of_comes_in_their_language_then_japanese():
    assert mail_languages("ky") == ("ky", "ja")
    assert mail_languages("en") == ("en", "ja")
    assert mail_languages("ja") == ("ja", "en")


def test_a_kyrgyz_registrant_gets_kyrgyz_first_then_japanese(app_ctx, make_edition, make_user):
    from app.auth.models import User
    from app.contest import registration
    from app.contest.models import Edition
    from tests.factories.contest import details

    edition = db.session.get(Edition, make_edition()["edition"])
    user = db.session.get(User, make_user(language="ky").id)
    registration.register(edition, edition.divisions[0], user, details(), language="ky")
    message = db.session.scalars(select(OutboxMessage)).one()
    kyrgyz, japanese = message.subject.split(" / ")
    assert kyrgyz.startswith("Каттоо ырасталды") and japanese.startswith("【")
    assert message.body_text.index("Урматтуу") < message.body_text.index("お申し込み内容")


def test_a_password_reset_mail_comes_in_kyrgyz(client, make_user, app):
    user = make_user(language="ky")
    client.post("/auth/reset", data={"email": user.email}, headers={"Accept-Language": "ja"})
    with app.app_context():
        message = db.session.scalars(select(OutboxMessage)).one()
    assert message.subject == "Sabak: жаңы сырсөз коюу"


def test_the_immersion_map_pairs_kyrgyz_with_the_japanese_catalogue(client):
    page = client.get("/", headers={"Accept-Language": "ky"}).text
    url = re.search(r'src="/static/js/immersion\.js" data-map="([^"]+)"', page)[1]
    response = client.get(url)
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=31536000" in response.headers["Cache-Control"]
    pairs = response.json
    assert pairs["Кирүү"] == "ログイン"  # Sign in
    assert all("%(" not in ky for ky in pairs)  # a text with a value in it never matches
    assert len(response.data) < 150_000  # short texts only, in UTF-8 as they are
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    stale = client.get("/immersion/0123456789abcdef.json")
    assert stale.status_code == 302 and stale.location == url
    assert "immersion.js" not in client.get("/", headers={"Accept-Language": "ja"}).text


def test_the_navigation_has_its_japanese_without_javascript(client, auth):
    auth.login("student", language="ky")
    page = client.get("/").text
    assert 'title="ログアウト" data-ja="ログアウト">Чыгуу<' in page
    assert re.search(r'<a href="/quizzes/"[^>]* title="[^"]+" data-ja="[^"]+">', page)
    auth.logout()
    auth.login("student", language="ja")
    assert "data-ja" not in client.get("/").text


def test_immersion_map_is_built_once_per_catalogue_version(app_ctx):
    first = immersion.current()
    assert immersion.current() is first
    assert immersion.japanese_of("  Кирүү ") == "ログイン"


@pytest.fixture
def halfway(make_course, make_class, make_user, activity):
    """A student of a class whose course has 4 lessons; `done(n)` marks n of them done."""
    course = make_course(lessons=4, items=1)
    student = make_user(language="ja")
    make_class(course, students=(student,))
    return course, student, lambda n: activity.lessons_done(student.id, course.id, n)


def test_the_dashboard_suggests_kyrgyz_halfway_through_a_course(client, auth, halfway, app):
    course, student, done = halfway
    auth.login(user=student)
    done(1)
    assert 'id="kyrgyz-note"' not in client.get("/progress/").text  # a quarter: not yet
    from app.lessons.models import Lesson, LessonProgress

    with app.app_context():
        lesson = db.session.scalars(
            select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position)
        ).all()[1]
        db.session.add(LessonProgress(user_id=student.id, lesson_id=lesson.id))
        db.session.commit()
    page = client.get("/progress/").text
    assert 'id="kyrgyz-note"' in page  # half: the note, with a one-click switch
    switch = client.post("/language", data={"language": "ky", "next": "/progress/"})
    assert switch.location == "/progress/"
    page = client.get("/progress/").text
    assert 'lang="ky"' in page and 'id="kyrgyz-note"' not in page  # in Kyrgyz: no need


def test_the_note_can_be_put_away(client, auth, halfway):
    _course, student, done = halfway
    auth.login(user=student)
    done(2)
    assert 'id="kyrgyz-note"' in client.get("/progress/").text
    response = client.post("/progress/kyrgyz-note")
    assert response.status_code == 302 and response.location == "/progress/"
    assert 'id="kyrgyz-note"' not in client.get("/progress/").text
