"""Demo data for `flask seed-demo`: every feature extends it so a newcomer sees a living app."""

from __future__ import annotations

from collections.abc import Iterator

from app.auth import services as accounts
from app.auth.models import Role

DEMO_ACCOUNTS = [
    ("student@example.com", "山田 花子", "ヤマダ ハナコ", [Role.STUDENT], "ja"),
    ("teacher@example.com", "Айгүл Асанова", None, [Role.TEACHER], "ja"),
    ("organizer@example.com", "佐藤 健", "サトウ ケン", [Role.ORGANIZER], "ja"),
    ("judge@example.com", "Бакыт Жумабеков", None, [Role.JUDGE], "en"),
    ("admin@example.com", "Sabak Admin", None, [Role.ADMIN], "en"),
]


def seed_demo_data(*, password: str) -> Iterator[str]:
    """Create what is missing and leave what exists alone; yields one line per step."""
    for email, name, katakana, roles, language in DEMO_ACCOUNTS:
        if accounts.get_user_by_email(email) is not None:
            yield f"exists: {email}"
            continue
        accounts.create_user(
            email=email,
            password=password,
            display_name=name,
            name_katakana=katakana,
            roles=roles,
            language=language,
        )
        yield f"created: {email} ({', '.join(roles)})"
