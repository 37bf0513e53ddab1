"""The teacher's view of a quiz: which words of a lesson a class gets wrong, and how."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select

from app.extensions import db
from app.lessons.models import CourseClass, Enrollment, Item, Lesson
from app.quizzes.models import Answer, ExerciseKind, Question

TOP_WRONG = 3


@dataclass(frozen=True)
class WrongAnswer:
    given: str
    count: int


@dataclass(frozen=True)
class WordStats:
    """How a class answered one word: counts, the error rate, and the commonest wrong answers."""

    item: Item
    answers: int
    correct: int
    almost: int
    top_wrong: tuple[WrongAnswer, ...]

    @property
    def errors(self) -> int:
        return self.answers - self.correct

    @property
    def error_rate(self) -> float | None:
        """Wrong and almost answers over all answers; None when nobody answered."""
        return self.errors / self.answers if self.answers else None


@dataclass(frozen=True)
class LessonStats:
    lesson_id: int
    answers: int
    correct: int
    students: int

    @property
    def error_rate(self) -> float | None:
        return (self.answers - self.correct) / self.answers if self.answers else None


def _class_answers(course_class: CourseClass) -> Select:
    """Answers by the class's students, except pairings (their verdict covers five words)."""
    return (
        select(Answer)
        .join(Enrollment, Enrollment.user_id == Answer.user_id)
        .join(Question, Question.id == Answer.question_id)
        .where(Enrollment.class_id == course_class.id, Question.kind != ExerciseKind.MATCH)
    )


def _is(status: str) -> ColumnElement[Any]:
    return func.sum(case((Answer.status == status, 1), else_=0))


def word_stats(course_class: CourseClass, lesson: Lesson) -> list[WordStats]:
    """The lesson's words, most often wrong first (two aggregate queries, whatever the data)."""
    base = _class_answers(course_class).join(Item, Item.id == Answer.item_id)
    base = base.where(Item.lesson_id == lesson.id)
    totals_query = base.with_only_columns(
        Answer.item_id, func.count(Answer.id), _is("correct"), _is("almost")
    ).group_by(Answer.item_id)
    totals = {row[0]: row[1:] for row in db.session.execute(totals_query)}

    wrong = (
        base.where(Answer.status != "correct", Answer.given != "")
        .with_only_columns(Answer.item_id, Answer.given, func.count(Answer.id).label("n"))
        .group_by(Answer.item_id, Answer.given)
        .subquery()
    )
    ranked = select(
        wrong.c.item_id,
        wrong.c.given,
        wrong.c.n,
        func.row_number()
        .over(partition_by=wrong.c.item_id, order_by=(wrong.c.n.desc(), wrong.c.given))
        .label("rank"),
    ).subquery()
    top: dict[int, list[WrongAnswer]] = defaultdict(list)
    for item_id, given, count, _rank in db.session.execute(
        select(ranked).where(ranked.c.rank <= TOP_WRONG).order_by(ranked.c.item_id, ranked.c.rank)
    ):
        top[item_id].append(WrongAnswer(given, int(count)))

    words = [
        WordStats(
            item=item,
            answers=int(totals.get(item.id, (0, 0, 0))[0]),
            correct=int(totals.get(item.id, (0, 0, 0))[1] or 0),
            almost=int(totals.get(item.id, (0, 0, 0))[2] or 0),
            top_wrong=tuple(top.get(item.id, ())),
        )
        for item in lesson.items
        if not item.retired
    ]
    # most often wrong first; words nobody answered last, in lesson order
    return sorted(
        words,
        key=lambda w: (w.error_rate is None, -(w.error_rate or 0), -w.errors, w.item.position),
    )


def lesson_summaries(course_class: CourseClass) -> dict[int, LessonStats]:
    """{lesson id: the class's answers, right answers and students} (one GROUP BY query)."""
    query = (
        _class_answers(course_class)
        .join(Item, Item.id == Answer.item_id)
        .where(Item.course_id == course_class.course_id)
        .with_only_columns(
            Item.lesson_id,
            func.count(Answer.id),
            _is("correct"),
            func.count(func.distinct(Answer.user_id)),
        )
        .group_by(Item.lesson_id)
    )
    return {
        lesson_id: LessonStats(lesson_id, int(n), int(right or 0), int(students))
        for lesson_id, n, right, students in db.session.execute(query)
    }
