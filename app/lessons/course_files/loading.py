"""Reading a course folder: every file parsed, checked, and turned into CourseFiles."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import Any

from app.lessons.course_files.checks import (
    AudioChecker,
    LessonFile,
    check_items,
    check_notes,
    check_numbering,
)
from app.lessons.course_files.folder import (
    COURSE_FILE,
    LESSON_FILE,
    LESSONS_DIR,
    CourseFileError,
    CourseFiles,
    ExampleData,
    ItemData,
    LessonData,
)
from app.lessons.course_files.schema import Document, parse, schema_errors
from app.lessons.models import ItemKind


def _text(value: Any) -> str:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else ""


def _texts(values: Any) -> tuple[str, ...]:
    return tuple(_text(v) for v in values) if isinstance(values, list) else ()


def _item_data(entry: dict[str, Any], kind: ItemKind) -> ItemData:
    example = entry.get("example")
    return ItemData(
        kind=kind.value,
        ky=_text(entry["ky"]),
        ja=_text(entry["ja"]),
        en=_text(entry["en"]),
        pos=_text(entry.get("pos", ItemKind.PHRASE.value)),
        also_accepted=_texts(entry.get("also_accepted")),
        example=ExampleData(_text(example["ky"]), _text(example["ja"]), _text(example["en"]))
        if example
        else None,
        audio=entry.get("audio"),
    )


def _lesson_data(doc: Document, number: int) -> LessonData:
    data = doc.data
    title, goals, notes = data["title"], data.get("goals", {}), data.get("notes", {})
    return LessonData(
        file=doc.file,
        number=number,
        slug=data["slug"],
        title_ja=_text(title["ja"]),
        title_en=_text(title["en"]),
        title_ky=_text(title["ky"]),
        goals_ja=_texts(goals.get("ja")),
        goals_en=_texts(goals.get("en")),
        notes_ja=_text(notes.get("ja")),
        notes_en=_text(notes.get("en")),
        published=data.get("published", True),
        items=(
            *(_item_data(e, ItemKind.WORD) for e in data.get("words", ())),
            *(_item_data(e, ItemKind.PHRASE) for e in data.get("phrases", ())),
        ),
    )


def load_course_dir(path: str | os.PathLike[str]) -> CourseFiles:
    """Parse and validate a course folder, collecting every error with its file and line."""
    root = Path(path)
    errors: list[CourseFileError] = []
    course: dict[str, Any] = {}
    if not (root / COURSE_FILE).is_file():
        errors.append(CourseFileError(COURSE_FILE, 0, f"not found in {root}"))
    else:
        doc = parse(root / COURSE_FILE, COURSE_FILE, errors)
        if doc is not None:
            found = schema_errors(doc, "course")
            errors += found
            if not found:
                course = doc.data

    lessons_dir = root / LESSONS_DIR
    numbered: list[LessonFile] = []
    if not lessons_dir.is_dir():
        errors.append(CourseFileError(f"{LESSONS_DIR}/", 0, "no lessons folder"))
    else:
        for file in sorted(lessons_dir.iterdir()):
            name = f"{LESSONS_DIR}/{file.name}"
            if file.name.startswith("."):
                continue
            match = LESSON_FILE.match(file.name)
            if match is None or not file.is_file():
                message = "lesson files are named NN-<slug>.yaml (two digits, a hyphen, the slug)"
                errors.append(CourseFileError(name, 0, message))
                continue
            doc = parse(file, name, errors)
            numbered.append(LessonFile(int(match.group(1)), match.group(2), name, doc))
        if not numbered and not any(e.file.startswith(LESSONS_DIR) for e in errors):
            errors.append(CourseFileError(f"{LESSONS_DIR}/", 0, "holds no lesson file"))
    check_numbering(numbered, errors)

    audio = AudioChecker(root)
    seen_ky: dict[str, tuple[str, int]] = {}
    lessons: list[LessonData] = []
    for number, slug, _, doc in numbered:
        if doc is None:
            continue
        found = schema_errors(doc, "lesson")
        if not isinstance(doc.data, dict):
            errors += found
            continue
        file_slug = doc.data.get("slug")
        if isinstance(file_slug, str) and file_slug != slug:
            found.append(doc.at(("slug",), f"{file_slug!r} does not match the file name {slug!r}"))
        check_notes(doc, found)
        check_items(doc, audio, seen_ky, found)
        errors += found
        if not found:
            lessons.append(_lesson_data(doc, number))

    title = course.get("title", {})
    description = course.get("description", {})
    return CourseFiles(
        path=root,
        slug=course.get("slug", ""),
        title_ja=_text(title.get("ja")),
        title_en=_text(title.get("en")),
        title_ky=_text(title.get("ky")),
        level=course.get("level", ""),
        description_ja=_text(description.get("ja")),
        description_en=_text(description.get("en")),
        lessons=tuple(lessons),
        audio=audio.found,
        errors=tuple(sorted(errors, key=lambda e: (e.file != COURSE_FILE, e.file, e.line))),
    )
