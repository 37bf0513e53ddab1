"""The class dashboard: each student's activity at a glance, inactive students highlighted, the
class's hardest words; access, and a query count that doesn't grow with the class."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.core.dbtypes import utcnow
from app.extensions import db
from app.lessons.models import CourseClass
from app.progress.dashboard.class_stats import build_class_dashboard
from app.progress.models import GradeState
from app.quizzes.stats import hardest_words
from tests.helpers import queries_for, visible_text

TOKYO = ZoneInfo("Asia/Tokyo")


def dashboard_url(info):
    return f"/progress/classes/{info.id}"


@pytest.fixture
def busy_class(progress_class, make_assignment, make_submission, activity):
    """Student 1 active today and two days ago, student 2 last active 10 days ago, student 3
    never; assignments: one submitted by student 1."""
    info = progress_class(students=3)
    s1, s2, _s3 = (s.id for s in info.students)
    now = utcnow()
    activity.answers(s1, info.course_id, "ccw", at=now)
    activity.answers(s1, info.course_id, "c", at=now - timedelta(days=2))
    activity.lessons_done(s1, info.course_id, 1, at=now - timedelta(days=2))
    activity.cards(s1, info.course_id, [(4, 40.0), (1, 2.0)], due=now - timedelta(hours=1))
    activity.answers(s2, info.course_id, "w", at=now - timedelta(days=10))
    first = make_assignment(info.id)
    make_assignment(info.id, title="Менин үй-бүлөм")
    make_submission(first, s1, grade_state=GradeState.RELEASED, points=9)
    return info


def test_students_at_a_glance(client, auth, busy_class):
    info = busy_class
    auth.login(user=info.teacher)
    response = client.get(dashboard_url(info))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = visible_text(html)
    for student in info.students:
        assert student.display_name in text
    # the longest inactive first: never active, then 10 days, then active today
    order = sorted((s.display_name for s in info.students), key=text.index)
    assert order == ["学生3 花子", "学生2 花子", "学生1 花子"]
    # inactive students: a class, an icon and words, not colour alone
    assert html.count('class="is-inactive"') == 2
    assert "never active" in text
    assert "inactive 10 days" in text
    assert "2 students have not studied for 7 days or more." in text
    # student 1: active 2 of the last 14 days, 1 of 2 lessons, 2 words (1 mastered),
    # 3 of 4 right, 2 reviews due, 1 of 2 assignments submitted
    assert "Active on 2 of the last 14 days" in text
    assert "Active on 0 of the last 14 days" in text
    assert html.count('class="day day-on"') == 3  # 2 + 1 (10 days ago)
    assert "1 / 2" in text and "75%" in text and "today" in text


def test_sort_by_name(client, auth, busy_class):
    info = busy_class
    auth.login(user=info.teacher)
    text = visible_text(client.get(dashboard_url(info) + "?sort=name").get_data(as_text=True))
    names = [s.display_name for s in info.students]
    assert sorted(names, key=text.index) == names


def test_numbers_per_student(app, busy_class):
    info = busy_class
    now = utcnow()
    with app.app_context():
        dashboard = build_class_dashboard(db.session.get(CourseClass, info.id), now)
        rows = {r.progress.student.id: r for r in dashboard.students}
        first = rows[info.students[0].id]
        p = first.progress
        assert (p.lessons_done, p.words_learned, p.words_mastered) == (1, 2, 1)
        assert (p.answers, p.correct, p.reviews_due) == (4, 3, 2)
        assert first.submitted == 1 and dashboard.assignments_total == 2
        assert first.days_since == 0 and not first.inactive
        assert first.active_days[-1] and first.active_days[-3] and first.active_day_count == 2
        second = rows[info.students[1].id]
        assert second.days_since == 10 and second.inactive and second.active_day_count == 1
        third = rows[info.students[2].id]
        assert third.last_active is None and third.days_since is None and third.inactive
        assert dashboard.inactive_count == 2
        assert dashboard.days[-1] == now.astimezone(TOKYO).date()


def test_days_are_japan_days(app, progress_class, activity):
    """23:30 UTC is already the next morning in Tokyo."""
    info = progress_class(students=1)
    student = info.students[0].id
    activity.answers(student, info.course_id, "c", at=datetime(2027, 4, 1, 23, 30, tzinfo=UTC))
    with app.app_context():
        course_class = db.session.get(CourseClass, info.id)
        now = datetime(2027, 4, 3, 3, 0, tzinfo=UTC)  # 12:00 on 3 April in Tokyo
        row = build_class_dashboard(course_class, now).students[0]
        assert row.days_since == 1  # 2 April in Tokyo
        assert row.active_days[-2] and not row.active_days[-1] and not row.active_days[-3]


def test_hardest_words(app, client, auth, progress_class, activity):
    info = progress_class(students=2)
    s1, s2 = (s.id for s in info.students)
    # word 0 (кол): 3 wrong of 4, twice "кул"; word 1 (көл): 2 almost of 3; word 2 (үй): all right
    activity.answers(s1, info.course_id, "wwc", given="кул", item_index=0)
    activity.answers(s2, info.course_id, "w", given="кол!", item_index=0)
    activity.answers(s1, info.course_id, "aac", given="кол", item_index=1)
    activity.answers(s2, info.course_id, "ccc", item_index=2)
    activity.answers(s2, info.course_id, "ww", item_index=3)  # only twice: too few to tell
    with app.app_context():
        words = hardest_words(db.session.get(CourseClass, info.id))
        assert [w.item.ky for w in words] == ["кол", "көл"]
        assert words[0].answers == 4 and words[0].error_rate == 0.75
        assert [(w.given, w.count) for w in words[0].top_wrong] == [("кул", 2), ("кол!", 1)]
        assert words[1].almost == 2
    auth.login(user=info.teacher)
    html = client.get(dashboard_url(info)).get_data(as_text=True)
    assert '<span lang="ky" class="ky-word">кол</span>' in html
    assert '<span lang="ky">кул</span> <small>×2</small>' in html
    assert "75%" in html


def test_empty_class(client, auth, progress_class):
    info = progress_class(students=0)
    auth.login(user=info.teacher)
    response = client.get(dashboard_url(info))
    assert response.status_code == 200
    text = visible_text(response.get_data(as_text=True))
    assert "No students have joined yet" in text and "Not enough quiz answers yet." in text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("student of the class", 404),
        ("teacher of the class", 200),
        ("other teacher", 404),
        ("admin", 200),
    ],
)
def test_access(client, auth, progress_class, who, status):
    info = progress_class(students=1)
    if who == "student of the class":
        auth.login(user=info.students[0])
    elif who == "teacher of the class":
        auth.login(user=info.teacher)
    elif who == "other teacher":
        auth.login(role="teacher")
    elif who == "admin":
        auth.login(role="admin")
    response = client.get(dashboard_url(info))
    assert response.status_code == status


def test_query_count_does_not_grow_with_the_class(
    app, client, auth, progress_class, make_assignment, make_submission, activity
):
    classes = [progress_class(students=3, slug="small"), progress_class(students=40, slug="large")]
    now = utcnow()
    for info in classes:
        assignment = make_assignment(info.id)
        for n, student in enumerate(info.students):
            if n % 3:
                activity.answers(student.id, info.course_id, "cwa", at=now - timedelta(days=n))
            if n % 4 == 0:
                activity.lessons_done(student.id, info.course_id, 1, at=now - timedelta(days=n))
                make_submission(assignment, student.id)
            if n % 5 == 0:
                activity.cards(student.id, info.course_id, [(2, 30.0), (1, 1.0)], due=now)
        activity.answers(info.students[0].id, info.course_id, "www", item_index=0)
    auth.login(role="admin")
    counts = [queries_for(app, client, dashboard_url(info)) for info in classes]
    assert counts[0] == counts[1], counts
    assert counts[0] <= 17, counts


def test_a_large_class_is_shown_a_page_at_a_time_in_the_whole_class_order(
    monkeypatch, client, auth, busy_class
):
    monkeypatch.setattr("app.progress.dashboard.views.PAGE_SIZE", 2)
    info = busy_class
    auth.login(user=info.teacher)

    def names(query: str) -> list[str]:
        text = visible_text(client.get(dashboard_url(info) + query).get_data(as_text=True))
        return sorted(
            (s.display_name for s in info.students if s.display_name in text), key=text.index
        )

    first = client.get(dashboard_url(info)).get_data(as_text=True)
    text = visible_text(first)
    # the longest inactive first, over the whole class: never active, 10 days, then today
    assert names("") == ["学生3 花子", "学生2 花子"]
    assert "Students (3)" in text and "students 1–2" in text and "Page 1 of 2" in text
    assert "2 students have not studied for 7 days or more." in text  # the whole class's
    assert names("?page=2") == ["学生1 花子"]
    assert names("?sort=name&page=2") == ["学生3 花子"]
    assert "sort=name&amp;page=2" in client.get(dashboard_url(info) + "?sort=name").get_data(
        as_text=True
    )
    assert names("?page=99999999999999999999") == ["学生3 花子", "学生2 花子"]
