"""Rubrics, a sub-feature of progress: `services` (criteria, levels, locks, sharing), `forms`
(the editor) and `views` (the teachers' rubric pages). Grading scores them (`grading.services`).

The services are re-exported here, so callers write `rubrics.get_rubric(...)`.
"""

from app.progress.rubrics.services import (
    CriterionDetails,
    LevelDetails,
    RubricDetails,
    RubricError,
    RubricLocked,
    RubricRow,
    RubricTable,
    can_edit_rubric,
    can_use_rubric,
    create_rubric,
    duplicate_rubric,
    get_rubric,
    locked_rubric_ids,
    rubric_choices,
    rubric_details,
    rubric_locked,
    teacher_rubrics,
    update_rubric,
)

__all__ = [
    "CriterionDetails",
    "LevelDetails",
    "RubricDetails",
    "RubricError",
    "RubricLocked",
    "RubricRow",
    "RubricTable",
    "can_edit_rubric",
    "can_use_rubric",
    "create_rubric",
    "duplicate_rubric",
    "get_rubric",
    "locked_rubric_ids",
    "rubric_choices",
    "rubric_details",
    "rubric_locked",
    "teacher_rubrics",
    "update_rubric",
]
