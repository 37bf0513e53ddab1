"""Quiz sessions with their questions and answers, answer reports; FSRS cards and review logs."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.dbtypes import UTCDateTime, utcnow
from app.extensions import Model
from app.lessons.models import Item


class ExerciseKind(StrEnum):
    RECOGNISE = "recognise"  # Kyrgyz → choose the meaning among 4
    RECALL = "recall"  # meaning → type the Kyrgyz
    LISTEN = "listen"  # hear the word → type it
    MATCH = "match"  # 5 pairs Kyrgyz ↔ meaning
    SUFFIX = "suffix"  # put a noun into a case or the plural

    @property
    def typed(self) -> bool:
        return self in (ExerciseKind.RECALL, ExerciseKind.LISTEN, ExerciseKind.SUFFIX)


class SessionSource(StrEnum):
    LESSON = "lesson"
    COURSE = "course"
    REVIEW = "review"
    MISTAKES = "mistakes"
    WEAK = "weak"  # the student's most often forgotten words


class QuizSession(Model):
    """One run of N questions for one student; questions are generated from `seed` up front."""

    __tablename__ = "quiz_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    lesson_id: Mapped[int | None] = mapped_column(ForeignKey("lessons.id", ondelete="SET NULL"))
    # "practise the mistakes again" remembers the session it came from
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("quiz_sessions.id", ondelete="SET NULL")
    )
    source: Mapped[str] = mapped_column(String(20))
    seed: Mapped[int]
    question_count: Mapped[int]
    # Questions are answered in order, so answered_count is also the current position.
    answered_count: Mapped[int] = mapped_column(default=0)
    correct_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    questions: Mapped[list[Question]] = relationship(
        back_populates="session",
        order_by="Question.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def finished(self) -> bool:
        return self.answered_count >= self.question_count


class Question(Model):
    """One exercise of a session; `params` holds what it shows (choices, pairs, the form asked)."""

    __tablename__ = "quiz_questions"
    __table_args__ = (UniqueConstraint("session_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("quiz_sessions.id", ondelete="CASCADE"))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # When the student first saw it (server time): how long the answer took.
    shown_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # 0, or how many times the word was asked again after a wrong answer in this session
    retry: Mapped[int] = mapped_column(default=0)

    session: Mapped[QuizSession] = relationship(back_populates="questions")
    item: Mapped[Item] = relationship()
    answer: Mapped[Answer | None] = relationship(back_populates="question", uselist=False)

    @property
    def exercise(self) -> ExerciseKind:
        return ExerciseKind(self.kind)


class Answer(Model):
    """The one answer to a question, with the verdict as judged (reports and teacher views read it)."""

    __tablename__ = "quiz_answers"
    __table_args__ = (
        # a student's answers from a day on (the home page's streak, the dashboard's days)
        Index("ix_quiz_answers_user_id_answered_at", "user_id", "answered_at", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_questions.id", ondelete="CASCADE"), unique=True
    )
    session_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    given: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10))  # correct / almost / wrong
    kind: Mapped[str] = mapped_column(String(30))  # the verdict kind: exact, special_letter, ...
    expected: Mapped[str] = mapped_column(String(500))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    converted: Mapped[str | None] = mapped_column(String(500))
    duration_ms: Mapped[int | None]
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # An answer given offline carries the id its device gave it: sent twice, recorded once.
    client_id: Mapped[uuid.UUID | None] = mapped_column(Uuid(), index=True, unique=True)

    question: Mapped[Question] = relationship(back_populates="answer")
    report: Mapped[AnswerReport | None] = relationship(back_populates="answer", uselist=False)


class ReviewCard(Model):
    """A student's FSRS memory state of one word."""

    __tablename__ = "review_cards"
    __table_args__ = (
        UniqueConstraint("user_id", "item_id"),
        # the due count in the navigation, on every page
        Index("ix_review_cards_user_id_due", "user_id", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    state: Mapped[int]  # fsrs.State
    step: Mapped[int | None]
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime] = mapped_column(UTCDateTime())
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reps: Mapped[int] = mapped_column(default=0)  # counted reviews
    lapses: Mapped[int] = mapped_column(default=0)  # counted reviews rated Again after the first
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    item: Mapped[Item] = relationship()


class ReviewLog(Model):
    """Every review of a card, counted toward scheduling or not, kept for refitting FSRS."""

    __tablename__ = "review_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(
        ForeignKey("review_cards.id", ondelete="CASCADE"), index=True
    )
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("quiz_answers.id", ondelete="SET NULL"), index=True
    )
    rating: Mapped[int]  # fsrs.Rating
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_ms: Mapped[int | None]
    # False for a repeat on a day the card was already reviewed: logged, not scheduled.
    counted: Mapped[bool]

    card: Mapped[ReviewCard] = relationship()
    answer: Mapped[Answer | None] = relationship()


class ReportStatus(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"


class AnswerReport(Model):
    """A student's "my answer should be accepted" on one answer, and the teacher's decision."""

    __tablename__ = "answer_reports"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'approved', 'rejected')", name="status_known"),
        # a decided report says when it was decided
        CheckConstraint("status = 'open' OR resolved_at IS NOT NULL", name="resolved_at_set"),
        # the teachers' queue: open reports, oldest first
        Index("ix_answer_reports_status_created_at", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # one report per answer: a double click or a second tab finds the first
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_answers.id", ondelete="CASCADE"), unique=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    given: Mapped[str] = mapped_column(String(500))
    expected: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10), default=ReportStatus.OPEN)
    reply: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    answer: Mapped[Answer] = relationship(back_populates="report")
    item: Mapped[Item] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_open(self) -> bool:
        return self.status == ReportStatus.OPEN


class SoundRound(Model):
    """A round of "hear one, choose which was said" on minimal pairs, of one contrast or all."""

    __tablename__ = "sound_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # the contrast the student chose to practise ("oe-o", "long-a", ...), or None for a mix
    contrast: Mapped[str | None] = mapped_column(String(12))
    question_count: Mapped[int]
    # Questions are answered in order, so answered_count is also the current position.
    answered_count: Mapped[int] = mapped_column(default=0)
    correct_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    questions: Mapped[list[SoundQuestion]] = relationship(
        back_populates="round",
        order_by="SoundQuestion.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def finished(self) -> bool:
        return self.answered_count >= self.question_count


class SoundQuestion(Model):
    """One minimal pair of a round: the two words, which one is heard, and the answer once given.

    The audio is served by `token`, a random name, so neither its URL nor its file name tells
    which word is said. The answer is kept on the row (answered once: set only while
    `answered_at` is empty) with the contrast, so per-contrast accuracy is one query.
    """

    __tablename__ = "sound_questions"
    __table_args__ = (
        UniqueConstraint("round_id", "position"),
        CheckConstraint("said IN (0, 1)", name="said_known"),
        CheckConstraint("chosen IS NULL OR chosen IN (0, 1)", name="chosen_known"),
        CheckConstraint("(answered_at IS NULL) = (chosen IS NULL)", name="answered_together"),
        # the dashboard's "last answers of each contrast"
        Index(
            "ix_sound_questions_user_id_contrast_answered_at", "user_id", "contrast", "answered_at"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("sound_rounds.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    position: Mapped[int]
    token: Mapped[str] = mapped_column(String(32), unique=True)
    contrast: Mapped[str] = mapped_column(String(12))
    # the two words as shown, in the order shown: [{"ky", "ja", "en"}, {...}]
    options: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    said: Mapped[int]  # 0 or 1: the option heard
    # the course word whose teacher's recording is played; None: synthetic speech
    audio_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("items.id", ondelete="SET NULL"), index=True
    )
    chosen: Mapped[int | None]
    correct: Mapped[bool | None]
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    round: Mapped[SoundRound] = relationship(back_populates="questions")
    audio_item: Mapped[Item | None] = relationship()

    @property
    def said_word(self) -> str:
        return str(self.options[self.said]["ky"])


class SentenceKind(StrEnum):
    """What a sentence exercise asks: the language built, and how."""

    BUILD_KY = "build-ky"  # the Japanese shown → put the Kyrgyz words in order
    BUILD_JA = "build-ja"  # the Kyrgyz shown (and heard) → put the Japanese phrases in order
    TYPE_KY = "type-ky"  # the Japanese shown → type the whole Kyrgyz sentence


class SentenceAttempt(Model):
    """One checked attempt at building an example sentence (tiles in order, or typed).

    `token` names the exercise as it was shown: posting it twice (a double click, a second tab)
    finds the first attempt instead of recording another."""

    __tablename__ = "sentence_attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "token"),
        CheckConstraint("kind IN ('build-ky', 'build-ja', 'type-ky')", name="kind_known"),
        # the dashboard's count of sentences built, and "not built yet" when choosing the next
        Index("ix_sentence_attempts_user_id_status", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    token: Mapped[str] = mapped_column(String(32))
    given: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10))  # correct / almost / wrong
    verdict: Mapped[str] = mapped_column(String(30))  # the verdict kind: exact, word_order, ...
    expected: Mapped[str] = mapped_column(String(500))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    converted: Mapped[str | None] = mapped_column(String(500))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    item: Mapped[Item] = relationship()
