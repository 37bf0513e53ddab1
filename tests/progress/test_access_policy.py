"""The one access policy (app.lessons.access), role by role, per kind of object: each role gets
exactly one answer. Teacher-only pages answer 403 to a signed-in user without the teacher role
and 404 to a teacher for whom the object is "not theirs"; anonymous users go to the login page."""

from __future__ import annotations

from typing import Any

import pytest
from flask_login import AnonymousUserMixin

from app.auth.models import Role, User
from app.core.media import store_audio
from app.extensions import db
from app.lessons import access, services
from app.lessons.models import Course
from tests.helpers import wav_bytes

ROLES = ["anonymous", "outsider", "student", "other_teacher", "teacher", "admin"]
LOGIN = "login"


@pytest.fixture
def world(app, progress_class, make_user, make_assignment, make_submission):
    """A class (its teacher and an enrolled student), a student and a teacher of another class,
    an admin, an editor of the course, an assignment and the student's recorded submission."""
    cls = progress_class(students=1)
    other = progress_class(students=1, slug="other-course")
    editor = make_user(roles=("teacher",), display_name="Editor")
    admin = make_user(roles=("admin",), display_name="Admin")
    assignment_id = make_assignment(cls.id, kind="spoken")
    with app.app_context():
        name, kind = store_audio(wav_bytes(), folder="submissions")
        course = db.session.get(Course, cls.course_id)
        services.add_editor(course, db.session.get(User, editor.id))
        db.session.commit()
    submission_id = make_submission(
        assignment_id, cls.students[0].id, text="", audio_file=name, audio_mimetype=kind.mimetype
    )
    return {
        "people": {
            "outsider": other.students[0],
            "student": cls.students[0],
            "other_teacher": other.teacher,
            "teacher": cls.teacher,
            "admin": admin,
            "editor": editor,
        },
        "class_id": cls.id,
        "course_id": cls.course_id,
        "assignment_id": assignment_id,
        "submission_id": submission_id,
    }


def as_user(world: dict[str, Any], role: str) -> Any:
    if role == "anonymous":
        return AnonymousUserMixin()
    return db.session.get(User, world["people"][role].id)


# --- the rules, called directly ------------------------------------------------------------------

RULES: dict[str, tuple[bool, ...]] = {
    # anonymous, outsider, student, other_teacher, teacher, admin
    "teaches the class": (False, False, False, False, True, True),
    "is enrolled": (False, False, True, False, False, False),
    "sees the student's work": (False, False, True, False, True, True),
    "sees the course": (False, False, True, False, True, True),
    "edits the course": (False, False, False, False, False, True),
}


@pytest.mark.parametrize("role", ROLES)
def test_the_rules_give_each_role_one_answer(app, world, role):
    with app.app_context():
        user = as_user(world, role)
        course = db.session.get(Course, world["course_id"])
        class_id = world["class_id"]
        student_id = world["people"]["student"].id
        got = {
            "teaches the class": access.teaches(user, class_id),
            "is enrolled": access.is_enrolled(user, class_id),
            "sees the student's work": access.may_see_work(user, student_id, class_id),
            "sees the course": access.can_view_course(user, course),
            "edits the course": access.can_edit_course(user, course),
        }
    assert got == {rule: answers[ROLES.index(role)] for rule, answers in RULES.items()}


def test_a_teacher_who_lost_the_teacher_role_no_longer_teaches(app, world):
    """The link to the class stays, but teaching needs the role: everywhere, not only in some
    packages (lessons once let them in, progress did not)."""
    from app.auth.models import UserRole

    teacher_id = world["people"]["teacher"].id
    with app.app_context():
        db.session.execute(
            UserRole.__table__.delete().where(
                UserRole.user_id == teacher_id, UserRole.role == Role.TEACHER
            )
        )
        db.session.commit()
        user = db.session.get(User, teacher_id)
        course = db.session.get(Course, world["course_id"])
        assert not access.teaches(user, world["class_id"])
        assert not access.may_see_work(user, world["people"]["student"].id, world["class_id"])
        assert not access.can_view_course(user, course)


# --- the pages built on them: class, assignment, submission, course authoring, quiz reports -------

PAGES: dict[str, tuple[str, tuple[Any, ...]]] = {
    # anonymous, outsider, student, other_teacher, teacher, admin
    "class": ("/lessons/classes/{c}", (LOGIN, 403, 403, 404, 200, 200)),
    "class quiz report": ("/quizzes/classes/{c}", (LOGIN, 403, 403, 404, 200, 200)),
    "assignment overview": ("/progress/assignments/{a}/overview", (LOGIN, 404, 404, 404, 200, 200)),
    "submission": (
        "/progress/submissions/{sub}/versions/1/audio",
        (LOGIN, 404, 200, 404, 200, 200),
    ),
    "grading page": ("/progress/grading/{sub}", (LOGIN, 403, 403, 404, 200, 200)),
    "course": ("/lessons/courses/kyrgyz-test/", (LOGIN, 404, 200, 404, 200, 200)),
    "course authoring": (
        "/lessons/courses/kyrgyz-test/new-lesson",
        (LOGIN, 403, 403, 404, 404, 200),
    ),
}


def log_in(client, world: dict[str, Any], role: str) -> None:
    if role != "anonymous":
        person = world["people"][role]
        response = client.post(
            "/auth/login", data={"email": person.email, "password": person.password}
        )
        assert response.status_code == 302


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_each_page_gives_each_role_one_answer(client, world, role, page):
    template, answers = PAGES[page]
    log_in(client, world, role)
    url = template.format(c=world["class_id"], a=world["assignment_id"], sub=world["submission_id"])
    response = client.get(url)
    response.close()  # a sent file stays open until then
    want = answers[ROLES.index(role)]
    if want == LOGIN:
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    else:
        assert response.status_code == want


def test_the_courses_editor_may_author_it(client, world):
    log_in(client, world, "editor")
    assert client.get("/lessons/courses/kyrgyz-test/new-lesson").status_code == 200
    assert client.get("/lessons/courses/other-course/new-lesson").status_code == 404
