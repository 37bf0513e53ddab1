"""Quiz services with a fixed clock: FSRS schedules, one counted review a day, sessions, answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.lessons.models import Item, Lesson
from app.lessons.services import items_with_progress
from app.quizzes import scheduling, services
from app.quizzes.exercises import Word, generate, recognise_params, suffix_answers
from app.quizzes.models import ExerciseKind, QuizSession, ReviewCard, ReviewLog
from app.quizzes.sessions import services as sessions
from tests.quizzes.conftest import NOW

JST = scheduling.zone("Asia/Tokyo")


@pytest.fixture
def student(app_ctx, make_user):
    info = make_user()
    return db.session.get(User, info.id)


def review(student, item_id, rating, at):
    sessions.record_reviews(student, {item_id: rating}, now=at, duration_ms=5000)
    db.session.flush()
    return db.session.scalar(
        select(ReviewCard).where(ReviewCard.user_id == student.id, ReviewCard.item_id == item_id)
    )


MINUTE = timedelta(minutes=1)


def graduated(student, item_id, at):
    """A card taken through both learning steps at `at`: in the review state, due in 2 days."""
    review(student, item_id, Rating.Good, at)
    return review(student, item_id, Rating.Good, at + 10 * MINUTE)


def test_a_new_word_goes_through_the_learning_steps(student, quiz_course):
    item = quiz_course.items["көл"]
    card = review(student, item, Rating.Again, NOW)  # wrong the first time: back in a minute
    assert (card.state, card.step, card.due) == (1, 0, NOW + MINUTE)
    card = review(student, item, Rating.Good, NOW + MINUTE)  # the second step: 10 minutes
    assert (card.state, card.step, card.due) == (1, 1, NOW + 11 * MINUTE)
    card = review(student, item, Rating.Good, NOW + 11 * MINUTE)  # learnt: days from now
    assert (card.state, card.step) == (scheduling.REVIEW_STATE, None)
    assert card.due == NOW + 11 * MINUTE + timedelta(days=1)
    assert card.reps == 3 and card.lapses == 0  # not yet learnt, so not forgotten
    logs = db.session.scalars(select(ReviewLog).where(ReviewLog.card_id == card.id)).all()
    assert [(log.rating, log.counted) for log in logs] == [(1, True), (3, True), (3, True)]


def test_hard_stays_in_the_step_and_easy_does_not_skip_the_steps(student, quiz_course):
    hard = review(student, quiz_course.items["кол"], Rating.Hard, NOW)
    assert (hard.state, hard.step, hard.due) == (1, 0, NOW + timedelta(minutes=5, seconds=30))
    # a quick first answer still comes back in 10 minutes, logged as the Good it counted as
    easy = review(student, quiz_course.items["үй"], Rating.Easy, NOW)
    assert (easy.state, easy.step, easy.due) == (1, 1, NOW + 10 * MINUTE)
    log = db.session.scalar(select(ReviewLog).where(ReviewLog.card_id == easy.id))
    assert log.rating == Rating.Good
    # once learnt, a quick answer is Easy
    card = review(student, quiz_course.items["үй"], Rating.Good, NOW + 10 * MINUTE)
    at = card.due
    easy = review(student, quiz_course.items["үй"], Rating.Easy, at)
    good = graduated(student, quiz_course.items["кол"], NOW + 5 * MINUTE)
    good = review(student, quiz_course.items["кол"], Rating.Good, at)
    assert easy.due > good.due


def test_a_forgotten_word_relearns_in_ten_minutes_the_same_day(student, quiz_course):
    item = quiz_course.items["көл"]
    card = graduated(student, item, NOW)
    at = card.due
    card = review(student, item, Rating.Good, at)
    assert (card.due - at).days == 11
    at = card.due
    card = review(student, item, Rating.Again, at)  # forgotten: relearning, back in 10 minutes
    assert (card.state, card.step, card.due) == (3, 0, at + 10 * MINUTE)
    assert card.lapses == 1
    # the relearning card moves at each answer, the same day
    card = review(student, item, Rating.Again, at + 11 * MINUTE)
    assert (card.state, card.due) == (3, at + 21 * MINUTE)
    card = review(student, item, Rating.Good, at + 21 * MINUTE)
    assert card.state == scheduling.REVIEW_STATE
    assert card.due == at + 21 * MINUTE + timedelta(days=1)
    logs = db.session.scalars(select(ReviewLog).where(ReviewLog.card_id == card.id)).all()
    assert all(log.counted for log in logs) and card.lapses == 2


def test_a_learning_step_moves_on_once_it_is_due_and_back_at_any_mistake(student, quiz_course):
    item = quiz_course.items["көл"]
    review(student, item, Rating.Again, NOW)  # missed: due in a minute
    card = review(student, item, Rating.Good, NOW + timedelta(seconds=20))  # asked again at once
    assert (card.step, card.due) == (0, NOW + MINUTE)  # still comes back in a minute
    card = review(student, item, Rating.Good, NOW + 2 * MINUTE)  # the step was due: it moves on
    assert (card.step, card.due) == (1, NOW + 12 * MINUTE)
    card = review(student, item, Rating.Again, NOW + 3 * MINUTE)  # a mistake counts at any time
    assert (card.step, card.due) == (0, NOW + 4 * MINUTE)
    logs = db.session.scalars(select(ReviewLog).where(ReviewLog.card_id == card.id)).all()
    assert [log.counted for log in logs] == [True, False, True, True]


def test_repeats_on_the_same_day_are_logged_but_do_not_change_a_review_card(student, quiz_course):
    item = quiz_course.items["көл"]
    card = graduated(student, item, NOW - timedelta(days=2))
    assert card.due == NOW + 10 * MINUTE
    card = review(student, item, Rating.Easy, NOW)  # the day's first review
    first = (card.state, card.due, card.stability, card.difficulty, card.reps)
    for rating, minutes in [(Rating.Good, 5), (Rating.Easy, 30), (Rating.Again, 600)]:
        card = review(student, item, rating, NOW + timedelta(minutes=minutes))
        assert (card.state, card.due, card.stability, card.difficulty, card.reps) == first
    logs = db.session.scalars(select(ReviewLog).where(ReviewLog.card_id == card.id)).all()
    assert [log.counted for log in logs][2:] == [True, False, False, False]
    assert [log.rating for log in logs][2:] == [4, 3, 4, 1]


def test_the_day_ends_at_midnight_in_tokyo(student, quiz_course):
    item = quiz_course.items["кол"]
    before_midnight = datetime(2027, 4, 14, 23, 59, tzinfo=JST).astimezone(UTC)
    after_midnight = datetime(2027, 4, 15, 0, 1, tzinfo=JST).astimezone(UTC)
    card = graduated(student, item, before_midnight - 10 * MINUTE)
    due = card.due
    card = review(student, item, Rating.Again, after_midnight)  # two minutes later, a new day
    assert card.reps == 3 and card.due != due
    assert card.due == after_midnight + 10 * MINUTE and card.state == 3


def test_the_day_follows_the_students_time_zone(student, quiz_course):
    student.timezone = "Europe/Berlin"
    item = quiz_course.items["кол"]
    # 23:59 and 00:01 in Tokyo are both 16:59/17:01 the same afternoon in Berlin
    card = graduated(student, item, datetime(2027, 4, 14, 14, 49, tzinfo=UTC))
    card = review(student, item, Rating.Again, datetime(2027, 4, 14, 15, 1, tzinfo=UTC))
    assert card.reps == 2 and card.state == scheduling.REVIEW_STATE


def test_ratings():
    assert scheduling.rating_for("wrong", duration_ms=1000, typed=True) == Rating.Again
    assert scheduling.rating_for("almost", duration_ms=1000, typed=True) == Rating.Hard
    assert scheduling.rating_for("correct", duration_ms=9000, typed=True) == Rating.Good
    assert scheduling.rating_for("correct", duration_ms=7000, typed=True) == Rating.Easy
    assert scheduling.rating_for("correct", duration_ms=5000, typed=False) == Rating.Good
    assert scheduling.rating_for("correct", duration_ms=3000, typed=False) == Rating.Easy
    assert scheduling.rating_for("correct", duration_ms=None, typed=False) == Rating.Good
    # typed in Latin: accepted, but not full credit
    assert scheduling.rating_for("correct", duration_ms=9000, typed=True, latin=True) == Rating.Hard
    assert scheduling.rating_for("correct", duration_ms=1000, typed=True, latin=True) == Rating.Hard
    assert scheduling.rating_for("wrong", duration_ms=1000, typed=True, latin=True) == Rating.Again


def test_due_count_counts_today_in_tokyo_and_skips_retired_words(student, quiz_course):
    items = quiz_course.items
    graduated(student, items["кол"], NOW - timedelta(days=5))  # due 3 days ago
    graduated(student, items["көл"], NOW - timedelta(days=2, hours=-10))  # due tonight, 20:10
    graduated(student, items["үй"], NOW)  # due in 2 days
    assert services.due_count(student, NOW) == 2
    db.session.get(Item, items["кол"]).retired = True
    assert services.due_count(student, NOW) == 1
    counts = services.review_counts(student, NOW)
    assert counts == services.ReviewCounts(1, 1, NOW + 10 * MINUTE + timedelta(days=2))


def test_learning_words_are_due_when_their_step_is_over_not_before(student, quiz_course):
    items = quiz_course.items
    review(student, items["кол"], Rating.Again, NOW)  # learning: due in a minute
    review(student, items["көл"], Rating.Good, NOW)  # learning: due in 10 minutes
    assert services.due_count(student, NOW) == 0
    assert services.review_counts(student, NOW) == services.ReviewCounts(0, 2, NOW + MINUTE)
    assert services.due_count(student, NOW + MINUTE) == 1
    assert services.due_count(student, NOW + 10 * MINUTE) == 2
    session = services.start_review_session(student, now=NOW + 10 * MINUTE, seed=1)
    assert sorted(q.item_id for q in session.questions) == [items["кол"], items["көл"]]


def test_a_review_session_takes_the_most_overdue_first_up_to_the_limit(student, quiz_course):
    for days, ky in enumerate(["кол", "көл", "үй", "китеп", "суу"], start=3):
        graduated(student, quiz_course.items[ky], NOW - timedelta(days=days))
    session = services.start_review_session(student, now=NOW, seed=1, limit=3)
    assert session.source == "review" and session.question_count == 3
    ids = {q.item_id for q in session.questions}
    assert ids == {quiz_course.items[ky] for ky in ["суу", "китеп", "үй"]}


def lesson(quiz_course, number=1):
    return db.session.get(Lesson, quiz_course.lessons[number - 1])


def test_a_lesson_session_is_ten_mixed_questions_and_the_seed_decides_them(student, quiz_course):
    first = services.start_lesson_session(student, lesson(quiz_course), now=NOW, seed=42)
    again = services.start_lesson_session(student, lesson(quiz_course), now=NOW, seed=42)
    assert first.question_count == 10
    shape = [(q.kind, q.item_id, q.params) for q in first.questions]
    assert shape == [(q.kind, q.item_id, q.params) for q in again.questions]
    kinds = {q.kind for q in first.questions}
    assert kinds == {k.value for k in ExerciseKind}
    lesson_items = {i.id for i in lesson(quiz_course).items}
    assert {q.item_id for q in first.questions} <= lesson_items


def test_generation_exercises():
    words = [
        Word(1, "кол", "手", "hand", "noun"),
        Word(2, "көл", "湖", "lake", "noun"),
        Word(3, "жакшы", "良い", "good", "adjective"),
        Word(4, "үй", "家", "house", "noun"),
        Word(5, "чай", "お茶", "tea", "noun"),
        Word(6, "чоң", "大きい", "big", "adjective"),
        Word(7, "Рахмат!", "ありがとう", "Thank you!", "phrase"),
    ]
    import random

    params = recognise_params(words[0], words, random.Random(1))
    ids = [c["id"] for c in params["choices"]]
    assert sorted(ids)[0] == 1 and len(set(ids)) == 4
    # distractors of the same part of speech come first
    assert {words[i - 1].pos for i in ids} == {"noun"}
    assert suffix_answers(words[0], "dative") == ["колго"]
    assert suffix_answers(words[1], "plural") == ["көлдөр"]
    assert suffix_answers(words[2], "dative") is None  # an adjective
    assert suffix_answers(words[6], "dative") is None  # a phrase
    short = generate(words[:2], words, seed=3, count=5)
    assert len(short) == 5 and {s.item_id for s in short} == {1, 2}


def test_an_answer_updates_the_card_and_a_second_answer_changes_nothing(student, quiz_course):
    session = services.start_lesson_session(student, lesson(quiz_course), now=NOW, seed=42)
    question = next(q for q in session.questions if q.kind == "recall")
    sessions.mark_shown(question, NOW)
    for position in range(question.position):  # answer the earlier ones first
        earlier = session.questions[position]
        sessions.submit_answer(earlier, "?", user=student, now=NOW)
    answer_at = NOW + timedelta(seconds=20)
    item = question.item
    folded = item.ky.replace("ө", "о").replace("ү", "у").replace("ң", "н")
    result = sessions.submit_answer(question, folded, user=student, now=answer_at)
    expected = "almost" if folded != item.ky else "correct"
    assert result.verdict.status == expected and not result.repeated
    assert result.answer.duration_ms == 20_000
    score = session.correct_count
    repeat = sessions.submit_answer(question, item.ky, user=student, now=answer_at)
    assert repeat.repeated and repeat.verdict.status == expected
    assert session.correct_count == score
    card = db.session.scalar(
        select(ReviewCard).where(ReviewCard.user_id == student.id, ReviewCard.item_id == item.id)
    )
    assert card is not None and card.reps == 1


def test_questions_are_answered_in_order(student, quiz_course):
    session = services.start_lesson_session(student, lesson(quiz_course), now=NOW, seed=42)
    with pytest.raises(services.QuizError):
        sessions.submit_answer(session.questions[3], "кол", user=student, now=NOW)


def test_practised_words_are_retired_not_deleted_on_reimport(student, quiz_course):
    services.start_lesson_session(student, lesson(quiz_course, 2), now=NOW, seed=1)
    db.session.flush()
    lesson_2 = set(quiz_course.items[ky] for ky in ["суу", "нан", "тоо"])
    assert items_with_progress(sorted(lesson_2)) == lesson_2
    assert items_with_progress([quiz_course.items["кол"]]) == set()


def test_mistakes_session_practises_each_mistake_twice(student, quiz_course):
    session = services.start_lesson_session(student, lesson(quiz_course), now=NOW, seed=42)
    for question in session.questions:
        given = (
            "?"
            if question.position < 2
            else (
                {p["id"]: p["id"] for p in question.params["pairs"]}
                if question.kind == "match"
                else str(question.item_id)
                if question.kind == "recognise"
                else (question.params.get("answers") or [question.item.ky])[0]
            )
        )
        sessions.submit_answer(question, given, user=student, now=NOW)
    # the two wrong words were asked again at the end, and answered right then
    assert session.finished and session.question_count == 12 and session.correct_count == 10
    assert [q.retry for q in session.questions[10:]] == [1, 1]
    wrong = services.mistake_item_ids(session)
    assert wrong == [session.questions[0].item_id, session.questions[1].item_id]
    again = services.start_mistakes_session(student, session, now=NOW, seed=5)
    assert again.question_count == 4 and again.parent_id == session.id
    assert {q.item_id for q in again.questions} == set(wrong)
    assert db.session.scalar(select(QuizSession).where(QuizSession.id == again.id))
