"""Import: a course folder into the database, in place, so that students' work survives."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select

from app.core.media import audio_exists, read_audio, store_audio
from app.extensions import db
from app.kyrgyz.normalize import normalize
from app.lessons.course_files.folder import (
    AudioFile,
    CourseFiles,
    CourseInvalid,
    ItemData,
    LessonData,
)
from app.lessons.course_files.loading import load_course_dir
from app.lessons.models import AudioSource, Course, Item, Lesson
from app.lessons.services import (
    items_with_progress,
    lessons_with_progress,
    web_accepted_answers,
)


@dataclass(frozen=True)
class ImportReport:
    """What an import changed."""

    course: str
    course_created: bool = False
    course_updated: bool = False
    lessons_created: int = 0
    lessons_updated: int = 0
    lessons_restored: int = 0
    lessons_retired: int = 0
    lessons_deleted: int = 0
    items_created: int = 0
    items_updated: int = 0
    items_restored: int = 0
    items_retired: int = 0
    items_deleted: int = 0
    audio_stored: int = 0

    def __str__(self) -> str:
        course = (
            "created" if self.course_created else "updated" if self.course_updated else "unchanged"
        )
        return (
            f"course {self.course} {course}; lessons: {self.lessons_created} created, "
            f"{self.lessons_updated} updated, {self.lessons_restored} restored, "
            f"{self.lessons_retired} retired, {self.lessons_deleted} deleted; "
            f"items: {self.items_created} created, {self.items_updated} updated, "
            f"{self.items_restored} restored, {self.items_retired} retired, "
            f"{self.items_deleted} deleted; audio files stored: {self.audio_stored}"
        )


def _assign(row: object, values: Mapping[str, Any]) -> bool:
    """Set the attributes that differ; True if any did (unchanged rows get no UPDATE)."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _lesson_values(lesson: LessonData, position: int) -> dict[str, Any]:
    return {
        "position": position,
        "title_ja": lesson.title_ja,
        "title_en": lesson.title_en,
        "title_ky": lesson.title_ky,
        "goals_ja": list(lesson.goals_ja),
        "goals_en": list(lesson.goals_en),
        "notes_ja": lesson.notes_ja,
        "notes_en": lesson.notes_en,
        "published": lesson.published,
        "retired": False,
    }


def _item_values(item: ItemData, lesson_id: int, position: int) -> dict[str, Any]:
    example = item.example
    return {
        "lesson_id": lesson_id,
        "kind": item.kind,
        "position": position,
        "ky": item.ky,
        "ja": item.ja,
        "en": item.en,
        "pos": item.pos,
        "also_accepted": list(item.also_accepted),
        "example_ky": example.ky if example else None,
        "example_ja": example.ja if example else None,
        "example_en": example.en if example else None,
        "retired": False,
    }


def _with_web_answers(item: ItemData, from_files: list[str], on_web: list[str]) -> list[str]:
    """The files' accepted answers plus those teachers accepted on the web (no duplicates)."""
    known = {normalize(text) for text in [item.ky, *from_files]}
    merged = list(from_files)
    for text in on_web:
        if normalize(text) not in known:
            known.add(normalize(text))
            merged.append(text)
    return merged


def _stored_sha256(item: Item) -> str | None:
    """The hash of the item's stored recording, or None if it has none (or the file is gone)."""
    if not item.audio_file:
        return None
    digest, dash, _ = item.audio_file.partition("-")
    if item.audio_source == AudioSource.COURSE and dash:
        # course recordings are stored as <sha256>-<random>.<ext>
        return digest if audio_exists(item.audio_file) else None
    data = read_audio(item.audio_file)
    return None if data is None else hashlib.sha256(data).hexdigest()


_NO_AUDIO: dict[str, Any] = {
    "audio_file": None,
    "audio_mimetype": None,
    "audio_source": None,
    "audio_version": 0,
}


def _audio_change(item: Item | None, audio: AudioFile | None) -> dict[str, Any]:
    """The audio columns to change so the item plays the course file's recording (if any).

    A recording from the course folder that is already stored is not stored again, and a
    teacher's recording is kept when the course files have none for the item.
    """
    version = item.audio_version if item is not None else 0
    if audio is None:
        if item is None or item.audio_source != AudioSource.COURSE:
            return {}
        return {**_NO_AUDIO, "audio_version": version + 1}
    if item is not None and _stored_sha256(item) == audio.sha256:
        return {}
    data = audio.path.read_bytes()
    final, kind = store_audio(data, prefix=f"{hashlib.sha256(data).hexdigest()}-")
    return {
        "audio_file": final,
        "audio_mimetype": kind.mimetype,
        "audio_source": AudioSource.COURSE.value,
        "audio_version": version + 1,
    }


def import_course(path: str | os.PathLike[str]) -> ImportReport:
    """Create or update a course from its folder, in place, so that students' work survives.

    Nothing changes if any file is invalid (CourseInvalid lists every error). Lessons and items
    no longer in the files are retired (hidden) when students have progress on them, else deleted.
    """
    files = load_course_dir(path)
    if files.errors:
        raise CourseInvalid(files.errors)
    counts: Counter[str] = Counter()

    course = db.session.scalar(select(Course).where(Course.slug == files.slug))
    course_values = {
        "title_ja": files.title_ja,
        "title_en": files.title_en,
        "title_ky": files.title_ky,
        "level": files.level,
        "description_ja": files.description_ja,
        "description_en": files.description_en,
    }
    lessons: dict[str, Lesson] = {}
    items: dict[str, Item] = {}
    if course is None:
        course = Course(slug=files.slug, **course_values)
        db.session.add(course)
        db.session.flush()
        course_created, course_updated = True, False
    else:
        course_created, course_updated = False, _assign(course, course_values)
        # The whole course in two queries: a lesson or item is then found by its key in memory.
        lessons = {
            lesson.slug: lesson
            for lesson in db.session.scalars(select(Lesson).where(Lesson.course_id == course.id))
        }
        items = {
            item.ky: item
            for item in db.session.scalars(select(Item).where(Item.course_id == course.id))
        }

    # New rows go in with one multi-row INSERT per table (the unit of work would insert them one
    # by one on SQLite); existing rows are updated in place, so they keep their ids.
    new_lessons: list[dict[str, Any]] = []
    for position, data in enumerate(files.lessons, start=1):
        values = _lesson_values(data, position)
        lesson = lessons.get(data.slug)
        if lesson is None:
            new_lessons.append({"course_id": course.id, "slug": data.slug, **values})
            continue
        was_retired = lesson.retired
        if _assign(lesson, values):
            counts["lessons_restored" if was_retired else "lessons_updated"] += 1
    lesson_ids = {lesson.slug: lesson.id for lesson in lessons.values()}
    if new_lessons:
        statement = insert(Lesson).returning(Lesson.slug, Lesson.id)
        inserted = db.session.execute(statement.execution_options(render_nulls=True), new_lessons)
        lesson_ids.update((slug, id_) for slug, id_ in inserted)
        counts["lessons_created"] += len(new_lessons)

    new_items: list[dict[str, Any]] = []
    accepted_on_web = web_accepted_answers([item.id for item in items.values()])
    for data in files.lessons:
        for position, item_data in enumerate(data.items, start=1):
            values = _item_values(item_data, lesson_ids[data.slug], position)
            existing = items.get(item_data.ky)
            if existing is not None and existing.id in accepted_on_web:
                values["also_accepted"] = _with_web_answers(
                    item_data, values["also_accepted"], accepted_on_web[existing.id]
                )
            audio = files.audio.get(item_data.audio) if item_data.audio else None
            item = items.get(item_data.ky)
            audio_values = _audio_change(item, audio)
            counts["audio_stored"] += "audio_file" in audio_values and audio is not None
            if item is None:
                new_items.append({"course_id": course.id, **values, **_NO_AUDIO, **audio_values})
                continue
            was_retired = item.retired
            if _assign(item, values | audio_values):
                counts["items_restored" if was_retired else "items_updated"] += 1
    if new_items:
        # render_nulls: rows with and without an example stay in the same batch.
        db.session.execute(insert(Item).execution_options(render_nulls=True), new_items)
        counts["items_created"] += len(new_items)

    _remove_missing(files, lessons, items, counts)
    return ImportReport(
        course=course.slug, course_created=course_created, course_updated=course_updated, **counts
    )


def _remove_missing(
    files: CourseFiles, lessons: dict[str, Lesson], items: dict[str, Item], counts: Counter[str]
) -> None:
    """Retire what students have worked on and is no longer in the files; delete the rest."""
    kys = {item.ky for item in files.items}
    gone_items = [item for ky, item in items.items() if ky not in kys]
    with_progress = items_with_progress([item.id for item in gone_items]) if gone_items else set()
    kept_in: set[int] = set()
    doomed_items: list[int] = []
    for item in gone_items:
        if item.id in with_progress:
            kept_in.add(item.lesson_id)
            if not item.retired:
                item.retired = True
                counts["items_retired"] += 1
        else:
            doomed_items.append(item.id)

    slugs = {lesson.slug for lesson in files.lessons}
    gone_lessons = sorted(
        (lesson for slug, lesson in lessons.items() if slug not in slugs),
        key=lambda lesson: (lesson.position, lesson.id),
    )
    done = lessons_with_progress([lesson.id for lesson in gone_lessons])
    doomed_lessons: list[int] = []
    position = len(files.lessons)
    for lesson in gone_lessons:
        # A lesson still holding a retired item is kept too, or the item would have no lesson.
        if lesson.id in done or lesson.id in kept_in:
            position += 1
            lesson.position = position
            if not lesson.retired:
                lesson.retired = True
                counts["lessons_retired"] += 1
        else:
            doomed_lessons.append(lesson.id)

    db.session.flush()  # moves first, so that a deleted lesson holds only deleted items
    if doomed_items:
        db.session.execute(delete(Item).where(Item.id.in_(doomed_items)))
        counts["items_deleted"] += len(doomed_items)
    if doomed_lessons:
        db.session.execute(delete(Lesson).where(Lesson.id.in_(doomed_lessons)))
        counts["lessons_deleted"] += len(doomed_lessons)
