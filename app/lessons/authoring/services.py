"""Teacher authoring: lessons, words and phrases. Every edit keeps the row (and its id).

Students' progress points at lessons and items by id, so nothing here deletes a lesson or an item:
edits change rows in place, a word taken out of a lesson is retired (hidden), and positions are
renumbered rather than rows recreated. Functions flush; the view commits once.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.kyrgyz.latin import slugify
from app.lessons.models import Course, Item, Lesson
from app.lessons.services import LessonsError

Direction = Literal["up", "down"]
# Path segments of our own routes next to a lesson's slug (/lessons/courses/<course>/<segment>).
RESERVED_SLUGS = frozenset({"new-lesson", "preview-notes"})


class EditingError(LessonsError):
    """An edit broke a rule; the view turns it into a message next to the field."""


class DuplicateItem(EditingError):
    """The Kyrgyz text is already a word or phrase of this course."""

    def __init__(self, existing: Item | None) -> None:
        super().__init__("duplicate item")
        self.existing = existing


class DuplicateLessonSlug(EditingError):
    """Another lesson of the course has this slug."""


@dataclass(frozen=True)
class LessonDetails:
    title_ja: str
    title_en: str
    title_ky: str
    goals_ja: tuple[str, ...] = ()
    goals_en: tuple[str, ...] = ()
    notes_ja: str = ""
    notes_en: str = ""
    published: bool = False


@dataclass(frozen=True)
class ItemDetails:
    ky: str
    ja: str
    en: str
    pos: str
    kind: str
    also_accepted: tuple[str, ...] = ()
    example_ky: str | None = None
    example_ja: str | None = None
    example_en: str | None = None


def clean_lines(lines: Iterable[str]) -> list[str]:
    """Trimmed, non-empty lines in NFC, without repeats, in their order."""
    seen: list[str] = []
    for line in lines:
        text = unicodedata.normalize("NFC", line).strip()
        if text and text not in seen:
            seen.append(text)
    return seen


def _optional(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


# --- lessons ---------------------------------------------------------------------------------


def _apply_lesson(lesson: Lesson, details: LessonDetails) -> None:
    lesson.title_ja = details.title_ja.strip()
    lesson.title_en = details.title_en.strip()
    lesson.title_ky = unicodedata.normalize("NFC", details.title_ky.strip())
    lesson.goals_ja = clean_lines(details.goals_ja)
    lesson.goals_en = clean_lines(details.goals_en)
    lesson.notes_ja = details.notes_ja
    lesson.notes_en = details.notes_en
    lesson.published = details.published


def _free_slug(course: Course, base: str) -> str:
    """`base`, or `base-2`, `base-3`... whichever no lesson of the course uses yet."""
    taken = RESERVED_SLUGS | set(
        db.session.scalars(
            select(Lesson.slug).where(Lesson.course_id == course.id, Lesson.slug.like(f"{base}%"))
        )
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def create_lesson(course: Course, details: LessonDetails, slug: str | None = None) -> Lesson:
    """A new lesson at the end of the course; without a slug one is made from the English title."""
    chosen = slug or _free_slug(course, slugify(details.title_en)[:70].strip("-") or "lesson")
    last = db.session.scalar(select(func.max(Lesson.position)).where(Lesson.course_id == course.id))
    lesson = Lesson(course_id=course.id, slug=chosen, position=0 if last is None else last + 1)
    try:
        with db.session.begin_nested():
            _apply_lesson(lesson, details)
            db.session.add(lesson)
            db.session.flush()
    except IntegrityError as error:
        raise DuplicateLessonSlug(chosen) from error
    return lesson


def update_lesson(lesson: Lesson, details: LessonDetails) -> None:
    """Change the lesson's titles, goals, notes and visibility in place (its slug stays)."""
    _apply_lesson(lesson, details)
    db.session.flush()


def set_published(lesson: Lesson, published: bool) -> None:
    """Show the lesson to students, or hide it while it is being written."""
    lesson.published = published
    db.session.flush()


# --- words and phrases -----------------------------------------------------------------------


def _kyrgyz(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _apply_item(item: Item, details: ItemDetails) -> None:
    item.ky = _kyrgyz(details.ky)
    item.ja = details.ja.strip()
    item.en = details.en.strip()
    item.pos = details.pos
    item.kind = details.kind
    item.also_accepted = [a for a in clean_lines(details.also_accepted) if a != item.ky]
    example_ky = _optional(details.example_ky)
    item.example_ky = _kyrgyz(example_ky) if example_ky else None
    item.example_ja = _optional(details.example_ja)
    item.example_en = _optional(details.example_en)


def _save_item(item: Item, details: ItemDetails) -> None:
    """Apply and flush in a savepoint: the (course_id, ky) constraint gives DuplicateItem.

    The changes are made inside the savepoint so that its rollback also undoes them in the
    session (and the page can still be rendered); a concurrent insert of the same word is
    caught the same way.
    """
    course_id = item.course_id
    try:
        with db.session.begin_nested():
            _apply_item(item, details)
            db.session.add(item)
            db.session.flush()
    except IntegrityError as error:
        existing = db.session.scalar(
            select(Item).where(Item.course_id == course_id, Item.ky == _kyrgyz(details.ky))
        )
        raise DuplicateItem(existing) from error


def create_item(lesson: Lesson, details: ItemDetails) -> Item:
    """A new word or phrase at the end of the lesson; its Kyrgyz must be new to the course."""
    count = db.session.scalar(select(func.count()).where(Item.lesson_id == lesson.id)) or 0
    item = Item(course_id=lesson.course_id, lesson_id=lesson.id, position=count)
    _save_item(item, details)
    return item


def update_item(item: Item, details: ItemDetails) -> None:
    """Change a word or phrase in place, so students' progress on it stays."""
    _save_item(item, details)


def move_item(item: Item, direction: Direction) -> None:
    """Swap the item with its neighbour; the lesson's positions become 0..n-1 again."""
    # Lock the lesson so that two teachers reordering at once take turns (PostgreSQL).
    db.session.execute(select(Lesson.id).where(Lesson.id == item.lesson_id).with_for_update())
    siblings = list(
        db.session.scalars(
            select(Item).where(Item.lesson_id == item.lesson_id).order_by(Item.position, Item.id)
        )
    )
    index = siblings.index(item)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            sibling.position = position
    db.session.flush()


def retire_item(item: Item) -> None:
    """Hide the item from students; their progress on it is kept and it can be restored."""
    item.retired = True
    db.session.flush()


def restore_item(item: Item) -> None:
    """Show a retired item to students again."""
    item.retired = False
    db.session.flush()
