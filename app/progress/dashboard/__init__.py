"""The dashboards, a sub-feature of progress: the student's (`services`, with the days, streak
and calendar in `activity`) and the class's for its teachers (`class_stats`); both pages are in
`views`.

The student's dashboard services are re-exported here, so callers write
`dashboard.build_dashboard(...)`.
"""

from app.progress.dashboard.activity import (
    ACCURACY_WEEKS,
    HEAT_STEPS,
    HEATMAP_WEEKS,
    STREAK_WINDOW_DAYS,
    DayActivity,
    HeatCell,
    Streak,
    WeekAccuracy,
    activity_by_day,
    current_streak,
    heatmap,
    local_date,
    streak,
    week_start,
    weekly_accuracy,
)
from app.progress.dashboard.services import (
    FEEDBACK_CHARS,
    FEEDBACK_LINES,
    GRADES_LIMIT,
    UPCOMING_LIMIT,
    CourseProgress,
    Dashboard,
    ReleasedGrade,
    UpcomingAssignment,
    WordCounts,
    build_dashboard,
    course_progress,
    feedback_excerpt,
    ready_for_kyrgyz,
    released_grades,
    upcoming_assignments,
    word_counts,
)

__all__ = [
    "ACCURACY_WEEKS",
    "FEEDBACK_CHARS",
    "FEEDBACK_LINES",
    "GRADES_LIMIT",
    "HEATMAP_WEEKS",
    "HEAT_STEPS",
    "STREAK_WINDOW_DAYS",
    "UPCOMING_LIMIT",
    "CourseProgress",
    "Dashboard",
    "DayActivity",
    "HeatCell",
    "ReleasedGrade",
    "Streak",
    "UpcomingAssignment",
    "WeekAccuracy",
    "WordCounts",
    "activity_by_day",
    "build_dashboard",
    "course_progress",
    "current_streak",
    "feedback_excerpt",
    "heatmap",
    "local_date",
    "ready_for_kyrgyz",
    "released_grades",
    "streak",
    "upcoming_assignments",
    "week_start",
    "weekly_accuracy",
    "word_counts",
]
