"""The gradebook out of Sabak: CSV (UTF-8 with BOM and CRLF, for Excel) and XLSX (openpyxl).

Both carry the same table, one row per student: for every assignment its points and its state
(released, graded but not released, draft, submitted and ungraded, not submitted; late), then
the totals, lessons, words and quiz accuracy. Text a spreadsheet would take for a formula
(= + - @ at the start) gets an apostrophe in front: a student's name is no place for a formula.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from app.progress.gradebook import Gradebook, Row, state_labels

TOKYO = ZoneInfo("Asia/Tokyo")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text that would start a formula, prefixed with an apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _number(value: float | None, digits: int = 1) -> float | str:
    if value is None:
        return ""
    rounded = round(value, digits)
    return int(rounded) if rounded == int(rounded) else rounded


def table(gradebook: Gradebook, rows: list[Row]) -> tuple[list[str], list[list[Any]]]:
    """The header and rows shared by the CSV and XLSX exports (cells already made safe)."""
    labels = state_labels()
    late = _("late")
    header = [_("Name"), _("Name in katakana"), _("E-mail address")]
    for column in gradebook.columns:
        a = column.assignment
        header.append(_("%(title)s (out of %(max)d)", title=a.title, max=a.max_points))
        header.append(_("%(title)s: state", title=a.title))
    header += [
        _("Total points"), _("Possible points"), _("Total (%)"),
        _("Lessons done"), _("Lessons published"), _("Words learned"), _("Words mastered"),
        _("Quiz answers"), _("Quiz accuracy (%)"),
    ]  # fmt: skip
    body = []
    for row in rows:
        p = row.progress
        line: list[Any] = [p.student.name, p.student.katakana or "", p.student.email]
        for cell in row.cells:
            state = labels[cell.state]
            line += [_number(cell.points), f"{state}, {late}" if cell.late else state]
        possible = gradebook.possible(row)
        line += [
            _number(row.points) if possible else "",
            possible,
            _number(gradebook.percent(row)),
            p.lessons_done,
            gradebook.lessons_total,
            p.words_learned,
            p.words_mastered,
            p.answers,
            _number(p.accuracy * 100 if p.accuracy is not None else None),
        ]
        body.append([safe_cell(v) for v in line])
    return [safe_cell(h) for h in header], body


def filename(gradebook: Gradebook, now: datetime, extension: str) -> str:
    """ASCII only, so every browser keeps it: gradebook-class-7-20270415.csv."""
    day = now.astimezone(TOKYO).strftime("%Y%m%d")
    return f"gradebook-class-{gradebook.course_class.id}-{day}.{extension}"


def csv_bytes(gradebook: Gradebook, rows: list[Row]) -> bytes:
    """CSV in UTF-8 with a byte-order mark (Excel then reads Japanese and Cyrillic), CRLF lines."""
    header, body = table(gradebook, rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(body)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: East Asian wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def xlsx_bytes(gradebook: Gradebook, rows: list[Row]) -> bytes:
    """A workbook with one sheet: bold header, first row and column frozen, widths to fit."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    header, body = table(gradebook, rows)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Gradebook"))
    sheet.freeze_panes = "B2"
    for index, title in enumerate(header, start=1):
        # the widest of the header (wrapped over up to two lines) and the first rows' values
        values = [str(line[index - 1]) for line in body[:200]]
        widest = max([_display_width(title) / 2, *(_display_width(v) for v in values)])
        width = min(max(widest + 2, 8), 40)
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font, cell.alignment = bold, wrap
        cells.append(cell)
    sheet.append(cells)
    for line in body:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
