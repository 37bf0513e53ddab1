"""Class and progress rules, called directly."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.lessons import access, services
from app.lessons.models import Course, CourseClass, Enrollment, Lesson, LessonProgress


def test_join_codes_are_unambiguous_and_unique(app_ctx, make_course, make_user, make_class):
    course = make_course()
    teacher = make_user(roles="teacher")
    codes = {make_class(course, teacher, name=f"class {n}")["code"] for n in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == 8 and not set(code) & set("01OIL")


def test_join_with_code_in_any_form_and_twice(app_ctx, make_course, make_user, make_class):
    course = make_course()
    created = make_class(course, make_user(roles="teacher"))
    student = db.session.get(User, make_user().id)
    code = created["code"]
    typed = f" {code[:4].lower()}-{code[4:]} "
    assert services.join_class(student, typed).id == created["id"]
    services.join_class(student, code)  # again: harmless
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 1
    with pytest.raises(services.UnknownJoinCode):
        services.join_class(student, "ZZZZ-ZZZZ")


def test_regenerated_code_replaces_the_old_one(app_ctx, make_course, make_user, make_class):
    created = make_class(make_course(), make_user(roles="teacher"))
    course_class = db.session.get(CourseClass, created["id"])
    new = services.regenerate_code(course_class)
    db.session.commit()
    assert new != created["code"]
    assert services.class_for_code(created["code"]) is None
    assert services.class_for_code(new).id == created["id"]


def test_who_may_view_and_edit_a_course(app_ctx, make_course, make_user, make_class):
    info = make_course()
    other = make_course(slug="other")
    teacher = make_user(roles="teacher")
    student = make_user()
    make_class(info, teacher, students=(student,))
    course = db.session.get(Course, info.id)
    other_course = db.session.get(Course, other.id)
    t, s = db.session.get(User, teacher.id), db.session.get(User, student.id)
    admin = db.session.get(User, make_user(roles="admin").id)
    stranger = db.session.get(User, make_user(roles="teacher").id)
    # Teaching a class of the course lets a teacher see it, not edit it: editors edit.
    assert access.can_view_course(t, course) and not access.can_edit_course(t, course)
    assert services.add_editor(course, t, by=admin)
    assert access.can_edit_course(t, course) and access.can_view_course(t, course)
    assert not access.can_edit_course(t, other_course)
    assert access.can_view_course(s, course) and not access.can_edit_course(s, course)
    assert not access.can_view_course(s, other_course)
    assert access.can_edit_course(admin, other_course)
    assert not access.can_view_course(stranger, course)


def test_mark_done_is_idempotent(app_ctx, make_course, make_user):
    info = make_course()
    student = db.session.get(User, make_user().id)
    lesson = db.session.scalar(select(Lesson).where(Lesson.course_id == info.id).limit(1))
    services.mark_done(student, lesson)
    services.mark_done(student, lesson)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(LessonProgress)) == 1
    assert services.done_lesson_ids(student, [lesson.id]) == {lesson.id}
    services.mark_not_done(student, lesson)
    db.session.commit()
    assert services.done_lesson_ids(student, [lesson.id]) == set()


def test_removing_a_student_keeps_their_progress(app_ctx, make_course, make_user, make_class):
    info = make_course()
    student = make_user()
    created = make_class(info, make_user(roles="teacher"), students=(student,))
    user = db.session.get(User, student.id)
    lesson = db.session.scalar(select(Lesson).where(Lesson.course_id == info.id).limit(1))
    services.mark_done(user, lesson)
    services.remove_student(db.session.get(CourseClass, created["id"]), student.id)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 0
    assert services.done_lesson_ids(user, [lesson.id]) == {lesson.id}


def test_course_editors_are_teachers_and_the_last_stays(app_ctx, make_course, make_user):
    course = db.session.get(Course, make_course().id)
    first = db.session.get(User, make_user(roles="teacher", display_name="Айгүл").id)
    second = db.session.get(User, make_user(roles="teacher", display_name="Бакыт").id)
    student = db.session.get(User, make_user().id)
    admin = db.session.get(User, make_user(roles="admin").id)
    with pytest.raises(services.NotATeacher):
        services.add_editor(course, student, by=first)
    assert services.add_editor(course, first) is True
    assert services.add_editor(course, first) is False  # twice is harmless
    assert services.add_editor(course, second, by=first) is True
    assert [u.display_name for u in services.course_editors(course)] == ["Айгүл", "Бакыт"]
    services.remove_editor(course, second, by=first)
    assert not access.can_edit_course(second, course)
    with pytest.raises(services.LastEditor):
        services.remove_editor(course, first, by=first)
    assert access.can_edit_course(first, course)
    services.remove_editor(course, first, by=admin)  # an admin may leave a course to admins
    db.session.commit()
    assert services.course_editors(course) == []
    assert access.can_edit_course(admin, course) and not access.can_edit_course(first, course)
