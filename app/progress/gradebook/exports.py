"""The gradebook out of Sabak: CSV (UTF-8 with BOM and CRLF, for Excel) and XLSX (openpyxl).

Both carry the same table, one row per student: for every assignment its points and its state
(released, graded but not released, draft, submitted and ungraded, not submitted; late), then
the totals, lessons, words and quiz accuracy. app.core.exports writes them, formula-safe.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from app.core import exports
from app.core.dates import TOKYO
from app.progress.gradebook.services import Gradebook, Row, state_labels


def _number(value: float | None, digits: int = 1) -> float | str:
    if value is None:
        return ""
    rounded = round(value, digits)
    return int(rounded) if rounded == int(rounded) else rounded


def table(gradebook: Gradebook, rows: list[Row]) -> tuple[list[str], list[list[Any]]]:
    """The header and rows shared by the CSV and XLSX exports."""
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
        body.append(line)
    return header, body


def filename(gradebook: Gradebook, now: datetime, extension: str) -> str:
    """ASCII only, so every browser keeps it: gradebook-class-7-20270415.csv."""
    day = now.astimezone(TOKYO).strftime("%Y%m%d")
    return f"gradebook-class-{gradebook.course_class.id}-{day}.{extension}"


def csv_bytes(gradebook: Gradebook, rows: list[Row]) -> bytes:
    """The gradebook as CSV (UTF-8 with BOM and CRLF, for Excel)."""
    return exports.csv_bytes(*table(gradebook, rows))


def xlsx_bytes(gradebook: Gradebook, rows: list[Row]) -> bytes:
    """The gradebook as a workbook, the first row and column frozen."""
    return exports.xlsx_bytes(_("Gradebook"), *table(gradebook, rows), freeze="B2")
