"""The teachers' pages of a class: the gradebook (with CSV and XLSX exports) and the dashboard."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.core import dates
from app.core.exports import download
from app.lessons.access import class_or_404
from app.progress import exports
from app.progress.class_stats import (
    ACTIVITY_DAYS,
    INACTIVE_AFTER_DAYS,
    build_class_dashboard,
    sort_students,
)
from app.progress.gradebook import (
    Gradebook,
    Row,
    build_gradebook,
    format_points,
    grading_link,
    queue_links,
    state_labels,
    valid_sort,
)
from app.progress.views import bp
from app.quizzes.stats import MIN_ANSWERS


@bp.app_template_filter("gradebook_points")
def gradebook_points(value: float | None) -> str:
    """Points with one decimal at most (averages too): 8, 7.5, 6.2."""
    return format_points(value)


def _sorted_gradebook(class_id: int) -> tuple[Gradebook, list[Row], str, bool]:
    """The class's gradebook (404 unless the user teaches the class), sorted as the URL asks."""
    course_class = class_or_404(class_id, current_user)
    book = build_gradebook(course_class, dates.now())
    sort = valid_sort(request.args.get("sort"), book)
    descending = request.args.get("dir") == "desc"
    return book, book.sorted_rows(sort, descending), sort, descending


@bp.get("/classes/<int:class_id>/gradebook")
@login_required
def gradebook(class_id: int) -> ResponseReturnValue:
    """Students × assignments (released and unreleased grades, marked), lessons, words, accuracy."""
    book, rows, sort, descending = _sorted_gradebook(class_id)
    return render_template(
        "progress/gradebook.html",
        book=book,
        course_class=book.course_class,
        rows=rows,
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


@bp.get("/classes/<int:class_id>")
@login_required
def class_dashboard(class_id: int) -> ResponseReturnValue:
    """Each student at a glance (the longest inactive first) and the class's hardest words."""
    course_class = class_or_404(class_id, current_user)
    dashboard = build_class_dashboard(course_class, dates.now())
    sort = "name" if request.args.get("sort") == "name" else "inactive"
    # each date formatted once: a class of 1,000 has only a few dozen different days
    days = {row.last_day for row in dashboard.students if row.last_day} | set(dashboard.days)
    return render_template(
        "progress/class_dashboard.html",
        dashboard=dashboard,
        course_class=course_class,
        students=sort_students(dashboard.students, sort),
        sort=sort,
        activity_days=ACTIVITY_DAYS,
        inactive_after=INACTIVE_AFTER_DAYS,
        min_answers=MIN_ANSWERS,
        dates={day: dates.format_date(day) for day in days},
        short_dates=[dates.format_date(day) for day in dashboard.days],
    )
