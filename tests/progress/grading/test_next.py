"""Grading one submission after another: "Save and next" and "Release and next" (plain form
posts), the queue's rows named by student and assignment, and the navigation's count after a
decision."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from sqlalchemy import func, select, update

from app.auth.models import User
from app.core.dbtypes import utcnow
from app.core.models import OutboxMessage
from app.extensions import db
from app.progress import grading
from app.progress.models import Grade, GradeState, Submission
from tests.helpers import count_queries, queries_for, visible_text


def submitted(app: Flask, make_submission: Any, assignment_id: int, student_id: int, age: int):
    """A submission handed in `age` hours ago (the queue shows the oldest first)."""
    submission_id = make_submission(assignment_id, student_id)
    with app.app_context():
        db.session.execute(
            update(Submission)
            .where(Submission.id == submission_id)
            .values(submitted_at=utcnow() - timedelta(hours=age))
        )
        db.session.commit()
    return submission_id


def grade_state(app: Flask, submission_id: int) -> str | None:
    with app.app_context():
        return db.session.scalar(select(Grade.state).where(Grade.submission_id == submission_id))


def save_next(client: Any, submission_id: int, points: str = "7", **queue: str) -> Any:
    data = {"version": "0", "graded_version": "1", "feedback": "", "points": points}
    data |= {"save_next": "Save and next", **queue}
    return client.post(f"/progress/grading/{submission_id}", data=data)


def target(response: Any) -> tuple[str, dict[str, list[str]]]:
    """Where a redirect leads: its path and query."""
    assert response.status_code == 302, response.status_code
    parts = urlsplit(response.headers["Location"])
    return parts.path, parse_qs(parts.query)


def test_save_and_next_goes_through_the_assignment_first_then_the_rest_of_the_queue(
    app, client, auth, progress_class, make_assignment, make_submission
):
    info = progress_class(students=3)
    s1, s2, s3 = info.students
    essay = make_assignment(info.id, title="作文 Эссе")
    listening = make_assignment(info.id, title="聞き取り Угуу")
    # the queue, oldest first: listening/s1, essay/s1, listening/s2, essay/s2
    other_first = submitted(app, make_submission, listening, s1.id, age=50)
    first = submitted(app, make_submission, essay, s1.id, age=40)
    other_second = submitted(app, make_submission, listening, s2.id, age=30)
    second = submitted(app, make_submission, essay, s2.id, age=20)
    auth.login(user=info.teacher)

    # from the essay's first submission: the essay's next, although older work waits elsewhere
    assert target(save_next(client, first)) == (f"/progress/grading/{second}", {})
    assert grade_state(app, first) == GradeState.GRADED
    # the essay is done: on with the rest of the queue, the oldest first
    assert target(save_next(client, second)) == (f"/progress/grading/{other_first}", {})
    assert target(save_next(client, other_first)) == (f"/progress/grading/{other_second}", {})
    # nothing is left: back to the queue, which says so
    response = save_next(client, other_second)
    assert target(response) == ("/progress/grading", {})
    text = visible_text(client.get("/progress/grading").get_data(as_text=True))
    assert "Nothing else is waiting in this queue: everything is graded." in text
    assert "Nothing is waiting to be graded." in text
    assert s3.display_name not in text


def test_save_and_next_stays_in_the_queue_the_teacher_came_from(
    app, client, auth, progress_class, make_assignment, make_submission
):
    info = progress_class(students=2)
    s1, _s2 = info.students
    essay = make_assignment(info.id, title="作文 Эссе")
    listening = make_assignment(info.id, title="聞き取り Угуу")
    first = submitted(app, make_submission, essay, s1.id, age=40)
    submitted(app, make_submission, listening, s1.id, age=30)
    auth.login(user=info.teacher)

    # the queue filtered to the essay links to the grading page with its filter...
    queue = client.get(f"/progress/grading?assignment={essay}").get_data(as_text=True)
    assert f'href="/progress/grading/{first}?assignment={essay}"' in queue
    page = client.get(f"/progress/grading/{first}?assignment={essay}").get_data(as_text=True)
    assert f'<input type="hidden" name="assignment" value="{essay}">' in page
    # ...and "Save and next" ends with the essay, leaving the listening for later
    response = save_next(client, first, assignment=str(essay))
    assert target(response) == ("/progress/grading", {"assignment": [str(essay)]})


def test_save_and_next_skips_the_submission_kept_as_a_draft_and_comes_back_to_it(
    app, client, auth, progress_class, make_assignment, make_submission
):
    info = progress_class(students=3)
    s1, s2, s3 = info.students
    essay = make_assignment(info.id)
    first = submitted(app, make_submission, essay, s1.id, age=30)
    second = submitted(app, make_submission, essay, s2.id, age=20)
    third = submitted(app, make_submission, essay, s3.id, age=10)
    auth.login(user=info.teacher)

    # the second is opened from the queue and graded: the third is next, then the first
    assert target(save_next(client, second)) == (f"/progress/grading/{third}", {})
    assert target(save_next(client, third)) == (f"/progress/grading/{first}", {})


def test_save_and_next_refuses_an_incomplete_grade_and_stays(
    app, client, auth, progress_class, make_assignment, make_submission
):
    info = progress_class(students=2)
    essay = make_assignment(info.id)
    first = submitted(app, make_submission, essay, info.students[0].id, age=20)
    submitted(app, make_submission, essay, info.students[1].id, age=10)
    auth.login(user=info.teacher)

    response = save_next(client, first, points="")
    assert response.status_code == 200
    assert "Enter the points." in visible_text(response.get_data(as_text=True))
    assert grade_state(app, first) is None


def test_release_and_next_asks_first_then_opens_the_next_submission(
    app, client, auth, progress_class, make_assignment, make_submission
):
    info = progress_class(students=2)
    essay = make_assignment(info.id)
    first = make_submission(essay, info.students[0].id, grade_state=GradeState.GRADED, points=8)
    second = submitted(app, make_submission, essay, info.students[1].id, age=5)
    auth.login(user=info.teacher)

    page = client.get(f"/progress/grading/{first}?assignment={essay}").get_data(as_text=True)
    assert re.search(r'<button type="submit" name="then" value="next"[^>]*>Release and next<', page)
    # the button asks: nothing is released yet, and the question carries "next" along
    asked = client.post(
        f"/progress/grading/{first}/release",
        data={"then": "next", "assignment": str(essay), "class": "", "state": ""},
    )
    assert asked.status_code == 200
    html = asked.get_data(as_text=True)
    assert "Release the grade?" in visible_text(html)
    assert '<input type="hidden" name="then" value="next">' in html
    assert grade_state(app, first) == GradeState.GRADED
    # confirmed: released, and on to the next submission of the same queue
    done = client.post(
        f"/progress/grading/{first}/release",
        data={"then": "next", "assignment": str(essay), "confirmed": "1"},
    )
    assert target(done) == (f"/progress/grading/{second}", {"assignment": [str(essay)]})
    assert grade_state(app, first) == GradeState.RELEASED
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_release_and_next_with_nothing_left_returns_to_the_queue(
    app, client, auth, progress_class, make_assignment, make_submission
):
    info = progress_class(students=1)
    essay = make_assignment(info.id)
    only = make_submission(essay, info.students[0].id, grade_state=GradeState.GRADED, points=8)
    auth.login(user=info.teacher)

    done = client.post(f"/progress/grading/{only}/release", data={"then": "next", "confirmed": "1"})
    assert target(done) == ("/progress/grading", {})
    text = visible_text(client.get("/progress/grading").get_data(as_text=True))
    assert "Released. The student has been sent an e-mail." in text
    assert "Nothing else is waiting in this queue: everything is graded." in text


def test_next_waiting_is_one_statement_however_long_the_queue(
    app, progress_class, make_assignment, make_submission
):
    info = progress_class(students=30)
    essay = make_assignment(info.id)
    ids = [make_submission(essay, s.id) for s in info.students]
    with app.app_context():
        teacher = db.session.get(User, info.teacher.id)
        submission = db.session.get(Submission, ids[0])
        assert teacher is not None and submission is not None
        teacher.roles  # noqa: B018  (loaded before counting)
        with count_queries(app) as log:
            following = grading.next_waiting(teacher, grading.QueueFilters(), submission)
    assert following in ids[1:]
    assert log.count == 1


# --- the queue's rows ---------------------------------------------------------------------------


def test_each_queue_row_links_with_the_students_name_and_the_assignment(
    app, client, auth, progress_class, make_assignment, make_submission
):
    info = progress_class(students=2)
    s1, s2 = info.students
    essay = make_assignment(info.id, title="作文 Эссе")
    blind = make_assignment(info.id, title="匿名 Жашыруун", blind=True)
    named = make_submission(essay, s1.id)
    hidden = make_submission(blind, s2.id)
    auth.login(user=info.teacher)

    html = client.get("/progress/grading").get_data(as_text=True)
    links = {
        int(sid): visible_text(label)
        for sid, label in re.findall(
            r'<a href="/progress/grading/(\d+)" class="queue-link">(.*?)</a>', html, re.S
        )
    }
    assert links[named] == f"{s1.display_name}\n:\n作文 Эссе"
    assert re.fullmatch(r"Student \d\n:\n匿名 Жашыруун", links[hidden])
    assert s2.display_name not in visible_text(html)
    assert ">Grade<" not in html  # no column of identical "Grade" buttons any more


def test_queue_query_count_stays_flat_as_rows_grow(
    app, client, auth, progress_class, make_assignment, make_submission
):
    info = progress_class(students=2)
    essay = make_assignment(info.id, blind=True)
    make_submission(essay, info.students[0].id)
    auth.login(user=info.teacher)
    small = queries_for(app, client, "/progress/grading?state=all")
    more = progress_class(students=25, slug="bigger")
    with app.app_context():  # the same teacher teaches the second class too
        from app.lessons.models import ClassTeacher

        db.session.add(ClassTeacher(class_id=more.id, user_id=info.teacher.id))
        db.session.commit()
    for n in range(4):
        other = make_assignment(more.id, title=f"課題 {n}", blind=n % 2 == 0)
        for student in more.students:
            make_submission(other, student.id)
    large = queries_for(app, client, "/progress/grading?state=all")
    assert small == large, (small, large)


# --- the navigation's count after a decision ------------------------------------------------------


def nav_badge(html: str) -> str | None:
    found = re.search(
        r'href="/progress/grading"[^>]*>Grading(?: <span class="badge">(\d+)</span>)?<', html
    )
    assert found is not None
    return found.group(1)


def test_the_grading_badge_counts_down_on_the_page_after_each_decision(
    app, client, auth, progress_class, make_assignment, make_submission
):
    info = progress_class(students=2)
    essay = make_assignment(info.id)
    first = submitted(app, make_submission, essay, info.students[0].id, age=20)
    second = submitted(app, make_submission, essay, info.students[1].id, age=10)
    auth.login(user=info.teacher)
    assert nav_badge(client.get(f"/progress/grading/{first}").get_data(as_text=True)) == "2"

    after_first = client.get(save_next(client, first).headers["Location"])
    assert nav_badge(after_first.get_data(as_text=True)) == "1"
    after_second = client.get(save_next(client, second).headers["Location"])
    assert nav_badge(after_second.get_data(as_text=True)) is None  # gone at zero
