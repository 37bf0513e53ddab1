"""Export: the course's files written back from the database, as an author would write them."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from sqlalchemy import select

from app.core.media import read_audio
from app.extensions import db
from app.kyrgyz.latin import slugify
from app.lessons.course_files.folder import (
    AUDIO_DIR,
    AUDIO_EXTENSIONS,
    COURSE_FILE,
    LESSON_FILE,
    LESSONS_DIR,
)
from app.lessons.models import Course, Item, ItemKind, Lesson


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote; `missing_audio` lists items whose stored recording is gone."""

    lessons: int
    items: int
    audio_files: int
    missing_audio: tuple[str, ...]


class _Flow(dict[str, str]):
    """A mapping written on one line, as titles are in hand-written files."""


class _FlowList(list[str]):
    """A list written on one line, as also_accepted is in hand-written files."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # indent lists under their key

    def ignore_aliases(self, data: Any) -> bool:
        return True  # never &anchors: a course file is written out in full

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style  # "yes", "11": as authors quote them


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", list(value.items()), flow_style=True)


_Dumper.add_representer(str, _represent_str)


def _represent_flow_list(dumper: yaml.SafeDumper, value: _FlowList) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(_FlowList, _represent_flow_list)


def _dump(data: dict[str, Any]) -> bytes:
    text = yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000, indent=2
    )
    return text.encode("utf-8")


def _pair(ja: str | None, en: str | None) -> dict[str, Any]:
    return {key: value for key, value in (("ja", ja), ("en", en)) if value}


def _course_document(course: Course) -> dict[str, Any]:
    document: dict[str, Any] = {
        "slug": course.slug,
        "title": _Flow(ja=course.title_ja, en=course.title_en, ky=course.title_ky),
        "level": course.level,
    }
    description = _pair(course.description_ja, course.description_en)
    if description:
        document["description"] = description
    return document


def _item_document(item: Item, audio: str | None) -> dict[str, Any]:
    document: dict[str, Any] = {"ky": item.ky, "ja": item.ja, "en": item.en, "pos": item.pos}
    if item.also_accepted:
        document["also_accepted"] = _FlowList(item.also_accepted)
    if item.example_ky or item.example_ja or item.example_en:
        document["example"] = {
            "ky": item.example_ky or "",
            "ja": item.example_ja or "",
            "en": item.example_en or "",
        }
    if audio:
        document["audio"] = audio
    return document


def _lesson_document(
    lesson: Lesson, items: list[dict[str, Any]], kinds: list[str]
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "slug": lesson.slug,
        "title": _Flow(ja=lesson.title_ja, en=lesson.title_en, ky=lesson.title_ky),
    }
    if not lesson.published:
        document["published"] = False
    goals: dict[str, Any] = {}
    if lesson.goals_ja:
        goals["ja"] = list(lesson.goals_ja)
    if lesson.goals_en:
        goals["en"] = list(lesson.goals_en)
    if goals:
        document["goals"] = goals
    notes = _pair(lesson.notes_ja, lesson.notes_en)
    if notes:
        document["notes"] = notes
    for section, kind in (("words", ItemKind.WORD), ("phrases", ItemKind.PHRASE)):
        entries = [entry for entry, k in zip(items, kinds, strict=True) if k == kind]
        if entries:
            document[section] = entries
    return document


def _write(path: Path, data: bytes) -> None:
    """Write the file unless it already holds exactly these bytes."""
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def export_course(course: Course, out_dir: str | os.PathLike[str]) -> ExportReport:
    """Write the course's files (course.yaml, lessons/, audio/) from the database.

    Only lessons and items that are not retired are written; lesson files and audio files in
    `out_dir` that the course no longer has are removed, so that the folder matches the database.
    """
    root = Path(out_dir)
    lessons = list(
        db.session.scalars(
            select(Lesson)
            .where(Lesson.course_id == course.id, Lesson.retired.is_(False))
            .order_by(Lesson.position, Lesson.id)
        )
    )
    by_lesson: dict[int, list[Item]] = {lesson.id: [] for lesson in lessons}
    for item in db.session.scalars(
        select(Item)
        .where(Item.course_id == course.id, Item.retired.is_(False))
        .order_by(Item.position, Item.id)
    ):
        if item.lesson_id in by_lesson:
            by_lesson[item.lesson_id].append(item)

    _write(root / COURSE_FILE, _dump(_course_document(course)))
    written_lessons: set[str] = set()
    written_audio: set[str] = set()
    audio_stems: set[str] = set()
    missing: list[str] = []
    item_count = 0
    for number, lesson in enumerate(lessons, start=1):
        entries: list[dict[str, Any]] = []
        kinds: list[str] = []
        # Words first, then phrases, in the order of their positions: the order import gives.
        ordered = sorted(by_lesson[lesson.id], key=lambda i: i.kind != ItemKind.WORD)
        for item in ordered:
            audio_name = None
            if item.audio_file:
                audio_name = _export_audio(item, root, audio_stems)
                if audio_name is None:
                    missing.append(item.ky)
                else:
                    written_audio.add(PurePosixPath(audio_name).name)
            entries.append(_item_document(item, audio_name))
            kinds.append(item.kind)
        item_count += len(entries)
        name = f"{number:02d}-{lesson.slug}.yaml"
        _write(root / LESSONS_DIR / name, _dump(_lesson_document(lesson, entries, kinds)))
        written_lessons.add(name)

    _remove_stale(
        root / LESSONS_DIR, lambda p: LESSON_FILE.match(p.name) is not None, written_lessons
    )
    _remove_stale(root / AUDIO_DIR, lambda p: p.suffix.lower() in AUDIO_EXTENSIONS, written_audio)
    return ExportReport(len(lessons), item_count, len(written_audio), tuple(missing))


def _export_audio(item: Item, root: Path, stems: set[str]) -> str | None:
    """Copy the item's recording to audio/<slug of ky>.<ext>; its path in the course folder."""
    data = read_audio(item.audio_file)
    if data is None or not item.audio_file:
        return None
    base = slugify(item.ky) or "item"
    stem, n = base, 1
    while stem in stems:  # кол and көл are both "kol"
        n += 1
        stem = f"{base}-{n}"
    stems.add(stem)
    name = f"{AUDIO_DIR}/{stem}{PurePosixPath(item.audio_file).suffix.lower()}"
    _write(root / name, data)
    return name


def _remove_stale(folder: Path, ours: Callable[[Path], bool], keep: set[str]) -> None:
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.is_file() and ours(path) and path.name not in keep:
            path.unlink()
