"""Courses: `make_course` writes a course, its lessons and their words; `add_course` a course
being written (one lesson, edited by a teacher who also teaches a class of it). Both go through
`build_course`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pytest
from flask import Flask

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
# (ky, ja, en): the words of `add_course`, then numbered words
AUTHORING_WORDS = [
    ("салам", "こんにちは", "hello"),
    ("рахмат", "ありがとう", "thank you"),
    ("үй", "家", "house"),
]
Word = tuple[str, str, str, str]  # (ky, ja, en, part of speech)


@dataclass
class LessonPlan:
    """A lesson for `build_course`: its words are (ky, ja, en, pos), with example sentences
    when `examples`."""

    slug: str
    titles: tuple[str, str, str]  # ja, en, ky
    words: Sequence[Word]
    goals: tuple[list[str], list[str]] = ([], [])  # ja, en
    notes: str = ""
    published: bool = True
    examples: bool = False


@dataclass
class Built:
    course: Course
    lessons: list[Lesson]
    items: dict[str, int]  # ky → item id


def build_course(slug: str, titles: tuple[str, str, str], plans: Sequence[LessonPlan]) -> Built:
    """A course (titles ja, en, ky; level A1) with a lesson per plan, in the session (flushed).
    Needs an app context; the caller commits."""
    course = Course(
        slug=slug, title_ja=titles[0], title_en=titles[1], title_ky=titles[2], level="A1"
    )
    db.session.add(course)
    built = Built(course, [], {})
    for n, plan in enumerate(plans):
        lesson = Lesson(
            course=course,
            slug=plan.slug,
            position=n,
            title_ja=plan.titles[0],
            title_en=plan.titles[1],
            title_ky=plan.titles[2],
            goals_ja=plan.goals[0],
            goals_en=plan.goals[1],
            notes_ja=plan.notes,
            notes_en=plan.notes,
            published=plan.published,
        )
        db.session.add(lesson)
        db.session.flush()
        built.lessons.append(lesson)
        for position, (ky, ja, en, pos) in enumerate(plan.words):
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
            if plan.examples:
                item.example_ky = f"Бул {ky.split()[0]}."
                item.example_ja = f"これは{ja}です。"
                item.example_en = f"This is a {en}."
            db.session.add(item)
            db.session.flush()
            built.items[ky] = item.id
    return built


@dataclass(frozen=True)
class CourseInfo:
    id: int
    slug: str
    lesson_slugs: tuple[str, ...]
    lessons: tuple[int, ...] = ()  # lesson ids, in order
    items: dict[str, int] = field(default_factory=dict)  # ky → item id


def _default_words(lessons: int, items: int) -> list[list[Word]]:
    """`lessons` lists of `items` default words."""
    numbered = [
        (ky + ("" if n < len(WORDS) else f" {n}"), ja, en, "noun")
        for n in range(lessons * items)
        for ky, ja, en in [WORDS[n % len(WORDS)]]
    ]
    return [numbered[n * items : (n + 1) * items] for n in range(lessons)]


@pytest.fixture
def make_course(app: Flask) -> Callable[..., CourseInfo]:
    """A course with `lessons` lessons of `items` default words each, with example sentences
    (published unless told); or, given `words`, a lesson per list of (ky, ja, en, pos) words,
    without examples."""

    def factory(
        slug: str = "kyrgyz-test",
        lessons: int = 2,
        items: int = 3,
        notes: str = "",
        unpublished: tuple[int, ...] = (),
        words: Sequence[Sequence[Word]] | None = None,
    ) -> CourseInfo:
        plans = [
            LessonPlan(
                slug=f"lesson-{n + 1}",
                titles=(f"第{n + 1}課", f"Lesson {n + 1}", f"{n + 1}-сабак"),
                words=lesson_words,
                goals=(["目標"], ["a goal"]),
                notes=notes,
                published=n not in unpublished,
                examples=words is None,
            )
            for n, lesson_words in enumerate(words or _default_words(lessons, items))
        ]
        with app.app_context():
            built = build_course(slug, ("テスト講座", "Test course", "Сыноо курсу"), plans)
            db.session.commit()
            info = CourseInfo(
                built.course.id,
                slug,
                tuple(plan.slug for plan in plans),
                tuple(lesson.id for lesson in built.lessons),
                built.items,
            )
            db.session.remove()
        return info

    return factory


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
    words = [
        (*AUTHORING_WORDS[n], "noun")
        if n < len(AUTHORING_WORDS)
        else (f"сөз {n}", f"単語{n}", f"word {n}", "noun")
        for n in range(items)
    ]
    greetings = LessonPlan(
        slug="greetings",
        titles=("あいさつ", "Greetings", "Саламдашуу"),
        words=words,
        goals=(["あいさつができる"], ["Greet people"]),
    )
    with app.app_context():
        built = build_course(slug, ("キルギス語入門", "Kyrgyz A1", "Кыргыз тили"), [greetings])
        if teacher is not None:
            teacher_row = db.session.get_one(User, teacher.id)
            services.create_class(
                built.course,
                services.ClassDetails(name="火曜クラス", starts_on=None, ends_on=None, schedule=""),
                teacher=teacher_row,
            )
            services.add_editor(built.course, teacher_row)
        db.session.commit()
        facts = CourseFacts(
            slug, "greetings", built.lessons[0].id, tuple(built.items[w[0]] for w in words)
        )
        db.session.remove()
    return facts
