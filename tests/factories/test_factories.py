"""The factories build what the other tests rely on."""

from __future__ import annotations

from app.extensions import db
from app.lessons.models import CourseClass, Item
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


def test_a_course_of_given_words_and_its_class_with_a_new_teacher(
    app, make_course, make_class, make_user
):
    course = make_course(slug="words", words=[[("кол", "手", "hand", "noun")], []])
    student = make_user()
    made = make_class(course, students=(student,))
    with app.app_context():
        item = db.session.get(Item, course.items["кол"])
        assert item is not None and item.lesson_id == course.lessons[0]
        assert item.example_ky is None  # given words come without examples
        course_class = db.session.get(CourseClass, made["id"])
        assert course_class is not None and course_class.join_code == made["code"]
        assert [link.user.has_role("teacher") for link in course_class.teacher_links] == [True]
        assert [e.user_id for e in course_class.enrollments] == [student.id]
