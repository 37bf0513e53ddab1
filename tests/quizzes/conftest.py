"""For the quizzes tests: a course of real Kyrgyz words (made by the shared course factory),
its class, a fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.factories.courses import CourseInfo, Word
from tests.factories.users import UserInfo

LESSON_1: list[Word] = [
    ("кол", "手", "hand", "noun"),
    ("көл", "湖", "lake", "noun"),
    ("үй", "家", "house", "noun"),
    ("китеп", "本", "book", "noun"),
    ("көчө", "通り", "street", "noun"),
    ("куш", "鳥", "bird", "noun"),
    ("чай", "お茶", "tea", "noun"),
    ("эшик", "ドア", "door", "noun"),
    ("жакшы", "良い", "good", "adjective"),
    ("чоң", "大きい", "big", "adjective"),
    ("Рахмат!", "ありがとう", "Thank you!", "phrase"),
]
LESSON_2: list[Word] = [
    ("суу", "水", "water", "noun"),
    ("нан", "パン", "bread", "noun"),
    ("тоо", "山", "mountain", "noun"),
    ("шаар", "町", "town", "noun"),
    ("кичине", "小さい", "small", "adjective"),
    ("жаңы", "新しい", "new", "adjective"),
]
NOW = datetime(2027, 4, 14, 1, 0, tzinfo=UTC)  # 10:00 in Tokyo


@pytest.fixture
def quiz_course(make_course: Callable[..., CourseInfo]) -> CourseInfo:
    """A course of two lessons with nouns, adjectives and a phrase."""
    return make_course(slug="kyrgyz-quiz", words=(LESSON_1, LESSON_2))


@pytest.fixture
def enrol(
    make_class: Callable[..., dict[str, Any]], enrol_students: Callable[..., None]
) -> Callable[..., None]:
    """Enrol students in the class of the course (opened on first use, with a new teacher)."""
    classes: dict[int, int] = {}

    def factory(course: CourseInfo, *students: UserInfo) -> None:
        if course.id not in classes:
            classes[course.id] = make_class(course, name="クラス")["id"]
        enrol_students(classes[course.id], *students)

    return factory


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The views' clock, fixed at NOW; set clock["now"] to move it."""
    state: dict[str, Any] = {"now": NOW}
    monkeypatch.setattr("app.core.dates.now", lambda: state["now"])
    monkeypatch.setattr("app.quizzes.services.new_seed", lambda: 7)
    return state
