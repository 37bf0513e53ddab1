"""Demo data of the preliminary round: division D of the current edition, its entries with
synthetic Kyrgyz speech, two of them scored (called by `seed.seed_judging`)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta

from app.auth.models import User
from app.contest import judging as judging_service
from app.contest import registration as registration_service
from app.contest import seed as contest_seed
from app.contest.models import (
    Criterion,
    Division,
    Edition,
)
from app.core.dbtypes import utcnow
from app.extensions import db

PRELIMINARY_DIVISION = (
    "open-speech", "D", "一般スピーチ（録音予選あり）", "Open speech (recorded preliminary)",
    "Ачык сүйлөө (тандоо туру менен)", 4,
)  # fmt: skip
PRELIMINARY_PEOPLE = [
    ("三浦 葵", "ミウラ アオイ", "Aoi Miura"), ("西村 陸", "ニシムラ リク", "Riku Nishimura"),
    ("福田 結", "フクダ ユイ", "Yui Fukuda"), ("岩崎 湊", "イワサキ ミナト", "Minato Iwasaki"),
    ("中島 花", "ナカジマ ハナ", "Hana Nakajima"),
]  # fmt: skip
PRELIMINARY_SPEECHES = [
    ("Салам! Менин атым Аой. Мен кыргыз тилин эки жылдан бери үйрөнөм.",
     "こんにちは。私の名前はアオイです。キルギス語を2年前から学んでいます。"),
    ("Бишкекте бир жай жашадым. Ал жерде көп дос таптым.",
     "ビシュケクでひと夏暮らしました。そこでたくさんの友達ができました。"),
    ("Ысык-Көл абдан кооз. Суусу таза, тоолору бийик.",
     "イシク・クル湖はとても美しいです。水は澄み、山は高いです。"),
    ("Кыргыз тили мага жаңы дүйнөнү ачты.", "キルギス語は私に新しい世界を開いてくれました。"),
]  # fmt: skip


def seed_preliminary(edition: Edition, judge: User) -> Iterator[str]:
    """2027: an open division with a recorded preliminary whose deadline has just passed:
    four entries with audio (one without its translation), one registrant who handed in
    nothing, two entries scored by judge@example.com; the finalists are not published yet."""
    from app.contest import preliminary as preliminary_service
    from app.contest import preliminary_judging

    if any(d.slug == PRELIMINARY_DIVISION[0] for d in edition.divisions):
        return
    slug, letter, ja, en, ky, capacity = PRELIMINARY_DIVISION
    division = Division(
        slug=slug,
        letter=letter,
        position=len(edition.divisions),
        name_ja=ja,
        name_en=en,
        name_ky=ky,
        capacity=capacity,
        speech_seconds=300,
        criteria=[
            Criterion(position=i, name_ja=cja, name_en=cen, weight=weight)
            for i, (cja, cen, weight) in enumerate(contest_seed.RUBRIC)
        ],
    )
    edition.divisions.append(division)
    db.session.flush()
    preliminary = preliminary_service.configure(
        division,
        preliminary_service.Settings(
            deadline_at=utcnow() + timedelta(days=1),
            wants_recording=True,
            max_minutes=5,
            wants_manuscript=True,
            finalists=3,
            blind=True,
            tiebreak_position=1,
            criteria=[
                ("内容", "Content", 40, 10, contest_seed.CRITERION_ABOUT["内容"]),
                ("発音", "Pronunciation", 30, 10, contest_seed.CRITERION_ABOUT["発音"]),
                (
                    "言葉の正確さ",
                    "Language accuracy",
                    30,
                    10,
                    contest_seed.CRITERION_ABOUT["言葉の正確さ"],
                ),
            ],
        ),
    )
    judging_service.assign_judge(division, judge)
    rng = random.Random(17)
    handed = scored = 0
    for index, (name, kana, latin) in enumerate(PRELIMINARY_PEOPLE):
        user = contest_seed._person_named(name, kana, latin)
        details = contest_seed._details(user, index, division, study_months=18)
        details = registration_service.Details(
            **{**details.__dict__, "full_name": name, "furigana": kana, "name_latin": latin}
        )
        registration = registration_service.register(
            edition, division, user, details, language="ja", now=utcnow()
        )
        if index >= len(PRELIMINARY_SPEECHES):
            continue  # one registrant has not handed anything in yet
        ky_text, ja_text = PRELIMINARY_SPEECHES[index]
        preliminary_service.hand_in(
            registration,
            audio=_speech_audio(ky_text),
            manuscript_ky=ky_text,
            manuscript_ja=ja_text if index != 3 else "",  # one entry lacks its translation
            now=utcnow() - timedelta(days=3, hours=len(PRELIMINARY_PEOPLE) - index),
        )
        handed += 1
    preliminary.deadline_at = utcnow() - timedelta(days=1)  # closed: the judges are scoring
    db.session.flush()
    for entry in preliminary_service.entries(preliminary)[:2]:
        values: dict[int, int | None] = {
            c.id: rng.randint(6, c.max_score) for c in preliminary.criteria
        }
        preliminary_judging.save_sheet(judge, entry, values, "", submit=True)
        scored += 1
    db.session.flush()
    yield (
        f"contest 2027: division D with a recorded preliminary: {handed} entries handed in, "
        f"{scored} scored by judge@example.com"
    )


def _speech_audio(text: str) -> bytes:
    """A spoken entry: espeak-ng's Kyrgyz where installed, else a second of quiet (a WAV)."""
    import tempfile
    from pathlib import Path

    from app.kyrgyz import speech

    try:
        with tempfile.TemporaryDirectory() as folder:
            return speech.synthesize(text, Path(folder)).path.read_bytes()
    except (speech.SpeechUnavailable, speech.SpeechError, ValueError, OSError):
        return _silence()


def _silence() -> bytes:
    import io
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(bytes(16000))
    return buffer.getvalue()
