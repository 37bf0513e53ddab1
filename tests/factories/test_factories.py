"""The progress factories build what the other tests rely on."""

from __future__ import annotations

from app.extensions import db
from app.progress.models import Grade, GradeState, Rubric, Submission


def test_factories_build_a_graded_submission(
    app, progress_class, make_rubric, make_assignment, make_submission
):
    info = progress_class(students=2)
    rubric_id = make_rubric(owner_id=info.teacher.id)
    assignment_id = make_assignment(info.id, rubric_id=rubric_id)
    submission_id = make_submission(
        assignment_id, info.students[0].id, versions=2, grade_state=GradeState.DRAFT, points=7
    )
    with app.app_context():
        rubric = db.session.get(Rubric, rubric_id)
        assert rubric is not None and rubric.max_points == 10
        submission = db.session.get(Submission, submission_id)
        assert submission is not None
        assert [v.number for v in submission.versions] == [1, 2]
        grade = db.session.get(Grade, submission.grade.id if submission.grade else 0)
        assert grade is not None and grade.points == 7 and grade.version == 1
