"""`flask lessons ...`: course files in and out of the database."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import select

from app.auth.models import Role
from app.auth.services import get_user_by_email
from app.extensions import db
from app.lessons.course_files import (
    CourseFileError,
    CourseInvalid,
    export_course,
    import_course,
    load_course_dir,
)
from app.lessons.models import Course
from app.lessons.services import add_editor
from app.lessons.views import bp

__all__ = ["bp"]


def _echo_errors(root: Path, errors: tuple[CourseFileError, ...]) -> None:
    """Each error as path:line: message, which editors and terminals can jump to."""
    for error in errors:
        location = f"{root / error.file}:{error.line}" if error.line else str(root / error.file)
        click.echo(f"{location}: {error.message}", err=True)


@bp.cli.command("import")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--editor",
    "editor_email",
    help="E-mail of the teacher importing the course: they become its editor.",
)
def import_command(path: Path, editor_email: str | None) -> None:
    """Import or update a course from its folder, e.g. content/courses/kyrgyz-a1."""
    editor = None
    if editor_email:
        editor = get_user_by_email(editor_email)
        if editor is None or not editor.has_any_role(Role.TEACHER, Role.ADMIN):
            raise click.ClickException(f"No teacher has the e-mail address {editor_email!r}.")
    try:
        report = import_course(path)
    except CourseInvalid as invalid:
        db.session.rollback()
        _echo_errors(path, invalid.errors)
        click.echo(f"{len(invalid.errors)} error(s); nothing was imported.", err=True)
        raise click.exceptions.Exit(1) from None
    if editor is not None:
        course = db.session.scalars(select(Course).where(Course.slug == report.course)).one()
        add_editor(course, editor)
    db.session.commit()
    click.echo(f"Imported {path}: {report}.")
    if editor is not None:
        click.echo(f"{editor.email} edits the course.")


@bp.cli.command("export")
@click.argument("slug")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write (default: content/courses/<slug>).",
)
def export_command(slug: str, out_dir: Path | None) -> None:
    """Write a course's files (course.yaml, lessons/, audio/) from the database."""
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if course is None:
        known = list(db.session.scalars(select(Course.slug).order_by(Course.slug)))
        hint = f"known courses: {', '.join(known)}" if known else "no course has been imported"
        raise click.ClickException(f"No course with the slug {slug!r} ({hint}).")
    target = out_dir or Path("content", "courses", slug)
    report = export_course(course, target)
    click.echo(
        f"Exported {slug} to {target}: {report.lessons} lessons, {report.items} items, "
        f"{report.audio_files} audio files."
    )
    for ky in report.missing_audio:
        click.echo(f"warning: the recording of {ky!r} is missing; written without audio", err=True)
    # A course edited on the web may hold what the files do not allow (say, an empty gloss).
    errors = load_course_dir(target).errors
    _echo_errors(target, errors)
    if errors:
        click.echo(
            f"{len(errors)} error(s): the exported files will not import as they are.", err=True
        )
        raise click.exceptions.Exit(1)
