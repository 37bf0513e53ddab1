"""`flask users ...`: accounts from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.auth import services
from app.auth.models import Role
from app.core.i18n import LANGUAGE_NAMES
from app.extensions import db

users_cli = AppGroup("users", help="User accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option(
    "--name", "display_name", default=None, help="Display name (default: the e-mail's local part)."
)
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice([r.value for r in Role]),
    help="Repeat for several roles (default: student).",
)
@click.option(
    "--language", type=click.Choice(list(LANGUAGE_NAMES)), default="ja", show_default=True
)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create(
    email: str, display_name: str | None, roles: tuple[str, ...], language: str, password: str
) -> None:
    """Create an account with the given roles."""
    if len(password) < 8:
        raise click.ClickException("The password must have at least 8 characters.")
    try:
        user = services.create_user(
            email=email,
            password=password,
            display_name=display_name or email.split("@")[0],
            roles=roles or (Role.STUDENT,),
            language=language,
        )
    except services.EmailTaken as error:
        raise click.ClickException(f"An account with the e-mail {email} already exists.") from error
    db.session.commit()
    click.echo(f"Created user {user.id} <{user.email}> with roles: {', '.join(sorted(user.roles))}")
