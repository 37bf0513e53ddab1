"""Demo data for `flask seed-demo`: the demo accounts here, then each feature's seeder in order.

A feature registers its seeder while its blueprint is registered, as it does its navigation
(`add_seeder(state.app, DemoSeeder(...))` from `<feature>/seed.py`); every seeder creates what is
missing, leaves what exists alone, and yields one line per step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from flask import current_app
from flask.sansio.app import App

from app.auth import services as accounts
from app.auth.models import Role, User
from app.core.dbtypes import utcnow

if TYPE_CHECKING:
    from app.lessons.models import CourseClass

DEMO_ACCOUNTS = [
    ("student@example.com", "山田 花子", "ヤマダ ハナコ", [Role.STUDENT], "ja"),
    ("teacher@example.com", "Айгүл Асанова", None, [Role.TEACHER], "ja"),
    ("organizer@example.com", "佐藤 健", "サトウ ケン", [Role.ORGANIZER], "ja"),
    ("judge@example.com", "Бакыт Жумабеков", None, [Role.JUDGE], "en"),
    ("admin@example.com", "Sabak Admin", None, [Role.ADMIN], "en"),
    # The Embassy's Kyrgyz staff run the contest and the events in Kyrgyz.
    ("embassy@example.com", "Нурлан Токтогулов", None, [Role.ORGANIZER], "ky"),
]
# Classmates of the demo class, each with some progress.
DEMO_CLASSMATES = [
    ("tanaka.yui@example.com", "田中 由衣", "タナカ ユイ"),
    ("suzuki.kenta@example.com", "鈴木 健太", "スズキ ケンタ"),
    ("takahashi.mai@example.com", "高橋 舞", "タカハシ マイ"),
    ("ito.daisuke@example.com", "伊藤 大輔", "イトウ ダイスケ"),
    ("watanabe.aoi@example.com", "渡辺 葵 (JICA)", "ワタナベ アオイ"),
    ("kobayashi.ren@example.com", "小林 蓮", "コバヤシ レン"),
]
INACTIVE_DAYS = 9  # the demo class's last classmate hasn't studied for this long


@dataclass
class DemoData:
    """What the seeders share: the demo accounts by e-mail, the classmates, the moment of the run,
    and what earlier seeders made for later ones (the demo class)."""

    password: str
    users: dict[str, User]
    classmates: list[User]
    now: datetime = field(default_factory=utcnow)
    course_class: CourseClass | None = None


@dataclass(frozen=True)
class DemoSeeder:
    """One feature's demo data; seeders run by `order`, smallest first."""

    name: str
    run: Callable[[DemoData], Iterator[str]]
    order: int = 50


def add_seeder(app: App, seeder: DemoSeeder) -> None:
    """Register a feature's demo seeder (called while blueprints are registered)."""
    app.extensions.setdefault("sabak_seeders", []).append(seeder)


def seed_demo_data(*, password: str) -> Iterator[str]:
    """Create what is missing and leave what exists alone; yields one line per step."""
    users = {}
    for email, name, katakana, roles, language in DEMO_ACCOUNTS:
        users[email] = _account(email, password, name, katakana, roles, language)
        yield f"account: {email}"
    classmates = [
        _account(email, password, name, katakana, [Role.STUDENT], "ja")
        for email, name, katakana in DEMO_CLASSMATES
    ]
    yield f"classmates: {len(classmates)}"
    data = DemoData(password=password, users=users, classmates=classmates)
    for seeder in sorted(current_app.extensions.get("sabak_seeders", []), key=lambda s: s.order):
        yield from seeder.run(data)


def _account(
    email: str, password: str, name: str, katakana: str | None, roles: list[Role], language: str
) -> User:
    user = accounts.get_user_by_email(email)
    if user is None:
        user = accounts.create_user(
            email=email,
            password=password,
            display_name=name,
            name_katakana=katakana,
            roles=roles,
            language=language,
        )
    return user
