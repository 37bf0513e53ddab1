"""The offline review's services: the pack of due cards, and answers given offline recorded
once each, in the order and at the time they were given (FSRS uses that time)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from fsrs import Rating
from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.quizzes.models import Answer, QuizSession, ReviewCard, ReviewLog
from app.quizzes.offline import services as offline
from app.quizzes.offline.services import OfflineAnswer
from app.quizzes.sessions import services as sessions
from tests.quizzes.conftest import NOW

SECRET = "test-secret"
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@pytest.fixture
def other_info(make_user):
    """Another student, made before the first writes in the test's session."""
    return make_user()


@pytest.fixture
def student(other_info, app_ctx, make_user, quiz_course):
    info = make_user()
    user = db.session.get(User, info.id)
    # five words learnt three days ago, due now
    for word in ("кол", "көл", "үй", "китеп", "чай"):
        sessions.record_reviews(
            user, {quiz_course.items[word]: Rating.Good}, now=NOW - 3 * DAY, duration_ms=None
        )
    for card in db.session.scalars(select(ReviewCard).where(ReviewCard.user_id == user.id)):
        card.due = NOW - HOUR
    db.session.flush()
    return user


def packed(user, **kwargs):
    return {
        card.item_id: card
        for card in offline.pack(user, now=NOW, language="en", secret_key=SECRET, **kwargs)
    }


def right(card):
    """The right answer to a packed question."""
    return str(card.item_id) if card.kind == "recognise" else card.expected


def given(card, text, at, client_id=None):
    return OfflineAnswer(client_id or uuid.uuid4(), card.token, text, at, 4000)


def sync(user, answers, now=NOW + 2 * HOUR, **kwargs):
    result = offline.sync(user, answers, now=now, secret_key=SECRET, language="en", **kwargs)
    db.session.flush()
    return result


def card_of(user, item_id):
    return db.session.scalar(
        select(ReviewCard).where(ReviewCard.user_id == user.id, ReviewCard.item_id == item_id)
    )


def test_the_pack_has_every_due_card_with_what_the_device_needs(student, quiz_course):
    cards = packed(student)
    assert set(cards) == {quiz_course.items[w] for w in ("кол", "көл", "үй", "китеп", "чай")}
    kinds = {card.kind for card in cards.values()}
    assert kinds <= {"recognise", "recall", "listen", "suffix"} and len(kinds) > 1
    for card in cards.values():
        assert card.token
        if card.kind == "recognise":
            assert card.item_id in [c["id"] for c in card.choices] and len(card.choices) == 4
        else:
            assert card.keys and card.expected


def test_each_answer_is_recorded_once_however_often_it_is_sent(student):
    cards = list(packed(student).values())
    answers = [
        given(card, right(card), NOW + i * 60 * 1000 * timedelta(milliseconds=1))
        for i, card in enumerate(cards)
    ]
    first = sync(student, answers)
    assert first.recorded == 5
    assert [o.status for o in first.outcomes] == ["recorded"] * 5
    again = sync(student, answers + answers[:2])  # a retry after a lost response, and a double
    assert again.recorded == 0 and again.session is None
    assert [o.status for o in again.outcomes] == ["duplicate"] * 5
    assert [o.verdict for o in again.outcomes] == [o.verdict for o in first.outcomes]
    count = db.session.scalar(
        select(func.count()).select_from(Answer).where(Answer.user_id == student.id)
    )
    assert count == 5
    logs = db.session.scalar(select(func.count()).select_from(ReviewLog))
    assert logs == 5 + 5  # the learning reviews of the fixture, then one each offline


def test_answers_are_judged_by_the_checker_and_make_one_finished_review(student):
    cards = [c for c in packed(student).values() if c.kind != "recognise"]
    card = cards[0]
    almost = card.expected.replace("ө", "о").replace("ү", "у") + "x"
    result = sync(student, [given(card, almost, NOW)])
    stored = db.session.scalar(
        select(Answer).where(Answer.client_id == result.outcomes[0].client_id)
    )
    assert stored.status in ("almost", "wrong") and stored.given == almost
    session = db.session.get(QuizSession, result.session.id)
    assert session.source == "review" and session.finished
    assert (session.question_count, session.answered_count) == (1, 1)


def test_answers_are_applied_in_the_order_and_at_the_time_given(student, quiz_course):
    card = packed(student)[quiz_course.items["көл"]]
    wrong, then_right = NOW + 10 * 60 * timedelta(seconds=1), NOW + 25 * timedelta(minutes=1)
    # sent in the wrong order: the wrong answer was given first, and counts first
    first_id, second_id = uuid.uuid4(), uuid.uuid4()
    sync(
        student,
        [
            given(card, right(card), then_right, second_id),
            given(card, "" if card.kind != "recognise" else "0", wrong, first_id),
        ],
    )
    logs = db.session.scalars(
        select(ReviewLog)
        .join(Answer, Answer.id == ReviewLog.answer_id)
        .where(Answer.client_id.in_([first_id, second_id]))
        .order_by(ReviewLog.id)
    ).all()
    assert [(log.reviewed_at, log.rating) for log in logs] == [
        (wrong, Rating.Again),
        (then_right, logs[1].rating),
    ]
    assert logs[1].rating != Rating.Again
    card_after = card_of(student, quiz_course.items["көл"])
    # forgotten at `wrong`, relearnt in a 10-minute step: FSRS counted from the times given
    assert card_after.lapses == 1
    assert card_after.last_review == then_right


def test_the_review_time_is_the_time_answered_not_the_time_sent(student, quiz_course):
    card = packed(student)[quiz_course.items["үй"]]
    answered = NOW + 5 * timedelta(minutes=1)
    sync(student, [given(card, right(card), answered)], now=NOW + 3 * DAY)
    after = card_of(student, quiz_course.items["үй"])
    assert after.last_review == answered
    stored = db.session.scalar(select(Answer).where(Answer.item_id == quiz_course.items["үй"]))
    assert stored.answered_at == answered


def test_a_time_in_the_future_is_now_and_a_wrong_device_clock_is_corrected(student, quiz_course):
    items = quiz_course.items
    cards = packed(student)
    now = NOW + 2 * HOUR
    sync(student, [given(cards[items["үй"]], right(cards[items["үй"]]), now + DAY)], now=now)
    assert card_of(student, items["үй"]).last_review == now
    # a device a year behind: answered 10 minutes before it sent, by its own clock
    behind = timedelta(days=365)
    sync(
        student,
        [
            given(
                cards[items["кол"]],
                right(cards[items["кол"]]),
                now - behind - 10 * timedelta(minutes=1),
            )
        ],
        now=now,
        sent_at=now - behind,
    )
    assert card_of(student, items["кол"]).last_review == now - 10 * timedelta(minutes=1)


def test_a_time_before_the_cards_last_review_is_moved_to_it(student, quiz_course):
    item = quiz_course.items["китеп"]
    card = packed(student)[item]
    # reviewed online at NOW + 1 h (on a phone with signal), the offline answer was at NOW
    sessions.record_reviews(student, {item: Rating.Good}, now=NOW + HOUR, duration_ms=None)
    db.session.flush()
    sync(student, [given(card, right(card), NOW)])
    log = db.session.scalars(
        select(ReviewLog).where(ReviewLog.answer_id.is_not(None)).order_by(ReviewLog.id.desc())
    ).first()
    assert log.reviewed_at == NOW + HOUR
    assert log.counted is False  # the same day as the online review: logged, not scheduled


def test_answers_older_than_a_month_are_not_recorded(student, quiz_course):
    card = packed(student)[quiz_course.items["чай"]]
    result = sync(student, [given(card, right(card), NOW)], now=NOW + offline.MAX_AGE + DAY)
    assert [o.status for o in result.outcomes] == ["expired"]
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_another_students_question_or_a_forged_one_is_refused(student, other_info, quiz_course):
    other = db.session.get(User, other_info.id)
    card = packed(student)[quiz_course.items["кол"]]
    forged = OfflineAnswer(uuid.uuid4(), card.token[:-2] + "xx", "кол", NOW, None)
    result = sync(other, [given(card, right(card), NOW), forged])
    assert [o.status for o in result.outcomes] == ["refused", "refused"]
    assert result.session is None
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0
    # signed by another key (another site): refused too
    foreign = offline.pack(student, now=NOW, language="en", secret_key="other")[0]
    assert [o.status for o in sync(student, [given(foreign, "x", NOW)]).outcomes] == ["refused"]


def test_an_id_already_used_by_another_student_is_refused(student, other_info, quiz_course):
    other = db.session.get(User, other_info.id)
    sessions.record_reviews(
        other, {quiz_course.items["кол"]: Rating.Good}, now=NOW - DAY, duration_ms=None
    )
    db.session.flush()
    shared = uuid.uuid4()
    mine = packed(student)[quiz_course.items["кол"]]
    sync(student, [given(mine, right(mine), NOW, shared)])
    theirs = offline.pack(other, now=NOW + 3 * DAY, language="en", secret_key=SECRET)[0]
    result = sync(other, [given(theirs, right(theirs), NOW + 3 * DAY, shared)], now=NOW + 3 * DAY)
    assert [o.status for o in result.outcomes] == ["refused"]
