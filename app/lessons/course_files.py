"""Course files: load and validate a course folder, import it keeping students' work, export it.

A course is a folder `content/courses/<slug>/` holding `course.yaml` and `lessons/NN-<slug>.yaml`
(the format is course_schema.json). Import matches the course and its lessons by slug and items by
their Kyrgyz text, so that re-importing edited files updates rows in place and students' progress
survives; export writes the same files back from the database.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

import yaml
from jsonschema import Draft202012Validator, ValidationError
from sqlalchemy import delete, insert, select

from app.core.markdown import DIRECTIVE, directive_words
from app.core.media import MAX_RECORDING_BYTES, NotAudio, audio_path, sniff_audio, store_audio
from app.extensions import db
from app.kyrgyz.latin import slugify
from app.kyrgyz.morphology import CASES, PERSONS, decline, plural, possessive
from app.kyrgyz.normalize import has_cyrillic, has_latin, normalize
from app.lessons.models import AudioSource, Course, Item, ItemKind, Lesson
from app.lessons.services import (
    LessonsError,
    items_with_progress,
    lessons_with_progress,
    web_accepted_answers,
)

COURSE_FILE = "course.yaml"
LESSONS_DIR = "lessons"
AUDIO_DIR = "audio"
LESSON_FILE = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.yaml$")
SCHEMA_FILE = Path(__file__).with_name("course_schema.json")
AUDIO_EXTENSIONS = frozenset({".wav", ".mp3", ".ogg", ".webm", ".m4a", ".flac"})

JsonPath = tuple[str | int, ...]


# --- what a course folder holds ----------------------------------------------------------------


@dataclass(frozen=True)
class CourseFileError:
    """A problem in a course file; line 0 means the file as a whole."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}: {self.message}"
            if self.line
            else f"{self.file}: {self.message}"
        )


class CourseInvalid(LessonsError):
    """The course folder has errors, so nothing was imported."""

    def __init__(self, errors: Iterable[CourseFileError]) -> None:
        self.errors = tuple(errors)
        super().__init__(f"{len(self.errors)} error(s) in the course files")


@dataclass(frozen=True)
class ExampleData:
    ky: str
    ja: str
    en: str


@dataclass(frozen=True)
class ItemData:
    kind: str
    ky: str
    ja: str
    en: str
    pos: str
    also_accepted: tuple[str, ...]
    example: ExampleData | None
    audio: str | None  # a path inside the course folder, a key of CourseFiles.audio


@dataclass(frozen=True)
class LessonData:
    file: str
    number: int
    slug: str
    title_ja: str
    title_en: str
    title_ky: str
    goals_ja: tuple[str, ...]
    goals_en: tuple[str, ...]
    notes_ja: str
    notes_en: str
    published: bool
    items: tuple[ItemData, ...]  # the words, then the phrases, in file order


@dataclass(frozen=True)
class AudioFile:
    path: Path
    sha256: str
    mimetype: str


@dataclass(frozen=True)
class CourseFiles:
    """A parsed course folder; its content is only complete when `errors` is empty."""

    path: Path
    slug: str
    title_ja: str
    title_en: str
    title_ky: str
    level: str
    description_ja: str
    description_en: str
    lessons: tuple[LessonData, ...]
    audio: Mapping[str, AudioFile]
    errors: tuple[CourseFileError, ...]

    @property
    def items(self) -> Iterator[ItemData]:
        """Every item of the course, lesson by lesson."""
        for lesson in self.lessons:
            yield from lesson.items


# --- YAML with line numbers --------------------------------------------------------------------


@dataclass(frozen=True)
class _Node:
    line: int  # of the key (for a mapping's value) or of the node
    text_line: int  # where a literal block scalar's text starts
    literal: bool


@dataclass
class _Document:
    file: str
    data: Any
    nodes: dict[JsonPath, _Node]

    def line(self, path: JsonPath) -> int:
        """The line of `path`, or of its nearest ancestor that exists in the file."""
        for end in range(len(path), -1, -1):
            node = self.nodes.get(path[:end])
            if node is not None:
                return node.line
        return 1

    def at(self, path: JsonPath, message: str) -> CourseFileError:
        return CourseFileError(self.file, self.line(path), _at(path, message))


def _node(line: int, value: yaml.Node) -> _Node:
    literal = isinstance(value, yaml.ScalarNode) and value.style == "|"
    return _Node(line, value.start_mark.line + 2, literal)


def _index(node: yaml.Node, path: JsonPath, doc: _Document, errors: list[CourseFileError]) -> None:
    """Record the line of every key and list entry under `node`; report duplicate keys."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
                continue
            key, line = key_node.value, key_node.start_mark.line + 1
            child = (*path, key)
            if key in seen:
                errors.append(
                    CourseFileError(
                        doc.file,
                        line,
                        _at(child, f"the key appears twice (also on line {seen[key]})"),
                    )
                )
                continue
            seen[key] = line
            doc.nodes[child] = _node(line, value_node)
            _index(value_node, child, doc, errors)
    elif isinstance(node, yaml.SequenceNode):
        for number, entry in enumerate(node.value):
            child = (*path, number)
            doc.nodes[child] = _node(entry.start_mark.line + 1, entry)
            _index(entry, child, doc, errors)


def _parse(path: Path, name: str, errors: list[CourseFileError]) -> _Document | None:
    """Parse one YAML file, keeping the line of each node; None (and an error) if unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        errors.append(CourseFileError(name, 0, "is not UTF-8 text"))
        return None
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            errors.append(CourseFileError(name, 0, "is empty"))
            return None
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem += f" ({exc.context})"
        errors.append(CourseFileError(name, mark.line + 1 if mark else 0, f"YAML: {problem}"))
        return None
    except yaml.YAMLError as exc:
        errors.append(CourseFileError(name, 0, f"YAML: {exc}"))
        return None
    finally:
        loader.dispose()
    doc = _Document(name, data, {(): _node(root.start_mark.line + 1, root)})
    _index(root, (), doc, errors)
    return doc


# --- messages ----------------------------------------------------------------------------------


def _format_path(path: JsonPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _at(path: JsonPath, message: str) -> str:
    return f"{_format_path(path)}: {message}" if path else message


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


_TYPE_NAMES = {
    "string": "a text",
    "object": "a mapping",
    "array": "a list",
    "boolean": "true or false",
}


def _explain(error: ValidationError) -> Iterator[tuple[JsonPath, str]]:
    """Turn a JSON Schema error into (path, message) pairs an author can act on."""
    path: JsonPath = tuple(error.absolute_path)
    instance, expected = error.instance, error.validator_value
    if error.validator == "required" and isinstance(instance, dict):
        for name in expected:
            if name not in instance and error.message.startswith(repr(name)):
                yield (*path, name), "is required"
    elif error.validator == "additionalProperties" and isinstance(instance, dict):
        known = list(error.schema.get("properties", {}))
        for key in instance:
            if key in known:
                continue
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = (
                f"did you mean {close[0]!r}?" if close else f"expected one of: {', '.join(known)}"
            )
            yield (*path, key), f"unknown key; {hint}"
    elif error.validator == "type":
        message = f"must be {_TYPE_NAMES.get(str(expected), expected)}, not {_describe(instance)}"
        if expected == "string" and instance is not None and not isinstance(instance, list | dict):
            message += " (put the text in quotes)"
        yield path, message
    elif error.validator == "enum":
        yield path, f"must be one of {', '.join(map(str, expected))}, not {instance!r}"
    elif error.validator == "minLength":
        yield path, "must not be empty"
    elif error.validator == "maxLength":
        yield path, f"is too long ({len(instance)} characters; at most {expected})"
    elif error.validator == "pattern":
        yield (
            path,
            f"{instance!r} is not a slug (lower-case ASCII letters and digits, single hyphens)",
        )
    elif error.validator == "uniqueItems":
        yield path, "lists the same entry twice"
    else:
        yield path, error.message


@cache
def _validators() -> dict[str, Draft202012Validator]:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return {
        kind: Draft202012Validator({**schema, "$ref": f"#/$defs/{kind}"})
        for kind in ("course", "lesson")
    }


def _schema_errors(doc: _Document, kind: str) -> list[CourseFileError]:
    return [
        doc.at(path, message)
        for error in _validators()[kind].iter_errors(doc.data)
        for path, message in _explain(error)
    ]


# --- checks beyond the schema ------------------------------------------------------------------


def _ky_key(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def _kyrgyz_text_problem(text: str) -> str | None:
    if text != text.strip():
        return "has spaces at its start or end"
    for word in re.findall(r"\w+", text):
        if has_latin(word) and has_cyrillic(word):
            return f"{word!r} mixes Latin and Cyrillic letters (a Latin look-alike letter?)"
    return None


def _inflection_problem(kind: str, word: str) -> str | None:
    """Why app.kyrgyz.morphology cannot build the table `kind` for `word`, or None."""
    try:
        if kind == "cases":
            for case in CASES:
                decline(word, case)
        elif kind == "plural":
            plural(word)
        else:
            for person in PERSONS:
                possessive(word, person)
    except ValueError as exc:
        return str(exc)
    return None


def _check_notes(doc: _Document, errors: list[CourseFileError]) -> None:
    notes = doc.data.get("notes")
    if not isinstance(notes, dict):
        return
    for language, text in notes.items():
        if not isinstance(text, str):
            continue
        node = doc.nodes.get(("notes", language))
        path: JsonPath = ("notes", language)
        for offset, line_text in enumerate(text.split("\n")):
            if "[[" not in line_text:
                continue
            line = node.text_line + offset if node and node.literal else doc.line(path)
            if DIRECTIVE.fullmatch(line_text) is None:
                message = (
                    f"{line_text.strip()!r} is not a table directive: write it on a line of its "
                    "own as [[cases: word, word]], [[plural: word]] or [[possessive: word]]"
                )
                errors.append(CourseFileError(doc.file, line, _at(path, message)))
                continue
            for kind, words in directive_words(line_text):
                if not words:
                    message = f"[[{kind}: ...]] names no word"
                    errors.append(CourseFileError(doc.file, line, _at(path, message)))
                for word in words:
                    problem = _inflection_problem(kind, word)
                    if problem:
                        message = f"[[{kind}: ...]]: cannot inflect {word!r}: {problem}"
                        errors.append(CourseFileError(doc.file, line, _at(path, message)))


class _AudioChecker:
    """Checks each audio file an item names (once per file) and remembers the good ones."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.resolved_root = root.resolve()
        self.found: dict[str, AudioFile] = {}
        self.problems: dict[str, str | None] = {}

    def problem(self, name: str) -> str | None:
        if name not in self.problems:
            self.problems[name] = self._check(name)
        return self.problems[name]

    def _check(self, name: str) -> str | None:
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts or "\\" in name:
            return f"{name!r} must be a path inside the course folder, such as audio/salam.mp3"
        path = self.root / relative
        if not path.resolve().is_relative_to(self.resolved_root):
            return f"{name!r} points outside the course folder"
        if not path.is_file():
            return f"{name} is not in the course folder"
        size = path.stat().st_size
        if size > MAX_RECORDING_BYTES:
            return f"{name} is larger than 2 MB ({size} bytes)"
        data = path.read_bytes()
        try:
            kind = sniff_audio(data)
        except NotAudio:
            return f"{name} is not an audio file (WAV, MP3, Ogg, WebM, M4A or FLAC)"
        self.found[name] = AudioFile(path, hashlib.sha256(data).hexdigest(), kind.mimetype)
        return None


def _check_items(
    doc: _Document,
    audio: _AudioChecker,
    seen_ky: dict[str, tuple[str, int]],
    errors: list[CourseFileError],
) -> None:
    """Kyrgyz text, audio files and uniqueness of `ky` across the whole course."""
    for section in ("words", "phrases"):
        entries = doc.data.get(section)
        if not isinstance(entries, list):
            continue
        for number, entry in enumerate(entries):
            if not isinstance(entry, dict):
                continue
            here: JsonPath = (section, number)
            ky = entry.get("ky")
            if isinstance(ky, str) and ky.strip():
                key = _ky_key(ky)
                line = doc.line((*here, "ky"))
                if key in seen_ky:
                    file, first_line = seen_ky[key]
                    message = f"{ky!r} is already an item in {file}:{first_line}"
                    errors.append(CourseFileError(doc.file, line, _at((*here, "ky"), message)))
                else:
                    seen_ky[key] = (doc.file, line)
            texts: list[tuple[JsonPath, Any]] = [((*here, "ky"), ky)]
            accepted = entry.get("also_accepted")
            if isinstance(accepted, list):
                texts += [((*here, "also_accepted", i), v) for i, v in enumerate(accepted)]
            example = entry.get("example")
            if isinstance(example, dict):
                texts.append(((*here, "example", "ky"), example.get("ky")))
            for path, text in texts:
                problem = _kyrgyz_text_problem(text) if isinstance(text, str) else None
                if problem:
                    errors.append(doc.at(path, problem))
            name = entry.get("audio")
            if isinstance(name, str) and name:
                problem = audio.problem(name)
                if problem:
                    errors.append(doc.at((*here, "audio"), problem))


def _check_numbering(files: list[_LessonFile], errors: list[CourseFileError]) -> None:
    """Lesson numbers run 01, 02, ... without gaps or repeats; slugs are unique."""
    by_number: dict[int, str] = {}
    by_slug: dict[str, str] = {}
    expected = 1
    for number, slug, file, _ in files:
        if number in by_number:
            message = f"lesson number {number:02d} is also the number of {by_number[number]}"
            errors.append(CourseFileError(file, 0, message))
        else:
            by_number[number] = file
            if number != expected:
                message = f"lessons are numbered 01, 02, ... without gaps: expected {expected:02d}, not {number:02d}"
                errors.append(CourseFileError(file, 0, message))
            expected = number + 1
        if slug in by_slug:
            errors.append(
                CourseFileError(file, 0, f"the slug {slug!r} is also used by {by_slug[slug]}")
            )
        else:
            by_slug[slug] = file


class _LessonFile(NamedTuple):
    number: int
    slug: str
    file: str
    doc: _Document | None


# --- loading -----------------------------------------------------------------------------------


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


def _lesson_data(doc: _Document, number: int) -> LessonData:
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
        doc = _parse(root / COURSE_FILE, COURSE_FILE, errors)
        if doc is not None:
            found = _schema_errors(doc, "course")
            errors += found
            if not found:
                course = doc.data

    lessons_dir = root / LESSONS_DIR
    numbered: list[_LessonFile] = []
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
            doc = _parse(file, name, errors)
            numbered.append(_LessonFile(int(match.group(1)), match.group(2), name, doc))
        if not numbered and not any(e.file.startswith(LESSONS_DIR) for e in errors):
            errors.append(CourseFileError(f"{LESSONS_DIR}/", 0, "holds no lesson file"))
    _check_numbering(numbered, errors)

    audio = _AudioChecker(root)
    seen_ky: dict[str, tuple[str, int]] = {}
    lessons: list[LessonData] = []
    for number, slug, _, doc in numbered:
        if doc is None:
            continue
        found = _schema_errors(doc, "lesson")
        if not isinstance(doc.data, dict):
            errors += found
            continue
        file_slug = doc.data.get("slug")
        if isinstance(file_slug, str) and file_slug != slug:
            found.append(doc.at(("slug",), f"{file_slug!r} does not match the file name {slug!r}"))
        _check_notes(doc, found)
        _check_items(doc, audio, seen_ky, found)
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


# --- import ------------------------------------------------------------------------------------


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
    try:
        path = audio_path(item.audio_file)
    except NotAudio:
        return None
    if not path.is_file():
        return None
    digest, dash, _ = item.audio_file.partition("-")
    if item.audio_source == AudioSource.COURSE and dash:
        return digest  # course recordings are stored as <sha256>-<random>.<ext>
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
    name, kind = store_audio(data)
    final = f"{hashlib.sha256(data).hexdigest()}-{name}"
    os.replace(audio_path(name), audio_path(final))
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


# --- export ------------------------------------------------------------------------------------


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
    try:
        source = audio_path(item.audio_file or "")
    except NotAudio:
        return None
    if not source.is_file():
        return None
    base = slugify(item.ky) or "item"
    stem, n = base, 1
    while stem in stems:  # кол and көл are both "kol"
        n += 1
        stem = f"{base}-{n}"
    stems.add(stem)
    name = f"{AUDIO_DIR}/{stem}{source.suffix.lower()}"
    _write(root / name, source.read_bytes())
    return name


def _remove_stale(folder: Path, ours: Callable[[Path], bool], keep: set[str]) -> None:
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.is_file() and ours(path) and path.name not in keep:
            path.unlink()
