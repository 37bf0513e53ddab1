"""Demo data: the draft privacy policy, the demo accounts' consent to it, and a contest edition
old enough for the organizer console to remind that its registrants' data is due for erasure."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta

from flask.blueprints import BlueprintSetupState
from sqlalchemy import select

from app.auth import services as accounts
from app.auth.models import User
from app.config import PROJECT_ROOT
from app.contest.models import Division, Edition, Registration, Status
from app.contest.registration import search_key
from app.core.seed import DemoData, DemoSeeder, add_seeder
from app.extensions import db
from app.privacy import services
from app.privacy.models import Consent

POLICY_DIR = PROJECT_ROOT / "content" / "privacy"


def register_seeders(state: BlueprintSetupState) -> None:
    """`flask seed-demo`: the policy and consents first; an edition past retention after the contest."""
    add_seeder(state.app, DemoSeeder("privacy", seed_policy_demo, order=10))
    add_seeder(state.app, DemoSeeder("privacy-retention", seed_retention_demo, order=60))


def seed_policy_demo(data: DemoData) -> Iterator[str]:
    """The policy in force, written by the demo admin, and every demo person's consent to it."""
    yield from seed_privacy(
        data.users["admin@example.com"], [*data.users.values(), *data.classmates]
    )


def seed_retention_demo(data: DemoData) -> Iterator[str]:
    """A contest edition old enough that the console asks to erase its registrants' details."""
    yield from seed_old_edition(data.password)


def seed_privacy(admin: User, people: Sequence[User]) -> Iterator[str]:
    """Version 1 of the policy (in force for a month) and every demo person's consent to it."""
    policy = services.policy_version(1)
    if policy is None:
        policy = services.create_version(
            body_ja=(POLICY_DIR / "policy.ja.md").read_text(encoding="utf-8"),
            body_en=(POLICY_DIR / "policy.en.md").read_text(encoding="utf-8"),
            changes="初版 / First version",
            published_on=services.today_in_tokyo() - timedelta(days=30),
            by=admin,
        )
        yield f"privacy policy: version {policy.version}"
    agreed = set(db.session.scalars(select(Consent.user_id).where(Consent.policy_version == 1)))
    for person in people:
        if person.id not in agreed:
            services.record_consent(person, "signup", version=policy.version)
    yield f"privacy consents: {len(people)} people"


OLD_YEAR = 2022
OLD_CONTESTANTS = [
    ("old2022.a@example.com", "石井 菜々子", "イシイ ナナコ", "Nanako Ishii"),
    ("old2022.b@example.com", "西村 聡", "ニシムラ サトシ", "Satoshi Nishimura"),
    ("old2022.c@example.com", "福田 美穂", "フクダ ミホ", "Miho Fukuda"),
]


def seed_old_edition(password: str) -> Iterator[str]:
    """The 2022 contest, past the retention period, with three registrants' details kept."""
    if db.session.scalar(select(Edition).where(Edition.year == OLD_YEAR)) is not None:
        return
    edition = Edition(
        year=OLD_YEAR,
        title_ja=f"第{OLD_YEAR - 2017}回 日本人によるキルギス語弁論大会 {OLD_YEAR}",
        title_en=f"Kyrgyz-Language Speech Contest {OLD_YEAR}",
        registration_opens_at=datetime(OLD_YEAR, 9, 1, tzinfo=UTC),
        registration_closes_at=datetime(OLD_YEAR, 10, 31, tzinfo=UTC),
        event_date=date(OLD_YEAR, 11, 12),
        venue_ja="在日本キルギス共和国大使館 (東京都目黒区)",
        venue_en="Embassy of the Kyrgyz Republic in Japan, Tokyo",
    )
    division = Division(
        slug="beginner-speech", letter="A", name_ja="初級スピーチ", name_en="Beginners' speech"
    )
    edition.divisions.append(division)
    db.session.add(edition)
    db.session.flush()
    for index, (email, name, kana, latin) in enumerate(OLD_CONTESTANTS, start=1):
        user = accounts.get_user_by_email(email) or accounts.create_user(
            email=email, password=password, display_name=name, name_katakana=kana
        )
        registration = Registration(
            edition_id=edition.id,
            division_id=division.id,
            user_id=user.id,
            email=user.email,
            status=Status.CONFIRMED,
            participant_number=f"{OLD_YEAR}-A-{index:03d}",
            full_name=name,
            furigana=kana,
            name_latin=latin,
            phone=f"090-2022-{1000 + index:04d}",
            age_group="18-29",
            affiliation="university",
            study_months=12,
            study_place="在日キルギス大使館 キルギス語講座",
            not_native_speaker=True,
            japanese_citizen=True,
            speech_title_ky="Менин шаарым",
            speech_title_ja="私の町",
            consent_privacy=True,
        )
        registration.search_key = search_key(registration)
        db.session.add(registration)
    division.numbers_issued = len(OLD_CONTESTANTS)
    db.session.flush()
    yield f"contest {OLD_YEAR}: past the retention period, the console asks to erase its data"
