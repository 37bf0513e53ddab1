"""The student dashboard: streak in the student's time zone, words, accuracy by week, the
activity calendar, lessons, upcoming assignments, released grades only, access and queries."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.lessons.models import Item, Lesson, LessonProgress
from app.progress import dashboard
from app.progress.models import GradeState
from app.quizzes.models import Answer, Question, QuizSession, ReviewCard
from tests.helpers import count_queries, queries_for, visible_text

# Tuesday 3 November 2026, 12:00 in Tokyo
NOW = datetime(2026, 11, 3, 3, 0, tzinfo=UTC)
TODAY = date(2026, 11, 3)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dashboard and the navigation's due count see the same fixed moment."""
    monkeypatch.setattr("app.core.dates.now", lambda: NOW)


def tokyo(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment given in Tokyo time (UTC+9, no DST), as UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=9)


def item_ids(app: Flask, course_id: int) -> list[int]:
    with app.app_context():
        ids = list(
            db.session.scalars(select(Item.id).where(Item.course_id == course_id).order_by(Item.id))
        )
        db.session.remove()
    return ids


def add_answers(
    app: Flask,
    user_id: int,
    items: Sequence[int],
    answers: Sequence[tuple[datetime, str]],
) -> None:
    """One quiz session holding the given answers (moment, status), round the given words."""
    with app.app_context():
        session = QuizSession(
            user_id=user_id,
            source="lesson",
            seed=1,
            question_count=len(answers),
            answered_count=len(answers),
            created_at=answers[0][0] if answers else NOW,
        )
        db.session.add(session)
        db.session.flush()
        questions = [
            Question(
                session_id=session.id,
                position=n,
                kind="recall",
                item_id=items[n % len(items)],
                params={},
            )
            for n in range(len(answers))
        ]
        db.session.add_all(questions)
        db.session.flush()
        db.session.add_all(
            Answer(
                question_id=question.id,
                session_id=session.id,
                user_id=user_id,
                item_id=question.item_id,
                given="кол",
                status=status,
                kind="exact",
                expected="кол",
                params={},
                answered_at=moment,
            )
            for question, (moment, status) in zip(questions, answers, strict=True)
        )
        db.session.commit()
        db.session.remove()


@pytest.fixture
def student_class(progress_class: Callable[..., Any]) -> Any:
    return progress_class(students=2)


def login(auth: Any, user: Any) -> None:
    auth.login(user=user)


# --- the streak ------------------------------------------------------------------------------


def test_streak_counts_days_in_tokyo_not_utc(app: Flask, student_class: Any) -> None:
    student = student_class.students[0]
    items = item_ids(app, student_class.course_id)
    # 23:30 on 1 November in Tokyo is 14:30 UTC the same day; 00:30 on 3 November in Tokyo is
    # still 2 November in UTC: in UTC days these would be 1-2 November, in Tokyo 1 and 3.
    add_answers(
        app,
        student.id,
        items,
        [
            (tokyo(date(2026, 11, 1), 23, 30), "correct"),
            (tokyo(date(2026, 11, 2), 23, 30), "correct"),
            (tokyo(date(2026, 11, 3), 0, 30), "wrong"),
        ],
    )
    with app.app_context():
        user = db.session.get(User, student.id)
        days = dashboard.activity_by_day(user, NOW)
        assert {day: a.count for day, a in days.items()} == {
            date(2026, 11, 1): 1,
            date(2026, 11, 2): 1,
            date(2026, 11, 3): 1,
        }
        assert days[date(2026, 11, 3)].correct == 0
        result = dashboard.streak(days, TODAY)
        assert (result.current, result.longest, result.active_today) == (3, 3, True)

        # the same answers for a student in UTC: 1 and 2 November, today not yet
        user.timezone = "UTC"
        days = dashboard.activity_by_day(user, NOW)
        assert {day: a.count for day, a in days.items()} == {
            date(2026, 11, 1): 1,
            date(2026, 11, 2): 2,
        }
        result = dashboard.streak(days, date(2026, 11, 3))
        assert (result.current, result.pending_today) == (2, True)
        db.session.rollback()


def test_days_in_a_zone_with_summer_time(app: Flask, student_class: Any) -> None:
    """Each moment is read with the zone's rules on its own day (summer time in July), on both
    databases, though today (November) London is on UTC+0."""
    student = student_class.students[0]
    items = item_ids(app, student_class.course_id)
    # 23:30 UTC on 1 July is 00:30 on 2 July in London (BST, UTC+1); in November London is UTC+0
    add_answers(app, student.id, items, [(datetime(2026, 7, 1, 23, 30, tzinfo=UTC), "correct")])
    with app.app_context():
        user = db.session.get(User, student.id)
        user.timezone = "Europe/London"
        days = set(dashboard.activity_by_day(user, NOW))
        assert days == {date(2026, 7, 2)}
        db.session.rollback()


def test_days_in_a_zone_a_quarter_hour_off(app: Flask, student_class: Any) -> None:
    """Kathmandu is UTC+5:45: its midnight is 18:15 UTC, so two answers a few minutes apart
    either side of it fall on two days (moments are grouped by quarter hour before their day)."""
    student = student_class.students[0]
    items = item_ids(app, student_class.course_id)
    add_answers(
        app,
        student.id,
        items,
        [
            (datetime(2026, 11, 1, 18, 14, 59, tzinfo=UTC), "correct"),  # 23:59:59 on 1 Nov
            (datetime(2026, 11, 1, 18, 15, tzinfo=UTC), "correct"),  # 00:00 on 2 November
            (datetime(2026, 11, 1, 18, 29, tzinfo=UTC), "wrong"),
        ],
    )
    with app.app_context():
        user = db.session.get(User, student.id)
        user.timezone = "Asia/Kathmandu"
        days = dashboard.activity_by_day(user, NOW)
        assert {day: (a.count, a.correct) for day, a in days.items()} == {
            date(2026, 11, 1): (1, 1),
            date(2026, 11, 2): (2, 1),
        }
        db.session.rollback()


def test_home_streak_reads_a_window_and_more_only_for_a_long_run(
    app: Flask, student_class: Any
) -> None:
    """The home page's streak reads the last weeks in one query, whatever came before; a run as
    long as that window is still counted to its first day."""
    short, long = student_class.students
    items = item_ids(app, student_class.course_id)
    window = dashboard.STREAK_WINDOW_DAYS
    # three days up to yesterday, and a long run well before them
    old = [(tokyo(TODAY - timedelta(days=n), 20), "correct") for n in range(window, window + 200)]
    add_answers(
        app,
        short.id,
        items,
        [*old, *[(tokyo(TODAY - timedelta(days=n), 8), "correct") for n in (1, 2, 3)]],
    )
    # every day from today back past the window
    add_answers(
        app,
        long.id,
        items,
        [(tokyo(TODAY - timedelta(days=n), 7), "wrong") for n in range(window + 20)],
    )
    with app.app_context():
        user = db.session.get(User, short.id)
        with count_queries(app) as log:
            result = dashboard.current_streak(user, NOW)
        assert (result.current, result.active_today, result.pending_today) == (3, False, True)
        assert log.count == 1, log.statements

        user = db.session.get(User, long.id)
        result = dashboard.current_streak(user, NOW)
        assert (result.current, result.active_today) == (window + 20, True)
        full = dashboard.streak(dashboard.activity_by_day(user, NOW), TODAY)
        assert result.current == full.current
        db.session.remove()


def test_streak_broken_by_a_missing_day() -> None:
    days = [TODAY - timedelta(days=n) for n in (0, 1, 3, 4, 5, 9)]
    result = dashboard.streak(days, TODAY)
    assert (result.current, result.longest, result.active_today) == (2, 3, True)
    assert not result.pending_today


def test_streak_today_not_yet_keeps_yesterdays_run() -> None:
    days = [TODAY - timedelta(days=n) for n in (1, 2, 3)]
    result = dashboard.streak(days, TODAY)
    assert (result.current, result.longest, result.active_today) == (3, 3, False)
    assert result.pending_today
    # two days without activity: the streak is over
    gone = dashboard.streak([TODAY - timedelta(days=2)], TODAY)
    assert (gone.current, gone.longest, gone.pending_today) == (0, 1, False)
    assert dashboard.streak([], TODAY) == dashboard.Streak(0, 0, False)


def test_page_says_keep_it_going_today(
    app: Flask, client: Any, auth: Any, student_class: Any
) -> None:
    student = student_class.students[0]
    items = item_ids(app, student_class.course_id)
    add_answers(
        app,
        student.id,
        items,
        [(tokyo(TODAY - timedelta(days=n), 20), "correct") for n in (1, 2)],
    )
    login(auth, student)
    text = visible_text(client.get("/progress/").get_data(as_text=True))
    # the student reads Japanese: "2 days", "Keep it going today!", "Longest: 2 days"
    assert "\n2日\n" in text
    assert "今日も続けましょう！" in text
    assert "最長：2日" in text


def test_lessons_done_and_submissions_are_activity(
    app: Flask,
    student_class: Any,
    make_assignment: Callable[..., int],
    make_submission: Callable[..., int],
) -> None:
    student = student_class.students[0]
    assignment_id = make_assignment(student_class.id, due_at=NOW + timedelta(days=3))
    make_submission(assignment_id, student.id, versions=2)
    with app.app_context():
        lesson = db.session.scalars(
            select(Lesson).where(Lesson.course_id == student_class.course_id)
        ).first()
        db.session.add(
            LessonProgress(user_id=student.id, lesson_id=lesson.id, completed_at=tokyo(TODAY, 9))
        )
        db.session.commit()
        user = db.session.get(User, student.id)
        days = dashboard.activity_by_day(user, NOW)
        assert days[TODAY].count == 1 and days[TODAY].answers == 0
        # the submission's two versions were made "now" (the real clock) by the factory
        assert sum(a.count for a in days.values()) == 3
        db.session.remove()


# --- words -----------------------------------------------------------------------------------


def test_words_learned_and_mastered(app: Flask, student_class: Any) -> None:
    student, other = student_class.students
    items = item_ids(app, student_class.course_id)
    with app.app_context():
        cards = [
            (items[0], 0, None),  # created, never reviewed: not learned
            (items[1], 1, 2.5),  # learned
            (items[2], 4, 20.9),  # learned, just short of mastered
            (items[3], 6, 21.0),  # mastered
            (items[4], 9, 80.0),  # mastered
        ]
        for item_id, reps, stability in cards:
            db.session.add(
                ReviewCard(
                    user_id=student.id,
                    item_id=item_id,
                    state=2,
                    stability=stability,
                    due=NOW + timedelta(days=1),
                    reps=reps,
                )
            )
        db.session.add(
            ReviewCard(user_id=other.id, item_id=items[0], state=2, stability=50, due=NOW, reps=5)
        )
        retired = db.session.get(Item, items[5])
        retired.retired = True
        db.session.add(
            ReviewCard(user_id=student.id, item_id=items[5], state=2, stability=50, due=NOW, reps=5)
        )
        db.session.commit()
        user = db.session.get(User, student.id)
        assert dashboard.word_counts(user) == dashboard.WordCounts(learned=4, mastered=2)
        db.session.remove()


# --- quiz accuracy by week -------------------------------------------------------------------


def test_weekly_accuracy_with_gaps(app: Flask, student_class: Any) -> None:
    student = student_class.students[0]
    items = item_ids(app, student_class.course_id)
    this_monday = date(2026, 11, 2)
    add_answers(
        app,
        student.id,
        items,
        [
            # this week: 3 of 4
            (tokyo(this_monday, 8), "correct"),
            (tokyo(this_monday, 8), "correct"),
            (tokyo(TODAY, 0, 5), "correct"),  # 15:05 UTC on Monday: still this week in Tokyo
            (tokyo(TODAY, 10), "wrong"),
            # two weeks ago: 1 of 2 (almost is not correct)
            (tokyo(this_monday - timedelta(days=10), 19), "almost"),
            (tokyo(this_monday - timedelta(days=10), 19), "correct"),
            # 23:30 on the Sunday of last week, Tokyo time: last week, not this one
            (tokyo(this_monday - timedelta(days=1), 23, 30), "wrong"),
            # thirteen weeks ago: outside the chart
            (tokyo(this_monday - timedelta(weeks=12), 19), "correct"),
        ],
    )
    with app.app_context():
        user = db.session.get(User, student.id)
        days = dashboard.activity_by_day(user, NOW)
        weeks = dashboard.weekly_accuracy(days, TODAY)
        db.session.remove()
    assert len(weeks) == 12
    assert weeks[-1].start == this_monday and weeks[0].start == this_monday - timedelta(weeks=11)
    assert (weeks[-1].answered, weeks[-1].correct, weeks[-1].accuracy) == (4, 3, 0.75)
    assert (weeks[-2].answered, weeks[-2].accuracy) == (1, 0.0)
    assert (weeks[-3].answered, weeks[-3].accuracy) == (2, 0.5)
    assert [w.accuracy for w in weeks[:-3]] == [None] * 9  # gaps, not zeros


def test_accuracy_chart_and_table_on_the_page(
    app: Flask, client: Any, auth: Any, student_class: Any
) -> None:
    student = student_class.students[0]
    items = item_ids(app, student_class.course_id)
    add_answers(
        app,
        student.id,
        items,
        [(tokyo(TODAY, 9), "correct")] * 3
        + [(tokyo(TODAY, 9), "wrong")]
        + [(tokyo(TODAY - timedelta(weeks=2), 9), "correct")],
    )
    login(auth, student)
    html = client.get("/progress/").get_data(as_text=True)
    chart = re.search(r'<svg[^>]*class="chart line-chart".*?</svg>', html, re.S)
    assert chart is not None
    root = ET.fromstring(chart.group(0))
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert "11/2 の週：75%（4 問中 3 問正解）" in titles
    assert "10/19 の週：100%（1 問中 1 問正解）" in titles
    assert len(root.findall("{http://www.w3.org/2000/svg}circle")) == 2
    table = html[html.index("<caption>週ごとのクイズ正答率</caption>") :]
    table = table[: table.index("</table>")]
    rows = re.findall(
        r"<tr><th scope=\"row\">(.*?)</th><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>", table
    )
    assert rows[0] == ("2026年11月2日(月)", "4", "3", "75%")
    assert rows[1] == ("2026年10月26日(月)", "0", "0", "—")
    assert rows[2] == ("2026年10月19日(月)", "1", "1", "100%")
    assert len(rows) == 12
    assert "80%" in visible_text(html)  # overall: 4 of 5


# --- the activity calendar -------------------------------------------------------------------


def test_heatmap_cells_and_titles(app: Flask, client: Any, auth: Any, student_class: Any) -> None:
    student = student_class.students[0]
    items = item_ids(app, student_class.course_id)
    add_answers(
        app,
        student.id,
        items,
        [(tokyo(TODAY, 9), "correct")] * 12 + [(tokyo(date(2026, 10, 20), 22), "wrong")],
    )
    login(auth, student)
    html = client.get("/progress/").get_data(as_text=True)
    chart = re.search(r'<svg[^>]*class="chart heatmap".*?</svg>', html, re.S)
    assert chart is not None
    root = ET.fromstring(chart.group(0))
    rects = root.findall("{http://www.w3.org/2000/svg}rect")
    # 25 full weeks and this week's Monday and Tuesday
    assert len(rects) == 25 * 7 + 2
    titles = [r.find("{http://www.w3.org/2000/svg}title").text for r in rects]
    assert titles[-1] == "2026年11月3日(火)：学習活動 12件"
    assert "2026年10月20日(火)：学習活動 1件" in titles
    assert titles[0] == "2026年5月11日(月)：学習活動 0件"  # the Monday 25 weeks before this one
    fills = {r.get("fill") for r in rects}
    assert len(fills) == 3  # nothing, 1-9 and 10-24
    text = visible_text(html)
    assert "過去26週間の学習日数：2日・学習活動：13件" in text
    assert "10–24" in text and "50+" in text  # the legend
    assert "<caption>週ごとの学習活動</caption>" in html


def test_heatmap_levels() -> None:
    levels = [dashboard.HeatCell(TODAY, n, 0, 0).level for n in (0, 1, 9, 10, 24, 25, 49, 50, 900)]
    assert levels == [0, 1, 1, 2, 2, 3, 3, 4, 4]


# --- lessons, assignments, grades ------------------------------------------------------------


def test_lesson_completion_per_course(
    app: Flask,
    client: Any,
    auth: Any,
    make_course: Callable[..., Any],
    make_class: Callable[..., Any],
    make_user: Callable[..., Any],
) -> None:
    teacher = make_user(roles=("teacher",))
    student = make_user(display_name="山田 花子")
    first = make_course(slug="first", lessons=4, unpublished=(3,))
    second = make_course(slug="second", lessons=2)
    make_class(first, teacher, (student,))
    make_class(second, teacher, (student,))
    make_course(slug="not-mine", lessons=3)
    with app.app_context():
        lessons = db.session.scalars(
            select(Lesson).where(Lesson.course_id == first.id).order_by(Lesson.position)
        ).all()
        for lesson in [*lessons[:2], lessons[3]]:  # the unpublished one does not count
            db.session.add(LessonProgress(user_id=student.id, lesson_id=lesson.id))
        db.session.commit()
        user = db.session.get(User, student.id)
        progress = {
            p.course.slug: (p.done, p.total, p.percent) for p in dashboard.course_progress(user)
        }
        db.session.remove()
    assert progress == {"first": (2, 3, 67), "second": (0, 2, 0)}
    login(auth, student)
    html = client.get("/progress/").get_data(as_text=True)
    assert "2 of 3 lessons done" in visible_text(html)
    assert 'href="/lessons/courses/first/"' in html
    assert 'lang="ky">Сыноо курсу' in html


def test_upcoming_assignments(
    app: Flask,
    client: Any,
    auth: Any,
    student_class: Any,
    progress_class: Callable[..., Any],
    make_assignment: Callable[..., int],
    make_submission: Callable[..., int],
) -> None:
    student = student_class.students[0]
    later = make_assignment(student_class.id, title="後の課題", due_at=NOW + timedelta(days=9))
    soon = make_assignment(
        student_class.id, title="すぐの課題", due_at=NOW + timedelta(days=2), kind="spoken"
    )
    drafted = make_assignment(student_class.id, title="下書き中", due_at=NOW + timedelta(days=4))
    make_submission(drafted, student.id, versions=0)
    done = make_assignment(student_class.id, title="提出済み", due_at=NOW + timedelta(days=1))
    make_submission(done, student.id)
    overdue = make_assignment(student_class.id, title="締切済み", due_at=NOW - timedelta(days=1))
    reopened = make_assignment(student_class.id, title="再開", due_at=NOW - timedelta(days=5))
    submission_id = make_submission(reopened, student.id, versions=0)
    other_class = progress_class(students=1, slug="other-course")
    make_assignment(other_class.id, title="他のクラス", due_at=NOW + timedelta(days=1))
    with app.app_context():
        from app.progress.models import Submission

        db.session.get(Submission, submission_id).reopened_until = NOW + timedelta(days=3)
        db.session.commit()
        user = db.session.get(User, student.id)
        upcoming = dashboard.upcoming_assignments(user, NOW)
        db.session.remove()
    # an overdue assignment still takes a (late) first submission: it stays, marked overdue
    assert [u.assignment.title for u in upcoming] == [
        "締切済み",
        "すぐの課題",
        "再開",
        "下書き中",
        "後の課題",
    ]
    assert [u.assignment.id for u in upcoming] == [overdue, soon, reopened, drafted, later]
    assert [u.overdue for u in upcoming] == [True, False, False, False, False]
    assert [u.reopened for u in upcoming] == [False, False, True, False, False]
    assert [u.draft_saved for u in upcoming] == [False, False, True, True, False]
    assert upcoming[2].deadline == NOW + timedelta(days=3)

    login(auth, student)
    html = client.get("/progress/").get_data(as_text=True)
    text = visible_text(html)
    assert f'href="/progress/assignments/{soon}"' in html
    assert "提出済み" not in text and "他のクラス" not in text
    # the overdue one, marked as such: it was due 2 November 12:00 Tokyo
    assert f'href="/progress/assignments/{overdue}"' in html
    assert "締切済み\n記述\n期限超過・提出可\n締め切り：2026年11月2日(月) 12:00 (昨日)" in text
    # 5 November 12:00 Tokyo, in the student's zone and language (Japanese)
    assert "締め切り：2026年11月5日(木) 12:00" in text
    # reopened until 6 November 12:00 Tokyo; "Draft saved"; "Spoken"
    assert "2026年11月6日(金) 12:00まで再提出可" in text
    assert "下書き保存済み" in text and "\n音声\n" in text  # the tag, on a line of its own


def test_only_released_grades_are_shown(
    app: Flask,
    client: Any,
    auth: Any,
    student_class: Any,
    make_assignment: Callable[..., int],
    make_submission: Callable[..., int],
) -> None:
    student, other = student_class.students
    released = make_assignment(student_class.id, title="公開済み", due_at=NOW - timedelta(days=3))
    graded = make_assignment(student_class.id, title="採点済み", due_at=NOW - timedelta(days=2))
    drafted = make_assignment(student_class.id, title="採点中", due_at=NOW - timedelta(days=1))
    make_submission(
        released,
        student.id,
        grade_state=GradeState.RELEASED,
        points=8.5,
        feedback="とてもよい。\nЖакшы!\n三行目は省略\n四行目",
    )
    make_submission(
        graded, student.id, grade_state=GradeState.GRADED, points=3, feedback="SECRET-GRADED"
    )
    make_submission(
        drafted, student.id, grade_state=GradeState.DRAFT, points=1, feedback="SECRET-DRAFT"
    )
    make_submission(
        graded, other.id, grade_state=GradeState.RELEASED, points=2, feedback="SECRET-OTHER"
    )
    with app.app_context():
        user = db.session.get(User, student.id)
        grades = dashboard.released_grades(user)
        db.session.remove()
    assert [(g.title, g.points, g.max_points) for g in grades] == [("公開済み", 8.5, 10)]
    assert grades[0].feedback == "とてもよい。\nЖакшы!…"

    login(auth, student)
    html = client.get("/progress/").get_data(as_text=True)
    text = visible_text(html)
    assert "公開済み" in text and "8.5 / 10" in text and "とてもよい。" in text
    assert "三行目" not in text
    for secret in ("SECRET-GRADED", "SECRET-DRAFT", "SECRET-OTHER", "採点済み", "採点中"):
        assert secret not in html
    assert f'href="/progress/assignments/{released}"' in html


def test_feedback_excerpt() -> None:
    assert dashboard.feedback_excerpt("") == ""
    assert dashboard.feedback_excerpt("一行") == "一行"
    assert dashboard.feedback_excerpt("\n\na\n\nb\n") == "a\nb"
    assert dashboard.feedback_excerpt("a\nb\nc") == "a\nb…"
    assert dashboard.feedback_excerpt("x" * 500) == "x" * 160 + "…"


# --- the page as a whole ---------------------------------------------------------------------


def test_new_student_sees_friendly_empty_states(client: Any, auth: Any) -> None:
    auth.login()
    response = client.get("/progress/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = visible_text(html)
    assert "0 days" in text
    assert "Study today to start a streak." in text
    assert "No quiz answers in the last 12 weeks yet." in text
    assert "You are not in a class yet." in text
    assert "Nothing to hand in right now." in text
    assert "No grades yet." in text
    assert "Active days in the last 26 weeks: 0 · activities: 0" in text
    assert "line-chart" not in html  # no empty chart, a sentence instead
    assert 'class="chart heatmap"' in html  # the empty calendar still shows where days go
    assert "FSRS stability of 21 days or more" in text


def test_page_is_japanese_for_japanese_users(client: Any, auth: Any) -> None:
    auth.login(language="ja")
    html = client.get("/progress/").get_data(as_text=True)
    assert '<html lang="ja"' in html
    assert 'lang="ky">Менин ийгиликтерим' in html


def test_no_inline_styles_or_scripts(client: Any, auth: Any) -> None:
    auth.login()
    html = client.get("/progress/").get_data(as_text=True)
    assert " style=" not in html
    assert "<script>" not in html
    assert "css/progress-dashboard.css" in html


def test_anonymous_is_sent_to_sign_in(client: Any) -> None:
    response = client.get("/progress/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["teacher", "admin"])
def test_teachers_see_their_own_dashboard_with_a_pointer_to_classes(
    client: Any, auth: Any, role: str
) -> None:
    auth.login(role)
    response = client.get("/progress/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Your students' progress is on each class's page." in visible_text(html)
    assert 'href="/lessons/classes/"' in html


def test_only_my_own_data(app: Flask, client: Any, auth: Any, student_class: Any) -> None:
    student, other = student_class.students
    items = item_ids(app, student_class.course_id)
    add_answers(app, other.id, items, [(tokyo(TODAY, 9), "correct")] * 7)
    login(auth, student)
    # a user id in the query string changes nothing
    text = visible_text(client.get(f"/progress/?user_id={other.id}").get_data(as_text=True))
    assert "過去26週間の学習日数：0日・学習活動：0件" in text


def test_navigation_and_home_panel_for_students(
    app: Flask, client: Any, auth: Any, student_class: Any
) -> None:
    student = student_class.students[0]
    items = item_ids(app, student_class.course_id)
    add_answers(app, student.id, items, [(tokyo(TODAY, 9), "correct")])
    with app.app_context():
        db.session.add(
            ReviewCard(user_id=student.id, item_id=items[0], state=2, stability=3, due=NOW, reps=1)
        )
        db.session.commit()
        db.session.remove()
    login(auth, student)
    html = client.get("/").get_data(as_text=True)
    assert 'href="/progress/"' in html
    text = visible_text(html)
    # "Study streak: 1 day", "Words learned: 1" (a full-width colon in Japanese)
    assert "連続学習日数：1日" in text.replace("\n", "")
    assert "学習した単語：1" in text.replace("\n", "")
    page = client.get("/progress/").get_data(as_text=True)
    assert '<a href="/progress/" aria-current="page">' in page


def test_home_page_queries_do_not_grow_with_answers(
    app: Flask, client: Any, auth: Any, progress_class: Callable[..., Any]
) -> None:
    small = progress_class(students=1, slug="small")
    large = progress_class(students=1, slug="large")
    # thirty weeks of answers, with a day off last week (a run as long as the home page's window
    # reads every day: one statement more, whatever the history)
    day_off = TODAY - timedelta(days=5)
    for info, answers in ((small, 3), (large, 3000)):
        items = item_ids(app, info.course_id)
        history = [
            a
            for a in many_answers(answers, weeks=30)
            if (a[0] + timedelta(hours=9)).date() != day_off
        ]
        add_answers(app, info.students[0].id, items, history)
    counts = []
    for info in (small, large):
        login(auth, info.students[0])
        counts.append(queries_for(app, client, "/"))
        auth.logout()
    assert counts[0] == counts[1], counts


def test_teachers_have_no_navigation_entry(client: Any, auth: Any) -> None:
    auth.login("teacher")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/progress/"' not in html


def test_due_today_matches_the_navigation_badge(
    app: Flask, client: Any, auth: Any, student_class: Any
) -> None:
    student = student_class.students[0]
    items = item_ids(app, student_class.course_id)
    with app.app_context():
        for n, item_id in enumerate(items[:4]):
            # due before midnight Tokyo tonight: 3 of them; the fourth tomorrow
            due = tokyo(TODAY, 23) if n < 3 else tokyo(TODAY + timedelta(days=1), 1)
            db.session.add(
                ReviewCard(
                    user_id=student.id, item_id=item_id, state=2, stability=3, due=due, reps=1
                )
            )
        db.session.commit()
        db.session.remove()
    login(auth, student)
    html = client.get("/progress/").get_data(as_text=True)
    assert re.search(r'id="due">\s*<h2>今日の復習</h2>\s*<p class="dash-number">3</p>', html)
    assert '<span class="badge">3</span>' in html
    assert 'href="/quizzes/review"' in html


# --- the query budget ------------------------------------------------------------------------


def many_answers(count: int, weeks: int = 12) -> Iterator[tuple[datetime, str]]:
    """`count` answers spread over `weeks` weeks up to today, about 80 % right."""
    span = weeks * 7 * 24 * 60
    for n in range(count):
        minutes = (n * 7919) % span
        yield NOW - timedelta(minutes=minutes), "correct" if n % 5 else "wrong"


def test_query_count_does_not_grow_with_answers(
    app: Flask,
    client: Any,
    auth: Any,
    progress_class: Callable[..., Any],
    make_assignment: Callable[..., int],
    make_submission: Callable[..., int],
) -> None:
    small = progress_class(students=1, slug="small")
    large = progress_class(students=1, slug="large")
    for info, answers, assignments in ((small, 10, 1), (large, 5000, 6)):
        student = info.students[0]
        items = item_ids(app, info.course_id)
        add_answers(app, student.id, items, list(many_answers(answers, weeks=11)))
        for n in range(assignments):
            aid = make_assignment(info.id, title=f"課題 {n}", due_at=NOW + timedelta(days=n + 1))
            done = make_assignment(info.id, title=f"済 {n}", due_at=NOW - timedelta(days=n + 1))
            make_submission(done, student.id, grade_state=GradeState.RELEASED, points=n)
            make_submission(aid, student.id, versions=0)
        with app.app_context():
            for item_id in items:
                db.session.add(
                    ReviewCard(
                        user_id=student.id, item_id=item_id, state=2, stability=30, due=NOW, reps=3
                    )
                )
            db.session.commit()
            db.session.remove()

    counts = []
    for info in (small, large):
        login(auth, info.students[0])
        counts.append(queries_for(app, client, "/progress/"))
        auth.logout()
    assert counts[0] == counts[1], counts
    assert counts[1] <= 12, counts

    # the services themselves: six queries, whatever the data
    with app.app_context():
        user = db.session.get(User, large.students[0].id)
        with count_queries(app) as log:
            data = dashboard.build_dashboard(user, NOW, due_today=0)
        assert log.count == 6, log.statements
        assert data.answered == 5000 and len(data.upcoming) == 6 and len(data.grades) == 5
        db.session.remove()
