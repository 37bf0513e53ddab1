"""Listening services: pairs from the course and the known list, rounds, answers recorded once,
per-contrast mastery."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.lessons.models import Item
from app.quizzes import sounds
from app.quizzes.models import SoundQuestion, SoundRound
from tests.quizzes.conftest import NOW


@pytest.fixture
def student(app, make_user, enrol, quiz_course):
    info = make_user()
    enrol(quiz_course, info)
    return info


def user_of(info) -> User:
    return db.session.get(User, info.id)


def test_pairs_come_from_the_course_and_the_known_list(app_ctx, student, quiz_course):
    pairs = sounds.available_pairs(user_of(student))
    by_words = {(p.first.ky, p.second.ky): p for p in pairs}
    course_pair = by_words[("көл", "кол")]
    assert course_pair.from_course and course_pair.first.item_id and course_pair.second.item_id
    # the known list fills in the rest; a known pair's word that is in the course is its item
    known = by_words[("үй", "уй")]
    assert not known.from_course
    assert known.first.item_id == quiz_course.items["үй"] and known.second.item_id is None
    assert by_words[("төө", "тоо")].second.item_id == quiz_course.items["тоо"]
    assert ("миң", "мин") in by_words and ("жаан", "жан") in by_words
    # each pair once, though көл/кол is both in the course and in the known list
    assert sum(1 for p in pairs if {p.first.ky, p.second.ky} == {"көл", "кол"}) == 1
    only = sounds.available_pairs(user_of(student), "ng-n")
    assert only and {p.contrast.key for p in only} == {"ng-n"}


def test_a_student_without_a_class_still_has_the_known_pairs(app_ctx, make_user):
    user = db.session.get(User, make_user().id)
    pairs = sounds.available_pairs(user)
    assert len(pairs) == len(sounds.services.minimal_pairs.KNOWN_PAIRS)
    assert all(p.first.item_id is None for p in pairs)


def test_a_round_mixes_contrasts_and_asks_a_repeated_pair_for_the_other_word(app_ctx, student):
    user = user_of(student)
    sound_round = sounds.start_round(user, contrast=None, now=NOW, seed=3)
    questions = sound_round.questions
    assert sound_round.question_count == len(questions) == sounds.ROUND_LENGTH
    assert len({q.contrast for q in questions}) >= 6  # takes turns between the contrasts
    assert len({q.token for q in questions}) == len(questions)
    for q in questions:
        assert q.said in (0, 1) and len(q.options) == 2 and q.answered_at is None
        assert q.options[0]["ky"] != q.options[1]["ky"]
        assert all(w["ky"] not in q.token for w in q.options)
    # one contrast with two known pairs: four questions, each word heard once
    focused = sounds.start_round(user, contrast="y-i", now=NOW, seed=5)
    assert focused.question_count == 4
    heard = sorted(q.said_word for q in focused.questions)
    assert heard == sorted(["тыш", "тиш", "кыр", "кир"])


def test_a_contrast_with_no_pairs_cannot_start(app_ctx, student):
    with pytest.raises(sounds.NothingToPractise):
        sounds.start_round(user_of(student), contrast="long-ue", now=NOW)


def test_recorded_voice_only_when_both_words_have_one(app_ctx, student, quiz_course):
    for ky in ("кол", "көл"):
        db.session.get(Item, quiz_course.items[ky]).audio_file = f"{ky}.wav"
    db.session.get(Item, quiz_course.items["үй"]).audio_file = "uy.wav"
    db.session.flush()
    user = user_of(student)
    for seed in range(4):
        for q in sounds.start_round(user, contrast=None, now=NOW, seed=seed).questions:
            words = {w["ky"] for w in q.options}
            if words == {"көл", "кол"}:
                assert q.audio_item_id == quiz_course.items[q.said_word]
            else:
                # үй has a recording but уй has none: both are heard in synthetic speech
                assert q.audio_item_id is None, words


def test_an_answer_is_recorded_once(app_ctx, student):
    user = user_of(student)
    sound_round = sounds.start_round(user, contrast="oe-o", now=NOW, seed=1)
    first = sound_round.questions[0]
    outcome = sounds.submit_answer(first, first.said, now=NOW)
    assert outcome == sounds.AnswerOutcome(correct=True, recorded=True)
    again = sounds.submit_answer(first, 1 - first.said, now=NOW + timedelta(seconds=1))
    assert again == sounds.AnswerOutcome(correct=True, recorded=False)
    assert first.chosen == first.said and first.answered_at == NOW
    assert (sound_round.answered_count, sound_round.correct_count) == (1, 1)
    with pytest.raises(ValueError):
        sounds.submit_answer(sound_round.questions[1], 2, now=NOW)


def test_the_last_answer_finishes_the_round(app_ctx, student):
    sound_round = sounds.start_round(user_of(student), contrast="long-e", now=NOW, seed=1)
    assert sound_round.question_count == 2
    for n, q in enumerate(sound_round.questions):
        sounds.submit_answer(q, 1 - q.said, now=NOW + timedelta(seconds=n))
    assert sound_round.finished and sound_round.finished_at == NOW + timedelta(seconds=1)
    assert sound_round.correct_count == 0


def answer(user, contrast, pattern, start=NOW):
    """Answer rounds of `contrast` right (1) or wrong (0) by `pattern`, oldest first."""
    moment = start
    left = list(pattern)
    while left:
        sound_round = sounds.start_round(user, contrast=contrast, now=moment, seed=len(left))
        for q in sound_round.questions:
            if not left:
                break
            right = left.pop(0)
            moment += timedelta(seconds=10)
            sounds.submit_answer(q, q.said if right else 1 - q.said, now=moment)
    return moment


def test_mastered_and_confused(app_ctx, student):
    user = user_of(student)
    # ө/о: wrong early on, then 8 of the last 10 right: mastered
    answer(user, "oe-o", [0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1])
    # ы/и: 2 of 4 right: still confused
    answer(user, "y-i", [1, 0, 0, 1])
    # ң/н: 2 answers, both right: learning (too few to judge)
    answer(user, "ng-n", [1, 1])
    progress = sounds.contrast_progress(user)
    assert list(progress) == [c.key for c in sounds.services.CONTRASTS]
    oe = progress["oe-o"]
    assert (oe.recent, oe.right, oe.total, oe.state) == (10, 8, 14, "mastered")
    yi = progress["y-i"]
    assert (yi.recent, yi.right, yi.state) == (4, 2, "confused")
    assert progress["ng-n"].state == "learning" and not progress["ng-n"].confused
    assert progress["long-a"].state == "new"
    # 7 of the last 10: no longer mastered, confused again
    answer(user, "oe-o", [0], start=NOW + timedelta(days=1))
    assert sounds.contrast_progress(user)["oe-o"].state == "confused"


def test_another_students_answers_do_not_count(app_ctx, student, make_user, enrol, quiz_course):
    other = make_user()
    enrol(quiz_course, other)
    answer(user_of(other), "oe-o", [1] * 10)
    assert sounds.contrast_progress(user_of(student))["oe-o"].state == "new"


def test_confused_contrasts_come_up_more_often(app_ctx, student):
    user = user_of(student)
    answer(user, "y-i", [0, 0, 0, 1])
    counts = {}
    for seed in range(10):
        sound_round = sounds.start_round(user, contrast=None, now=NOW, seed=seed)
        for q in sound_round.questions:
            counts[q.contrast] = counts.get(q.contrast, 0) + 1
        db.session.delete(sound_round)
    assert counts["y-i"] > counts["ng-n"]
    db.session.flush()
    assert db.session.scalar(select(func.count()).select_from(SoundQuestion)) == 4
    assert db.session.scalar(select(func.count()).select_from(SoundRound)) == 1
