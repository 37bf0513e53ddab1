"""Demo quiz history: two weeks of quizzes and reviews (some words due today, some in their
learning steps, a few forgotten and relearning from a review earlier today), answer reports."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

from flask.blueprints import BlueprintSetupState
from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.core.dbtypes import utcnow
from app.core.seed import INACTIVE_DAYS, DemoData, DemoSeeder, add_seeder
from app.extensions import db
from app.kyrgyz.normalize import fold_special
from app.lessons.models import ClassTeacher, Course, CourseClass, Lesson
from app.quizzes import services
from app.quizzes.models import Answer, AnswerReport, ExerciseKind, Question, QuizSession
from app.quizzes.reports import services as reports
from app.quizzes.sentences import seed as sentences_seed
from app.quizzes.sessions import services as sessions
from app.quizzes.sounds.seed import seed_sounds

# (days ago, what): a lesson quiz on the next lesson, or the day's review.
HISTORY: tuple[tuple[int, str], ...] = (
    (13, "lesson"),
    (10, "lesson"),
    (8, "review"),
    (7, "lesson"),
    (5, "review"),
    (4, "lesson"),
    (2, "lesson"),
    (1, "review"),
    (0, "review"),  # 25 minutes ago: missed words are relearning, back in minutes
)


def register_seeders(state: BlueprintSetupState) -> None:
    """`flask seed-demo` gives the demo class's students their quiz history."""
    add_seeder(state.app, DemoSeeder("quizzes", seed_demo, order=30))
    add_seeder(state.app, DemoSeeder("quizzes-sounds", seed_sounds, order=31))
    add_seeder(state.app, DemoSeeder("sentences", sentences_seed.seed_demo, order=32))


def seed_demo(data: DemoData) -> Iterator[str]:
    """Quizzes for the demo class; its last classmate stopped studying (the dashboard shows it)."""
    if data.course_class is None:
        return
    course = db.session.get(Course, data.course_class.course_id)
    if course is not None:
        yield from seed_quizzes(data.classmates[:-1], course)
        yield from seed_quizzes(
            data.classmates[-1:], course, now=data.now - timedelta(days=INACTIVE_DAYS)
        )


def seed_quizzes(
    students: Sequence[User], course: Course, *, now: datetime | None = None
) -> Iterator[str]:
    """Give each student who has no quiz yet a history of sessions, answers and FSRS cards."""
    now = now or utcnow()
    lessons = db.session.scalars(
        select(Lesson)
        .where(
            Lesson.course_id == course.id,
            Lesson.published.is_(True),
            Lesson.retired.is_(False),
        )
        .order_by(Lesson.position)
        .options(selectinload(Lesson.items))
    ).all()
    lessons = [lesson for lesson in lessons if any(not i.retired for i in lesson.items)]
    if not lessons:
        return
    seeded = 0
    for student in students:
        if db.session.scalar(select(exists().where(QuizSession.user_id == student.id))):
            continue
        rng = random.Random(f"sabak-demo-{student.email}")
        skill = rng.uniform(0.6, 0.9)
        lesson_index = 0
        for days_ago, what in HISTORY:
            # evenings, Tokyo time (10:30 UTC is 19:30 JST); today's review a moment ago
            start = (now - timedelta(days=days_ago)).replace(
                hour=10, minute=30, second=0, microsecond=0
            ) + timedelta(minutes=rng.randint(0, 90))
            if days_ago == 0:
                start = now - timedelta(minutes=25)
            try:
                if what == "lesson":
                    lesson = lessons[min(lesson_index, len(lessons) - 1)]
                    lesson_index += 1
                    session = services.start_lesson_session(
                        student, lesson, now=start, seed=rng.randrange(2**31)
                    )
                else:
                    session = services.start_review_session(
                        student, now=start, seed=rng.randrange(2**31), limit=15
                    )
            except services.NothingToPractise:
                continue
            _answer_all(student, session, start, skill, rng)
        seeded += 1
    db.session.flush()
    yield f"quizzes: {seeded} students with two weeks of quizzes and reviews"
    yield from seed_reports(students, course, now=now)


# What the demo teacher decided: (index among the reports, decision, reply).
DECISIONS = (
    (0, "rejected", "ө と о は別の文字です。キーボードの ө キーを使いましょう。"),
    (1, "approved", ""),
)


def seed_reports(
    students: Sequence[User], course: Course, *, now: datetime | None = None
) -> Iterator[str]:
    """A few answer reports from the classmates: open ones, one approved, one rejected."""
    now = now or utcnow()
    ids = [student.id for student in students]
    if not ids or db.session.scalar(select(exists().where(AnswerReport.user_id.in_(ids)))):
        return
    teacher = db.session.scalar(
        select(User)
        .join(ClassTeacher, ClassTeacher.user_id == User.id)
        .join(CourseClass, CourseClass.id == ClassTeacher.class_id)
        .where(CourseClass.course_id == course.id)
        .limit(1)
    )
    questions = db.session.scalars(
        select(Question)
        .join(Answer, Answer.question_id == Question.id)
        .where(
            Answer.user_id.in_(ids),
            Answer.status.in_(("wrong", "almost")),
            Question.kind.in_([kind.value for kind in reports.REPORTABLE_KINDS]),
        )
        .order_by(Answer.answered_at.desc(), Answer.id)
        .options(selectinload(Question.answer), selectinload(Question.item))
    ).all()
    by_student: dict[int, Question] = {}
    for question in questions:
        if question.answer and reports.is_reportable(question, question.answer):
            by_student.setdefault(question.answer.user_id, question)
    students_by_id = {student.id: student for student in students}
    filed = []
    for user_id, question in list(by_student.items())[:5]:
        try:
            filed.append(reports.report_answer(students_by_id[user_id], question, now=now).report)
        except reports.ReportError:
            continue
    db.session.flush()
    if teacher is not None:
        for index, decision, reply in DECISIONS:
            if index < len(filed):
                decide = reports.approve if decision == "approved" else reports.reject
                decide(filed[index], teacher, reply=reply, now=now)
    yield f"answer reports: {len(filed)}, two of them decided"


def _answer_all(
    student: User, session: QuizSession, start: datetime, skill: float, rng: random.Random
) -> None:
    moment = start
    for question in session.questions:
        sessions.mark_shown(question, moment)
        moment += timedelta(seconds=rng.randint(3, 20))
        sessions.submit_answer(
            question, _given(question, skill, rng), user=student, now=moment, language="ja"
        )
        moment += timedelta(seconds=2)


def _given(question: Question, skill: float, rng: random.Random) -> sessions.GivenAnswer:
    """A plausible answer: mostly right, sometimes with о for ө, sometimes wrong."""
    roll = rng.random()
    kind = question.exercise
    if kind == ExerciseKind.RECOGNISE:
        choices = [c["id"] for c in question.params["choices"]]
        right = question.item_id
        return str(right if roll < skill + 0.1 else rng.choice(choices))
    if kind == ExerciseKind.MATCH:
        pairs = [p["id"] for p in question.params["pairs"]]
        if roll < skill:
            return {pair: pair for pair in pairs}
        swapped = dict(zip(pairs, pairs[1:] + pairs[:1], strict=True))
        return {pair: swapped[pair] if i < 2 else pair for i, pair in enumerate(pairs)}
    expected = question.params["answers"][0] if kind == ExerciseKind.SUFFIX else question.item.ky
    if roll < skill:
        return expected
    if roll < skill + 0.15 and fold_special(expected) != expected:
        return fold_special(expected)
    return expected[:-1] if len(expected) > 3 and roll < skill + 0.2 else "?"
