"""The gradebook page and its CSV and XLSX exports: content, markers, totals, sorting, access,
formula-safe cells, and a query count that doesn't grow with the class."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from app.core.dbtypes import utcnow
from app.core.exports import csv_cell
from app.extensions import db
from app.lessons.models import Enrollment
from app.progress.gradebook import (
    Cell,
    CellState,
    SubmissionRow,
    cell_for,
    format_points,
)
from app.progress.learning import MASTERED_STABILITY_DAYS
from app.progress.models import Assignment, Grade, GradeState, Submission, SubmissionVersion
from tests.helpers import count_queries, queries_for, visible_text

KY_TITLE = "Өзүм жөнүндө"


@pytest.fixture
def book(progress_class, make_assignment, make_submission, activity):
    """Three students, two assignments (a Kyrgyz title, due in order) with one grade in each
    state, lessons, cards and answers."""
    info = progress_class(students=3)
    first = make_assignment(info.id, title=KY_TITLE, due_at=utcnow() + timedelta(days=1))
    second = make_assignment(
        info.id, title="作文 Жазуу", max_points=20, due_at=utcnow() + timedelta(days=5)
    )
    s1, s2, s3 = (s.id for s in info.students)
    make_submission(first, s1, grade_state=GradeState.RELEASED, points=8)
    make_submission(first, s2, grade_state=GradeState.GRADED, points=6)
    make_submission(first, s3, grade_state=GradeState.DRAFT, points=4.5, late=True)
    make_submission(second, s1)  # submitted, ungraded
    make_submission(second, s2, versions=0)  # a draft only: not submitted
    activity.lessons_done(s1, info.course_id, 2)
    activity.cards(s1, info.course_id, [(3, 30.0), (2, 5.0), (0, None)])
    activity.answers(s1, info.course_id, "ccca")
    return info, (first, second)


def gradebook_url(info, suffix=""):
    return f"/progress/classes/{info.id}/gradebook{suffix}"


def test_definitions_live_in_one_place():
    assert MASTERED_STABILITY_DAYS == 21.0
    assert format_points(8.0) == "8" and format_points(7.5) == "7.5" and format_points(None) == "—"


@pytest.mark.parametrize(
    ("row", "state", "points"),
    [
        (SubmissionRow(1, 1, 1, False, None, None), CellState.SUBMITTED, None),
        (SubmissionRow(1, 1, 0, False, None, None), CellState.MISSING, None),
        (SubmissionRow(1, 1, 1, False, "draft", None), CellState.SUBMITTED, None),
        (SubmissionRow(1, 1, 1, False, "draft", 3.0), CellState.DRAFT, 3.0),
        (SubmissionRow(1, 1, 1, False, "graded", 5.0), CellState.GRADED, 5.0),
        (SubmissionRow(1, 1, 1, False, "released", 9.0), CellState.RELEASED, 9.0),
        # graded without a submission (Moodle allows it): the grade shows
        (SubmissionRow(1, 1, 0, False, "released", 0.0), CellState.RELEASED, 0.0),
    ],
)
def test_cell_states(row, state, points):
    cell = cell_for(row)
    assert (cell.state, cell.points) == (state, points)
    assert Cell(1).state == CellState.MISSING


def test_page_shows_students_assignments_and_progress(client, auth, book):
    info, _ids = book
    auth.login(user=info.teacher)
    response = client.get(gradebook_url(info))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = visible_text(html)
    cells = re.sub(r"</?a\b[^>]*>", "", html)  # the cells' links, when grading exists
    for student in info.students:
        assert student.display_name in text
    # assignments in due-date order, with their maximum
    assert text.index(KY_TITLE) < text.index("作文 Жазуу")
    assert "out of 20" in text
    # released plain, graded and draft in italics with a marker, late marked, ungraded, missing
    assert '<td class="cell cell-released">8</td>' in cells
    assert '<em>6</em> <small class="mark">unreleased</small>' in cells
    assert '<em>4.5</em> <small class="mark">draft</small>' in cells
    assert "mark-late" in html
    assert "ungraded" in text
    assert "not submitted" in text  # screen-reader text of an empty cell
    # lessons 2 of 2, words 2 learned (1 mastered), accuracy 3 of 4
    assert "2 / 2" in text and "(1)" in text and "75%" in text
    # totals: 8/10 released; averages per assignment
    assert "8 / 10" in text and "80%" in text
    assert "6.2" in text  # (8 + 6 + 4.5) / 3 = 6.17
    assert "3 graded, 3 submitted" in text


def test_totals_include_unreleased_points_marked(client, auth, book):
    info, _ids = book
    auth.login(user=info.teacher)
    html = client.get(gradebook_url(info)).get_data(as_text=True)
    assert "6 / 10" in visible_text(html)
    assert "includes points not released yet" in html


def test_sorting_by_total_and_by_assignment(client, auth, book):
    info, (first, _second) = book
    auth.login(user=info.teacher)
    names = [s.display_name for s in info.students]

    def order(query):
        text = visible_text(client.get(gradebook_url(info) + query).get_data(as_text=True))
        return sorted(names, key=text.index)

    assert order("") == names
    assert order("?sort=name&dir=desc") == names[::-1]
    # by percentage: 80 %, 60 %, 45 %
    assert order("?sort=total&dir=desc") == names
    assert order("?sort=total&dir=asc") == names[::-1]
    assert order(f"?sort=a{first}&dir=asc") == names[::-1]
    # unknown keys fall back to the name
    assert order("?sort=a999999") == names
    html = client.get(gradebook_url(info) + "?sort=total&dir=desc").get_data(as_text=True)
    assert 'aria-sort="descending"' in html
    assert f"sort=a{first}" in html  # the headers link to their sort


def test_cells_link_to_the_grading_page_once_it_exists(app, client, auth, book):
    info, (first, _second) = book
    auth.login(user=info.teacher)
    if "progress.grade_student" not in app.view_functions:
        html = client.get(gradebook_url(info)).get_data(as_text=True)
        assert "/grading/" not in html
        app.add_url_rule(
            "/progress/grading/assignments/<int:assignment_id>/students/<int:user_id>",
            endpoint="progress.grade_student",
            view_func=lambda assignment_id, user_id: "",
        )
    html = client.get(gradebook_url(info)).get_data(as_text=True)
    student = info.students[1].id
    assert f'href="/progress/grading/assignments/{first}/students/{student}"' in html


def read_csv(response):
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_export(client, auth, book):
    info, _ids = book
    auth.login(user=info.teacher)
    response = client.get(gradebook_url(info, ".csv"))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"gradebook-class-{info.id}-" in disposition and disposition.isascii()
    assert response.headers["Cache-Control"] == "private, no-store"
    rows = read_csv(response)
    header, body = rows[0], rows[1:]
    assert f"{KY_TITLE} (out of 10)" in header
    assert len(body) == 3
    first = body[0]
    assert first[0] == "学生1 花子"
    by_header = dict(zip(header, first, strict=True))
    assert by_header[f"{KY_TITLE} (out of 10)"] == "8"
    assert by_header[f"{KY_TITLE}: state"] == "released"
    assert by_header["作文 Жазуу: state"] == "submitted, ungraded"
    assert by_header["Total (%)"] == "80"
    assert by_header["Words learned"] == "2" and by_header["Words mastered"] == "1"
    assert by_header["Quiz accuracy (%)"] == "75"
    third = dict(zip(header, body[2], strict=True))
    assert third[f"{KY_TITLE}: state"] == "draft grade, late"
    assert third[f"{KY_TITLE} (out of 10)"] == "4.5"


def test_xlsx_export(client, auth, book):
    info, _ids = book
    auth.login(user=info.teacher)
    response = client.get(gradebook_url(info, ".xlsx"))
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert ".xlsx" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert f"{KY_TITLE} (out of 10)" in header
    assert [r[0] for r in rows[1:]] == ["学生1 花子", "学生2 花子", "学生3 花子"]
    assert rows[1][header.index(f"{KY_TITLE} (out of 10)")] == 8  # a number, not text
    assert sheet.freeze_panes == "B2"
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["A"].width >= 10


def test_exports_keep_the_sort(client, auth, book):
    info, _ids = book
    auth.login(user=info.teacher)
    rows = read_csv(client.get(gradebook_url(info, ".csv") + "?sort=total&dir=asc"))
    assert [r[0] for r in rows[1:]] == ["学生3 花子", "学生2 花子", "学生1 花子"]


def test_blind_grades_stay_hidden_until_released(
    client, auth, progress_class, make_assignment, make_submission
):
    info = progress_class(students=2)
    blind = make_assignment(info.id, title="Blind Сокур", blind=True, max_points=10)
    make_submission(blind, info.students[0].id, grade_state=GradeState.GRADED, points=7)
    make_submission(blind, info.students[1].id, grade_state=GradeState.RELEASED, points=9)
    auth.login(user=info.teacher)
    html = client.get(gradebook_url(info)).get_data(as_text=True)
    cells = re.sub(r"</?a\b[^>]*>", "", html)
    assert (
        '<td class="cell cell-hidden"><span class="mark-submitted">submitted</span> '
        '<small class="mark">blind</small></td>'
    ) in cells
    assert "<em>7</em>" not in cells and ">7<" not in cells
    assert '<td class="cell cell-released">9</td>' in cells
    assert "9 graded" not in visible_text(html)
    assert "1 graded, 2 submitted" in visible_text(html)  # the average is of the released one
    rows = read_csv(client.get(gradebook_url(info, ".csv")))
    by_header = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert by_header[0]["Blind Сокур: state"] == "submitted, blind grading"
    assert by_header[0]["Blind Сокур (out of 10)"] == "" and by_header[0]["Total points"] == ""
    assert by_header[1]["Blind Сокур (out of 10)"] == "9"


def test_blind_cells_do_not_tell_graded_from_ungraded_nor_link_to_a_name(
    client, auth, progress_class, make_assignment, make_submission
):
    """Before release, a blind assignment's submitted cells all look alike, graded or not, and
    lead to the assignment's queue (numbers, no names), not to a named student's grading page."""
    info = progress_class(students=6)
    blind = make_assignment(info.id, title="Blind Сокур", blind=True, max_points=10)
    s1, s2, s3, s4, s5, s6 = (s.id for s in info.students)
    make_submission(blind, s1, grade_state=GradeState.GRADED, points=7)
    make_submission(blind, s2)  # submitted, not graded
    make_submission(blind, s3, grade_state=GradeState.DRAFT, points=3)
    make_submission(blind, s4, grade_state=GradeState.RELEASED, points=9)
    make_submission(blind, s5, versions=0, grade_state=GradeState.DRAFT, points=1)  # no work
    auth.login(user=info.teacher)  # s6: nothing at all
    html = client.get(gradebook_url(info)).get_data(as_text=True)
    cells = re.findall(r'<td class="(cell[^"]*)">(.*?)</td>', html, re.S)[:6]  # rows by name
    submitted = [cells[0], cells[1], cells[2]]
    assert submitted[0] == submitted[1] == submitted[2], submitted
    assert cells[4] == cells[5], (cells[4], cells[5])  # nothing submitted, graded or not
    assert "9" in cells[3][1]  # released: shown as usual
    queue = f'href="/progress/grading?assignment={blind}&amp;state=all"'
    for n in (0, 1, 2, 4, 5):
        assert queue in cells[n][1]
    assert f'href="/progress/grading/assignments/{blind}/students/{s4}"' in cells[3][1]
    for student in (s1, s2, s3, s5, s6):
        assert f'/students/{student}"' not in html

    rows = read_csv(client.get(gradebook_url(info, ".csv")))
    by_header = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    states = [r["Blind Сокур: state"] for r in by_header]
    points = [r["Blind Сокур (out of 10)"] for r in by_header]
    assert states[0] == states[1] == states[2] == "submitted, blind grading"
    assert states[4] == states[5] == "not submitted"
    assert points == ["", "", "", "9", "", ""]
    sheet = load_workbook(io.BytesIO(client.get(gradebook_url(info, ".xlsx")).get_data())).active
    header = [c.value for c in sheet[1]]
    column = header.index("Blind Сокур: state")
    assert [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)][:3] == [
        "submitted, blind grading"
    ] * 3


def test_formula_injection_is_defused(app, client, auth, progress_class, make_assignment):
    info = progress_class(students=1)
    make_assignment(info.id, title='=HYPERLINK("http://evil.example")')
    with app.app_context():
        from app.auth.models import User

        user = db.session.get(User, info.students[0].id)
        user.display_name = "@SUM(1+1)"
        db.session.commit()
    auth.login(user=info.teacher)
    rows = read_csv(client.get(gradebook_url(info, ".csv")))
    assert rows[1][0] == "'@SUM(1+1)"
    assert any(h.startswith("'=HYPERLINK") for h in rows[0])
    sheet = load_workbook(io.BytesIO(client.get(gradebook_url(info, ".xlsx")).get_data())).active
    # in the workbook the exact text, as a string cell that stays text when edited
    assert sheet["A2"].value == "@SUM(1+1)" and sheet["A2"].data_type == "s"
    assert sheet["A2"].quotePrefix
    assert str(sheet["D1"].value).startswith("=HYPERLINK") and sheet["D1"].data_type == "s"
    assert csv_cell("-1") == "'-1" and csv_cell(-1) == -1 and csv_cell("花子") == "花子"


def test_empty_class(client, auth, progress_class):
    info = progress_class(students=0)
    auth.login(user=info.teacher)
    response = client.get(gradebook_url(info))
    assert response.status_code == 200
    assert "No students have joined yet" in response.get_data(as_text=True)
    assert len(read_csv(client.get(gradebook_url(info, ".csv")))) == 1


# --- access ----------------------------------------------------------------------------------

SUFFIXES = ["", ".csv", ".xlsx"]


@pytest.mark.parametrize("suffix", SUFFIXES)
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
def test_access(client, auth, progress_class, make_user, suffix, who, status):
    info = progress_class(students=1)
    if who == "student of the class":
        auth.login(user=info.students[0])
    elif who == "teacher of the class":
        auth.login(user=info.teacher)
    elif who == "other teacher":
        auth.login(role="teacher")
    elif who == "admin":
        auth.login(role="admin")
    response = client.get(gradebook_url(info, suffix))
    assert response.status_code == status
    if status == 302:
        assert "/auth/login" in response.headers["Location"]


def test_unknown_class_is_404(client, auth):
    auth.login(role="admin")
    assert client.get("/progress/classes/999999/gradebook").status_code == 404


# --- query budget ----------------------------------------------------------------------------


def fill_class(app, info, assignments: int) -> None:
    """`assignments` assignments with a submission and a grade (every state) from each student."""
    states = [None, GradeState.DRAFT, GradeState.GRADED, GradeState.RELEASED]
    with app.app_context():
        now = utcnow()
        for a in range(assignments):
            assignment = Assignment(
                class_id=info.id, title=f"課題 {a + 1}", due_at=now + timedelta(days=a)
            )
            db.session.add(assignment)
            db.session.flush()
            for n, student in enumerate(info.students):
                submission = Submission(
                    assignment_id=assignment.id,
                    student_id=student.id,
                    version_count=1,
                    submitted_at=now,
                    late=(n + a) % 5 == 0,
                )
                submission.versions.append(
                    SubmissionVersion(number=1, text="Салам", submitted_at=now)
                )
                db.session.add(submission)
                db.session.flush()
                state = states[(n + a) % len(states)]
                if state is not None:
                    db.session.add(
                        Grade(
                            submission_id=submission.id,
                            assignment_id=assignment.id,
                            student_id=student.id,
                            state=state,
                            points=(n + a) % 11,
                            released_at=now if state == GradeState.RELEASED else None,
                        )
                    )
        db.session.commit()
        db.session.remove()


def test_query_count_does_not_grow_with_the_class(app, client, auth, progress_class, activity):
    small = progress_class(students=3, slug="small-course")
    large = progress_class(students=40, slug="large-course")
    fill_class(app, small, 2)
    fill_class(app, large, 30)
    for info in (small, large):
        for n, student in enumerate(info.students[:5]):
            activity.lessons_done(student.id, info.course_id, 1 + n % 2)
            activity.cards(student.id, info.course_id, [(2, 25.0), (1, 3.0)])
            activity.answers(student.id, info.course_id, "cawc")
    auth.login(role="admin")
    for suffix in SUFFIXES:
        counts = [queries_for(app, client, gradebook_url(info, suffix)) for info in (small, large)]
        assert counts[0] == counts[1], (suffix, counts)
        assert counts[0] <= 14, (suffix, counts)


def test_students_leaving_the_class_leave_the_gradebook(app, client, auth, book):
    info, _ids = book
    with app.app_context():
        db.session.execute(
            Enrollment.__table__.delete().where(Enrollment.user_id == info.students[2].id)
        )
        db.session.commit()
    auth.login(user=info.teacher)
    with count_queries(app):
        text = visible_text(client.get(gradebook_url(info)).get_data(as_text=True))
    assert "学生3 花子" not in text and "学生1 花子" in text
    assert "2 graded, 2 submitted" in text


# --- pages of a large class ------------------------------------------------------------------

ROW_NAME = re.compile(r'<th scope="row" class="student-col">([^<]+)')


def row_names(html: str) -> list[str]:
    return ROW_NAME.findall(html)[:-1]  # the last is the footer's "Class average"


def test_a_large_class_is_shown_fifty_students_a_page(
    client, auth, progress_class, make_assignment, make_submission
):
    info = progress_class(students=53)
    assignment = make_assignment(info.id, title="自己紹介")
    by_name = sorted(s.display_name for s in info.students)
    last = next(s for s in info.students if s.display_name == by_name[-1])
    make_submission(assignment, last.id, grade_state=GradeState.RELEASED, points=9)
    auth.login(user=info.teacher)

    first = client.get(gradebook_url(info)).get_data(as_text=True)
    text = visible_text(first)
    assert row_names(first) == by_name[:50]
    assert "53 students · students 1–50" in text and "Page 1 of 2" in text
    # the class average is the whole class's, though the one grade is on the next page
    assert "1 graded, 1 submitted" in text and "all 53 students" in text
    assert "sort=name&amp;dir=asc&amp;page=2" in first and 'rel="next"' in first

    second = client.get(gradebook_url(info, "?sort=name&dir=asc&page=2")).get_data(as_text=True)
    assert row_names(second) == by_name[50:]
    assert "students 51–53" in visible_text(second) and 'rel="prev"' in second
    # past the end: the last page; not a page number: the first
    assert (
        row_names(client.get(gradebook_url(info, "?page=9")).get_data(as_text=True))
        == (by_name[50:])
    )
    for junk in ("abc", "-3", "99999999999999999999"):
        response = client.get(gradebook_url(info, f"?page={junk}"))
        assert (
            response.status_code == 200
            and row_names(response.get_data(as_text=True)) == (by_name[:50])
        )
    # the order is the whole class's: sorted by total, the one graded student comes first
    best = client.get(gradebook_url(info, "?sort=total&dir=desc")).get_data(as_text=True)
    assert row_names(best)[0] == last.display_name
    # the exports hold everyone
    assert client.get(gradebook_url(info, ".csv")).get_data(as_text=True).count("花子") == 53


def test_each_page_shows_its_students_progress(monkeypatch, client, auth, progress_class, activity):
    monkeypatch.setattr("app.progress.gradebook.views.PAGE_SIZE", 2)
    info = progress_class(students=5)
    by_name = sorted(info.students, key=lambda s: s.display_name)
    keen = by_name[3]  # on page 2 by name
    activity.lessons_done(keen.id, info.course_id, 2)
    activity.answers(keen.id, info.course_id, "ccca")
    auth.login(user=info.teacher)

    def row_of(html: str, name: str) -> str:
        start = html.index(f'<th scope="row" class="student-col">{name}')
        return visible_text(html[start : html.index("</tr>", start)])

    page2 = client.get(gradebook_url(info, "?page=2")).get_data(as_text=True)
    assert row_names(page2) == [s.display_name for s in by_name[2:4]]
    assert "75%" in row_of(page2, keen.display_name) and "2 / 2" in row_of(page2, keen.display_name)
    assert "75%" not in row_of(page2, by_name[2].display_name)
    # sorted by accuracy, the order needs everyone's answers: the keen student leads page 1
    top = client.get(gradebook_url(info, "?sort=accuracy&dir=desc")).get_data(as_text=True)
    assert row_names(top)[0] == keen.display_name and "75%" in row_of(top, keen.display_name)


@pytest.mark.parametrize("query", ["?page=2", "?sort=accuracy&dir=desc&page=2"])
def test_a_page_costs_the_same_queries_in_any_class(
    monkeypatch, app, client, auth, progress_class, activity, query
):
    monkeypatch.setattr("app.progress.gradebook.views.PAGE_SIZE", 3)
    small = progress_class(students=4, slug="small-course")
    large = progress_class(students=30, slug="large-course")
    fill_class(app, small, 2)
    fill_class(app, large, 12)
    for info in (small, large):
        for student in info.students[:6]:
            activity.answers(student.id, info.course_id, "cawc")
    auth.login(role="admin")
    counts = [queries_for(app, client, gradebook_url(info, query)) for info in (small, large)]
    assert counts[0] == counts[1] <= 14, counts
