"""Assignments, a sub-feature of progress: setting them (`services`), the lists of work for
teachers and students (`lists`), submissions written and spoken, with the late rules and
reopening (`submissions`), and the recordings on disk (`recordings`). Their pages: `views`
(teachers) and `submission_views` (students); their forms: `forms`.

The services are re-exported here, so callers write `assignments.save_work(...)`.
`MAX_SUBMISSION_BYTES` is read from `submissions` (one place to change or patch it).
"""

from app.progress.assignments.lists import (
    AssignmentSummary,
    MyAssignment,
    StudentRow,
    class_assignment_summaries,
    my_assignments,
    open_unsubmitted_count,
    open_unsubmitted_select,
    student_rows,
)
from app.progress.assignments.recordings import (
    AUDIO_FOLDER,
    discard_audio,
    discard_unused_audio,
    version_audio,
)
from app.progress.assignments.services import (
    AssignmentDetails,
    AssignmentError,
    FieldsLocked,
    HasSubmissions,
    class_lessons,
    create_assignment,
    delete_assignment,
    grades_exist,
    update_assignment,
)
from app.progress.assignments.submissions import (
    AudioTooLarge,
    GradingStarted,
    NotAnAudioFile,
    NothingToSubmit,
    SubmissionClosed,
    SubmitResult,
    Window,
    WorkSaved,
    get_or_create_submission,
    has_content,
    own_submission,
    reopen,
    save_work,
    submission_window,
    submit,
)

__all__ = [
    "AUDIO_FOLDER",
    "AssignmentDetails",
    "AssignmentError",
    "AssignmentSummary",
    "AudioTooLarge",
    "FieldsLocked",
    "GradingStarted",
    "HasSubmissions",
    "MyAssignment",
    "NotAnAudioFile",
    "NothingToSubmit",
    "StudentRow",
    "SubmissionClosed",
    "SubmitResult",
    "Window",
    "WorkSaved",
    "class_assignment_summaries",
    "class_lessons",
    "create_assignment",
    "delete_assignment",
    "discard_audio",
    "discard_unused_audio",
    "get_or_create_submission",
    "grades_exist",
    "has_content",
    "my_assignments",
    "open_unsubmitted_count",
    "open_unsubmitted_select",
    "own_submission",
    "reopen",
    "save_work",
    "student_rows",
    "submission_window",
    "submit",
    "update_assignment",
    "version_audio",
]
