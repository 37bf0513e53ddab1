"""`flask seed-demo`: the demo accounts of DESIGN.md and the demo data, idempotent."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.lessons.models import CourseClass, CourseEditor, Enrollment, Item, LessonProgress
from app.progress.models import Assignment, Grade, Submission, SubmissionVersion

DEMO = ["student", "teacher", "organizer", "judge", "admin"]


def counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (
            User,
            CourseClass,
            Enrollment,
            LessonProgress,
            Item,
            Assignment,
            Submission,
            SubmissionVersion,
            Grade,
        )
    }


def test_seed_demo_is_idempotent_and_every_account_can_sign_in(app, client):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        after_first = counts()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    with app.app_context():
        assert counts() == after_first
    assert after_first["CourseClass"] == 1 and after_first["Enrollment"] >= 5
    assert after_first["LessonProgress"] >= 5 and after_first["Item"] >= 400
    with app.app_context():
        # the grading queue has work in every state, and the gradebook has released grades
        states = set(db.session.scalars(select(Grade.state)))
        assert states == {"draft", "graded", "released"}
        assert after_first["Assignment"] == 4
        assert after_first["SubmissionVersion"] > after_first["Grade"]
        assert db.session.scalar(select(func.count()).where(Submission.late.is_(True)))
        # the demo teacher edits the starter course (teaching its class alone wouldn't do)
        editors = db.session.scalars(
            select(User.email).join(CourseEditor, CourseEditor.user_id == User.id)
        ).all()
        assert editors == ["teacher@example.com"]
    for role in DEMO:
        response = client.post(
            "/auth/login", data={"email": f"{role}@example.com", "password": "sabak-demo"}
        )
        assert response.status_code == 302, role
        client.post("/auth/logout")


@pytest.mark.parametrize("settings", [{"TESTING": False}])
def test_seed_demo_refuses_outside_debug(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "debug" in result.output
