"""Assignments and their work: `make_rubric` and `make_assignment` go through the progress
services; `make_submission` writes a submission, its versions and optionally a grade directly
(any state at any time, without the submission window in the way)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from flask import Flask

from app.auth.models import User
from app.core.dbtypes import utcnow
from app.extensions import db
from app.lessons.models import CourseClass
from app.progress import assignments as service
from app.progress import rubrics
from app.progress.models import (
    AssignmentKind,
    Grade,
    GradeState,
    Submission,
    SubmissionVersion,
)

# (criterion, [(points, level description), …]): two criteria worth 4 + 6 = 10 points
RUBRIC = [
    ("内容 Content", [(0, "不足"), (2, "ふつう"), (4, "よい")]),
    ("発音 Pronunciation", [(0, "不足"), (3, "ふつう"), (6, "よい")]),
]


@pytest.fixture
def make_rubric(app: Flask) -> Callable[..., int]:
    """A rubric of `owner_id` (default: nobody's, and two criteria worth 4 + 6 = 10 points);
    returns its id."""

    def factory(
        owner_id: int | None = None,
        title: str = "スピーチ評価",
        criteria: rubrics.RubricTable | None = None,
    ) -> int:
        with app.app_context():
            # nobody's rubric: a User never saved, the service reads only its (missing) id
            owner = db.session.get_one(User, owner_id) if owner_id is not None else User()
            rubric = rubrics.create_rubric(owner, rubrics.rubric_details(title, criteria or RUBRIC))
            db.session.commit()
            rubric_id = rubric.id
            db.session.remove()
        return rubric_id

    return factory


@pytest.fixture
def make_assignment(app: Flask) -> Callable[..., int]:
    """An assignment of a class, set by its teacher (due in a week unless told); returns its id."""

    def factory(
        class_id: int,
        title: str = "自己紹介 Өзүм жөнүндө",
        kind: str = AssignmentKind.WRITTEN,
        due_at: datetime | None = None,
        max_points: int = 10,
        rubric_id: int | None = None,
        blind: bool = False,
        prompt: str = "自己紹介を書いてください。**Өзүңүз** жөнүндө жазыңыз.",
        lesson_id: int | None = None,
    ) -> int:
        with app.app_context():
            course_class = db.session.get_one(CourseClass, class_id)
            assignment = service.create_assignment(
                course_class,
                service.AssignmentDetails(
                    title=title,
                    prompt=prompt,
                    kind=kind,
                    due_at=due_at or utcnow() + timedelta(days=7),
                    max_points=max_points,
                    rubric_id=rubric_id,
                    lesson_id=lesson_id,
                    blind=blind,
                ),
                created_by=course_class.teacher_links[0].user,
            )
            db.session.commit()
            assignment_id = assignment.id
            db.session.remove()
        return assignment_id

    return factory


@pytest.fixture
def make_submission(app: Flask) -> Callable[..., int]:
    """A student's submission with `versions` submitted versions (0: a draft only);
    optionally a grade in `grade_state` with `points`. Returns the submission id."""

    def factory(
        assignment_id: int,
        student_id: int,
        text: str = "Менин атым Ханако. Мен Токиодо жашайм.",
        versions: int = 1,
        late: bool = False,
        audio_file: str | None = None,
        audio_mimetype: str | None = None,
        grade_state: str | None = None,
        points: float | None = None,
        feedback: str = "よくできました。Жакшы!",
        grader_id: int | None = None,
    ) -> int:
        with app.app_context():
            now = utcnow()
            submission = Submission(
                assignment_id=assignment_id,
                student_id=student_id,
                draft_text=text,
                draft_audio_file=audio_file,
                draft_audio_mimetype=audio_mimetype,
                draft_saved_at=now,
                version_count=versions,
                submitted_at=now if versions else None,
                late=late and versions > 0,
            )
            for number in range(1, versions + 1):
                submission.versions.append(
                    SubmissionVersion(
                        number=number,
                        text=text,
                        audio_file=audio_file,
                        audio_mimetype=audio_mimetype,
                        submitted_at=now,
                        late=late,
                    )
                )
            db.session.add(submission)
            db.session.flush()
            if grade_state is not None:
                db.session.add(
                    Grade(
                        submission_id=submission.id,
                        assignment_id=assignment_id,
                        student_id=student_id,
                        grader_id=grader_id,
                        state=grade_state,
                        points=points,
                        feedback=feedback,
                        graded_version=versions or None,
                        released_at=now if grade_state == GradeState.RELEASED else None,
                    )
                )
            db.session.commit()
            submission_id = submission.id
            db.session.remove()
        return submission_id

    return factory
