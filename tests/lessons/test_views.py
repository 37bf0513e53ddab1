"""Lesson pages and classes through the client: access, content, progress, query budget."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.lessons.models import Enrollment, Item
from tests.helpers import queries_for, visible_text


@pytest.fixture
def setup(make_course, make_user, make_class):
    """A course with a class: its teacher, an enrolled student, and outsiders."""
    course = make_course(notes="### Падеж\n\n[[cases: кол, көчө]]\n\n<script>alert(1)</script>")
    teacher = make_user(roles="teacher", display_name="Айгүл")
    student = make_user(display_name="花子")
    created = make_class(course, teacher, students=(student,))
    return {
        "course": course,
        "teacher": teacher,
        "student": student,
        "class": created,
        "outsider": make_user(display_name="Outsider"),
        "other_teacher": make_user(roles="teacher"),
        "admin": make_user(roles="admin"),
    }


COURSE_PAGES = ["/lessons/courses/kyrgyz-test/", "/lessons/courses/kyrgyz-test/lesson-1"]


@pytest.mark.parametrize("url", COURSE_PAGES)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),
        ("student", 200),
        ("outsider", 404),
        ("other_teacher", 404),
        ("teacher", 200),
        ("admin", 200),
    ],
)
def test_course_pages_access(client, auth, setup, url, who, status):
    if who:
        auth.login(user=setup[who])
    assert client.get(url).status_code == status


CLASS_PAGES = [
    ("get", "/lessons/classes/{id}"),
    ("get", "/lessons/classes/{id}/edit"),
    ("post", "/lessons/classes/{id}/code"),
    ("post", "/lessons/classes/{id}/students/{student}/remove"),
]


@pytest.mark.parametrize(("method", "url"), CLASS_PAGES)
@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 302), ("student", 403), ("other_teacher", 404), ("teacher", None), ("admin", None)],
)
def test_class_pages_only_for_their_teachers(client, auth, setup, method, url, who, status):
    if who:
        auth.login(user=setup[who])
    class_page = f"/lessons/classes/{setup['class']['id']}"
    target = url.format(id=setup["class"]["id"], student=setup["student"].id)
    response = getattr(client, method)(target)
    if status is None:  # the class's teacher or an admin
        if url.endswith("/code"):  # a new code, shown on the class page
            assert response.status_code == 302
            assert response.headers["Location"] == class_page
        else:  # the page; removing a student asks first
            assert response.status_code == 200
            if url.endswith("/remove"):
                assert 'name="confirmed"' in response.get_data(as_text=True)
    else:
        assert response.status_code == status


def test_teachers_see_only_their_own_classes(client, auth, setup, make_class, make_user):
    other = make_class(setup["course"], setup["other_teacher"], name="Someone else's class")
    auth.login(user=setup["teacher"])
    body = client.get("/lessons/classes/").get_data(as_text=True)
    assert "2027年春 入門クラス (火曜夜)" in body and "Someone else's class" not in body
    assert client.get(f"/lessons/classes/{other['id']}").status_code == 404


def test_student_joins_with_the_code_and_sees_the_class_at_home(
    client, auth, app, make_course, make_user, make_class
):
    course = make_course()
    created = make_class(course, make_user(roles="teacher"))
    auth.login("student")
    code = created["code"]
    response = client.post("/lessons/join", data={"code": f"{code[:4]}-{code[4:]}".lower()})
    assert response.status_code == 302
    assert response.headers["Location"] == "/lessons/courses/kyrgyz-test/"
    home = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "2027年春 入門クラス (火曜夜)" in home and "Test course" in home


@pytest.mark.parametrize(
    ("who", "heading", "classes", "join"),
    [
        ("student", "My classes", ["2027年春 入門クラス (火曜夜)"], True),
        ("outsider", "My classes", [], True),  # a student in no class yet: the code is how in
        ("teacher", "Classes I teach", ["2027年春 入門クラス (火曜夜)"], False),
        ("other_teacher", None, [], False),
        ("admin", None, [], False),
        ("judge", None, [], False),
    ],
)
def test_the_home_panel_fits_the_persons_roles(
    client, auth, setup, make_user, who, heading, classes, join
):
    user = make_user(roles="judge") if who == "judge" else setup[who]
    auth.login(user=user)
    home = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    text = visible_text(home)
    assert ("Join a class with a code" in text) is join
    for title in ("My classes", "Classes I teach"):
        assert (title in text) is (title == heading)
    for name in classes:
        assert name in text


def test_wrong_code_says_so_and_keeps_it(client, auth, setup):
    auth.login("student")
    response = client.post(
        "/lessons/join", data={"code": "ABCD-EFGH"}, headers={"Accept-Language": "en"}
    )
    body = response.get_data(as_text=True)
    assert "No class has this code" in body and 'value="ABCD-EFGH"' in body


def test_join_link_asks_anonymous_users_to_sign_in_then_joins(client, setup, make_user, app):
    link = f"/lessons/join/{setup['class']['code']}"
    response = client.get(link)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    newcomer = make_user()
    client.post("/auth/login", data={"email": newcomer.email, "password": newcomer.password})
    page = client.get(link, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Join this class" in page and "2027年春 入門クラス (火曜夜)" in page
    client.post(link)
    client.post(link)  # a double click
    with app.app_context():
        rows = db.session.scalars(select(Enrollment).where(Enrollment.user_id == newcomer.id))
        assert len(rows.all()) == 1


def test_teacher_creates_a_class(client, auth, make_course, app):
    course = make_course()
    auth.login("teacher")
    response = client.post(
        "/lessons/classes/new",
        data={
            "course": course.id,
            "name": "2027年秋 初級クラス",
            "starts_on": "2027-10-05",
            "ends_on": "2028-02-22",
            "schedule": "火曜 19:00–20:30",
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2027年秋 初級クラス" in page and "/lessons/join/" in page


def test_class_form_errors_keep_the_input(client, auth, make_course):
    course = make_course()
    auth.login("teacher")
    response = client.post(
        "/lessons/classes/new",
        data={
            "course": course.id,
            "name": "",
            "starts_on": "2027-10-05",
            "ends_on": "2027-01-01",
            "schedule": "火曜",
        },
        headers={"Accept-Language": "en"},
    )
    body = response.get_data(as_text=True)
    assert "cannot be before the first one" in body
    assert 'value="2027-10-05"' in body and "火曜" in body


def test_teacher_removes_a_student_and_regenerates_the_code(client, auth, setup, app):
    auth.login(user=setup["teacher"])
    class_id = setup["class"]["id"]
    remove = f"/lessons/classes/{class_id}/students/{setup['student'].id}/remove"
    asked = client.post(remove)  # asks first, and changes nothing
    assert asked.status_code == 200 and "Remove 花子 from the class?" in asked.get_data(
        as_text=True
    )
    assert "花子" in client.get(f"/lessons/classes/{class_id}").get_data(as_text=True)
    client.post(remove, data={"confirmed": "1"})
    client.post(f"/lessons/classes/{class_id}/code")
    body = client.get(f"/lessons/classes/{class_id}").get_data(as_text=True)
    assert "花子" not in body
    old = setup["class"]["code"]
    assert f"{old[:4]}-{old[4:]}" not in body


def test_lesson_page_shows_words_notes_tables_and_audio(client, auth, setup):
    auth.login(user=setup["student"])
    body = client.get("/lessons/courses/kyrgyz-test/lesson-1").get_data(as_text=True)
    assert "кол" in body and "hand" in body and "Бул кол." in body
    assert "колго" in body and "көчөдөн" in body  # generated table
    assert "<script>alert(1)</script>" not in body
    assert "Synthetic voice" in body  # labelled as such
    assert 'rel="next"' in body and 'rel="prev"' not in body


def test_unpublished_lessons_are_hidden_from_students(
    client, auth, make_course, make_user, make_class
):
    course = make_course(lessons=3, unpublished=(1,))
    student = make_user()
    teacher = make_user(roles="teacher")
    make_class(course, teacher, students=(student,))
    auth.login(user=student)
    body = client.get("/lessons/courses/kyrgyz-test/").get_data(as_text=True)
    assert "lesson-2" not in body
    assert client.get("/lessons/courses/kyrgyz-test/lesson-2").status_code == 404


def test_mark_done_shows_on_the_course_page(client, auth, setup):
    auth.login(user=setup["student"])
    url = "/lessons/courses/kyrgyz-test/lesson-1/done"
    client.post(url, data={"action": "done"})
    client.post(url, data={"action": "done"})  # double click
    body = client.get("/lessons/courses/kyrgyz-test/", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "1 of 2 lessons done" in body and "✓ Done" in body
    client.post(url, data={"action": "undo"})
    body = client.get("/lessons/courses/kyrgyz-test/", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "0 of 2 lessons done" in body


def test_audio_falls_back_to_synthetic_speech(client, auth, setup, app):
    auth.login(user=setup["student"])
    with app.app_context():
        item = db.session.scalar(select(Item).where(Item.ky == "кол"))
    response = client.get(f"/lessons/audio/{item.id}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/speech?text=")


def test_audio_is_private_to_the_course(client, auth, setup, app):
    auth.login(user=setup["outsider"])
    with app.app_context():
        item = db.session.scalar(select(Item).where(Item.ky == "кол"))
    assert client.get(f"/lessons/audio/{item.id}").status_code == 404


@pytest.mark.parametrize(
    "url", ["/lessons/courses/kyrgyz-test/", "/lessons/courses/kyrgyz-test/lesson-1", "/lessons/"]
)
def test_query_count_does_not_grow_with_lessons_and_words(
    app, client, auth, make_course, make_user, make_class, url
):
    student = make_user()
    teacher = make_user(roles="teacher")
    small = make_course(lessons=2, items=2)
    make_class(small, teacher, students=(student,))
    auth.login(user=student)
    few = queries_for(app, client, url)
    with app.app_context():
        from sqlalchemy import delete

        from app.lessons.models import Course, CourseClass

        db.session.execute(delete(CourseClass))
        db.session.execute(delete(Course).where(Course.id == small.id))
        db.session.commit()
    big = make_course(lessons=12, items=25)
    make_class(big, teacher, students=(student,))
    assert queries_for(app, client, url) == few
