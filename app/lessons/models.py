"""Courses, their lessons and items (words and phrases), classes with enrolment, lesson progress."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.dbtypes import UTCDateTime, utcnow
from app.core.i18n import content_language, localized
from app.extensions import Model

LEVELS = ("A1", "A2", "B1", "B2", "C1")


class ItemKind(StrEnum):
    WORD = "word"
    PHRASE = "phrase"


class AudioSource(StrEnum):
    COURSE = "course"  # shipped in the course folder
    TEACHER = "teacher"  # recorded or uploaded by a teacher on the web


class Course(Model):
    """A course such as kyrgyz-a1: an ordered list of lessons."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title_ja: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    title_ky: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(2))
    description_ja: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="course", order_by="Lesson.position", cascade="all, delete-orphan"
    )

    def title(self, language: str) -> str:
        return localized(language, self.title_ja, self.title_en, self.title_ky)

    def description(self, language: str) -> str:
        return localized(language, self.description_ja, self.description_en)


class Lesson(Model):
    """One lesson: goals, grammar notes (Markdown, ja and en) and its items."""

    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    title_ja: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    title_ky: Mapped[str] = mapped_column(String(200))
    goals_ja: Mapped[list[str]] = mapped_column(JSON, default=list)
    goals_en: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes_ja: Mapped[str] = mapped_column(Text, default="")
    notes_en: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(default=True)
    # Removed from the course files while students had progress: kept, but hidden.
    retired: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    course: Mapped[Course] = relationship(back_populates="lessons")
    items: Mapped[list[Item]] = relationship(
        back_populates="lesson", order_by="Item.position", cascade="all, delete-orphan"
    )

    def title(self, language: str) -> str:
        return localized(language, self.title_ja, self.title_en, self.title_ky)

    def goals(self, language: str) -> list[str]:
        return self.goals_en if content_language(language) == "en" else self.goals_ja

    def notes(self, language: str) -> str:
        return localized(language, self.notes_ja, self.notes_en)

    @property
    def visible_to_students(self) -> bool:
        return self.published and not self.retired


class Item(Model):
    """A word or phrase to learn, with its glosses, accepted answers, example and audio."""

    __tablename__ = "items"
    # Items are matched by their Kyrgyz text within a course, so it is unique there.
    __table_args__ = (UniqueConstraint("course_id", "ky"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default=ItemKind.WORD)
    position: Mapped[int] = mapped_column(default=0)
    ky: Mapped[str] = mapped_column(String(200))
    ja: Mapped[str] = mapped_column(String(300))
    en: Mapped[str] = mapped_column(String(300))
    pos: Mapped[str] = mapped_column(String(20))
    also_accepted: Mapped[list[str]] = mapped_column(JSON, default=list)
    example_ky: Mapped[str | None] = mapped_column(String(500))
    example_ja: Mapped[str | None] = mapped_column(String(500))
    example_en: Mapped[str | None] = mapped_column(String(500))
    # A recording stored under instance/media/audio/ (from the course folder or a teacher).
    audio_file: Mapped[str | None] = mapped_column(String(200))
    audio_mimetype: Mapped[str | None] = mapped_column(String(50))
    audio_source: Mapped[str | None] = mapped_column(String(10))
    audio_version: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    lesson: Mapped[Lesson] = relationship(back_populates="items")

    def gloss(self, language: str) -> str:
        return localized(language, self.ja, self.en)

    def example_gloss(self, language: str) -> str | None:
        return self.example_en if content_language(language) == "en" else self.example_ja

    @property
    def accepted_answers(self) -> list[str]:
        return [self.ky, *self.also_accepted]

    @property
    def has_recording(self) -> bool:
        return bool(self.audio_file)


class CourseEditor(Model):
    """A teacher who may edit a course's lessons and words (admins may edit every course)."""

    __tablename__ = "course_editors"

    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class CourseClass(Model):
    """A run of a course for a group of students, e.g. "2027年春 入門クラス (火曜夜)"."""

    __tablename__ = "course_classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    schedule: Mapped[str] = mapped_column(String(500), default="")
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    # Off (contest preparation): the class's students must answer in Cyrillic, not Latin.
    latin_input: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    course: Mapped[Course] = relationship()
    teacher_links: Mapped[list[ClassTeacher]] = relationship(
        back_populates="course_class", cascade="all, delete-orphan"
    )
    enrollments: Mapped[list[Enrollment]] = relationship(
        back_populates="course_class", cascade="all, delete-orphan"
    )


class ClassTeacher(Model):
    """A teacher of a class; a class may have several."""

    __tablename__ = "class_teachers"

    class_id: Mapped[int] = mapped_column(
        ForeignKey("course_classes.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    course_class: Mapped[CourseClass] = relationship(back_populates="teacher_links")
    user: Mapped[User] = relationship()


class Enrollment(Model):
    """A student in a class."""

    __tablename__ = "enrollments"

    class_id: Mapped[int] = mapped_column(
        ForeignKey("course_classes.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    course_class: Mapped[CourseClass] = relationship(back_populates="enrollments")
    user: Mapped[User] = relationship()


class LessonProgress(Model):
    """A student marked a lesson as done (one row per student and lesson)."""

    __tablename__ = "lesson_progress"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("lessons.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
