"""Classes: teachers make and run them, students join them by code or link."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.auth.models import Role, User
from app.core.confirm import Confirmation, ask, confirmed
from app.core.decorators import roles_required
from app.extensions import db
from app.lessons import services
from app.lessons.access import class_or_404
from app.lessons.forms import ClassForm, JoinForm
from app.lessons.models import Course, CourseClass, Enrollment
from app.lessons.views import bp, language, my_classes


def class_details(form: ClassForm) -> services.ClassDetails:
    return services.ClassDetails(
        name=form.name.data or "",
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        schedule=form.schedule.data or "",
        latin_input=bool(form.latin_input.data),
    )


def course_choices() -> list[tuple[int, str]]:
    lang = language()
    courses = db.session.scalars(select(Course).order_by(Course.level, Course.slug))
    return [(c.id, c.title(lang)) for c in courses]


@bp.get("/classes/")
@roles_required(Role.TEACHER, Role.ADMIN)
def classes() -> ResponseReturnValue:
    """The classes the teacher teaches, with their number of students."""
    _studying, teaching = my_classes(current_user)
    counts = dict(
        db.session.execute(
            select(Enrollment.class_id, func.count())
            .where(Enrollment.class_id.in_([c.id for c in teaching]))
            .group_by(Enrollment.class_id)
        ).all()
    )
    return render_template(
        "lessons/classes.html", classes=teaching, counts=counts, language=language()
    )


@bp.route("/classes/new", methods=["GET", "POST"])
@roles_required(Role.TEACHER, Role.ADMIN)
def new_class() -> ResponseReturnValue:
    form = ClassForm()
    form.set_courses(course_choices())
    if form.validate_on_submit():
        course = db.get_or_404(Course, form.course.data)
        course_class = services.create_class(course, class_details(form), teacher=current_user)
        db.session.commit()
        flash(_("The class has been created. Give your students its code."), "success")
        return redirect(url_for("lessons.class_detail", class_id=course_class.id))
    return render_template("lessons/class_form.html", form=form, course_class=None)


@bp.route("/classes/<int:class_id>/edit", methods=["GET", "POST"])
@roles_required(Role.TEACHER, Role.ADMIN)
def edit_class(class_id: int) -> ResponseReturnValue:
    course_class = class_or_404(class_id, current_user)
    form = ClassForm(obj=course_class)
    form.set_courses(course_choices())
    form.course.data = course_class.course_id
    if form.validate_on_submit():
        services.update_class(course_class, class_details(form))
        db.session.commit()
        flash(_("The class has been saved."), "success")
        return redirect(url_for("lessons.class_detail", class_id=course_class.id))
    return render_template("lessons/class_form.html", form=form, course_class=course_class)


@bp.get("/classes/<int:class_id>")
@roles_required(Role.TEACHER, Role.ADMIN)
def class_detail(class_id: int) -> ResponseReturnValue:
    """The roster, the join code and link."""
    course_class = class_or_404(class_id, current_user)
    roster = db.session.scalars(
        select(Enrollment)
        .where(Enrollment.class_id == course_class.id)
        .options(selectinload(Enrollment.user))
        .order_by(Enrollment.joined_at)
    ).all()
    teachers = db.session.scalars(
        select(User).where(User.id.in_([link.user_id for link in course_class.teacher_links]))
    ).all()
    return render_template(
        "lessons/class_detail.html",
        course_class=course_class,
        roster=roster,
        teachers=teachers,
        code=services.format_code(course_class.join_code),
        join_url=url_for("lessons.join_link", code=course_class.join_code, _external=True),
        language=language(),
    )


@bp.post("/classes/<int:class_id>/code")
@roles_required(Role.TEACHER, Role.ADMIN)
def regenerate_code(class_id: int) -> ResponseReturnValue:
    course_class = class_or_404(class_id, current_user)
    code = services.regenerate_code(course_class)
    db.session.commit()
    flash(
        _(
            "New class code: %(code)s. The old code no longer works.",
            code=services.format_code(code),
        ),
        "success",
    )
    return redirect(url_for("lessons.class_detail", class_id=course_class.id))


@bp.route("/classes/<int:class_id>/students/<int:user_id>/remove", methods=["GET", "POST"])
@roles_required(Role.TEACHER, Role.ADMIN)
def remove_student(class_id: int, user_id: int) -> ResponseReturnValue:
    course_class = class_or_404(class_id, current_user)
    if not confirmed():
        student = db.session.get(Enrollment, (course_class.id, user_id))
        if student is None:
            abort(404)
        return ask(
            Confirmation(
                title=_("Remove %(name)s from the class?", name=student.user.display_name),
                action=url_for("lessons.remove_student", class_id=class_id, user_id=user_id),
                button=_("Remove"),
                cancel_url=url_for("lessons.class_detail", class_id=class_id),
                cancel_label=_("Keep them"),
                lines=(
                    _(
                        "They leave “%(name)s”: they no longer see its assignments, and its "
                        "teachers no longer see their work. Their own progress stays theirs; "
                        "they can join again with the class code.",
                        name=course_class.name,
                    ),
                ),
            )
        )
    services.remove_student(course_class, user_id)
    db.session.commit()
    flash(_("The student has been removed from the class."), "info")
    return redirect(url_for("lessons.class_detail", class_id=course_class.id))


@bp.route("/join", methods=["GET", "POST"])
@login_required
def join() -> ResponseReturnValue:
    """A student types the class code their teacher gave them."""
    form = JoinForm()
    if form.validate_on_submit():
        try:
            course_class = services.join_class(current_user, form.code.data or "")
        except services.UnknownJoinCode:
            form.code.errors.append(_("No class has this code. Please check it with your teacher."))
        else:
            db.session.commit()
            return joined(course_class)
    return render_template("lessons/join.html", form=form, course_class=None)


@bp.route("/join/<code>", methods=["GET", "POST"])
@login_required
def join_link(code: str) -> ResponseReturnValue:
    """The join link: shows the class, and joins with one click."""
    course_class = services.class_for_code(code)
    if course_class is None:
        flash(
            _("This class link is no longer valid. Please ask your teacher for the new code."),
            "error",
        )
        return redirect(url_for("lessons.join"))
    if request.method == "POST":
        services.join_class(current_user, code)
        db.session.commit()
        return joined(course_class)
    form = JoinForm(code=services.format_code(course_class.join_code))
    return render_template(
        "lessons/join.html", form=form, course_class=course_class, language=language()
    )


def joined(course_class: CourseClass) -> ResponseReturnValue:
    flash(_("You have joined %(name)s.", name=course_class.name), "success")
    return redirect(url_for("lessons.course", course_slug=course_class.course.slug))
