"""Every CSV and XLSX download of the app, fed hostile text: no formula comes out, no download breaks."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from app.auth.models import User
from app.contest import registration as registration_service
from app.contest.models import Division, Edition
from app.core.exports import csv_cell, is_formula_like, xlsx_bytes
from app.extensions import db
from tests.factories.contest import details

FORMULAS = [
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    '=HYPERLINK("http://evil.example","click")',
    "＝1+1",
]
# control characters openpyxl refuses (IllegalCharacterError); PostgreSQL stores them (not NUL)
BROKEN = "名\x01前\x07\x0b\x1b\x1f"
EXPORTS = {
    "contest.export_csv",
    "contest.export_xlsx",
    "progress.gradebook_csv",
    "progress.gradebook_xlsx",
}


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_text_gets_an_apostrophe_in_csv(text):
    assert is_formula_like(text)
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["花子", "a=b", "Менин үй-бүлөм", "090-1234", "", 12, -3, 1.5])
def test_other_values_are_left_alone(value):
    assert csv_cell(value) == value


def test_unwritable_characters_are_dropped():
    assert csv_cell("名\x00前\ud800\x1b") == "名前"
    assert csv_cell("行1\n行2\tend") == "行1\n行2\tend"


def test_every_download_of_the_app_is_tested_here(app):
    """A new CSV or XLSX route must join EXPORTS (and so these tests)."""
    downloads = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.endswith((".csv", ".xlsx"))
    }
    assert downloads == EXPORTS


def test_a_workbook_takes_any_text():
    data = xlsx_bytes("表\x00", ["=A\x00", 1], [["\ud800=1+1", 2.5], ["\x07", None]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["=A", "1"],
        ["=1+1", 2.5],
        [None, None],
    ]
    assert sheet["A2"].data_type == "s" and sheet.title == "表"


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response.data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def _workbook_cells(response) -> list:
    assert response.status_code == 200, response.status_code
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def _assert_safe_workbook(cells, expected: list[str]) -> None:
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    text = {c.value: c for c in cells if isinstance(c.value, str)}
    for value in (v.replace("\r", "\n") for v in expected):  # XML reads a CR as a line feed
        assert value in text, value
        assert text[value].data_type == "s" and text[value].quotePrefix


def test_contest_registrations_export_hostile_fields(
    app,
    client,
    auth,
    make_user,
    make_edition,
):
    ids = make_edition(capacities=(20, 2, 1))
    people = [make_user().id for _ in FORMULAS]
    with app.app_context():
        edition = db.session.get(Edition, ids["edition"])
        division = db.session.get(Division, ids["A"])
        for n, formula in enumerate(FORMULAS):
            person = db.session.get(User, people[n])
            fields = details(
                full_name=formula if n else BROKEN,
                affiliation_detail=formula,
                study_place=formula,
                speech_title_ky=formula,
                speech_title_ja=formula + BROKEN,
            )
            registration_service.register(edition, division, person, fields, language="ja")
        db.session.commit()
    auth.login("organizer")

    rows = _csv(client.get("/contest/console/2027/registrations.csv"))
    cells = {value for row in rows[1:] for value in row}
    for formula in FORMULAS:
        assert "'" + formula in cells
        assert formula not in cells
    assert "名前" in cells

    workbook = _workbook_cells(client.get("/contest/console/2027/registrations.xlsx"))
    _assert_safe_workbook(workbook, [*FORMULAS, "名前"])
    formulas = {f.replace("\r", "\n") for f in FORMULAS}
    assert sum(1 for c in workbook if c.value in formulas) >= 3 * len(FORMULAS)
    assert all(isinstance(c.value, int) for c in workbook if c.column_letter == "P" and c.row > 1)


def test_gradebook_exports_hostile_names_and_titles(
    app,
    client,
    auth,
    progress_class,
    make_assignment,
):
    info = progress_class(students=len(FORMULAS) + 1)
    make_assignment(info.id, title="=1+1" + BROKEN)
    with app.app_context():
        for student, name in zip(info.students, [*FORMULAS, BROKEN], strict=True):
            db.session.get(User, student.id).display_name = name
        db.session.commit()
    auth.login(user=info.teacher)

    rows = _csv(client.get(f"/progress/classes/{info.id}/gradebook.csv"))
    names = [row[0] for row in rows[1:]]
    assert sorted(names) == sorted(["'" + f for f in FORMULAS] + ["名前"])
    assert "'=1+1名前 (out of 10)" in rows[0]

    workbook = _workbook_cells(client.get(f"/progress/classes/{info.id}/gradebook.xlsx"))
    _assert_safe_workbook(workbook, [*FORMULAS, "名前", "=1+1名前 (out of 10)"])
    possible = [c.value for c in workbook if c.row > 1 and c.column == 7]
    assert possible and all(isinstance(v, int) for v in possible)
