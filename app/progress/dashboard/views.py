"""The dashboards: the student's own progress (with the home page's panel and the navigation
entry) and, for a class's teachers, the class dashboard."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache
from itertools import pairwise
from typing import Literal

from babel.dates import format_skeleton, get_day_names
from flask import current_app, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import format_percent, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app.auth.models import Role
from app.core import dates
from app.core.i18n import interface_language
from app.core.inputs import page_number
from app.core.nav import HomePanel, NavItem, add_home_panel, add_nav_item
from app.core.pagination import paginate_list
from app.lessons.access import class_or_404, is_teacher
from app.progress import charts, dashboard
from app.progress.dashboard.class_stats import (
    ACTIVITY_DAYS,
    INACTIVE_AFTER_DAYS,
    build_class_dashboard,
    sort_students,
)
from app.progress.learning import MASTERED_STABILITY_DAYS
from app.progress.views import bp
from app.quizzes import sounds
from app.quizzes.stats import MIN_ANSWERS
from app.quizzes.views import due_today

# The heatmap's weekday labels fit this many characters (月, Mon); longer ones use CLDR's
# short names (дш., шр., жм. for Kyrgyz).
WEEKDAY_LABEL_CHARS = 4
# Students on one page of the class overview, as in the gradebook.
PAGE_SIZE = 50


def _locale() -> str:
    return str(get_locale() or "ja")


@lru_cache(maxsize=4096)
def _skeleton(skeleton: str, day: date, locale: str) -> str:
    """A day in one of CLDR's flexible formats, written once per language (a chart labels
    dozens of days, the same ones on every student's dashboard that week)."""
    return format_skeleton(skeleton, day, locale=locale)


@lru_cache(maxsize=16)
def _day_names(width: Literal["abbreviated", "short"], locale: str) -> dict[int, str]:
    return dict(get_day_names(width, locale=locale))


def _month_day(day: date, locale: str | None = None) -> str:
    """11/3, in the reader's language."""
    return _skeleton("Md", day, locale or _locale())


# --- navigation and home ---------------------------------------------------------------------


def home_panel() -> dict[str, object] | None:
    """The streak and words learned on the home page (two queries), for students."""
    if not current_user.has_role(Role.STUDENT):
        return None
    return {
        "streak": dashboard.current_streak(current_user, dates.now()),
        "words": dashboard.word_counts(current_user),
    }


@bp.record_once
def register_navigation(state: BlueprintSetupState) -> None:
    add_nav_item(
        state.app,
        NavItem(
            "progress.dashboard",
            lambda: _("My progress"),
            roles=frozenset({Role.STUDENT}),
            order=18,
        ),
    )
    add_home_panel(state.app, HomePanel("progress/_home_panel.html", home_panel, order=7))


# --- the charts, labelled in the reader's language -------------------------------------------


def accuracy_chart(weeks: Sequence[dashboard.WeekAccuracy]) -> Markup:
    """Quiz accuracy by week; every other week labelled (the latest always), so labels fit."""
    last = len(weeks) - 1
    points = []
    locale = _locale()
    for index, week in enumerate(weeks):
        accuracy = week.accuracy
        title = ""  # a week without answers draws no point, so it needs no title
        if accuracy is not None:
            title = _(
                "Week of %(date)s: %(percent)s (%(correct)s of %(answered)s)",
                date=_month_day(week.start, locale),
                percent=format_percent(accuracy),
                correct=week.correct,
                answered=week.answered,
            )
        label = _month_day(week.start, locale) if (last - index) % 2 == 0 else ""
        points.append(charts.Point(label=label, value=accuracy, title=title))
    ticks = [(value, format_percent(value)) for value in (0.0, 0.5, 1.0)]
    return charts.line_chart(
        points,
        label=_("Quiz accuracy by week, the last %(num)d weeks", num=len(weeks)),
        y_ticks=ticks,
    )


DAY_MARK = "\x00"  # stands for the day in a title translated once per count


def activity_title(
    day: date,
    count: int,
    by_count: dict[int, str] | None = None,
    format_day: Callable[[date], str] = dates.format_date,
) -> str:
    """ "3 Mar: 2 activities"; with `by_count`, each count is translated once, not once a day
    (and `format_day`, a `dates.day_formatter()`, looks up the reader's language once)."""
    if by_count is None:
        by_count = {}
    if count not in by_count:
        by_count[count] = ngettext(
            "%(date)s: %(num)d activity",
            "%(date)s: %(num)d activities",
            count,
            date=DAY_MARK,
        )
    return by_count[count].replace(DAY_MARK, format_day(day))


def activity_chart(cells: Sequence[dashboard.HeatCell]) -> Markup:
    """The calendar: a column per week, a row per weekday, months named above."""
    months = []
    locale = _locale()
    for cell in cells:
        if cell.day.day == 1 or (cell.column == 0 and cell.row == 0 and cell.day.day < 22):
            months.append((cell.column, _skeleton("MMM", cell.day, locale)))
    # a month's first day late in its week would put its name right next to the previous one
    months = [
        m for n, m in enumerate(months) if n + 1 >= len(months) or months[n + 1][0] - m[0] > 1
    ]
    names = _day_names("abbreviated", locale)
    if max(len(name) for name in names.values()) > WEEKDAY_LABEL_CHARS:  # ky: шейш., шарш.
        names = _day_names("short", locale)
    weekdays = [(row, names[row]) for row in (0, 2, 4)]
    columns = (cells[-1].column + 1) if cells else dashboard.HEATMAP_WEEKS
    by_count: dict[int, str] = {}
    format_day = dates.day_formatter()
    return charts.heatmap(
        [
            charts.Cell(
                c.column, c.row, c.level, activity_title(c.day, c.count, by_count, format_day)
            )
            for c in cells
        ],
        columns=columns,
        label=_("Activity calendar, the last %(num)d weeks", num=columns),
        month_labels=months,
        weekday_labels=weekdays,
    )


def activity_legend() -> Markup:
    steps = dashboard.HEAT_STEPS
    labels = [_("none")]
    for low, high in pairwise(steps):
        labels.append(f"{low}–{high - 1}")
    labels.append(f"{steps[-1]}+")
    return charts.heat_legend(labels, label=_("Activities a day"))


# --- the dashboard ---------------------------------------------------------------------------


@bp.get("/", endpoint="dashboard")
@login_required
def dashboard_page() -> ResponseReturnValue:
    """The signed-in user's own progress (nobody else's: there is no user in the URL)."""
    data = dashboard.build_dashboard(current_user, dates.now(), due_today=due_today())
    return render_template(
        "progress/dashboard.html",
        d=data,
        accuracy_chart=accuracy_chart(data.weeks) if data.answered else None,
        activity_chart=activity_chart(data.cells),
        activity_legend=activity_legend(),
        mastered_days=int(MASTERED_STABILITY_DAYS),
        teaches=is_teacher(current_user),
        accuracy_weeks=dashboard.ACCURACY_WEEKS,
        calendar_weeks=dashboard.HEATMAP_WEEKS,
        language=_locale()[:2],
        contrast_right=sounds.MASTERED_RIGHT,
        contrast_window=sounds.WINDOW,
        contrast_min=sounds.CONFUSED_MIN_ANSWERS,
        suggest_kyrgyz=suggest_kyrgyz(data),
    )


KYRGYZ_NOTE_COOKIE = "sabak_kyrgyz_note"


def suggest_kyrgyz(data: dashboard.Dashboard) -> bool:
    """The note suggesting the Kyrgyz interface: for a student halfway through a course who
    reads the interface in another language and has not put the note away."""
    return (
        current_user.has_role(Role.STUDENT)
        and interface_language() != "ky"
        and request.cookies.get(KYRGYZ_NOTE_COOKIE) != "dismissed"
        and dashboard.ready_for_kyrgyz(data.courses)
    )


@bp.post("/kyrgyz-note", endpoint="dismiss_kyrgyz_note")
@login_required
def dismiss_kyrgyz_note() -> ResponseReturnValue:
    """Put the note suggesting the Kyrgyz interface away on this device."""
    response = redirect(url_for("progress.dashboard"))
    response.set_cookie(
        KYRGYZ_NOTE_COOKIE,
        "dismissed",
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
    )
    return response


# --- the class dashboard ---------------------------------------------------------------------


@bp.get("/classes/<int:class_id>")
@login_required
def class_dashboard(class_id: int) -> ResponseReturnValue:
    """Each student at a glance (the longest inactive first), PAGE_SIZE a page in the order over the
    whole class, and the class's hardest words."""
    course_class = class_or_404(class_id, current_user)
    board = build_class_dashboard(course_class, dates.now())
    sort = "name" if request.args.get("sort") == "name" else "inactive"
    page = paginate_list(sort_students(board.students, sort), page_number(), PAGE_SIZE)
    # each date formatted once: a class of 1,000 has only a few dozen different days
    days = {row.last_day for row in page.items if row.last_day} | set(board.days)
    return render_template(
        "progress/class_dashboard.html",
        dashboard=board,
        course_class=course_class,
        page=page,
        students=page.items,
        sort=sort,
        activity_days=ACTIVITY_DAYS,
        inactive_after=INACTIVE_AFTER_DAYS,
        min_answers=MIN_ANSWERS,
        dates={day: dates.format_date(day) for day in days},
        short_dates=[dates.format_date(day) for day in board.days],
    )
