"""Every spreadsheet Sabak hands out (CSV and XLSX) is written here, so none ever carries a formula.

OWASP's advice on CSV injection: a spreadsheet takes text starting with = + - @, a tab or a carriage
return (also after leading spaces) for a formula. In CSV such text gets an apostrophe in front; in
XLSX every text is a string cell marked "quote prefix", so it stays text even when edited, and keeps
its exact value. Numbers stay numbers. Characters a workbook cannot hold (control characters, lone
surrogates) are dropped, so a name typed with a stray control character can't break a download.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import Response, make_response

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# Full-width forms too: Japanese spreadsheets read ＝ and ＋ typed with an IME as = and +.
FORMULA_START = re.compile(r"^(?:[\t\r]|\s*[=+\-@＝＋－＠])")
UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")

Cell = str | int | float | Decimal | date | datetime | bool | None


def clean_text(value: str) -> str:
    """The text without the characters XML (so XLSX) can't hold and UTF-8 can't encode."""
    return UNWRITABLE.sub("", value)


def is_formula_like(value: str) -> bool:
    """Whether a spreadsheet would evaluate this text if it were typed into a cell."""
    return bool(FORMULA_START.match(value))


def csv_cell(value: Cell) -> Cell:
    """A CSV field: formula-like text behind an apostrophe, numbers untouched."""
    if isinstance(value, str):
        value = clean_text(value)
        return "'" + value if is_formula_like(value) else value
    return value


def csv_bytes(header: Sequence[Cell], rows: Sequence[Sequence[Cell]]) -> bytes:
    """CSV in UTF-8 with a byte-order mark (so Excel reads Japanese and Cyrillic), CRLF lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(v) for v in header])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: East Asian wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def xlsx_bytes(
    title: str,
    header: Sequence[Cell],
    rows: Sequence[Sequence[Cell]],
    *,
    freeze: str = "A2",
) -> bytes:
    """A workbook with one sheet: bold header, frozen panes, widths to fit, text as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(clean_text(title)[:31] or "Sheet")
    sheet.freeze_panes = freeze
    titles = [clean_text(str(h)) if h is not None else "" for h in header]
    for index, heading in enumerate(titles, start=1):
        # the widest of the header (wrapped over up to two lines) and the first rows' values
        values = [str(row[index - 1]) for row in rows[:200] if index <= len(row)]
        widest = max([_display_width(heading) / 2, *(_display_width(v) for v in values)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(widest + 2, 8), 40)

    def cell(value: Cell) -> Any:
        if isinstance(value, str):
            text = WriteOnlyCell(sheet, value=clean_text(value))
            # openpyxl makes "=..." a formula; a string cell with a quote prefix stays text
            text.data_type = "s"
            text.quotePrefix = True
            return text
        return value

    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    heading_cells = []
    for heading in titles:
        heading_cell = cell(heading)
        heading_cell.font, heading_cell.alignment = bold, wrap
        heading_cells.append(heading_cell)
    sheet.append(heading_cells)
    for row in rows:
        sheet.append([cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(data: bytes, filename: str) -> Response:
    """An attachment (CSV or XLSX by its extension) kept out of shared and browser caches."""
    response = make_response(data)
    response.headers["Content-Type"] = MIMETYPES[filename.rsplit(".", 1)[-1]]
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # exports hold personal data: no copies in shared caches or the browser's
    response.headers["Cache-Control"] = "private, no-store"
    return response
