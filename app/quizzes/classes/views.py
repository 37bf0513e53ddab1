"""Teachers' view of a class's quizzes: each lesson's error rate, the words it gets wrong most."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.models import Role
from app.core.decorators import roles_required
from app.extensions import db
from app.lessons.access import class_or_404, taught_by
from app.lessons.models import Course, CourseClass, Lesson
from app.quizzes import stats
from app.quizzes.views import bp, language


@bp.get("/classes/<int:class_id>")
@roles_required(Role.TEACHER, Role.ADMIN)
def class_quizzes(class_id: int) -> ResponseReturnValue:
    """Each lesson's answers and error rate in the class, linking to the words."""
    course_class = class_or_404(class_id, current_user)
    lessons = db.session.scalars(
        select(Lesson)
        .where(Lesson.course_id == course_class.course_id, Lesson.retired.is_(False))
        .order_by(Lesson.position)
    ).all()
    return render_template(
        "quizzes/class_quizzes.html",
        course_class=course_class,
        lessons=lessons,
        summaries=stats.lesson_summaries(course_class),
        language=language(),
    )


@bp.get("/classes/<int:class_id>/lessons/<int:lesson_id>")
@roles_required(Role.TEACHER, Role.ADMIN)
def class_lesson(class_id: int, lesson_id: int) -> ResponseReturnValue:
    """The lesson's words the class gets wrong most, with the commonest wrong answers."""
    course_class = class_or_404(class_id, current_user)
    lesson = db.one_or_404(
        select(Lesson)
        .where(Lesson.id == lesson_id, Lesson.course_id == course_class.course_id)
        .options(selectinload(Lesson.items))
    )
    return render_template(
        "quizzes/class_lesson.html",
        course_class=course_class,
        lesson=lesson,
        words=stats.word_stats(course_class, lesson),
        language=language(),
    )


@bp.get("/courses/<course_slug>/<lesson_slug>/class-results")
@roles_required(Role.TEACHER, Role.ADMIN)
def lesson_results(course_slug: str, lesson_slug: str) -> ResponseReturnValue:
    """From a lesson page: the teacher's class's results (a choice when they teach several)."""
    lesson = db.one_or_404(
        select(Lesson)
        .join(Course, Course.id == Lesson.course_id)
        .where(Course.slug == course_slug, Lesson.slug == lesson_slug)
    )
    query = select(CourseClass).where(
        CourseClass.course_id == lesson.course_id, taught_by(current_user, CourseClass.id)
    )
    classes = db.session.scalars(query.order_by(CourseClass.id.desc())).all()
    if not classes:
        abort(404)
    if len(classes) == 1:
        return redirect(
            url_for("quizzes.class_lesson", class_id=classes[0].id, lesson_id=lesson.id)
        )
    return render_template(
        "quizzes/choose_class.html", lesson=lesson, classes=classes, language=language()
    )
