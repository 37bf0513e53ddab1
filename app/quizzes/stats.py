"""The teacher's view of quiz answers: a lesson's words and the course's hardest words for a class."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Float, Select, Subquery, case, cast, func, select

from app.extensions import db
from app.lessons.models import CourseClass, Enrollment, Item, Lesson
from app.quizzes.models import Answer, ExerciseKind, Question

TOP_WRONG = 3
HARDEST_WORDS = 10
MIN_ANSWERS = 3  # a word answered once or twice says little about the class


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


def _top_wrong(wrong: Subquery) -> dict[int, list[WrongAnswer]]:
    """{item id: its TOP_WRONG commonest wrong answers} from (item_id, given, n) counts."""
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
    return top


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
    top = _top_wrong(wrong)

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


def hardest_words(course_class: CourseClass, limit: int = HARDEST_WORDS) -> list[WordStats]:
    """The course's words the class gets wrong most (answered at least MIN_ANSWERS times), with
    their commonest wrong answers; counted as on the quiz results page (two queries)."""
    base = (
        _class_answers(course_class)
        .join(Item, Item.id == Answer.item_id)
        .where(Item.course_id == course_class.course_id, Item.retired.is_(False))
    )
    totals = (
        base.with_only_columns(
            Answer.item_id.label("item_id"),
            func.count(Answer.id).label("n"),
            _is("correct").label("correct"),
            _is("almost").label("almost"),
        )
        .group_by(Answer.item_id)
        .subquery()
    )
    errors = totals.c.n - func.coalesce(totals.c.correct, 0)
    top = db.session.execute(
        select(Item, totals.c.n, totals.c.correct, totals.c.almost)
        .join(totals, totals.c.item_id == Item.id)
        .where(totals.c.n >= MIN_ANSWERS, errors > 0)
        .order_by((cast(errors, Float) / totals.c.n).desc(), errors.desc(), Item.id)
        .limit(limit)
    ).all()
    if not top:
        return []

    ids = [item.id for item, *_counts in top]
    # the Kyrgyz the students typed (a chosen meaning is no spelling mistake); blanks aren't answers
    typed = [kind.value for kind in ExerciseKind if kind.typed]
    wrong = (
        base.where(
            Answer.status != "correct",
            Answer.given != "",
            Answer.kind != "empty",
            Question.kind.in_(typed),
            Answer.item_id.in_(ids),
        )
        .with_only_columns(Answer.item_id, Answer.given, func.count(Answer.id).label("n"))
        .group_by(Answer.item_id, Answer.given)
        .subquery()
    )
    common = _top_wrong(wrong)
    return [
        WordStats(
            item=item,
            answers=int(n),
            correct=int(correct or 0),
            almost=int(almost or 0),
            top_wrong=tuple(common.get(item.id, ())),
        )
        for item, n, correct, almost in top
    ]
