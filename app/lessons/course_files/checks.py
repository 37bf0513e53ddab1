"""Checks of a course's files beyond the schema: Kyrgyz text, table directives in notes, audio
files, one item per Kyrgyz text across the course, lesson numbering."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from app.core.markdown import DIRECTIVE, directive_words
from app.core.media import MAX_RECORDING_BYTES, NotAudio, sniff_audio
from app.kyrgyz.morphology import CASES, PERSONS, decline, plural, possessive
from app.kyrgyz.normalize import has_cyrillic, has_latin
from app.lessons.course_files.folder import AudioFile, CourseFileError
from app.lessons.course_files.schema import Document, JsonPath, at_path


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


def check_notes(doc: Document, errors: list[CourseFileError]) -> None:
    """Table directives ([[cases: …]]) in the notes: well formed, and every word inflects."""
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
                errors.append(CourseFileError(doc.file, line, at_path(path, message)))
                continue
            for kind, words in directive_words(line_text):
                if not words:
                    message = f"[[{kind}: ...]] names no word"
                    errors.append(CourseFileError(doc.file, line, at_path(path, message)))
                for word in words:
                    problem = _inflection_problem(kind, word)
                    if problem:
                        message = f"[[{kind}: ...]]: cannot inflect {word!r}: {problem}"
                        errors.append(CourseFileError(doc.file, line, at_path(path, message)))


class AudioChecker:
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


def check_items(
    doc: Document,
    audio: AudioChecker,
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
                    errors.append(CourseFileError(doc.file, line, at_path((*here, "ky"), message)))
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


def check_numbering(files: list[LessonFile], errors: list[CourseFileError]) -> None:
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


class LessonFile(NamedTuple):
    """A lesson file: the number and slug its name gives, and its parsed YAML (None if unreadable)."""

    number: int
    slug: str
    file: str
    doc: Document | None
