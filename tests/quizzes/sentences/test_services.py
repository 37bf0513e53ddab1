"""Sentence building's services: Japanese phrases and the orders Japanese allows, the word bank
with distractors from the same lesson, judging, attempts recorded once, the counts."""

from __future__ import annotations

import random
from typing import Any

import pytest
from flask import Flask

from app.auth.models import User
from app.extensions import db
from app.lessons.models import Item
from app.quizzes.models import SentenceAttempt, SentenceKind
from app.quizzes.sentences import japanese, services
from tests.helpers import count_queries
from tests.quizzes.conftest import NOW


def test_japanese_splits_into_phrases_and_keeps_the_ending_apart() -> None:
    assert japanese.split("私は学校へ行きます。") == (["私は", "学校へ", "行きます"], "。")
    assert japanese.split("この花はとてもきれいです？")[0] == [
        "この",
        "花は",
        "とても",
        "きれいです",
    ]
    assert japanese.split("") == ([], "")


def test_japanese_allows_arguments_to_move_but_not_the_predicate_or_modifiers() -> None:
    phrases = ["明日", "私たちは", "バザールへ", "行きます"]
    assert japanese.is_accepted(["私たちは", "明日", "バザールへ", "行きます"], phrases) is False
    phrases = ["私は", "学校へ", "行きます"]
    assert japanese.is_accepted(["学校へ", "私は", "行きます"], phrases)
    assert not japanese.is_accepted(["行きます", "私は", "学校へ"], phrases)
    modified = ["この", "花は", "とても", "きれいです"]
    assert not japanese.is_accepted(["花は", "この", "とても", "きれいです"], modified)
    # とても ends like the particle も but is an adverb: it stays before its predicate
    assert japanese.accepted_orders(modified) == [modified]


def item(app: Flask, course: Any, ky: str) -> Item:
    return db.session.get_one(Item, course.items[ky])


def test_bank_holds_the_sentence_and_distractors_from_the_lesson(
    app: Flask, sentence_course: Any
) -> None:
    with app.app_context():
        school = item(app, sentence_course, "мектеп")
        lesson_items = school.lesson.items
        built = services.exercise(school, SentenceKind.BUILD_KY, "token-one", lesson_items)
        own = ["Мен", "мектепке", "барам"]
        extra = [tile for tile in built.tiles if tile not in own]
        assert sorted(tile for tile in built.tiles if tile in own) == sorted(own)
        assert 2 <= len(extra) <= 4
        lesson_words = {
            word
            for other in lesson_items
            if other.id != school.id
            for text in (other.example_ky or "", other.ky)
            for word in text.strip(".").split()
        }
        assert set(extra) <= lesson_words
        assert not {tile.lower() for tile in extra} & {"мен", "мектепке", "барам"}
        # the same token shuffles the same way: the no-JS form's order stays meaningful
        again = services.exercise(school, SentenceKind.BUILD_KY, "token-one", lesson_items)
        assert again.tiles == built.tiles
        ja = services.exercise(school, SentenceKind.BUILD_JA, "token-one", lesson_items)
        assert {"私は", "学校へ", "行きます"} <= set(ja.tiles) and ja.ending == "。"
        db.session.remove()


def test_order_parsing_ignores_hostile_values() -> None:
    assert services.parse_order("3,0,2") == [3, 0, 2]
    assert services.parse_order("1,x,\x00,99999999999999999999,-1,2") == [1, 2]
    assert services.valid_order([5, 1, 1, 0, 99], 6) == [5, 1, 0]
    assert not services.valid_token("short") and not services.valid_token("a/b" * 5)
    assert services.valid_token(services.new_token())


def test_one_word_examples_are_not_offered(app: Flask, sentence_course: Any) -> None:
    with app.app_context():
        assert not services.can_build(item(app, sentence_course, "суу"), SentenceKind.BUILD_KY)
        assert services.can_build(item(app, sentence_course, "китеп"), SentenceKind.BUILD_JA)
        db.session.remove()


def test_attempts_are_judged_recorded_once_and_counted(
    app: Flask, sentence_course: Any, make_user: Any
) -> None:
    student = make_user(roles=("student",))
    with app.app_context():
        user = db.session.get_one(User, student.id)
        school = item(app, sentence_course, "мектеп")
        wrong = services.record_attempt(
            user,
            school,
            SentenceKind.BUILD_KY,
            "tok-wrong-1",
            ["барам", "Мен", "мектепке"],
            now=NOW,
        )
        assert wrong.verdict.kind == "verb_final" and not wrong.repeated
        right = services.record_attempt(
            user,
            school,
            SentenceKind.BUILD_KY,
            "tok-right-1",
            ["Мен", "мектепке", "барам"],
            now=NOW,
        )
        assert right.verdict.is_correct
        twice = services.record_attempt(
            user, school, SentenceKind.BUILD_KY, "tok-right-1", ["барам"], now=NOW
        )
        assert twice.repeated and twice.attempt.id == right.attempt.id and twice.verdict.is_correct
        ja = services.record_attempt(
            user,
            school,
            SentenceKind.BUILD_JA,
            "tok-ja-0001",
            ["学校へ", "私は", "行きます"],
            now=NOW,
        )
        assert ja.verdict.is_correct  # Japanese lets 学校へ and 私は change places
        order = services.record_attempt(
            user,
            school,
            SentenceKind.BUILD_JA,
            "tok-ja-0002",
            ["行きます", "私は", "学校へ"],
            now=NOW,
        )
        assert order.verdict.kind == "ja_order"
        typed = services.record_attempt(
            user, school, SentenceKind.TYPE_KY, "tok-typed-1", "мен мектепке барам", now=NOW
        )
        assert typed.verdict.is_correct
        with pytest.raises(services.SentenceError):
            services.record_attempt(
                user, school, SentenceKind.TYPE_KY, "tok-empty-1", "  ", now=NOW
            )
        db.session.commit()
        counts = services.sentence_counts(user)
        # one sentence built (three ways), five attempts (the repeat is not one)
        assert (counts.built, counts.attempts) == (1, 5)
        stored = services.verdict_of(db.session.get_one(SentenceAttempt, wrong.attempt.id))
        assert stored.kind == "verb_final" and "барам" in stored.render(lambda s: s)
        db.session.remove()


def test_next_prefers_sentences_not_built_yet(
    app: Flask, sentence_course: Any, make_user: Any, enrol: Any
) -> None:
    student = make_user(roles=("student",))
    enrol(sentence_course, student)
    with app.app_context():
        user = db.session.get_one(User, student.id)
        buildable = {course_item for course_item in ("мектеп", "бар-", "студент", "китеп")}
        ids = {sentence_course.items[k] for k in buildable}
        for key in ("мектеп", "бар-", "студент"):
            own = services.sentence_tiles(item(app, sentence_course, key), SentenceKind.BUILD_KY)[0]
            services.record_attempt(
                user,
                item(app, sentence_course, key),
                SentenceKind.BUILD_KY,
                f"tok-{key}-xx1",
                own,
                now=NOW,
            )
        rng = random.Random(1)
        picks = {services.next_item(user, SentenceKind.BUILD_KY, rng=rng).id for _ in range(10)}
        assert picks == {sentence_course.items["китеп"]}
        # in another kind nothing is built yet: any of them
        others = {services.next_item(user, SentenceKind.BUILD_JA, rng=rng).id for _ in range(40)}
        assert others == ids
        db.session.remove()


def test_counts_take_one_query_whatever_the_attempts(
    app: Flask, sentence_course: Any, make_user: Any
) -> None:
    student = make_user(roles=("student",))
    with app.app_context():
        user = db.session.get_one(User, student.id)
        school = item(app, sentence_course, "мектеп")
        for n in range(30):
            db.session.add(
                SentenceAttempt(
                    user_id=user.id,
                    item_id=school.id,
                    kind="build-ky",
                    token=f"tok-many-{n:04d}",
                    given="",
                    status="correct" if n % 2 else "wrong",
                    verdict="exact",
                    expected="",
                    params={},
                    answered_at=NOW,
                )
            )
        db.session.commit()
        db.session.refresh(user)  # the commit expired it: not the count's query
        with count_queries(app) as log:
            counts = services.sentence_counts(user)
        assert log.count == 1 and (counts.built, counts.attempts) == (1, 30)
        db.session.remove()
