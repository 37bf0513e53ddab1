"""The contest: `make_edition` (an edition open now, with divisions), registrant `details`
and a registration `form_data`, and `contest`, a division being judged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask

from app.auth.models import User
from app.contest import checkin as checkin_service
from app.contest import judging as judging_service
from app.contest import registration as registration_service
from app.contest.models import Criterion, Division, Edition
from app.contest.registration import Details
from app.core.dbtypes import utcnow
from app.extensions import db
from tests.factories.users import UserInfo


def details(**overrides: Any) -> Details:
    """A registrant's details, for the registration service."""
    values: dict[str, Any] = {
        "full_name": "山田 花子",
        "furigana": "ヤマダ ハナコ",
        "name_latin": "Hanako Yamada",
        "phone": "090-1234-5678",
        "age_group": "18-29",
        "affiliation": "university",
        "affiliation_detail": "",
        "study_months": 12,
        "study_place": "大使館の講座",
        "months_in_kyrgyzstan": 0,
        "not_native_speaker": True,
        "japanese_citizen": True,
        "speech_title_ky": "Менин үй-бүлөм",
        "speech_title_ja": "私の家族",
        "consent_privacy": True,
        "consent_photos": True,
    }
    values.update(overrides)
    return Details(**values)


# The registration form as a visitor fills it in (without the division, email and password)
FORM = {
    "full_name": "山田 花子",
    "furigana": "ﾔﾏﾀﾞ ﾊﾅｺ",
    "name_latin": "Hanako Yamada",
    "phone": "090-1234-5678",
    "age_group": "18-29",
    "affiliation": "jica",
    "study_years": "1.5",
    "study_place": "大使館の講座",
    "months_in_kyrgyzstan": "3",
    "not_native_speaker": "y",
    "japanese_citizen": "y",
    "speech_title_ky": "Менин үй-бүлөм",
    "speech_title_ja": "私の家族",
    "consent_privacy": "y",
    "consent_photos": "y",
}


def form_data(division_id: int, **overrides: Any) -> dict[str, Any]:
    """A valid registration form for an anonymous visitor (add email/password) or a user;
    an override of None leaves the field out."""
    data = dict(FORM, division=str(division_id))
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def build_edition(
    year: int = 2027,
    capacities: tuple[int, ...] = (3, 2, 1),
    moderated: str = "",
    open_now: bool = True,
    **division_overrides: Any,
) -> Edition:
    """An edition open for registration now (or closed since half a day), in the session:
    a division per capacity, lettered A, B, C, … (those in `moderated` are moderated), each
    judged on one criterion. Needs an app context; the caller commits."""
    now = utcnow()
    edition = Edition(
        year=year,
        title_ja=f"キルギス語弁論大会 {year}",
        title_en=f"Kyrgyz Speech Contest {year}",
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=10 if open_now else -0.5),
        event_date=date.today() + timedelta(days=30),
        venue_ja="大使館",
        venue_en="Embassy",
        rules_ja="## 規則\n- 時間を守る",
        rules_en="## Rules\n- Keep to time",
    )
    for i, capacity in enumerate(capacities):
        letter = "ABCDEFGH"[i]
        edition.divisions.append(
            Division(
                slug=f"division-{letter.lower()}",
                letter=letter,
                position=i,
                name_ja=f"部門{letter}",
                name_en=f"Division {letter}",
                capacity=capacity,
                requires_moderation=letter in moderated,
                criteria=[Criterion(position=0, name_ja="発音", name_en="Pronunciation", weight=1)],
                **division_overrides,
            )
        )
    db.session.add(edition)
    db.session.flush()
    return edition


@pytest.fixture
def make_edition(app: Flask) -> Callable[..., dict[str, int]]:
    """Create an edition (open now) with divisions A, B and C (see `build_edition`); returns
    the ids of the edition and of the divisions by letter, and the year."""

    def factory(*args: Any, **kwargs: Any) -> dict[str, int]:
        with app.app_context():
            edition = build_edition(*args, **kwargs)
            db.session.commit()
            ids = {"edition": edition.id, "year": edition.year}
            ids.update({d.letter: d.id for d in edition.divisions})
            db.session.remove()
        return ids

    return factory


# (ja, en, weight, max score) of the judged division's criteria
JUDGING_RUBRIC = [("内容", "Content", 50, 10), ("言葉の正確さ", "Language accuracy", 50, 10)]


@pytest.fixture
def contest(
    app: Flask, make_edition: Callable[..., dict[str, int]], make_user: Callable[..., UserInfo]
) -> dict[str, Any]:
    """Division A: two criteria, 3 checked-in contestants in speaking order, 2 judges (one with a
    conflict), a judge of another division; returns ids and users."""
    ids = make_edition(capacities=(10, 10))
    judges = [make_user(roles="judge", display_name=f"Judge {i}") for i in range(3)]
    people = [make_user() for _ in range(3)]
    with app.app_context():
        edition = db.session.get_one(Edition, ids["edition"])
        division = db.session.get_one(Division, ids["A"])
        division.criteria = []
        db.session.flush()
        division.criteria = [
            Criterion(position=i, name_ja=ja, name_en=en, weight=w, max_score=m)
            for i, (ja, en, w, m) in enumerate(JUDGING_RUBRIC)
        ]
        division.tiebreak_position = 1
        names = [
            ("青木 一郎", "アオキ イチロウ"),
            ("井上 二葉", "イノウエ フタバ"),
            ("上田 三月", "ウエダ ミツキ"),
        ]
        regs = []
        for info, (name, kana) in zip(people, names, strict=True):
            user = db.session.get_one(User, info.id)
            regs.append(
                registration_service.register(
                    edition, division, user, details(full_name=name, furigana=kana)
                )
            )
        organizer = db.session.get_one(User, judges[0].id)
        for order, registration in enumerate(regs, start=1):
            registration.speaking_order = order
            checkin_service.check_in(registration, organizer)
        judging_service.assign_judge(division, db.session.get_one(User, judges[0].id))
        judging_service.assign_judge(division, db.session.get_one(User, judges[1].id))
        judging_service.assign_judge(
            db.session.get_one(Division, ids["B"]), db.session.get_one(User, judges[2].id)
        )
        judging_service.declare_conflict(
            db.session.get_one(User, judges[1].id), regs[2], "my student"
        )
        db.session.commit()
        result = {
            "ids": ids,
            "judges": judges,
            "people": people,
            "regs": [r.id for r in regs],
            "criteria": [c.id for c in division.criteria],
        }
        db.session.remove()
    return result


# A tiny WAV file: what the sniffer accepts as a recording
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(36)


@pytest.fixture
def preliminary(
    app: Flask, make_edition: Callable[..., dict[str, int]], make_user: Callable[..., UserInfo]
) -> dict[str, Any]:
    """Division A (capacity 3) with a preliminary (recording, 1 finalist, deadline in 5 days,
    two criteria), two registrants (one writes in English), two judges of the division (the
    second has a conflict with the second registrant); returns ids and users."""
    from app.contest import preliminary as preliminary_service

    ids = make_edition(capacities=(3, 2))
    judges = [make_user(roles="judge", display_name=f"Judge {i}") for i in range(2)]
    people = [make_user(language="ja"), make_user(language="en")]
    with app.app_context():
        edition = db.session.get_one(Edition, ids["edition"])
        division = db.session.get_one(Division, ids["A"])
        prelim = preliminary_service.configure(
            division,
            preliminary_service.Settings(
                deadline_at=utcnow() + timedelta(days=5),
                wants_recording=True,
                max_minutes=5,
                wants_manuscript=False,
                finalists=1,
                blind=True,
                tiebreak_position=1,
                criteria=[
                    ("内容", "Content", 50, 10, ""),
                    ("発音", "Pronunciation", 50, 10, ""),
                ],
            ),
        )
        names = [("青木 一郎", "アオキ イチロウ"), ("井上 二葉", "イノウエ フタバ")]
        regs = []
        for info, (name, kana), lang in zip(people, names, ("ja", "en"), strict=True):
            user = db.session.get_one(User, info.id)
            regs.append(
                registration_service.register(
                    edition, division, user, details(full_name=name, furigana=kana), language=lang
                )
            )
        for judge in judges:
            judging_service.assign_judge(division, db.session.get_one(User, judge.id))
        judging_service.declare_conflict(db.session.get_one(User, judges[1].id), regs[1])
        db.session.commit()
        result = {
            "ids": ids,
            "preliminary": prelim.id,
            "judges": judges,
            "people": people,
            "regs": [r.id for r in regs],
            "criteria": [c.id for c in prelim.criteria],
        }
        db.session.remove()
    return result
