"""The gradebook, a sub-feature of progress: a class's students × assignments with their
progress and totals (`services`), its CSV and XLSX files (`exports`) and its pages (`views`).
What "learned" and "mastered" mean is in app.progress.learning.

The services are re-exported here, so callers write `gradebook.build_gradebook(...)`.
"""

from app.progress.gradebook.services import (
    PROGRESS_SORTS,
    SORT_KEYS,
    Cell,
    CellState,
    Column,
    Gradebook,
    Row,
    SubmissionRow,
    build_gradebook,
    cell_for,
    class_assignments,
    class_submissions,
    format_points,
    grading_link,
    queue_links,
    state_labels,
    valid_sort,
)

__all__ = [
    "PROGRESS_SORTS",
    "SORT_KEYS",
    "Cell",
    "CellState",
    "Column",
    "Gradebook",
    "Row",
    "SubmissionRow",
    "build_gradebook",
    "cell_for",
    "class_assignments",
    "class_submissions",
    "format_points",
    "grading_link",
    "queue_links",
    "state_labels",
    "valid_sort",
]
