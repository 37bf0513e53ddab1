"""Demo contest: the 2027 edition open for registration, and the 2026 edition before it.

2026 is over: everyone was judged by three judges, results and prizes are published. In 2027
judge@example.com judges two divisions and has submitted a few sheets (check-in has begun).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta

from flask.blueprints import BlueprintSetupState
from sqlalchemy import select

from app.auth import services as accounts
from app.auth.models import Role, User
from app.contest import checkin as checkin_service
from app.contest import judging as judging_service
from app.contest import prizes as prizes_service
from app.contest import registration as registration_service
from app.contest.models import (
    Criterion,
    Division,
    Edition,
    JudgeAssignment,
    PrizeKind,
    Registration,
    Status,
)
from app.core.dbtypes import utcnow
from app.core.seed import DemoData, DemoSeeder, add_seeder
from app.extensions import db

VENUE_JA = "在日本キルギス共和国大使館 (東京都目黒区)"
VENUE_EN = "Embassy of the Kyrgyz Republic in Japan, Tokyo"
VENUE_ADDRESS = "〒153-0064 東京都目黒区下目黒5-6-16"
MAP_URL = "https://www.openstreetmap.org/search?query=%E6%9D%B1%E4%BA%AC%E9%83%BD%E7%9B%AE%E9%BB%92%E5%8C%BA%E4%B8%8B%E7%9B%AE%E9%BB%925-6-16"
BRING_JA = "参加番号（QRコードのチケット）、身分証明書、スピーチ原稿（キルギス語と日本語訳）"
BRING_EN = "Your participant number (the QR ticket), photo ID, your speech text (Kyrgyz and its Japanese translation)"
# What the judges look for, shown under each criterion on their sheet.
CRITERION_ABOUT = {
    "内容": "主題の明確さ、構成、聞き手に伝わる内容か",
    "言葉の正確さ": "格語尾・所有語尾・動詞の活用、母音調和",
    "発音": "ө・ү・ң・ы の区別、長母音、アクセント",
    "流暢さ・表現力": "間の取り方、声の大きさ、聞き手とのアイコンタクト",
    "質疑応答": "質問を理解し、キルギス語で答えられるか",
}
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
PAST_PEOPLE = [
    ("佐々木 遥", "ササキ ハルカ", "Haruka Sasaki"), ("山口 海斗", "ヤマグチ カイト", "Kaito Yamaguchi"),
    ("松井 千尋", "マツイ チヒロ", "Chihiro Matsui"), ("野口 航", "ノグチ ワタル", "Wataru Noguchi"),
    ("大野 栞", "オオノ シオリ", "Shiori Ono"), ("村上 颯", "ムラカミ ハヤテ", "Hayate Murakami"),
    ("原田 光", "ハラダ ヒカル", "Hikaru Harada"), ("小川 紬", "オガワ ツムギ", "Tsumugi Ogawa"),
    ("竹内 暖", "タケウチ ダン", "Dan Takeuchi"), ("太田 澪", "オオタ ミオ", "Mio Ota"),
]  # fmt: skip
JUDGES = [
    ("judge@example.com", "Бакыт Жумабеков"),
    ("judge2@example.com", "Айгүл Токтогулова"),
    ("judge3@example.com", "佐藤 恵子"),
]
SPECIAL_PRIZE = "大使特別賞 / Ambassador's Special Prize"


CONTACT_NAME = "在日キルギス共和国大使館 弁論大会事務局 / Embassy contest office"
CONTACT_EMAIL = "contest@example.com"


def register_seeders(state: BlueprintSetupState) -> None:
    """`flask seed-demo` makes the past and current contest editions."""
    add_seeder(state.app, DemoSeeder("contest", seed_demo, order=50))


def seed_demo(data: DemoData) -> Iterator[str]:
    """The contest, with the demo classmates among its registrants."""
    # The demo student is left out so that they can try registering themselves.
    yield from seed_contest(data.users["organizer@example.com"], data.classmates)


def seed_contest(organizer: User, students: Sequence[User]) -> Iterator[str]:
    """Create the demo editions if missing (idempotent); yields one line per step."""
    del organizer  # the console is the organizer's; nothing is owned by them yet
    if db.session.scalar(select(Edition).where(Edition.year == 2026)) is None:
        _edition(2026, past=True)
        yield "contest 2026: past edition with 3 divisions"
    if db.session.scalar(select(Edition).where(Edition.year == 2027)) is None:
        yield from _seed_current(students)
    db.session.flush()
    yield from seed_judging()


def _seed_current(students: Sequence[User]) -> Iterator[str]:
    """The 2027 edition with registrations in every state."""
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
            registration_service.approve(registration, now=now)
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
    registration_service.withdraw(first, now=now)
    db.session.flush()
    yield f"contest 2027: {made} registrations (confirmed, waiting, one offered seat, one withdrawn, pending approval)"


def seed_judging() -> Iterator[str]:
    """Judges, check-in and scores for the demo editions (idempotent)."""
    judges = [_judge(email, name) for email, name in JUDGES]
    past = db.session.scalar(select(Edition).where(Edition.year == 2026))
    if past is not None and not _has_judges(past):
        count = _judge_past(past, judges)
        yield f"contest 2026: {count} participants judged by 3 judges; results and prizes published"
    current = db.session.scalar(select(Edition).where(Edition.year == 2027))
    if current is not None and not _has_judges(current):
        sheets = _judge_current(current, judges[0])
        yield f"contest 2027: judge@example.com judges 2 divisions, {sheets} sheets submitted"
    if current is not None:
        from app.contest.seed_preliminary import seed_preliminary  # it uses this module's helpers

        yield from seed_preliminary(current, judges[0])
    if past is not None and _add_demo_student_to_past(past):
        yield f"contest 2026: {DEMO_STUDENT} took part and won a prize (certificates to download)"


DEMO_STUDENT = "student@example.com"
ENCOURAGEMENT_PRIZE = "奨励賞"  # printed on the certificate: Japanese, with the Kyrgyz line beneath


def _add_demo_student_to_past(edition: Edition) -> bool:
    """The demo student took part in 2026 and won a special prize, so that signing in as them
    shows a certificate to download. Idempotent; the scores are modest, so the published places
    stay as they were, and a special prize doesn't bar them from the 2027 beginners."""
    student = accounts.get_user_by_email(DEMO_STUDENT)
    if student is None or registration_service.registration_of(student, edition) is not None:
        return False
    division = edition.divisions[0]
    published_at = division.results_published_at
    if published_at is None:
        return False
    division.numbers_issued += 1
    registration = Registration(
        edition_id=edition.id,
        division_id=division.id,
        user_id=student.id,
        email=student.email,
        status=Status.CONFIRMED,
        participant_number=f"{edition.year}-{division.letter}-{division.numbers_issued:03d}",
        speaking_order=division.numbers_issued,
        confirmed_at=edition.registration_closes_at,
        checked_in_at=published_at - timedelta(hours=8),
        **{
            k: getattr(_details(student, 0, division), k)
            for k in registration_service.DETAIL_FIELDS
        },
    )
    registration.full_name = student.display_name
    registration.furigana = student.name_katakana or registration.furigana
    registration.name_latin = "Hanako Yamada"
    registration.search_key = registration_service.search_key(registration)
    db.session.add(registration)
    db.session.flush()
    prizes_service.unpublish_results(division)
    modest: dict[int, int | None] = {c.id: c.max_score // 2 for c in division.criteria}
    for judge in judging_service.judges_of(division):
        judging_service.save_sheet(judge, registration, modest, "", submit=True)
    awards = [(p.registration_id, p.kind, p.name) for p in prizes_service.prizes_of(division)]
    awards.append((registration.id, PrizeKind.SPECIAL, ENCOURAGEMENT_PRIZE))
    prizes_service.set_prizes(division, awards)
    prizes_service.publish_results(division, now=published_at)
    return True


def _has_judges(edition: Edition) -> bool:
    return (
        db.session.scalar(
            select(JudgeAssignment.id)
            .join(Division, Division.id == JudgeAssignment.division_id)
            .where(Division.edition_id == edition.id)
            .limit(1)
        )
        is not None
    )


def _judge(email: str, name: str) -> User:
    user = accounts.get_user_by_email(email)
    if user is None:
        user = accounts.create_user(
            email=email,
            password=accounts.new_session_token() + "Aa1",
            display_name=name,
            roles=[Role.JUDGE],
        )
    return user


def _scores(division: Division, rng: random.Random) -> dict[int, int | None]:
    return {c.id: rng.randint(c.max_score // 2, c.max_score) for c in division.criteria}


def _judge_past(edition: Edition, judges: list[User]) -> int:
    """Participants of 2026 (directly, registration is long closed), complete scores, prizes."""
    rng = random.Random(2026)
    now = datetime.combine(edition.event_date, time(1, 0), tzinfo=UTC)  # 10:00 in Tokyo
    made = 0
    for division, people in zip(edition.divisions, (PAST_PEOPLE[:4], PAST_PEOPLE[4:7],
                                                    PAST_PEOPLE[7:]), strict=False):  # fmt: skip
        registrations = []
        for order, (name, kana, latin) in enumerate(people, start=1):
            user = _person_named(name, kana, latin)
            division.numbers_issued += 1
            registration = Registration(
                edition_id=edition.id,
                division_id=division.id,
                user_id=user.id,
                email=user.email,
                status=Status.CONFIRMED,
                participant_number=f"2026-{division.letter}-{division.numbers_issued:03d}",
                speaking_order=order,
                confirmed_at=edition.registration_closes_at,
                checked_in_at=now,
                gift_given_at=now,
                **{
                    k: getattr(_details(user, made, division), k)
                    for k in registration_service.DETAIL_FIELDS
                },
            )
            registration.full_name, registration.name_latin = name, latin
            registration.search_key = registration_service.search_key(registration)
            db.session.add(registration)
            registrations.append(registration)
            made += 1
        db.session.flush()
        division.tiebreak_position = 1
        for judge in judges:
            judging_service.assign_judge(division, judge)
            for registration in registrations:
                judging_service.save_sheet(
                    judge, registration, _scores(division, rng), "", submit=True
                )
        ranking = judging_service.judging(division).ranking()
        awards = [
            (r.registration_id, kind, "") for r, kind in zip(ranking, PLACES_ORDER, strict=False)
        ]
        awards.append((ranking[-1].registration_id, PrizeKind.SPECIAL, SPECIAL_PRIZE))
        prizes_service.set_prizes(division, awards)
        prizes_service.publish_results(division, now=now + timedelta(hours=8))
    return made


PLACES_ORDER = (PrizeKind.FIRST, PrizeKind.SECOND, PrizeKind.THIRD)


def _judge_current(edition: Edition, judge: User) -> int:
    """2027: the judge on beginners and recitation; a few checked in and scored."""
    beginner, _advanced, recitation = edition.divisions
    rng = random.Random(2027)
    beginner.tiebreak_position = 1
    judging_service.assign_judge(beginner, judge)
    judging_service.assign_judge(recitation, judge)
    order = registration_service.draw_speaking_order(beginner, rng=rng)
    registration_service.draw_speaking_order(recitation, rng=rng)
    submitted = 0
    for registration in sorted(order, key=lambda r: r.speaking_order or 0)[:4]:
        checkin_service.check_in(registration, judge)
        if submitted < 2:
            judging_service.save_sheet(judge, registration, _scores(beginner, rng), "", submit=True)
            submitted += 1
    return submitted


def _account(email: str, name: str, kana: str) -> User:
    """The demo person with this e-mail, created (with an unusable random password) if missing."""
    user = accounts.get_user_by_email(email)
    if user is None:
        user = accounts.create_user(
            email=email,
            password=accounts.new_session_token() + "Aa1",
            display_name=name,
            name_katakana=kana,
        )
    return user


def _person_named(name: str, kana: str, latin: str) -> User:
    first, last = latin.split()[:2]
    return _account(f"{first.lower()}.{last.lower()}@example.com", name, kana)


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
        event_time=time(10, 0),
        venue_ja=VENUE_JA,
        venue_en=VENUE_EN,
        venue_address=VENUE_ADDRESS,
        map_url=MAP_URL,
        bring_ja=BRING_JA,
        bring_en=BRING_EN,
        rules_ja=RULES_JA,
        rules_en=RULES_EN,
        contact_name=CONTACT_NAME,
        contact_email=CONTACT_EMAIL,
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
                    Criterion(
                        position=i,
                        name_ja=cja,
                        name_en=cen,
                        weight=weight,
                        description=CRITERION_ABOUT.get(cja, ""),
                    )
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
    return _account(f"contest{index:02d}@example.com", name, kana)


def _details(
    user: User, index: int, division: Division, study_months: int = 12
) -> registration_service.Details:
    name, kana, latin = PEOPLE[index % len(PEOPLE)]
    title_ky, title_ja = TITLES[index % len(TITLES)]
    return registration_service.Details(
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


def _register(
    edition: Edition,
    division: Division,
    user: User,
    index: int,
    *,
    study_months: int = 12,
) -> Registration:
    details = _details(user, index, division, study_months)
    return registration_service.register(
        edition, division, user, details, language="ja", now=utcnow()
    )
