"""Courses: `make_course` writes a course, its lessons and their words; `add_course` a course
being written (one lesson, edited by a teacher who also teaches a class of it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pytest
from flask import Flask
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.lessons import services
from app.lessons.models import Course, Item, Lesson
from tests.factories.users import UserInfo

# (ky, ja, en): the default words, given out in turn (with a number once they run out)
WORDS = [
    ("кол", "手", "hand"),
    ("көл", "湖", "lake"),
    ("үй", "家", "house"),
    ("китеп", "本", "book"),
    ("суу", "水", "water"),
    ("нан", "パン", "bread"),
]
Word = tuple[str, str, str, str]  # (ky, ja, en, part of speech)


@dataclass(frozen=True)
class CourseInfo:
    id: int
    slug: str
    lesson_slugs: tuple[str, ...]
    lessons: tuple[int, ...] = ()  # lesson ids, in order
    items: dict[str, int] = field(default_factory=dict)  # ky → item id


def _default_words(lessons: int, items: int) -> list[list[tuple[str, str, str, str, bool]]]:
    """`lessons` lists of `items` default words (with example sentences)."""
    counter = 0
    result = []
    for _ in range(lessons):
        words = []
        for _ in range(items):
            ky, ja, en = WORDS[counter % len(WORDS)]
            suffix = "" if counter < len(WORDS) else f" {counter}"
            counter += 1
            words.append((ky + suffix, ja, en, "noun", True))
        result.append(words)
    return result


@pytest.fixture
def make_course(app: Flask) -> Callable[..., CourseInfo]:
    """A course with `lessons` lessons of `items` default words each (published unless told);
    or, given `words`, a lesson per list of (ky, ja, en, pos) words, without examples."""

    def factory(
        slug: str = "kyrgyz-test",
        lessons: int = 2,
        items: int = 3,
        notes: str = "",
        unpublished: tuple[int, ...] = (),
        words: Sequence[Sequence[Word]] | None = None,
    ) -> CourseInfo:
        plan = (
            _default_words(lessons, items)
            if words is None
            else [[(*word, False) for word in lesson] for lesson in words]
        )
        with app.app_context():
            course = Course(
                slug=slug,
                title_ja="テスト講座",
                title_en="Test course",
                title_ky="Сыноо курсу",
                level="A1",
            )
            db.session.add(course)
            db.session.flush()
            lesson_ids: list[int] = []
            item_ids: dict[str, int] = {}
            for n, lesson_words in enumerate(plan):
                lesson = Lesson(
                    course=course,
                    slug=f"lesson-{n + 1}",
                    position=n,
                    title_ja=f"第{n + 1}課",
                    title_en=f"Lesson {n + 1}",
                    title_ky=f"{n + 1}-сабак",
                    goals_ja=["目標"],
                    goals_en=["a goal"],
                    notes_ja=notes,
                    notes_en=notes,
                    published=n not in unpublished,
                )
                db.session.add(lesson)
                db.session.flush()
                lesson_ids.append(lesson.id)
                for position, (ky, ja, en, pos, examples) in enumerate(lesson_words):
                    item = Item(
                        course_id=course.id,
                        lesson_id=lesson.id,
                        position=position,
                        ky=ky,
                        ja=ja,
                        en=en,
                        pos=pos,
                        kind="phrase" if pos == "phrase" else "word",
                    )
                    if examples:
                        item.example_ky = f"Бул {ky.split()[0]}."
                        item.example_ja = f"これは{ja}です。"
                        item.example_en = f"This is a {en}."
                    db.session.add(item)
                    db.session.flush()
                    item_ids[ky] = item.id
            db.session.commit()
            info = CourseInfo(
                course.id,
                course.slug,
                tuple(f"lesson-{n + 1}" for n in range(len(plan))),
                tuple(lesson_ids),
                item_ids,
            )
            db.session.remove()
        return info

    return factory


# (ky, ja, en): the words of `add_course`, then numbered words
AUTHORING_WORDS = [
    ("салам", "こんにちは", "hello"),
    ("рахмат", "ありがとう", "thank you"),
    ("үй", "家", "house"),
]


@dataclass(frozen=True)
class CourseFacts:
    slug: str
    lesson_slug: str
    lesson_id: int
    item_ids: tuple[int, ...]


def add_course(
    app: Flask, teacher: UserInfo | None, *, slug: str = "kyrgyz-a1", items: int = 3
) -> CourseFacts:
    """A course with one lesson of `items` words, edited by `teacher` (who also teaches a class)."""
    with app.app_context():
        course = Course(
            slug=slug,
            title_ja="キルギス語入門",
            title_en="Kyrgyz A1",
            title_ky="Кыргыз тили",
            level="A1",
        )
        lesson = Lesson(
            course=course,
            slug="greetings",
            title_ja="あいさつ",
            title_en="Greetings",
            title_ky="Саламдашуу",
            goals_ja=["あいさつができる"],
            goals_en=["Greet people"],
        )
        db.session.add_all([course, lesson])
        db.session.flush()
        for n in range(items):
            ky, ja, en = (
                AUTHORING_WORDS[n]
                if n < len(AUTHORING_WORDS)
                else (f"сөз {n}", f"単語{n}", f"word {n}")
            )
            db.session.add(
                Item(
                    course_id=course.id,
                    lesson_id=lesson.id,
                    position=n,
                    ky=ky,
                    ja=ja,
                    en=en,
                    pos="noun",
                )
            )
        if teacher is not None:
            teacher_row = db.session.get(User, teacher.id)
            services.create_class(
                course,
                services.ClassDetails(name="火曜クラス", starts_on=None, ends_on=None, schedule=""),
                teacher=teacher_row,
            )
            services.add_editor(course, teacher_row)
        db.session.commit()
        ids = db.session.scalars(
            select(Item.id).where(Item.lesson_id == lesson.id).order_by(Item.position)
        )
        facts = CourseFacts(course.slug, lesson.slug, lesson.id, tuple(ids))
        db.session.remove()
    return facts
