"""Grading, a sub-feature of progress: the queue (`queue`), grading one submission with its
rubric and spoken comment (`services`) and releasing grades (`release`); their pages in `views`
and `release_views`, their forms in `forms`.

The services are re-exported here, so callers write `grading.save_grade(...)`.
"""

from app.progress.grading.queue import (
    PAGE_SIZE,
    STATE_FILTERS,
    FilterChoices,
    QueueFilter,
    QueueFilters,
    QueuePage,
    QueueRow,
    QueueState,
    awaiting_count,
    awaiting_select,
    filter_choices,
    grading_queue,
    next_waiting,
)
from app.progress.grading.release import (
    AlreadyReleased,
    NotGraded,
    graded_count,
    release_assignment,
    release_grade,
)
from app.progress.grading.services import (
    FEEDBACK_AUDIO_FOLDER,
    MAX_FEEDBACK_AUDIO_BYTES,
    GradeInput,
    GradingError,
    IncompleteGrade,
    PointsOutOfRange,
    RubricScore,
    SavedGrade,
    StaleGrade,
    current_grade,
    is_repeated_save,
    save_grade,
    scale_points,
    score_rubric,
    stored_choices,
    submission_for_grading,
)

__all__ = [
    "FEEDBACK_AUDIO_FOLDER",
    "MAX_FEEDBACK_AUDIO_BYTES",
    "PAGE_SIZE",
    "STATE_FILTERS",
    "AlreadyReleased",
    "FilterChoices",
    "GradeInput",
    "GradingError",
    "IncompleteGrade",
    "NotGraded",
    "PointsOutOfRange",
    "QueueFilter",
    "QueueFilters",
    "QueuePage",
    "QueueRow",
    "QueueState",
    "RubricScore",
    "SavedGrade",
    "StaleGrade",
    "awaiting_count",
    "awaiting_select",
    "current_grade",
    "filter_choices",
    "graded_count",
    "grading_queue",
    "is_repeated_save",
    "next_waiting",
    "release_assignment",
    "release_grade",
    "save_grade",
    "scale_points",
    "score_rubric",
    "stored_choices",
    "submission_for_grading",
]
