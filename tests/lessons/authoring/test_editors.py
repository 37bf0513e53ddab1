"""Course editors: who may edit a course, shown on its page, added and removed by its editors."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.lessons import services
from app.lessons.models import Course
from tests.factories.courses import add_course
from tests.lessons.authoring.test_views import LESSON_FORM, add_class

DATA = Path(__file__).parents[1] / "course_files" / "data" / "sample"


def editor_names(app: Flask, slug: str = "kyrgyz-a1") -> list[str]:
    with app.app_context():
        course = db.session.scalars(select(Course).where(Course.slug == slug)).one()
        names = [u.display_name for u in services.course_editors(course)]
        db.session.remove()
        return names


def test_a_teacher_of_a_class_is_refused_until_an_editor_adds_them(app, client, auth, make_user):
    editor = make_user(roles="teacher", display_name="Айгүл")
    course = add_course(app, editor)
    second = make_user(roles="teacher", display_name="Бакыт", email="bakyt@example.org")
    add_class(app, course.slug, second)
    edit_url = f"/lessons/courses/{course.slug}/{course.lesson_slug}/edit"

    auth.login(user=second)
    page = client.get(f"/lessons/courses/{course.slug}/").get_data(as_text=True)
    assert "Editors of this course" in page and "Айгүл" in page  # teachers see who edits
    assert "Add a lesson" not in page and "Add or remove editors" not in page
    assert client.post(edit_url, data=LESSON_FORM).status_code == 404
    assert client.get(f"/lessons/courses/{course.slug}/editors").status_code == 404
    auth.logout()

    auth.login(user=editor)
    response = client.post(
        f"/lessons/courses/{course.slug}/editors", data={"email": " Bakyt@Example.org "}
    )
    assert response.status_code == 302
    assert editor_names(app) == ["Айгүл", "Бакыт"]
    auth.logout()

    auth.login(user=second)
    assert client.post(edit_url, data=LESSON_FORM).status_code == 302
    assert "Shopping" in client.get(edit_url).get_data(as_text=True)


def test_only_teachers_can_be_added(app, client, auth, make_user):
    editor = make_user(roles="teacher")
    course = add_course(app, editor)
    student = make_user(email="hanako@example.org")
    auth.login(user=editor)
    for email in (student.email, "nobody@example.org"):
        response = client.post(f"/lessons/courses/{course.slug}/editors", data={"email": email})
        assert response.status_code == 200
        assert "No teacher has an account with this e-mail address." in response.get_data(
            as_text=True
        )
    assert len(editor_names(app)) == 1


def test_removing_an_editor_asks_first_and_the_last_editor_stays(app, client, auth, make_user):
    editor = make_user(roles="teacher", display_name="Айгүл")
    course = add_course(app, editor)
    second = make_user(roles="teacher", display_name="Бакыт")
    auth.login(user=editor)
    client.post(f"/lessons/courses/{course.slug}/editors", data={"email": second.email})
    remove = f"/lessons/courses/{course.slug}/editors/{second.id}/remove"

    asked = client.get(remove)
    body = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Remove Бакыт from the editors?" in body
    assert 'name="confirmed" value="1"' in body
    assert client.post(remove).status_code == 200  # no flag: asks again, changes nothing
    assert editor_names(app) == ["Айгүл", "Бакыт"]

    assert client.post(remove, data={"confirmed": "1"}).status_code == 302
    assert editor_names(app) == ["Айгүл"]

    myself = f"/lessons/courses/{course.slug}/editors/{editor.id}/remove"
    response = client.post(myself, data={"confirmed": "1"}, follow_redirects=True)
    assert "A course keeps at least one editor" in response.get_data(as_text=True)
    assert editor_names(app) == ["Айгүл"]
    auth.logout()

    auth.login("admin")  # an admin may remove the last one: admins still edit the course
    assert client.post(myself, data={"confirmed": "1"}).status_code == 302
    assert editor_names(app) == []
    assert client.get(f"/lessons/courses/{course.slug}/editors").status_code == 200


def test_creating_a_class_does_not_make_an_editor(app, client, auth, make_user):
    editor = make_user(roles="teacher")
    course = add_course(app, editor)
    with app.app_context():
        course_id = db.session.scalars(select(Course.id).where(Course.slug == course.slug)).one()
    teacher = auth.login("teacher")
    response = client.post(
        "/lessons/classes/new",
        data={"name": "金曜クラス", "course": course_id, "schedule": ""},
    )
    assert response.status_code == 302
    assert client.get(f"/lessons/courses/{course.slug}/").status_code == 200  # they see it
    assert client.get(f"/lessons/courses/{course.slug}/new-lesson").status_code == 404
    assert teacher.display_name not in editor_names(app)


def test_editors_see_their_courses_in_the_list(app, client, auth, make_user):
    editor = make_user(roles="teacher")
    add_course(app, editor, slug="kyrgyz-a2")
    with app.app_context():  # an editor who teaches no class of the course
        db.session.execute(db.text("DELETE FROM class_teachers"))
        db.session.commit()
    auth.login(user=editor)
    page = client.get("/lessons/").get_data(as_text=True)
    assert "Courses I edit" in page and "/lessons/courses/kyrgyz-a2/" in page
    assert client.get("/lessons/courses/kyrgyz-a2/").status_code == 200


def test_cli_import_records_the_importer_as_editor(app, make_user, tmp_path):
    app.instance_path = str(tmp_path / "instance")
    teacher = make_user(roles="teacher", email="aigul@example.org", display_name="Айгүл")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["lessons", "import", str(DATA), "--editor", teacher.email])
    assert result.exit_code == 0, result.output
    with app.app_context():
        course = db.session.scalars(select(Course)).one()
        assert [u.email for u in services.course_editors(course)] == [teacher.email]
        slug = course.slug
    student = make_user(email="hanako@example.org")
    refused = runner.invoke(args=["lessons", "import", str(DATA), "--editor", student.email])
    assert refused.exit_code != 0 and "No teacher" in refused.output
    assert editor_names(app, slug) == ["Айгүл"]


def test_cli_import_without_editor_leaves_the_course_to_admins(app, tmp_path):
    app.instance_path = str(tmp_path / "instance")
    result = app.test_cli_runner().invoke(args=["lessons", "import", str(DATA)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        course = db.session.scalars(select(Course)).one()
        assert services.course_editors(course) == []
        assert not db.session.scalars(select(User)).all()
