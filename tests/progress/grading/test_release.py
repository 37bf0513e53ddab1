"""Releasing grades: one or all at once, one e-mail per student however often it is clicked, and a
student never sees a grade (or hears its spoken comment) before it is released."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask, render_template
from sqlalchemy import func, select, update

from app.core.media import store_audio
from app.core.models import OutboxMessage
from app.extensions import db
from app.lessons.models import Enrollment
from app.progress import grading
from app.progress.models import Assignment, Grade, GradeState, Rubric, Submission
from tests.helpers import visible_text, wav_bytes

SECRET = "ひみつの講評 SECRET-FEEDBACK"


@pytest.fixture
def released_setup(
    app: Flask,
    progress_class: Callable[..., Any],
    make_rubric: Callable[..., int],
    make_assignment: Callable[..., int],
) -> dict[str, Any]:
    info = progress_class(students=3)
    rubric_id = make_rubric(owner_id=info.teacher.id)
    assignment_id = make_assignment(info.id, rubric_id=rubric_id, max_points=20, title="作文 Дил")
    return {"info": info, "rubric_id": rubric_id, "assignment_id": assignment_id}


def mails(app: Flask) -> list[OutboxMessage]:
    with app.app_context():
        messages = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        for message in messages:
            db.session.expunge(message)
        db.session.remove()
    return messages


def state_of(app: Flask, submission_id: int) -> str:
    with app.app_context():
        state = db.session.scalar(select(Grade.state).where(Grade.submission_id == submission_id))
        db.session.remove()
    return str(state)


def choose_levels(app: Flask, submission_id: int, rubric_id: int, picks: list[int]) -> None:
    """Store rubric levels on a grade (level number `pick` of each criterion)."""
    with app.app_context():
        rubric = db.session.get(Rubric, rubric_id)
        assert rubric is not None
        levels = {
            str(c.id): c.levels[pick].id for c, pick in zip(rubric.criteria, picks, strict=True)
        }
        db.session.execute(
            update(Grade).where(Grade.submission_id == submission_id).values(rubric_levels=levels)
        )
        db.session.commit()


def add_spoken_comment(app: Flask, submission_id: int) -> None:
    with app.app_context():
        name, kind = store_audio(wav_bytes(), folder="feedback")
        db.session.execute(
            update(Grade)
            .where(Grade.submission_id == submission_id)
            .values(feedback_audio_file=name, feedback_audio_mimetype=kind.mimetype)
        )
        db.session.commit()


# --- releasing ----------------------------------------------------------------------------------


def test_release_one_grade_emails_the_student_once(
    app, client, auth, released_setup, make_submission
):
    info = released_setup["info"]
    student = info.students[0]
    submission_id = make_submission(
        released_setup["assignment_id"], student.id, grade_state=GradeState.GRADED, points=14
    )
    auth.login(user=info.teacher)

    asked = client.post(f"/progress/grading/{submission_id}/release")  # the button asks first
    assert asked.status_code == 200
    text = asked.get_data(as_text=True)
    assert "Release the grade?" in text and "14 of 20 points" in text
    assert state_of(app, submission_id) == GradeState.GRADED and mails(app) == []
    url = f"/progress/grading/{submission_id}/release"
    first = client.post(url, data={"confirmed": "1"})
    second = client.post(url, data={"confirmed": "1"})  # a double click
    assert first.status_code == second.status_code == 302
    assert state_of(app, submission_id) == GradeState.RELEASED
    [message] = mails(app)
    assert message.recipient == student.email
    assert "作文 Дил" in message.subject
    assert "14 / 20" in message.body_text
    assert f"/progress/assignments/{released_setup['assignment_id']}" in message.body_text
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "This grade has been released already." in page
    assert "Released: the student sees changes at once." in page


def test_a_draft_cannot_be_released(app, client, auth, released_setup, make_submission):
    info = released_setup["info"]
    submission_id = make_submission(
        released_setup["assignment_id"], info.students[0].id, grade_state=GradeState.DRAFT
    )
    auth.login(user=info.teacher)
    response = client.post(f"/progress/grading/{submission_id}/release", follow_redirects=True)
    assert "Only a finished grade can be released" in response.get_data(as_text=True)
    assert state_of(app, submission_id) == GradeState.DRAFT
    assert mails(app) == []


def test_release_all_releases_the_graded_ones_once(
    app, client, auth, released_setup, make_submission
):
    info = released_setup["info"]
    aid = released_setup["assignment_id"]
    s1, s2, s3 = info.students
    graded = [
        make_submission(aid, s1.id, grade_state=GradeState.GRADED, points=10),
        make_submission(aid, s2.id, grade_state=GradeState.GRADED, points=12),
    ]
    draft = make_submission(aid, s3.id, grade_state=GradeState.DRAFT, points=3)
    auth.login(user=info.teacher)

    queue = client.get(f"/progress/grading?assignment={aid}").get_data(as_text=True)
    assert "Release all 2 graded grades" in queue
    asked = client.get(f"/progress/assignments/{aid}/release")
    assert "Release 2 grades of “作文 Дил”?" in asked.get_data(as_text=True)
    assert client.post(f"/progress/assignments/{aid}/release").status_code == 200
    assert [state_of(app, sid) for sid in graded] == [GradeState.GRADED] * 2
    response = client.post(
        f"/progress/assignments/{aid}/release", data={"confirmed": "1"}, follow_redirects=True
    )
    assert "Released 2 grades." in response.get_data(as_text=True)
    assert [state_of(app, sid) for sid in graded] == [GradeState.RELEASED] * 2
    assert state_of(app, draft) == GradeState.DRAFT
    assert sorted(m.recipient for m in mails(app)) == sorted([s1.email, s2.email])

    again = client.post(f"/progress/assignments/{aid}/release", follow_redirects=True)
    assert "There were no graded grades to release." in again.get_data(as_text=True)
    assert len(mails(app)) == 2


def test_release_all_leaves_out_students_who_left_the_class(
    app, client, auth, released_setup, make_submission
):
    info = released_setup["info"]
    aid = released_setup["assignment_id"]
    stays, leaves, _other = info.students
    kept = make_submission(aid, stays.id, grade_state=GradeState.GRADED, points=10)
    gone = make_submission(aid, leaves.id, grade_state=GradeState.GRADED, points=12)
    with app.app_context():
        db.session.execute(
            Enrollment.__table__.delete().where(
                Enrollment.class_id == info.id, Enrollment.user_id == leaves.id
            )
        )
        db.session.commit()
    auth.login(user=info.teacher)

    queue = client.get(f"/progress/grading?assignment={aid}").get_data(as_text=True)
    assert "Release 1 graded grade" in queue and "Release all 2" not in queue
    with app.app_context():
        assert grading.graded_count(aid) == 1
    response = client.post(
        f"/progress/assignments/{aid}/release", data={"confirmed": "1"}, follow_redirects=True
    )
    assert "Released 1 grade." in response.get_data(as_text=True)
    assert state_of(app, kept) == GradeState.RELEASED
    assert state_of(app, gone) == GradeState.GRADED  # not shown to someone who left
    assert [m.recipient for m in mails(app)] == [stays.email]  # nor mailed


def test_release_service_claims_each_grade_once(app, released_setup, make_submission):
    info = released_setup["info"]
    aid = released_setup["assignment_id"]
    for student in info.students:
        make_submission(aid, student.id, grade_state=GradeState.GRADED, points=5)
    with app.test_request_context():  # the e-mail's link is built for the request's host
        check_release_twice(aid)


def check_release_twice(aid: int) -> None:
    assignment = db.session.get(Assignment, aid)
    assert assignment is not None
    assert grading.release_assignment(assignment) == 3
    assert grading.release_assignment(assignment) == 0  # the same transaction, clicked again
    db.session.commit()
    versions = db.session.scalars(select(Grade.version)).all()
    assert versions == [2, 2, 2]  # a release is a change: an open grading page is now stale
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 3


@pytest.mark.postgres_only
def test_two_releases_at_once_claim_each_grade_once(app, released_setup, make_submission):
    """Two teachers (or two tabs) release the same assignment at the same moment: each grade is
    released and mailed by exactly one of them."""
    info = released_setup["info"]
    aid = released_setup["assignment_id"]
    for student in info.students:
        make_submission(aid, student.id, grade_state=GradeState.GRADED, points=5)
    start = threading.Barrier(3)

    def release() -> int:
        with app.test_request_context():
            start.wait()
            try:
                count = grading.release_assignment(db.session.get(Assignment, aid))
                db.session.commit()
                return count
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=3) as pool:
        counts = list(pool.map(lambda _: release(), range(3)))
    assert sum(counts) == 3, counts
    with app.app_context():
        assert db.session.scalars(select(Grade.version)).all() == [2, 2, 2]
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 3


def test_editing_a_released_grade_keeps_it_released(
    app, client, auth, released_setup, make_submission
):
    info = released_setup["info"]
    submission_id = make_submission(
        released_setup["assignment_id"],
        info.students[0].id,
        grade_state=GradeState.RELEASED,
        points=10,
    )
    choose_levels(app, submission_id, released_setup["rubric_id"], [2, 2])
    auth.login(user=info.teacher)
    page = client.get(f"/progress/grading/{submission_id}").get_data(as_text=True)
    assert "Save changes" in page and "Save draft" not in page
    with app.app_context():
        rubric = db.session.get(Rubric, released_setup["rubric_id"])
        assert rubric is not None
        fields = {f"criterion_{c.id}": str(c.levels[1].id) for c in rubric.criteria}
    response = client.post(
        f"/progress/grading/{submission_id}",
        data={"version": "1", "feedback": "直しました", "save_graded": "Save changes", **fields},
    )
    assert response.status_code == 302
    assert state_of(app, submission_id) == GradeState.RELEASED
    assert mails(app) == []


# --- a student never sees an unreleased grade ----------------------------------------------------


def student_urls(app: Flask, values: dict[str, int]) -> list[str]:
    """Every GET page of the progress blueprint a student might open, with our ids filled in,
    plus the home page."""
    urls = ["/"]
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("progress.") or "GET" not in (rule.methods or ()):
                continue
            if not set(rule.arguments) <= set(values):
                continue
            urls.append(url_for(rule.endpoint, **{a: values[a] for a in rule.arguments}))
    return urls


@pytest.mark.parametrize("state", [GradeState.DRAFT, GradeState.GRADED])
def test_a_student_never_sees_an_unreleased_grade(
    app, client, auth, released_setup, make_submission, state
):
    info = released_setup["info"]
    student = info.students[0]
    aid = released_setup["assignment_id"]
    submission_id = make_submission(
        aid, student.id, grade_state=state, points=17.25, feedback=SECRET
    )
    choose_levels(app, submission_id, released_setup["rubric_id"], [2, 1])
    add_spoken_comment(app, submission_id)

    # the partial the student's assignment page includes renders nothing at all
    with app.test_request_context():
        submission = db.session.get(Submission, submission_id)
        assert render_template("progress/_released_grade.html", submission=submission).strip() == ""
        db.session.remove()

    auth.login(user=student)
    values = {
        "assignment_id": aid,
        "submission_id": submission_id,
        "class_id": info.id,
        "number": 1,
        "user_id": student.id,
        "student_id": student.id,
        "rubric_id": released_setup["rubric_id"],
    }
    for url in student_urls(app, values):
        with client.get(url) as response:
            body = response.get_data(as_text=True) if response.mimetype.startswith("text") else ""
            assert SECRET not in body, url
            assert "17.25" not in body, url
    assert "Your grade" not in client.get(f"/progress/assignments/{aid}").get_data(as_text=True)
    with client.get(f"/progress/grading/{submission_id}/feedback-audio") as audio:
        assert audio.status_code == 404
    assert mails(app) == []

    # once released, all of it shows
    auth.logout()
    auth.login(user=info.teacher)
    if state == GradeState.DRAFT:
        with app.app_context():
            db.session.execute(
                update(Grade)
                .where(Grade.submission_id == submission_id)
                .values(state=GradeState.GRADED)
            )
            db.session.commit()
    release = f"/progress/grading/{submission_id}/release"
    assert client.post(release, data={"confirmed": "1"}).status_code == 302
    auth.logout()
    auth.login(user=student)
    with client.get(f"/progress/grading/{submission_id}/feedback-audio") as audio:
        assert audio.status_code == 200 and audio.data[:4] == b"RIFF"
    assert len(mails(app)) == 1


def test_released_grade_partial_shows_points_rubric_feedback_and_audio(
    app, released_setup, make_submission
):
    info = released_setup["info"]
    submission_id = make_submission(
        released_setup["assignment_id"],
        info.students[0].id,
        grade_state=GradeState.RELEASED,
        points=14,
        feedback="よく<b>できました</b>\n次も がんбар",
    )
    choose_levels(app, submission_id, released_setup["rubric_id"], [2, 1])
    add_spoken_comment(app, submission_id)
    with app.test_request_context():
        submission = db.session.get(Submission, submission_id)
        html = render_template("progress/_released_grade.html", submission=submission)
        db.session.remove()
    text = visible_text(html)
    assert "14\n/ 20" in text or "14 / 20" in text
    assert "よく&lt;b&gt;できました&lt;/b&gt;<br>次も がんбар" in html
    # the chosen level of each criterion: content "よい" (4 of 4), pronunciation "ふつう" (3 of 6)
    assert "よい" in text and "4 / 4" in text
    assert "ふつう" in text and "3 / 6" in text
    assert f"/progress/grading/{submission_id}/feedback-audio" in html


def test_partial_renders_nothing_without_a_grade(app, released_setup, make_submission):
    info = released_setup["info"]
    submission_id = make_submission(released_setup["assignment_id"], info.students[0].id)
    with app.test_request_context():
        submission = db.session.get(Submission, submission_id)
        assert render_template("progress/_released_grade.html", submission=submission).strip() == ""
        assert render_template("progress/_released_grade.html", submission=None).strip() == ""
        db.session.remove()
