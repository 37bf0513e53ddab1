"""The grading workflow: the queue, the grading page, rubric totals, stale saves, spoken comments,
access for every role, and flat query counts."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import insert, select, update

from app.auth.models import User
from app.core.dbtypes import utcnow
from app.core.media import audio_path, store_audio
from app.extensions import db
from app.lessons.models import ClassTeacher
from app.progress import assignments, grading
from app.progress.blind import blind_numbers
from app.progress.models import (
    Assignment,
    AssignmentKind,
    Grade,
    GradeState,
    Rubric,
    Submission,
    SubmissionVersion,
)
from tests.factories.users import UserInfo
from tests.helpers import count_queries, queries_for, visible_text, wav_bytes

# --- helpers --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setup:
    class_id: int
    teacher: UserInfo
    students: tuple[UserInfo, ...]
    assignment_id: int
    rubric_id: int
    criteria: list[tuple[int, list[tuple[int, int]]]]  # criterion id, [(level id, points)]


def rubric_levels(app: Flask, rubric_id: int) -> list[tuple[int, list[tuple[int, int]]]]:
    with app.app_context():
        rubric = db.session.get(Rubric, rubric_id)
        assert rubric is not None
        result = [(c.id, [(lv.id, lv.points) for lv in c.levels]) for c in rubric.criteria]
        db.session.remove()
    return result


@pytest.fixture
def setup(
    app: Flask,
    progress_class: Callable[..., Any],
    make_rubric: Callable[..., int],
    make_assignment: Callable[..., int],
) -> Setup:
    """A class of three students and a written assignment worth 20 with the 10-point rubric."""
    info = progress_class(students=3)
    rubric_id = make_rubric(owner_id=info.teacher.id)
    assignment_id = make_assignment(info.id, rubric_id=rubric_id, max_points=20)
    return Setup(
        info.id,
        info.teacher,
        info.students,
        assignment_id,
        rubric_id,
        rubric_levels(app, rubric_id),
    )


def grade_of(app: Flask, submission_id: int) -> Grade | None:
    with app.app_context():
        grade = db.session.scalars(
            select(Grade).where(Grade.submission_id == submission_id)
        ).first()
        if grade is not None:
            db.session.expunge(grade)
        db.session.remove()
    return grade


def rubric_data(setup: Setup, picks: list[int | None]) -> dict[str, str]:
    """Form fields choosing level number `pick` (0-based) of each criterion (None: no choice)."""
    data = {}
    for (criterion_id, levels), pick in zip(setup.criteria, picks, strict=True):
        if pick is not None:
            data[f"criterion_{criterion_id}"] = str(levels[pick][0])
    return data


def post_grade(client: Any, submission_id: int, version: int, **fields: Any) -> Any:
    data = {"version": str(version), "graded_version": "1", "feedback": "", **fields}
    return client.post(f"/progress/grading/{submission_id}", data=data)


# --- the queue ----------------------------------------------------------------------------------


def test_queue_shows_what_needs_work_oldest_first(
    app, client, auth, setup, make_assignment, make_submission
):
    s1, s2, s3 = setup.students
    late_first = make_submission(setup.assignment_id, s2.id)
    make_submission(setup.assignment_id, s1.id, grade_state=GradeState.DRAFT)
    make_submission(setup.assignment_id, s3.id, grade_state=GradeState.GRADED, points=14)
    with app.app_context():  # s2 submitted first
        db.session.execute(
            update(Submission)
            .where(Submission.id == late_first)
            .values(submitted_at=utcnow() - timedelta(days=2))
        )
        db.session.commit()
    auth.login(user=setup.teacher)

    text = visible_text(client.get("/progress/grading").get_data(as_text=True))
    assert text.index(s2.display_name) < text.index(s1.display_name)
    assert s3.display_name not in text  # graded: not in "needs grading"
    assert "Being graded" in text and "2 rows" in text

    graded = visible_text(client.get("/progress/grading?state=graded").get_data(as_text=True))
    assert s3.display_name in graded and "14 / 20" in graded
    assert s1.display_name not in graded


def test_queue_lists_students_who_have_not_submitted(app, client, auth, setup, make_submission):
    s1, s2, s3 = setup.students
    make_submission(setup.assignment_id, s1.id)
    make_submission(setup.assignment_id, s2.id, versions=0)  # a draft only
    auth.login(user=setup.teacher)

    html = client.get("/progress/grading?state=not_submitted").get_data(as_text=True)
    text = visible_text(html)
    assert s2.display_name in text and s3.display_name in text
    assert s1.display_name not in text
    # a student without a submission row gets the "grade anyway" link
    assert f"/progress/grading/assignments/{setup.assignment_id}/students/{s3.id}" in html


def test_queue_flags_a_resubmission_after_grading_as_work(
    app, client, auth, setup, make_submission
):
    s1, s2, _s3 = setup.students
    resubmitted = make_submission(
        setup.assignment_id, s1.id, versions=2, grade_state=GradeState.RELEASED, points=10
    )
    make_submission(setup.assignment_id, s2.id, versions=1, grade_state=GradeState.GRADED, points=8)
    with app.app_context():  # graded version 1, then version 2 came in
        db.session.execute(
            update(Grade).where(Grade.submission_id == resubmitted).values(graded_version=1)
        )
        db.session.commit()
    auth.login(user=setup.teacher)

    text = visible_text(client.get("/progress/grading").get_data(as_text=True))
    assert s1.display_name in text and "Resubmitted" in text
    assert s2.display_name not in text
    only = visible_text(client.get("/progress/grading?state=resubmitted").get_data(as_text=True))
    assert s1.display_name in only and s2.display_name not in only


def test_queue_filters_by_class_and_assignment(
    app, client, auth, setup, progress_class, make_assignment, make_submission
):
    other_assignment = make_assignment(setup.class_id, title="聞き取り Угуу")
    make_submission(setup.assignment_id, setup.students[0].id)
    make_submission(other_assignment, setup.students[1].id)
    auth.login(user=setup.teacher)

    text = visible_text(
        client.get(f"/progress/grading?assignment={other_assignment}").get_data(as_text=True)
    )
    assert setup.students[1].display_name in text
    assert setup.students[0].display_name not in text
    text = visible_text(
        client.get(f"/progress/grading?class={setup.class_id}").get_data(as_text=True)
    )
    assert setup.students[0].display_name in text and setup.students[1].display_name in text
    # another class's id filters to nothing rather than showing it
    text = visible_text(
        client.get("/progress/grading?class=999999&state=all").get_data(as_text=True)
    )
    assert "0 rows" in text


def numbers_of(app: Flask, assignment_id: int, students: Any) -> dict[int, int]:
    """The blind numbers of an assignment for the class's students."""
    with app.app_context():
        return blind_numbers(assignment_id, [s.id for s in students])


def test_blind_assignment_shows_numbers_until_release(
    app, client, auth, setup, make_assignment, make_submission
):
    blind = make_assignment(setup.class_id, title="匿名 Жашыруун", blind=True)
    s1, s2, s3 = setup.students
    numbers = numbers_of(app, blind, setup.students)
    make_submission(blind, s1.id)
    make_submission(blind, s2.id, grade_state=GradeState.RELEASED, points=5)
    auth.login(user=setup.teacher)

    text = visible_text(
        client.get(f"/progress/grading?assignment={blind}&state=all").get_data(as_text=True)
    )
    assert s1.display_name not in text
    # numbered among the whole class, whatever the filter
    assert f"Student {numbers[s1.id]}" in text and f"Student {numbers[s3.id]}" in text
    assert s2.display_name in text  # released: the name shows
    text = visible_text(client.get(f"/progress/grading?assignment={blind}").get_data(as_text=True))
    assert f"Student {numbers[s1.id]}" in text and s1.display_name not in text


def test_blind_numbers_are_a_secret_shuffle_of_the_class_per_assignment(app):
    students = [11, 12, 13, 14, 15, 16]
    with app.app_context():
        first = blind_numbers(7, students)
        assert blind_numbers(7, reversed(students)) == first  # the same, however they come
        assert sorted(first.values()) == [1, 2, 3, 4, 5, 6]
        others = [blind_numbers(assignment_id, students) for assignment_id in (8, 9, 10)]
        app.secret_key = "another-secret"
        with_another_key = blind_numbers(7, students)
    assert any(other != first for other in others)  # each assignment its own order
    roster = {student: n for n, student in enumerate(students, start=1)}
    assert any(numbers != roster for numbers in [first, *others])  # not the class list
    assert with_another_key != first  # the order follows from the secret key


def queue_numbers(html: str) -> dict[int, int]:
    """{submission id: N} from the queue's "Student N" rows."""
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        number = re.search(r'class="queue-link"><strong>Student (\d+)</strong>', row)
        link = re.search(r'href="/progress/grading/(\d+)[?"]', row)
        if number and link:
            found[int(link.group(1))] = int(number.group(1))
    return found


def test_queue_grading_page_and_overview_agree_on_each_students_number(
    app, client, auth, progress_class, make_assignment, make_submission
):
    info = progress_class(students=6)
    assignments = [make_assignment(info.id, title=f"匿名 {n}", blind=True) for n in range(4)]
    first = assignments[0]
    submissions = {s.id: make_submission(first, s.id) for s in info.students}
    auth.login(user=info.teacher)

    in_queue = queue_numbers(
        client.get(f"/progress/grading?assignment={first}&state=all").get_data(as_text=True)
    )
    overview = client.get(f"/progress/assignments/{first}/overview").get_data(as_text=True)
    in_overview = {
        int(user): int(n)
        for user, n in re.findall(r'<tr id="s(\d+)">\s*<th scope="row">Student (\d+)<', overview)
    }
    expected = numbers_of(app, first, info.students)
    assert in_overview == expected
    assert in_queue == {submissions[user]: n for user, n in expected.items()}
    for student in info.students:
        page = client.get(f"/progress/grading/{submissions[student.id]}").get_data(as_text=True)
        assert re.search(rf"<h1>Student {expected[student.id]}\b", page), student
        assert student.display_name not in page

    # another assignment of the same class numbers the students in another order
    def overview_numbers(assignment_id: int) -> dict[str, str]:
        html = client.get(f"/progress/assignments/{assignment_id}/overview").get_data(as_text=True)
        return dict(re.findall(r'<tr id="s(\d+)">\s*<th scope="row">Student (\d+)<', html))

    numbered = [overview_numbers(a) for a in assignments]
    assert all(len(n) == 6 for n in numbered)
    assert any(n != numbered[0] for n in numbered[1:])


def test_queue_paginates_and_keeps_the_filters(
    app, client, auth, setup, make_user, make_assignment
):
    with app.app_context():
        for n in range(55):
            user = User(
                email=f"many{n}@example.org",
                display_name=f"Many {n:02d}",
                password_hash="x",
            )
            db.session.add(user)
            db.session.flush()
            from app.lessons.models import Enrollment

            db.session.add(Enrollment(class_id=setup.class_id, user_id=user.id))
        db.session.commit()
    auth.login(user=setup.teacher)

    first = client.get("/progress/grading?state=not_submitted").get_data(as_text=True)
    assert "58 rows" in visible_text(first) and "page 1 of 2" in visible_text(first)
    assert "state=not_submitted&amp;page=2" in first or "page=2&amp;state=not_submitted" in first
    second = client.get("/progress/grading?state=not_submitted&page=2").get_data(as_text=True)
    assert len(re.findall(r'<tr>\s*<th scope="row"', second)) == 8


def test_navigation_badge_counts_submissions_waiting(app, client, auth, setup, make_submission):
    s1, s2, s3 = setup.students
    make_submission(setup.assignment_id, s1.id)
    make_submission(setup.assignment_id, s2.id, grade_state=GradeState.DRAFT)
    make_submission(setup.assignment_id, s3.id, grade_state=GradeState.GRADED, points=3)
    auth.login(user=setup.teacher)
    html = client.get("/progress/grading").get_data(as_text=True)
    assert re.search(r'/progress/grading"[^>]*>Grading <span class="badge">2</span>', html)
    with app.app_context():
        teacher = db.session.get(User, setup.teacher.id)
        assert teacher is not None and teacher.roles
        with count_queries(app) as log:
            assert grading.awaiting_count(teacher) == 2
    assert log.count == 1


def test_the_grading_badge_follows_each_submission_at_a_constant_cost(
    app, client, auth, setup, make_submission
):
    s1, s2, _s3 = setup.students
    auth.login(user=setup.teacher)
    client.get("/typing")

    def badge_and_statements() -> tuple[str | None, int]:
        with count_queries(app) as log:
            html = client.get("/typing").get_data(as_text=True)
        found = re.search(
            r'/progress/grading"[^>]*>Grading(?: <span class="badge">(\d+)</span>)?<', html
        )
        assert found is not None, html
        return found.group(1), log.count

    none, cost = badge_and_statements()
    assert none is None
    make_submission(setup.assignment_id, s1.id)
    assert badge_and_statements() == ("1", cost)  # on the very next page
    make_submission(setup.assignment_id, s2.id)
    assert badge_and_statements() == ("2", cost)


def add_bulk_work(app: Flask, class_id: int, students: int, assignments: int) -> None:
    """Many students and assignments, with submissions and grades in every state."""
    from app.lessons.models import Enrollment

    with app.app_context():
        now = utcnow()
        user_ids = []
        for n in range(students):
            user = User(email=f"bulk{n}@example.org", display_name=f"バルク {n}", password_hash="x")
            db.session.add(user)
            db.session.flush()
            db.session.add(Enrollment(class_id=class_id, user_id=user.id))
            user_ids.append(user.id)
        states = [None, GradeState.DRAFT, GradeState.GRADED, GradeState.RELEASED]
        for a in range(assignments):
            assignment = Assignment(
                class_id=class_id,
                title=f"課題 {a}",
                kind=AssignmentKind.WRITTEN,
                due_at=now + timedelta(days=a),
                max_points=10,
                blind=a % 2 == 0,
            )
            db.session.add(assignment)
            db.session.flush()
            for i, user_id in enumerate(user_ids):
                if i % 5 == 4:
                    continue  # not submitted
                submission = Submission(
                    assignment_id=assignment.id,
                    student_id=user_id,
                    version_count=1,
                    submitted_at=now - timedelta(minutes=i),
                )
                submission.versions.append(
                    SubmissionVersion(number=1, text="Салам", submitted_at=now)
                )
                db.session.add(submission)
                db.session.flush()
                state = states[i % 4]
                if state is not None:
                    db.session.execute(
                        insert(Grade).values(
                            submission_id=submission.id,
                            assignment_id=assignment.id,
                            student_id=user_id,
                            state=state,
                            points=5,
                            rubric_levels={},
                            feedback="",
                            graded_version=1,
                            version=1,
                            created_at=now,
                            updated_at=now,
                            released_at=now if state == GradeState.RELEASED else None,
                        )
                    )
        db.session.commit()


def test_queue_runs_a_fixed_number_of_queries_for(app, client, auth, setup, make_submission):
    make_submission(setup.assignment_id, setup.students[0].id)
    auth.login(user=setup.teacher)
    urls = [
        "/progress/grading",
        "/progress/grading?state=all",
        f"/progress/grading?assignment={setup.assignment_id}&state=all",
    ]
    small = [queries_for(app, client, url) for url in urls]
    add_bulk_work(app, setup.class_id, students=40, assignments=12)
    large = [queries_for(app, client, url) for url in urls]
    assert small == large, (small, large)
    assert max(large) <= 10  # one of them the blind numbers of the page's assignments


# --- getting to the grading page ------------------------------------------------------------------


def test_grade_student_creates_the_submission_once(app, client, auth, setup):
    student = setup.students[2]
    auth.login(user=setup.teacher)
    url = f"/progress/grading/assignments/{setup.assignment_id}/students/{student.id}"
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        rows = db.session.scalars(
            select(Submission).where(Submission.assignment_id == setup.assignment_id)
        ).all()
        assert [(s.student_id, s.version_count) for s in rows] == [(student.id, 0)]
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "Nothing has been submitted" in page


def test_grade_student_refuses_someone_outside_the_class(app, client, auth, setup, make_user):
    outsider = make_user()
    auth.login(user=setup.teacher)
    response = client.get(
        f"/progress/grading/assignments/{setup.assignment_id}/students/{outsider.id}"
    )
    assert response.status_code == 404


def test_get_or_create_submission_survives_a_race(app_ctx, setup):
    """A second request that inserts the row first: ours hits the unique constraint and uses it."""
    assignment = db.session.get(Assignment, setup.assignment_id)
    student_id = setup.students[0].id
    db.session.execute(select(Submission.id)).all()
    with db.engine.begin() as other:
        other.execute(
            insert(Submission).values(
                assignment_id=setup.assignment_id,
                student_id=student_id,
                draft_text="",
                version_count=0,
                late=False,
                created_at=utcnow(),
                updated_at=utcnow(),
            )
        )
    real_scalars = db.session.scalars
    calls = {"n": 0}

    def first_lookup_misses(statement: Any, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            return real_scalars(select(Submission).where(Submission.id == -1))
        return real_scalars(statement, *args, **kwargs)

    db.session.scalars = first_lookup_misses  # type: ignore[method-assign]
    try:
        submission = assignments.get_or_create_submission(assignment, student_id)
    finally:
        del db.session.scalars
    assert submission.id is not None and submission.student_id == student_id


# --- the grading page ---------------------------------------------------------------------------


def test_grading_page_shows_the_work_versions_and_rubric(app, client, auth, setup, make_submission):
    submission_id = make_submission(
        setup.assignment_id,
        setup.students[0].id,
        text="Салам!\nМен <b>Ханако</b>.",
        versions=2,
        late=True,
    )
    auth.login(user=setup.teacher)
    html = client.get(f"/progress/grading/{submission_id}").get_data(as_text=True)
    assert setup.students[0].display_name in html
    assert "Мен &lt;b&gt;Ханако&lt;/b&gt;." in html  # escaped, line breaks kept by CSS
    assert 'lang="ky"' in html
    assert html.count('type="radio"') == 6
    assert "Version 1" in html and "Version 2" in html and "Late" in html
    assert "0/10 on the rubric so far: 2 criteria not scored" in html
    assert "<details" in html and "自己紹介を書いてください" in html


def test_blind_grading_page_hides_the_name(
    app, client, auth, setup, make_assignment, make_submission
):
    blind = make_assignment(setup.class_id, title="匿名", blind=True, kind=AssignmentKind.SPOKEN)
    student = setup.students[1]
    submission_id = make_submission(
        blind, student.id, text="", audio_file="x.webm", audio_mimetype="audio/webm"
    )
    auth.login(user=setup.teacher)
    html = client.get(f"/progress/grading/{submission_id}").get_data(as_text=True)
    assert student.display_name not in html
    assert student.email not in html
    assert f"Student {numbers_of(app, blind, setup.students)[student.id]}" in html
    if "progress.submission_audio" in app.view_functions:
        assert f"/progress/submissions/{submission_id}/versions/1/audio" in html
        audio_tag = re.search(r"<audio[^>]*work-audio[^>]*>", html)
        assert audio_tag and student.display_name not in audio_tag.group(0)


def test_save_draft_then_graded_with_the_rubric_total_scaled(
    app, client, auth, setup, make_submission
):
    submission_id = make_submission(setup.assignment_id, setup.students[0].id)
    auth.login(user=setup.teacher)

    response = post_grade(
        client,
        submission_id,
        0,
        save_draft="Save draft",
        feedback="途中です",
        **rubric_data(setup, [2, None]),
    )
    assert response.status_code == 302
    draft = grade_of(app, submission_id)
    assert draft is not None and draft.state == GradeState.DRAFT and draft.points is None
    assert draft.version == 1 and draft.grader_id == setup.teacher.id

    # "Save as graded" with a criterion missing: refused, the error next to it, input kept
    response = post_grade(
        client,
        submission_id,
        1,
        save_graded="Save as graded",
        feedback="よくできました",
        **rubric_data(setup, [2, None]),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Choose a level." in html and "よくできました" in html
    assert grade_of(app, submission_id).version == 1  # type: ignore[union-attr]

    # 4 + 3 = 7 of 10 on the rubric → 14 of 20
    response = post_grade(
        client,
        submission_id,
        1,
        save_graded="Save as graded",
        feedback="よくできました\n次も！",
        **rubric_data(setup, [2, 1]),
    )
    assert response.status_code == 302
    graded = grade_of(app, submission_id)
    assert graded is not None and graded.state == GradeState.GRADED
    assert graded.points == 14.0 and graded.version == 2 and graded.graded_version == 1
    assert graded.feedback == "よくできました\n次も！"
    levels = {int(k): v for k, v in graded.rubric_levels.items()}
    assert levels == {
        setup.criteria[0][0]: setup.criteria[0][1][2][0],
        setup.criteria[1][0]: setup.criteria[1][1][1][0],
    }
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "7/10 on the rubric → 14/20 points" in page
    assert "Release to the student" in page


def test_points_without_a_rubric(app, client, auth, setup, make_assignment, make_submission):
    plain = make_assignment(setup.class_id, max_points=10)
    submission_id = make_submission(plain, setup.students[0].id)
    auth.login(user=setup.teacher)

    html = post_grade(client, submission_id, 0, save_graded="Save as graded").get_data(as_text=True)
    assert "Enter the points." in html
    html = post_grade(client, submission_id, 0, save_graded="x", points="11").get_data(as_text=True)
    assert "Enter points from 0 to 10." in html
    assert grade_of(app, submission_id) is None
    response = post_grade(client, submission_id, 0, save_graded="x", points="7.5")
    assert response.status_code == 302
    assert grade_of(app, submission_id).points == 7.5  # type: ignore[union-attr]


# --- a stale save is refused --------------------------------------------------------------------


def test_stale_save_is_refused_and_the_newer_grade_shown(
    app, client, auth, setup, make_user, make_submission
):
    """Two teachers open the same grade; the second save, based on the old version, is refused."""
    submission_id = make_submission(setup.assignment_id, setup.students[0].id)
    auth.login(user=setup.teacher)
    assert (
        post_grade(client, submission_id, 0, save_draft="x", feedback="最初の下書き").status_code
        == 302
    )

    # Teacher A opened the page at version 1; meanwhile someone saves version 2.
    colleague = make_user(display_name="佐藤 先生", roles=("teacher",))
    with app.app_context():
        grade = db.session.scalars(select(Grade).where(Grade.submission_id == submission_id)).one()
        grade.feedback = "同僚の講評"
        grade.grader_id = colleague.id
        db.session.commit()
        assert grade.version == 2

    response = post_grade(
        client, submission_id, 1, save_graded="x", feedback="私の講評", **rubric_data(setup, [1, 1])
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    text = visible_text(html)
    assert "Not saved: someone else changed this grade" in text
    assert "佐藤 先生 saved this grade at" in text
    assert "同僚の講評" in text  # their grade is shown
    assert "私の講評" in html  # and our input is kept in the form
    assert (
        f'name="criterion_{setup.criteria[0][0]}" value="{setup.criteria[0][1][1][0]}" data-points="2" checked'
        in html
    )
    assert 'name="version" value="2"' in html  # saving again now replaces theirs, deliberately
    stored = grade_of(app, submission_id)
    assert stored is not None and stored.feedback == "同僚の講評" and stored.version == 2

    again = post_grade(
        client, submission_id, 2, save_graded="x", feedback="私の講評", **rubric_data(setup, [1, 1])
    )
    assert again.status_code == 302
    assert grade_of(app, submission_id).feedback == "私の講評"  # type: ignore[union-attr]


def test_first_grade_refused_when_a_grade_appeared_meanwhile(
    app, client, auth, setup, make_submission
):
    """The form had no grade (version 0), but another teacher saved one first."""
    submission_id = make_submission(
        setup.assignment_id, setup.students[0].id, grade_state=GradeState.DRAFT, feedback="先に保存"
    )
    auth.login(user=setup.teacher)
    response = post_grade(client, submission_id, 0, save_draft="x", feedback="後から")
    assert response.status_code == 409
    assert "先に保存" in response.get_data(as_text=True)
    assert grade_of(app, submission_id).feedback == "先に保存"  # type: ignore[union-attr]


def test_update_race_is_caught_by_the_version_column(app_ctx, setup, make_submission):
    """Both saves passed the version check; the UPDATE ... WHERE version = 1 of the second one
    matches no row (StaleDataError) and is refused."""
    submission_id = make_submission(
        setup.assignment_id, setup.students[0].id, grade_state=GradeState.DRAFT, feedback="元"
    )
    teacher = db.session.get(User, setup.teacher.id)
    submission = grading.submission_for_grading(submission_id)
    assert submission is not None and submission.grade is not None
    assert submission.grade.version == 1
    with db.engine.begin() as other:  # the other teacher's save commits in between
        other.execute(
            update(Grade)
            .where(Grade.submission_id == submission_id)
            .values(feedback="他の先生", version=2)
        )
    with pytest.raises(grading.StaleGrade):
        grading.save_grade(
            submission, teacher, 1, grading.GradeInput(finished=False, feedback="私")
        )
    newer = grading.current_grade(submission_id)
    assert newer is not None and newer.feedback == "他の先生" and newer.version == 2
    db.session.commit()  # the session is still usable
    db.session.expire_all()
    assert grading.current_grade(submission_id).feedback == "他の先生"  # type: ignore[union-attr]


def test_insert_race_is_caught_by_the_unique_submission(app_ctx, setup, make_submission):
    """Both teachers save the first grade at once: the second INSERT hits the unique
    submission_id (IntegrityError) and is refused, leaving the first grade."""
    submission_id = make_submission(setup.assignment_id, setup.students[0].id)
    teacher = db.session.get(User, setup.teacher.id)
    submission = grading.submission_for_grading(submission_id)
    assert submission is not None and submission.grade is None
    now = utcnow()
    with db.engine.begin() as other:
        other.execute(
            insert(Grade).values(
                submission_id=submission_id,
                assignment_id=setup.assignment_id,
                student_id=setup.students[0].id,
                state=GradeState.DRAFT,
                rubric_levels={},
                feedback="一番乗り",
                version=1,
                created_at=now,
                updated_at=now,
            )
        )
    with pytest.raises(grading.StaleGrade):
        grading.save_grade(
            submission, teacher, 0, grading.GradeInput(finished=False, feedback="私")
        )
    newer = grading.current_grade(submission_id)
    assert newer is not None and newer.feedback == "一番乗り"
    db.session.commit()


def test_race_through_the_view_is_refused_too(
    app, client, auth, setup, make_submission, monkeypatch
):
    """A concurrent save lands between the page's check and its UPDATE."""
    submission_id = make_submission(
        setup.assignment_id, setup.students[0].id, grade_state=GradeState.DRAFT, feedback="元"
    )
    real_save = grading.save_grade

    def save_after_a_colleague(*args: Any, **kwargs: Any) -> Any:
        with db.engine.begin() as other:
            other.execute(
                update(Grade)
                .where(Grade.submission_id == submission_id)
                .values(feedback="割り込み", version=Grade.version + 1)
            )
        return real_save(*args, **kwargs)

    monkeypatch.setattr(grading, "save_grade", save_after_a_colleague)
    auth.login(user=setup.teacher)
    response = post_grade(client, submission_id, 1, save_draft="x", feedback="私")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "割り込み" in html and "私" in html
    assert grade_of(app, submission_id).feedback == "割り込み"  # type: ignore[union-attr]


def test_a_double_click_on_save_is_no_conflict(app, client, auth, setup, make_submission):
    """The same form sent twice by the same grader: the second finds the first's grade, exactly
    what it would save, and is a success rather than "someone else changed this grade"."""
    submission_id = make_submission(setup.assignment_id, setup.students[0].id)
    auth.login(user=setup.teacher)
    form = {"save_graded": "x", "feedback": "よくできました", **rubric_data(setup, [2, 1])}
    first = post_grade(client, submission_id, 0, **form)
    second = post_grade(client, submission_id, 0, **form)  # still says version 0
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    grade = grade_of(app, submission_id)
    assert grade is not None and grade.version == 1  # saved once
    assert (grade.state, grade.points, grade.feedback) == (GradeState.GRADED, 14, "よくできました")
    page = visible_text(client.get(second.headers["Location"]).get_data(as_text=True))
    assert "Saved as graded." in page and "someone else changed" not in page

    # but the same grader sending something else on an old version is still refused
    changed = post_grade(client, submission_id, 0, **(form | {"feedback": "別の講評"}))
    assert changed.status_code == 409
    assert grade_of(app, submission_id).feedback == "よくできました"  # type: ignore[union-attr]


def test_the_same_save_by_another_teacher_is_still_a_conflict(
    app, client, auth, setup, make_user, make_submission
):
    submission_id = make_submission(setup.assignment_id, setup.students[0].id)
    colleague = make_user(display_name="佐藤 先生", roles=("teacher",))
    auth.login(user=colleague)
    with app.app_context():
        db.session.add(ClassTeacher(class_id=setup.class_id, user_id=colleague.id))
        db.session.commit()
    form = {"save_draft": "x", "feedback": "同じ講評"}
    assert post_grade(client, submission_id, 0, **form).status_code == 302
    auth.logout()
    auth.login(user=setup.teacher)
    response = post_grade(client, submission_id, 0, **form)
    assert response.status_code == 409
    assert "佐藤 先生 saved this grade" in visible_text(response.get_data(as_text=True))


def test_a_double_click_with_a_spoken_comment_keeps_one_file(
    app, client, auth, setup, make_submission
):
    submission_id = make_submission(setup.assignment_id, setup.students[0].id)
    auth.login(user=setup.teacher)

    def send() -> Any:
        return client.post(
            f"/progress/grading/{submission_id}",
            data={
                "version": "0",
                "graded_version": "1",
                "feedback": "",
                "save_draft": "x",
                "feedback_audio": (io.BytesIO(wav_bytes()), "comment.wav"),
            },
            content_type="multipart/form-data",
        )

    assert send().status_code == send().status_code == 302
    grade = grade_of(app, submission_id)
    assert grade is not None and grade.version == 1 and grade.feedback_audio_file
    with app.app_context():
        folder = audio_path(grade.feedback_audio_file, "feedback").parent
        assert [p.name for p in folder.iterdir()] == [grade.feedback_audio_file]


# --- the spoken comment ---------------------------------------------------------------------------


def test_spoken_comment_upload_play_and_remove(app, client, auth, setup, make_submission):
    submission_id = make_submission(setup.assignment_id, setup.students[0].id)
    auth.login(user=setup.teacher)
    response = client.post(
        f"/progress/grading/{submission_id}",
        data={
            "version": "0",
            "graded_version": "1",
            "feedback": "",
            "save_draft": "x",
            "feedback_audio": (io.BytesIO(wav_bytes()), "comment.wav"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    grade = grade_of(app, submission_id)
    assert grade is not None and grade.feedback_audio_mimetype == "audio/wav"
    name = grade.feedback_audio_file
    with client.get(f"/progress/grading/{submission_id}/feedback-audio") as audio:
        assert audio.status_code == 200 and audio.data[:4] == b"RIFF"
    assert "/feedback-audio" in client.get(f"/progress/grading/{submission_id}").get_data(
        as_text=True
    )

    response = post_grade(client, submission_id, grade.version, save_draft="x", remove_audio="y")
    assert response.status_code == 302
    assert grade_of(app, submission_id).feedback_audio_file is None  # type: ignore[union-attr]
    with app.app_context():
        assert name and not audio_path(name, "feedback").exists()
    assert client.get(f"/progress/grading/{submission_id}/feedback-audio").status_code == 404


def test_spoken_comment_must_be_audio(app, client, auth, setup, make_submission):
    submission_id = make_submission(setup.assignment_id, setup.students[0].id)
    auth.login(user=setup.teacher)
    response = client.post(
        f"/progress/grading/{submission_id}",
        data={
            "version": "0",
            "feedback": "残す",
            "save_draft": "x",
            "feedback_audio": (io.BytesIO(b"%PDF-1.4 not audio"), "comment.wav"),
        },
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Please choose an audio file" in html and "残す" in html
    assert grade_of(app, submission_id) is None


def test_refused_save_does_not_keep_the_uploaded_comment(app, client, auth, setup, make_submission):
    submission_id = make_submission(
        setup.assignment_id, setup.students[0].id, grade_state=GradeState.DRAFT
    )
    auth.login(user=setup.teacher)
    response = client.post(
        f"/progress/grading/{submission_id}",
        data={
            "version": "0",
            "feedback": "",
            "save_draft": "x",
            "feedback_audio": (io.BytesIO(wav_bytes()), "comment.wav"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 409
    assert "Your spoken comment was not kept" in response.get_data(as_text=True)
    with app.app_context():
        folder = audio_path("x.wav", "feedback").parent
        assert not folder.exists() or not list(folder.iterdir())


# --- query counts -------------------------------------------------------------------------------


def test_grading_page_runs_a_fixed_number_of_queries_for(app, client, auth, setup, make_submission):
    small_id = make_submission(
        setup.assignment_id, setup.students[0].id, grade_state=GradeState.DRAFT
    )
    auth.login(user=setup.teacher)
    small = queries_for(app, client, f"/progress/grading/{small_id}")
    add_bulk_work(app, setup.class_id, students=30, assignments=5)
    large_id = make_submission(
        setup.assignment_id,
        setup.students[1].id,
        versions=12,
        grade_state=GradeState.GRADED,
        points=3,
    )
    large = queries_for(app, client, f"/progress/grading/{large_id}")
    assert small == large, (small, large)
    assert large <= 12


# --- access -------------------------------------------------------------------------------------


ROLES = ["anonymous", "owner", "other_student", "teacher", "other_teacher", "admin"]

# expected status per role for each URL: (anonymous, owner, other student, teacher, other, admin)
EXPECTED = {
    "queue": (302, 403, 403, 200, 200, 200),
    "grade_get": (302, 403, 403, 200, 404, 200),
    "grade_post": (302, 403, 403, 302, 404, 302),
    "grade_student": (302, 403, 403, 302, 404, 302),
    "release": (302, 403, 403, 302, 404, 302),
    "release_all": (302, 403, 403, 302, 404, 302),
    "feedback_audio": (302, 404, 404, 200, 404, 200),
}


@pytest.mark.parametrize("role", ROLES)
def test_every_grading_url_for_every_role(
    app, client, auth, setup, make_user, make_submission, role
):
    owner = setup.students[0]
    submission_id = make_submission(
        setup.assignment_id,
        owner.id,
        grade_state=GradeState.GRADED,
        points=14,
        feedback="秘密の講評",
    )
    with app.app_context():
        name, kind = store_audio(wav_bytes(), folder="feedback")
        db.session.execute(
            update(Grade)
            .where(Grade.submission_id == submission_id)
            .values(feedback_audio_file=name, feedback_audio_mimetype=kind.mimetype)
        )
        db.session.commit()
    if role == "owner":
        auth.login(user=owner)
    elif role == "other_student":
        auth.login(user=setup.students[1])
    elif role == "teacher":
        auth.login(user=setup.teacher)
    elif role == "other_teacher":
        auth.login(role="teacher")
    elif role == "admin":
        auth.login(role="admin")

    base = f"/progress/grading/{submission_id}"
    requests = {
        "queue": ("get", "/progress/grading?state=all", None),
        "grade_get": ("get", base, None),
        "grade_post": ("post", base, {"version": "1", "feedback": "x", "save_draft": "x"}),
        "grade_student": (
            "get",
            f"/progress/grading/assignments/{setup.assignment_id}/students/{setup.students[2].id}",
            None,
        ),
        "feedback_audio": ("get", f"{base}/feedback-audio", None),
        "release": ("post", f"{base}/release", {"confirmed": "1"}),
        "release_all": (
            "post",
            f"/progress/assignments/{setup.assignment_id}/release",
            {"confirmed": "1"},
        ),
    }
    column = ROLES.index(role)
    for key, (method, url, data) in requests.items():
        with getattr(client, method)(url, data=data) as response:
            expected = EXPECTED[key][column]
            assert response.status_code == expected, (role, key, response.status_code)
            if expected == 302 and role == "anonymous":
                assert "/auth/login" in response.headers["Location"]
            if key == "queue" and response.status_code == 200:
                shown = owner.display_name in response.get_data(as_text=True)
                assert shown == (role in ("teacher", "admin")), role
