"""The gradebook of a class, for its teachers, with its CSV and XLSX exports."""

from __future__ import annotations

from dataclasses import replace

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.core import dates
from app.core.exports import download
from app.core.inputs import page_number
from app.core.pagination import paginate_list
from app.lessons.access import class_or_404
from app.progress.gradebook import (
    PROGRESS_SORTS,
    Gradebook,
    Row,
    build_gradebook,
    exports,
    format_points,
    grading_link,
    queue_links,
    state_labels,
    valid_sort,
)
from app.progress.views import bp

# Students on one page of the gradebook: a class of 1,000 is 30,000 cells, 5 MB of HTML at once.
PAGE_SIZE = 50


@bp.app_template_filter("gradebook_points")
def gradebook_points(value: float | None) -> str:
    """Points with one decimal at most (averages too): 8, 7.5, 6.2."""
    return format_points(value)


def _sorted_gradebook(
    class_id: int, *, whole: bool = True
) -> tuple[Gradebook, list[Row], str, bool]:
    """The class's gradebook (404 unless the user teaches the class), sorted as the URL asks;
    `whole=False`: only a page will be shown, so progress is read only where the order needs it."""
    course_class = class_or_404(class_id, current_user)
    wanted = request.args.get("sort")
    book = build_gradebook(course_class, dates.now(), progress=whole or wanted in PROGRESS_SORTS)
    sort = valid_sort(wanted, book)
    descending = request.args.get("dir") == "desc"
    return book, book.sorted_rows(sort, descending), sort, descending


@bp.get("/classes/<int:class_id>/gradebook")
@login_required
def gradebook(class_id: int) -> ResponseReturnValue:
    """Students × assignments (released and unreleased grades, marked), lessons, words, accuracy;
    a page of PAGE_SIZE students at a time, in the order asked for over the whole class (the
    averages are the whole class's, the exports hold every student)."""
    book, rows, sort, descending = _sorted_gradebook(class_id, whole=False)
    page = paginate_list(rows, page_number(), PAGE_SIZE)
    page = replace(page, items=book.with_progress(page.items, dates.now()))
    return render_template(
        "progress/gradebook.html",
        book=book,
        course_class=book.course_class,
        page=page,
        rows=page.items,
        sort=sort,
        descending=descending,
        link=grading_link(),
        queue_links=queue_links(book),
        labels=state_labels(),
    )


@bp.get("/classes/<int:class_id>/gradebook.csv")
@login_required
def gradebook_csv(class_id: int) -> ResponseReturnValue:
    """The gradebook as CSV (UTF-8 with BOM, so Excel shows Japanese and Cyrillic)."""
    book, rows, _sort, _descending = _sorted_gradebook(class_id)
    return download(exports.csv_bytes(book, rows), exports.filename(book, dates.now(), "csv"))


@bp.get("/classes/<int:class_id>/gradebook.xlsx")
@login_required
def gradebook_xlsx(class_id: int) -> ResponseReturnValue:
    """The gradebook as an Excel workbook."""
    book, rows, _sort, _descending = _sorted_gradebook(class_id)
    return download(exports.xlsx_bytes(book, rows), exports.filename(book, dates.now(), "xlsx"))
