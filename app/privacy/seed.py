"""Demo data: the draft privacy policy, and the demo accounts' consent to it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta

from sqlalchemy import select

from app.auth.models import User
from app.config import PROJECT_ROOT
from app.extensions import db
from app.privacy import services
from app.privacy.models import Consent

POLICY_DIR = PROJECT_ROOT / "content" / "privacy"


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
