"""For the sentence tests: a course whose words have real example sentences, its class."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from app.extensions import db
from app.lessons.models import Item
from tests.factories.courses import CourseInfo, Word

WORDS: list[Word] = [
    ("мектеп", "学校", "school", "noun"),
    ("бар-", "行く", "to go", "verb"),
    ("студент", "学生", "student", "noun"),
    ("китеп", "本", "book", "noun"),
    ("суу", "水", "water", "noun"),
]
# ky → (example_ky, example_ja, example_en)
EXAMPLES = {
    "мектеп": ("Мен мектепке барам.", "私は学校へ行きます。", "I go to school."),
    "бар-": (
        "Биз эртең базарга барабыз.",
        "明日私たちはバザールへ行きます。",
        "Tomorrow we go to the bazaar.",
    ),
    "студент": ("Мен студентмин.", "私は学生です。", "I am a student."),
    "китеп": ("Бул китеп абдан жакшы.", "この本はとても良いです。", "This book is very good."),
    "суу": ("Суу", "水", "Water"),  # one word: nothing to put in order
}


@pytest.fixture
def sentence_course(app: Flask, make_course: Callable[..., CourseInfo]) -> CourseInfo:
    course = make_course(slug="kyrgyz-sentences", words=(WORDS,))
    with app.app_context():
        for ky, (example_ky, example_ja, example_en) in EXAMPLES.items():
            item = db.session.get_one(Item, course.items[ky])
            item.example_ky, item.example_ja, item.example_en = example_ky, example_ja, example_en
        db.session.commit()
        db.session.remove()
    return course


@pytest.fixture
def sentence_student(
    auth: Any, enrol: Callable[..., None], sentence_course: CourseInfo, clock: Any
) -> Any:
    user = auth.login("student")
    enrol(sentence_course, user)
    return user
