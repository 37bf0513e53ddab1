"""Teachers' assignments: the class list, the form (Japan time, field errors, locks), the
overview with reopening, deletion, and who may open which assignment and submission URL."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.core.dbtypes import utcnow
from app.core.media import store_audio
from app.extensions import db
from app.lessons.models import Lesson
from app.progress.blind import blind_numbers
from app.progress.models import Assignment, GradeState, Rubric, Submission
from tests.helpers import queries_for, visible_text, wav_bytes

FORM = {
    "title": "自己紹介を書こう",
    "lesson_id": "0",
    "prompt": "**Өзүңүз** жөнүндө 3 сүйлөм жазыңыз。",
    "kind": "written",
    "due_at": "2027-05-31T23:59",
    "max_points": "10",
    "rubric_id": "0",
}


def get_assignment(app, assignment_id: int) -> Assignment | None:
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        if assignment is not None:
            db.session.expunge(assignment)
        return assignment


def text_of(response) -> str:
    return visible_text(response.get_data(as_text=True))


# --- creating and editing ----------------------------------------------------------------------


def test_a_new_assignment_is_due_in_japan_time_and_stored_in_utc(app, client, auth, progress_class):
    cls = progress_class()
    auth.login(user=cls.teacher)
    page = client.get(f"/progress/classes/{cls.id}/assignments/new").get_data(as_text=True)
    assert 'type="datetime-local"' in page and "Due (Japan time)" in page
    assert "data-kyrgyz" in page  # the on-screen keys for Kyrgyz in the instructions

    response = client.post(f"/progress/classes/{cls.id}/assignments/new", data=FORM)
    assert response.status_code == 302
    with app.app_context():
        assignment = db.session.scalars(select(Assignment)).one()
        assert assignment.due_at == datetime(2027, 5, 31, 14, 59, tzinfo=UTC)
        assert (assignment.class_id, assignment.kind, assignment.max_points) == (
            cls.id,
            "written",
            10,
        )
        assert assignment.created_by_id == cls.teacher.id
        assignment_id = assignment.id
    assert response.headers["Location"].endswith(f"/progress/assignments/{assignment_id}/overview")

    listing = text_of(client.get(f"/progress/classes/{cls.id}/assignments"))
    assert "自己紹介を書こう" in listing
    assert "Mon 31 May 2027, 23:59" in listing  # shown back in Japan time
    edit = client.get(f"/progress/assignments/{assignment_id}/edit").get_data(as_text=True)
    assert 'value="2027-05-31T23:59"' in edit


def test_field_errors_are_shown_next_to_the_fields_and_the_input_is_kept(
    app, client, auth, progress_class
):
    cls = progress_class()
    auth.login(user=cls.teacher)
    bad = FORM | {"title": "", "max_points": "0", "due_at": "tomorrow", "kind": "sung"}
    response = client.post(f"/progress/classes/{cls.id}/assignments/new", data=bad)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="title-error"' in body and "Please enter a title." in body
    assert 'id="max_points-error"' in body and "Enter a number from 1 to 1000." in body
    assert 'id="due_at-error"' in body
    assert 'id="kind-error"' in body
    assert "**Өзүңүз** жөнүндө" in body  # the instructions are kept
    with app.app_context():
        assert db.session.scalar(select(Assignment)) is None


def test_the_form_offers_the_course_lessons_and_only_usable_rubrics(
    app, client, auth, progress_class, make_rubric, make_user
):
    cls = progress_class()
    mine = make_rubric(owner_id=cls.teacher.id, title="私のルーブリック")
    stranger = make_user(roles="teacher")
    theirs = make_rubric(owner_id=stranger.id, title="他人のルーブリック")
    auth.login(user=cls.teacher)
    page = text_of(client.get(f"/progress/classes/{cls.id}/assignments/new"))
    assert "私のルーブリック (10 points)" in page
    assert "他人のルーブリック" not in page
    assert "Lesson 1" in page and "Lesson 2" in page

    response = client.post(
        f"/progress/classes/{cls.id}/assignments/new", data=FORM | {"rubric_id": str(theirs)}
    )
    assert 'id="rubric_id-error"' in response.get_data(as_text=True)
    with app.app_context():
        lesson_id = db.session.scalar(select(Lesson.id).where(Lesson.slug == "lesson-2"))
    response = client.post(
        f"/progress/classes/{cls.id}/assignments/new",
        data=FORM | {"rubric_id": str(mine), "lesson_id": str(lesson_id), "kind": "spoken"},
    )
    assert response.status_code == 302
    with app.app_context():
        assignment = db.session.scalars(select(Assignment)).one()
        assert (assignment.rubric_id, assignment.lesson_id, assignment.kind) == (
            mine,
            lesson_id,
            "spoken",
        )


def test_a_co_teacher_can_choose_a_rubric_already_used_by_the_class(
    app, client, auth, progress_class, make_rubric, make_assignment, make_user
):
    from app.lessons.models import ClassTeacher

    cls = progress_class()
    rubric = make_rubric(owner_id=cls.teacher.id, title="クラスのルーブリック")
    make_assignment(cls.id, rubric_id=rubric)
    colleague = make_user(roles="teacher")
    with app.app_context():
        db.session.add(ClassTeacher(class_id=cls.id, user_id=colleague.id))
        db.session.commit()
    auth.login(user=colleague)
    assert "クラスのルーブリック" in text_of(
        client.get(f"/progress/classes/{cls.id}/assignments/new")
    )


def test_the_preview_shows_sanitised_markdown_and_saves_nothing(app, client, auth, progress_class):
    cls = progress_class()
    auth.login(user=cls.teacher)
    data = FORM | {"prompt": "**太字** <script>alert(1)</script>", "preview": "y"}
    body = client.post(f"/progress/classes/{cls.id}/assignments/new", data=data).get_data(
        as_text=True
    )
    assert "<strong>太字</strong>" in body
    assert "<script>alert(1)</script>" not in body
    with app.app_context():
        assert db.session.scalar(select(Assignment)) is None


def test_edit_saves_the_changes(app, client, auth, progress_class, make_assignment):
    cls = progress_class()
    assignment_id = make_assignment(cls.id)
    auth.login(user=cls.teacher)
    data = FORM | {"title": "新しい題", "due_at": "2027-06-01T09:00", "blind": "y"}
    response = client.post(f"/progress/assignments/{assignment_id}/edit", data=data)
    assert response.status_code == 302
    assignment = get_assignment(app, assignment_id)
    assert assignment is not None
    assert assignment.title == "新しい題" and assignment.blind
    assert assignment.due_at == datetime(2027, 6, 1, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"kind": "spoken"}, "kind", "the kind of answer can no longer change"),
        ({"rubric_id": "0"}, "rubric_id", "the rubric can no longer change"),
        ({"max_points": "20"}, "max_points", "the maximum points can no longer change"),
    ],
)
def test_kind_rubric_and_max_points_are_fixed_once_work_is_graded(
    app,
    client,
    auth,
    progress_class,
    make_rubric,
    make_assignment,
    make_submission,
    change,
    field,
    message,
):
    cls = progress_class()
    rubric = make_rubric(owner_id=cls.teacher.id)
    assignment_id = make_assignment(cls.id, rubric_id=rubric)
    make_submission(assignment_id, cls.students[0].id, grade_state=GradeState.DRAFT, points=3)
    auth.login(user=cls.teacher)
    page = client.get(f"/progress/assignments/{assignment_id}/edit").get_data(as_text=True)
    assert "Some work has been graded" in page
    data = FORM | {"rubric_id": str(rubric), "title": "変えた題"} | change
    response = client.post(f"/progress/assignments/{assignment_id}/edit", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error"' in body and message in body
    assert "変えた題" in body  # the input is kept
    if field == "max_points":
        assert re.search(r"<input[^>]*name=\"max_points\"[^>]*value=\"20\"", body)
    assignment = get_assignment(app, assignment_id)
    assert assignment is not None
    assert (
        assignment.kind,
        assignment.rubric_id,
        assignment.max_points,
        assignment.title,
    ) == ("written", rubric, 10, "自己紹介 Өзүм жөнүндө")


def test_max_points_can_change_while_nothing_is_graded(
    app, client, auth, progress_class, make_assignment, make_submission
):
    cls = progress_class()
    assignment_id = make_assignment(cls.id)
    make_submission(assignment_id, cls.students[0].id)  # submitted, not graded
    auth.login(user=cls.teacher)
    data = FORM | {"max_points": "20"}
    assert client.post(f"/progress/assignments/{assignment_id}/edit", data=data).status_code == 302
    assignment = get_assignment(app, assignment_id)
    assert assignment is not None and assignment.max_points == 20


@pytest.mark.parametrize("due_at", ["0001-01-01T00:00", "1999-12-31T23:59", "2101-01-01T00:00"])
def test_a_due_date_out_of_range_is_a_field_error(
    app, client, auth, progress_class, make_assignment, due_at
):
    cls = progress_class()
    assignment_id = make_assignment(cls.id)
    auth.login(user=cls.teacher)
    for url in (
        f"/progress/classes/{cls.id}/assignments/new",
        f"/progress/assignments/{assignment_id}/edit",
    ):
        response = client.post(url, data=FORM | {"title": "年の確認", "due_at": due_at})
        body = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert 'id="due_at-error"' in body and "Enter a date from 2000 to 2100." in body
        assert f'value="{due_at}"' in body and "年の確認" in body  # the input is kept
    with app.app_context():
        assert db.session.scalars(select(Assignment.title)).all() == ["自己紹介 Өзүм жөнүндө"]


def test_delete_needs_confirmation_and_no_submissions(
    app, client, auth, progress_class, make_assignment, make_submission
):
    cls = progress_class()
    empty = make_assignment(cls.id, title="消す課題")
    used = make_assignment(cls.id, title="提出あり")
    make_submission(used, cls.students[0].id)
    drafted = make_assignment(cls.id, title="下書きだけ")
    make_submission(drafted, cls.students[1].id, versions=0)
    auth.login(user=cls.teacher)

    response = client.post(f"/progress/assignments/{empty}/delete", data={})  # asks first
    assert "Delete “消す課題”?" in response.get_data(as_text=True)
    assert 'name="confirmed" value="1"' in response.get_data(as_text=True)
    assert get_assignment(app, empty) is not None

    response = client.post(f"/progress/assignments/{used}/delete", data={"confirmed": "1"})
    assert response.status_code == 302
    assert "can't be deleted" in text_of(client.get(response.headers["Location"]))
    assert get_assignment(app, used) is not None

    for assignment_id in (empty, drafted):
        response = client.post(
            f"/progress/assignments/{assignment_id}/delete", data={"confirmed": "1"}
        )
        assert response.headers["Location"].endswith(f"/progress/classes/{cls.id}/assignments")
        assert get_assignment(app, assignment_id) is None
    with app.app_context():
        assert (
            db.session.scalar(select(Submission).where(Submission.assignment_id == drafted)) is None
        )


# --- the class list and the overview ----------------------------------------------------------


def test_the_class_list_counts_submitted_late_graded_and_released(
    app, client, auth, progress_class, make_assignment, make_submission
):
    cls = progress_class(students=4)
    assignment_id = make_assignment(cls.id, title="作文")
    s1, s2, s3, _s4 = cls.students
    make_submission(assignment_id, s1.id, grade_state=GradeState.RELEASED, points=8)
    make_submission(assignment_id, s2.id, late=True, grade_state=GradeState.GRADED, points=5)
    make_submission(assignment_id, s3.id, versions=0)  # a draft only
    auth.login(user=cls.teacher)
    html = client.get(f"/progress/classes/{cls.id}/assignments").get_data(as_text=True)
    row = html.split("作文", 1)[1].split("</tr>", 1)[0]
    assert "2 / 4" in visible_text(row) and "1 late" in visible_text(row)
    assert 'data-label="Graded" class="num">2<' in row  # graded and released
    assert 'data-label="Released" class="num">1<' in row


def test_the_class_list_runs_a_fixed_number_of_queries(
    app, client, auth, progress_class, make_assignment, make_submission
):
    small = progress_class(students=1, slug="small-course")
    large = progress_class(students=8, slug="large-course")
    make_assignment(small.id)
    for n in range(6):
        assignment_id = make_assignment(large.id, title=f"課題 {n}")
        for student in large.students[: n + 2]:
            make_submission(assignment_id, student.id, grade_state=GradeState.GRADED, points=1)
    auth.login("admin")
    few = queries_for(app, client, f"/progress/classes/{small.id}/assignments")
    many = queries_for(app, client, f"/progress/classes/{large.id}/assignments")
    assert few == many
    assert many <= 10, many


def test_the_overview_shows_each_students_work_and_links_to_grading(
    app, client, auth, progress_class, make_assignment, make_submission
):
    cls = progress_class(students=3)
    assignment_id = make_assignment(cls.id, due_at=utcnow() - timedelta(days=1))
    make_submission(assignment_id, cls.students[0].id, versions=2, late=True)
    make_submission(assignment_id, cls.students[1].id, versions=0)
    auth.login(user=cls.teacher)
    text = text_of(client.get(f"/progress/assignments/{assignment_id}/overview"))
    assert "自己紹介を書いてください。" in text  # the instructions, rendered
    first, second, third = (s.display_name for s in cls.students)
    assert first in text and second in text and third in text
    assert "version 2" in text and "Late" in text
    assert "Draft only" in text and "Not started" in text
    html = client.get(f"/progress/assignments/{assignment_id}/overview").get_data(as_text=True)
    student = cls.students[2].id
    assert f"/progress/grading/assignments/{assignment_id}/students/{student}" in html


def test_blind_grading_hides_names_on_the_overview_until_released(
    app, client, auth, progress_class, make_assignment, make_submission
):
    cls = progress_class(students=3)
    assignment_id = make_assignment(cls.id, blind=True)
    make_submission(assignment_id, cls.students[0].id, grade_state=GradeState.RELEASED, points=9)
    make_submission(assignment_id, cls.students[1].id, grade_state=GradeState.GRADED, points=9)
    auth.login(user=cls.teacher)
    text = text_of(client.get(f"/progress/assignments/{assignment_id}/overview"))
    assert cls.students[0].display_name in text  # released: the name is shown
    assert cls.students[1].display_name not in text
    assert cls.students[2].display_name not in text
    # numbered in the assignment's secret order, as in the grading queue and grading page
    with app.app_context():
        numbers = blind_numbers(assignment_id, [s.id for s in cls.students])
    hidden = sorted(numbers[s.id] for s in cls.students[1:])
    assert re.findall(r"Student \d+", text) == [f"Student {n}" for n in hidden]


def test_the_overview_runs_a_fixed_number_of_queries(
    app, client, auth, progress_class, make_assignment, make_submission, make_rubric
):
    small = progress_class(students=1, slug="small-course")
    large = progress_class(students=10, slug="large-course")
    few_id = make_assignment(small.id, rubric_id=make_rubric(title="小"))
    many_id = make_assignment(large.id, rubric_id=make_rubric(title="大"))
    for student in large.students[:7]:
        make_submission(many_id, student.id, versions=3, grade_state=GradeState.DRAFT)
    auth.login("admin")
    few = queries_for(app, client, f"/progress/assignments/{few_id}/overview")
    many = queries_for(app, client, f"/progress/assignments/{many_id}/overview")
    assert few == many
    assert many <= 12, many


def test_reopen_lets_a_student_resubmit_until_a_japan_time(
    app, client, auth, progress_class, make_assignment, make_submission
):
    cls = progress_class()
    assignment_id = make_assignment(cls.id, due_at=utcnow() - timedelta(days=1))
    student = cls.students[0]
    auth.login(user=cls.teacher)
    url = f"/progress/assignments/{assignment_id}/students/{student.id}/reopen"
    response = client.post(url, data={"until": "2099-01-10T18:00"})
    assert response.status_code == 302
    with app.app_context():  # the row is created when there was none
        submission = db.session.scalars(select(Submission)).one()
        assert submission.reopened_until == datetime(2099, 1, 10, 9, 0, tzinfo=UTC)
        assert submission.version_count == 0
    text = text_of(client.get(f"/progress/assignments/{assignment_id}/overview"))
    assert "can submit again until" in text
    assert "Open until Sat 10 Jan 2099, 18:00" in text

    response = client.post(url, data={"close": "1"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Submission)).one().reopened_until is None


@pytest.mark.parametrize(
    ("until", "message"),
    [("2001-01-01T10:00", "Choose a moment in the future."), ("", "Enter a date and time.")],
)
def test_reopen_errors_are_shown_in_the_students_row(
    app, client, auth, progress_class, make_assignment, until, message
):
    cls = progress_class()
    assignment_id = make_assignment(cls.id)
    student = cls.students[1]
    auth.login(user=cls.teacher)
    url = f"/progress/assignments/{assignment_id}/students/{student.id}/reopen"
    body = client.post(url, data={"until": until}).get_data(as_text=True)
    assert f'id="until-{student.id}-error"' in body and message in body
    if until:
        assert f'value="{until}"' in body  # kept
    with app.app_context():
        assert db.session.scalar(select(Submission)) is None


@pytest.mark.parametrize("until", ["0001-01-01T00:00", "2101-01-01T00:00"])
def test_reopen_until_a_year_out_of_range_is_a_field_error(
    app, client, auth, progress_class, make_assignment, until
):
    cls = progress_class()
    assignment_id = make_assignment(cls.id, due_at=utcnow() - timedelta(days=1))
    student = cls.students[0]
    auth.login(user=cls.teacher)
    url = f"/progress/assignments/{assignment_id}/students/{student.id}/reopen"
    response = client.post(url, data={"until": until})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="until-{student.id}-error"' in body
    assert "Enter a date from 2000 to 2100." in body and f'value="{until}"' in body
    with app.app_context():
        assert db.session.scalar(select(Submission)) is None


def test_reopen_for_someone_outside_the_class_is_404(
    client, auth, progress_class, make_assignment, make_user
):
    cls = progress_class()
    assignment_id = make_assignment(cls.id)
    outsider = make_user()
    auth.login(user=cls.teacher)
    url = f"/progress/assignments/{assignment_id}/students/{outsider.id}/reopen"
    assert client.post(url, data={"until": "2099-01-01T10:00"}).status_code == 404


# --- access: every URL of this module with every role ---------------------------------------


@pytest.fixture
def world(app, progress_class, make_user, make_rubric, make_assignment, make_submission):
    """A class (teacher, student, classmate), an outsider in another class, a rubric, a spoken
    assignment and the student's submission with a recording (submitted and as draft)."""
    cls = progress_class(students=2)
    other = progress_class(students=1, slug="other-course")
    rubric = make_rubric(owner_id=cls.teacher.id)
    assignment_id = make_assignment(cls.id, kind="spoken", rubric_id=rubric)
    with app.app_context():
        name, kind = store_audio(wav_bytes(), folder="submissions")
        db.session.commit()  # the database store keeps what is committed
    submission_id = make_submission(
        assignment_id, cls.students[0].id, text="", audio_file=name, audio_mimetype=kind.mimetype
    )
    return {
        "class": cls,
        "people": {
            "student": cls.students[0],
            "classmate": cls.students[1],
            "outsider": other.students[0],
            "teacher": cls.teacher,
            "other_teacher": other.teacher,
        },
        "class_id": cls.id,
        "assignment_id": assignment_id,
        "submission_id": submission_id,
        "rubric_id": rubric,
    }


ROLES = ["anonymous", "student", "classmate", "outsider", "teacher", "other_teacher", "admin"]
LOGIN = "login"

# url template, method, data, expected status per role (in ROLES order)
ACCESS: dict[str, tuple[str, str, dict[str, Any] | None, tuple[Any, ...]]] = {
    "my_assignments": ("/progress/assignments", "GET", None, (LOGIN, 200, 200, 200, 200, 200, 200)),
    "assignment": (
        "/progress/assignments/{a}",
        "GET",
        None,
        (LOGIN, 200, 200, 404, 302, 404, 302),
    ),
    "assignment_post": (
        "/progress/assignments/{a}",
        "POST",
        {"text": "メモ", "intent": "save"},
        (LOGIN, 302, 302, 404, 302, 404, 302),
    ),
    "class_assignments": (
        "/progress/classes/{c}/assignments",
        "GET",
        None,
        (LOGIN, 404, 404, 404, 200, 404, 200),
    ),
    "new_assignment": (
        "/progress/classes/{c}/assignments/new",
        "GET",
        None,
        (LOGIN, 404, 404, 404, 200, 404, 200),
    ),
    "new_assignment_post": (
        "/progress/classes/{c}/assignments/new",
        "POST",
        FORM,
        (LOGIN, 404, 404, 404, 302, 404, 302),
    ),
    "edit_assignment": (
        "/progress/assignments/{a}/edit",
        "GET",
        None,
        (LOGIN, 404, 404, 404, 200, 404, 200),
    ),
    "edit_assignment_post": (
        "/progress/assignments/{a}/edit",
        "POST",
        FORM | {"kind": "spoken", "rubric_id": "{r}"},
        (LOGIN, 404, 404, 404, 302, 404, 302),
    ),
    "delete_assignment": (
        "/progress/assignments/{a}/delete",
        "POST",
        {"confirmed": "1"},
        (LOGIN, 404, 404, 404, 302, 404, 302),
    ),
    "overview": (
        "/progress/assignments/{a}/overview",
        "GET",
        None,
        (LOGIN, 404, 404, 404, 200, 404, 200),
    ),
    "reopen": (
        "/progress/assignments/{a}/students/{s}/reopen",
        "POST",
        {"until": "2099-01-01T10:00"},
        (LOGIN, 404, 404, 404, 302, 404, 302),
    ),
    "version_audio": (
        "/progress/submissions/{sub}/versions/1/audio",
        "GET",
        None,
        (LOGIN, 200, 404, 404, 200, 404, 200),
    ),
    "draft_audio": (
        "/progress/submissions/{sub}/versions/0/audio",
        "GET",
        None,
        (LOGIN, 200, 404, 404, 404, 404, 404),
    ),
    "missing_version_audio": (
        "/progress/submissions/{sub}/versions/7/audio",
        "GET",
        None,
        (LOGIN, 404, 404, 404, 404, 404, 404),
    ),
    "rubrics": ("/progress/rubrics", "GET", None, (LOGIN, 403, 403, 403, 200, 200, 200)),
    "new_rubric": ("/progress/rubrics/new", "GET", None, (LOGIN, 403, 403, 403, 200, 200, 200)),
    "new_rubric_post": (
        "/progress/rubrics/new",
        "POST",
        {
            "title": "新しい",
            "criteria-0-title": "内容",
            "criteria-0-levels-0-description": "よい",
            "criteria-0-levels-0-points": "3",
        },
        (LOGIN, 403, 403, 403, 302, 302, 302),
    ),
    "edit_rubric": (
        "/progress/rubrics/{r}/edit",
        "GET",
        None,
        (LOGIN, 403, 403, 403, 200, 404, 200),
    ),
    "edit_rubric_post": (
        "/progress/rubrics/{r}/edit",
        "POST",
        {"title": "改名"},
        (LOGIN, 403, 403, 403, 302, 404, 302),
    ),
    "duplicate_rubric": (
        "/progress/rubrics/{r}/duplicate",
        "POST",
        {},
        (LOGIN, 403, 403, 403, 302, 404, 302),
    ),
}


def fill(template: str, world: dict[str, Any]) -> str:
    return template.format(
        a=world["assignment_id"],
        c=world["class_id"],
        s=world["people"]["student"].id,
        sub=world["submission_id"],
        r=world["rubric_id"],
    )


@pytest.mark.parametrize("role", ROLES)
def test_access(client, auth, world, role):
    """Every URL of assignments, submissions and rubrics, in turn, as one role."""
    if role == "admin":
        auth.login("admin")
    elif role != "anonymous":
        auth.login(user=world["people"][role])
    wrong = []
    for endpoint, (template, method, data, expected) in ACCESS.items():
        want = expected[ROLES.index(role)]
        url = fill(template, world)
        if method == "GET":
            response = client.get(url)
        else:
            sent = {key: fill(value, world) for key, value in (data or {}).items()}
            response = client.post(url, data=sent)
        location = response.headers.get("Location", "")
        response.close()
        if want == LOGIN:
            ok = response.status_code == 302 and "/auth/login" in location
        else:
            ok = response.status_code == want and "/auth/login" not in location
        if not ok:
            wrong.append((endpoint, response.status_code, location))
    assert wrong == []


def test_refused_users_change_nothing(app, client, auth, world):
    auth.login(user=world["people"]["other_teacher"])
    a = world["assignment_id"]
    client.post(f"/progress/assignments/{a}/edit", data=FORM)
    client.post(f"/progress/assignments/{a}/delete", data={"confirmed": "1"})
    client.post(f"/progress/rubrics/{world['rubric_id']}/edit", data={"title": "乗っ取り"})
    assignment = get_assignment(app, a)
    assert assignment is not None and assignment.title == "自己紹介 Өзүм жөнүндө"
    with app.app_context():
        assert db.session.get(Rubric, world["rubric_id"]).title == "スピーチ評価"
