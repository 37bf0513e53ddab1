"""What a course folder holds once read: its lessons, items and audio files, and its errors."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from app.lessons.services import LessonsError

COURSE_FILE = "course.yaml"
LESSONS_DIR = "lessons"
AUDIO_DIR = "audio"
LESSON_FILE = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.yaml$")
AUDIO_EXTENSIONS = frozenset({".wav", ".mp3", ".ogg", ".webm", ".m4a", ".flac"})


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
