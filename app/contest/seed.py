"""Demo contest: the 2027 edition open for registration, and the 2026 edition before it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from sqlalchemy import select

from app.auth import services as accounts
from app.auth.models import User
from app.contest import services
from app.contest.models import Criterion, Division, Edition, Registration, Status
from app.core.dbtypes import utcnow
from app.extensions import db

VENUE_JA = "在日本キルギス共和国大使館 (東京都目黒区)"
VENUE_EN = "Embassy of the Kyrgyz Republic in Japan, Tokyo"
RULES_JA = """\
## 参加資格
- 日本国籍をお持ちの方で、キルギス語を母語・継承語としない方
- 各部門の学習歴・滞在歴の条件を満たす方
- 過去に同じ部門で1位を受賞された方は、同じ部門には出場できません

## スピーチについて
- 制限時間を超えた場合は減点となります
- 審査のあとに、審査員からキルギス語で簡単な質問があります

参加者全員に参加賞をお贈りします。
"""
RULES_EN = """\
## Who may take part
- Japanese citizens for whom Kyrgyz is neither a native nor a heritage language
- who meet the division's limits on years of study and time lived in Kyrgyzstan
- First-prize winners of past contests may not enter the same division again

## Speeches
- Going over the time limit costs points
- After each speech the judges ask a short question in Kyrgyz

Every participant receives a gift.
"""
RUBRIC = [
    ("内容", "Content", 25),
    ("言葉の正確さ", "Language accuracy", 25),
    ("発音", "Pronunciation", 20),
    ("流暢さ・表現力", "Fluency and delivery", 20),
    ("質疑応答", "Answers to the judges' questions", 10),
]
RECITATION_RUBRIC = [
    ("正確さ", "Accuracy", 40),
    ("発音", "Pronunciation", 30),
    ("表現力", "Delivery", 30),
]
# slug, letter, ja, en, ky, capacity, minutes, moderated, max study months, max months in KG
DIVISIONS = [
    ("beginner-speech", "A", "初級スピーチ", "Beginners' speech", "Баштапкы деңгээл", 20, 3, False, 24, 6),
    ("advanced-speech", "B", "上級スピーチ", "Advanced speech", "Жогорку деңгээл", 15, 5, True, None, 24),
    ("recitation", "C", "暗唱", "Recitation", "Жатка айтуу", 4, 3, False, None, None),
]  # fmt: skip
PEOPLE = [
    ("田中 由衣", "タナカ ユイ", "Yui Tanaka"), ("鈴木 健太", "スズキ ケンタ", "Kenta Suzuki"),
    ("高橋 舞", "タカハシ マイ", "Mai Takahashi"), ("伊藤 大輔", "イトウ ダイスケ", "Daisuke Ito"),
    ("渡辺 葵", "ワタナベ アオイ", "Aoi Watanabe"), ("小林 蓮", "コバヤシ レン", "Ren Kobayashi"),
    ("加藤 美咲", "カトウ ミサキ", "Misaki Kato"), ("吉田 翔", "ヨシダ ショウ", "Sho Yoshida"),
    ("山本 さくら", "ヤマモト サクラ", "Sakura Yamamoto"), ("中村 拓海", "ナカムラ タクミ", "Takumi Nakamura"),
    ("松本 陽菜", "マツモト ヒナ", "Hina Matsumoto"), ("井上 大和", "イノウエ ヤマト", "Yamato Inoue"),
    ("木村 結衣", "キムラ ユイ", "Yui Kimura"), ("林 悠斗", "ハヤシ ユウト", "Yuto Hayashi"),
    ("清水 彩", "シミズ アヤ", "Aya Shimizu"), ("山崎 健", "ヤマザキ ケン", "Ken Yamazaki"),
    ("森 七海", "モリ ナナミ", "Nanami Mori"), ("池田 蒼", "イケダ アオ", "Ao Ikeda"),
    ("橋本 真央", "ハシモト マオ", "Mao Hashimoto"), ("阿部 亮", "アベ リョウ", "Ryo Abe"),
    ("石川 凛", "イシカワ リン", "Rin Ishikawa"), ("前田 湊", "マエダ ミナト", "Minato Maeda"),
    ("藤田 杏", "フジタ アン", "An Fujita"), ("岡田 樹", "オカダ イツキ", "Itsuki Okada"),
    ("後藤 楓", "ゴトウ カエデ", "Kaede Goto"),
]  # fmt: skip
TITLES = [
    ("Менин сүйүктүү тоолорум", "私の大好きな山々"),
    ("Бишкектеги бир күн", "ビシュケクでの一日"),
    ("Кыргыз тилин эмне үчүн үйрөнөм", "なぜキルギス語を学ぶのか"),
    ("Ысык-Көлдөгү жай", "イシク・クル湖の夏"),
    ("Манас жана мен", "マナスと私"),
]
AFFILIATIONS = ["university", "jica", "company", "course", "public"]


def seed_contest(organizer: User, students: Sequence[User]) -> Iterator[str]:
    """Create the demo editions if missing (idempotent); yields one line per step."""
    del organizer  # the console is the organizer's; nothing is owned by them yet
    if db.session.scalar(select(Edition).where(Edition.year == 2026)) is None:
        _edition(2026, past=True)
        yield "contest 2026: past edition with 3 divisions"
    if db.session.scalar(select(Edition).where(Edition.year == 2027)) is not None:
        return
    edition = _edition(2027, past=False)
    db.session.flush()
    yield "contest 2027: registration open, 3 divisions"
    people = [_person(i, students) for i in range(len(PEOPLE))]
    beginner, advanced, recitation = edition.divisions
    now = utcnow()
    made = 0
    for i, user in enumerate(people[:12]):  # beginners: 12 of 20 seats
        _register(edition, beginner, user, i)
        made += 1
    for i, user in enumerate(people[12:17], start=12):  # advanced: moderated
        registration = _register(edition, advanced, user, i, study_months=60)
        if i < 15:
            services.approve(registration, now=now)
        made += 1
    for i, user in enumerate(people[17:25], start=17):  # recitation: 4 seats, 4 waiting
        _register(edition, recitation, user, i, study_months=36)
        made += 1
    # One confirmed reciter withdraws: the first on the waiting list is offered the seat.
    first = db.session.scalars(
        select(Registration)
        .where(Registration.division_id == recitation.id, Registration.status == Status.CONFIRMED)
        .order_by(Registration.id)
        .limit(1)
    ).one()
    services.withdraw(first, now=now)
    db.session.flush()
    yield f"contest 2027: {made} registrations (confirmed, waiting, one offered seat, one withdrawn, pending approval)"


def _edition(year: int, *, past: bool) -> Edition:
    today = date.today()
    now = utcnow()
    if past:
        event = date(year, 11, 14)
        opens, closes = now - timedelta(days=500), now - timedelta(days=400)
    else:
        event = today + timedelta(days=60)
        opens, closes = now - timedelta(days=7), now + timedelta(days=40)
    edition = Edition(
        year=year,
        title_ja=f"第{year - 2017}回 日本人によるキルギス語弁論大会 {year}",
        title_en=f"Kyrgyz-Language Speech Contest {year}",
        title_ky=f"Кыргыз тилинде сүйлөө сынагы {year}",
        registration_opens_at=opens,
        registration_closes_at=closes,
        event_date=event,
        venue_ja=VENUE_JA,
        venue_en=VENUE_EN,
        rules_ja=RULES_JA,
        rules_en=RULES_EN,
    )
    for position, (slug, letter, ja, en, ky, capacity, minutes, moderated, study, kg) in enumerate(
        DIVISIONS
    ):
        rubric = RECITATION_RUBRIC if slug == "recitation" else RUBRIC
        edition.divisions.append(
            Division(
                slug=slug,
                letter=letter,
                position=position,
                name_ja=ja,
                name_en=en,
                name_ky=ky,
                capacity=capacity,
                speech_seconds=minutes * 60,
                requires_moderation=moderated,
                max_study_months=study,
                max_months_in_kyrgyzstan=kg,
                criteria=[
                    Criterion(position=i, name_ja=cja, name_en=cen, weight=weight)
                    for i, (cja, cen, weight) in enumerate(rubric)
                ],
            )
        )
    db.session.add(edition)
    return edition


def _person(index: int, students: Sequence[User]) -> User:
    if index < len(students):
        return students[index]
    name, kana, _latin = PEOPLE[index]
    email = f"contest{index:02d}@example.com"
    user = accounts.get_user_by_email(email)
    if user is None:
        user = accounts.create_user(
            email=email,
            password=accounts.new_session_token() + "Aa1",
            display_name=name,
            name_katakana=kana,
        )
    return user


def _register(
    edition: Edition,
    division: Division,
    user: User,
    index: int,
    *,
    study_months: int = 12,
) -> Registration:
    name, kana, latin = PEOPLE[index]
    title_ky, title_ja = TITLES[index % len(TITLES)]
    details = services.Details(
        full_name=name if user.display_name.startswith(name) else user.display_name,
        furigana=user.name_katakana or kana,
        name_latin=latin,
        phone=f"090-{1000 + index:04d}-{2000 + index:04d}",
        age_group="18-29" if index % 3 else "30-49",
        affiliation=AFFILIATIONS[index % len(AFFILIATIONS)],
        affiliation_detail="",
        study_months=study_months,
        study_place="在日キルギス大使館 キルギス語講座",
        months_in_kyrgyzstan=3 if division.max_months_in_kyrgyzstan else 20,
        not_native_speaker=True,
        japanese_citizen=True,
        speech_title_ky=title_ky,
        speech_title_ja=title_ja,
        consent_privacy=True,
        consent_photos=index % 4 != 0,
    )
    return services.register(edition, division, user, details, language="ja", now=utcnow())
