"""The privacy policy and consents: which version is in force, who agreed to what, and when."""

from __future__ import annotations

import time
from datetime import date, datetime

from flask import current_app
from sqlalchemy import func, select

from app.auth.models import User
from app.core.dates import TOKYO
from app.core.dbtypes import utcnow
from app.extensions import db
from app.privacy.models import Consent, PolicyVersion

# How long a worker trusts its idea of the version in force before asking the database again:
# a new version reaches every worker within this time, and pages cost no query meanwhile.
CURRENT_VERSION_TTL = 60.0
_CACHE_KEY = "sabak_privacy_current"


class PolicyError(Exception):
    """A rule about policy versions was broken."""


def today_in_tokyo(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(TOKYO).date()


def current_policy(now: datetime | None = None) -> PolicyVersion | None:
    """The version in force: the newest one whose publication day has come."""
    return db.session.scalar(
        select(PolicyVersion)
        .where(PolicyVersion.published_on <= today_in_tokyo(now))
        .order_by(PolicyVersion.version.desc())
        .limit(1)
    )


def policy_version(version: int) -> PolicyVersion | None:
    return db.session.scalar(select(PolicyVersion).where(PolicyVersion.version == version))


def all_versions() -> list[PolicyVersion]:
    """Every version, newest first (the admin's list and the public archive)."""
    return list(db.session.scalars(select(PolicyVersion).order_by(PolicyVersion.version.desc())))


def create_version(
    *, body_ja: str, body_en: str, changes: str, published_on: date, by: User | None
) -> PolicyVersion:
    """Add the next version; older versions stay as they were, readable at their number."""
    if not body_ja.strip() or not body_en.strip():
        raise PolicyError("empty")
    latest = db.session.scalar(select(func.max(PolicyVersion.version))) or 0
    policy = PolicyVersion(
        version=latest + 1,
        body_ja=body_ja.strip(),
        body_en=body_en.strip(),
        changes=changes.strip(),
        published_on=published_on,
        created_by_id=by.id if by else None,
    )
    db.session.add(policy)
    db.session.flush()
    forget_current_version()
    return policy


def current_version_number() -> int | None:
    """The number of the version in force, cached by this worker for CURRENT_VERSION_TTL."""
    cached = current_app.extensions.get(_CACHE_KEY)
    moment = time.monotonic()
    if cached is not None and moment - cached[1] < CURRENT_VERSION_TTL:
        return cached[0]
    policy = current_policy()
    number = policy.version if policy else None
    current_app.extensions[_CACHE_KEY] = (number, moment)
    return number


def forget_current_version() -> None:
    """A version was added: look again at the next request."""
    current_app.extensions.pop(_CACHE_KEY, None)


def latest_consent(user: User) -> int | None:
    """The newest version this person has agreed to, or None."""
    return db.session.scalar(
        select(func.max(Consent.policy_version)).where(Consent.user_id == user.id)
    )


def record_consent(user: User, context: str, *, version: int | None = None) -> Consent | None:
    """Record that `user` agreed to `version` (default: the one in force); None if no policy yet."""
    if version is None:
        policy = current_policy()
        if policy is None:
            return None
        version = policy.version
    consent = Consent(user_id=user.id, policy_version=version, context=context[:40])
    db.session.add(consent)
    db.session.flush()
    return consent


def consents_of(user: User) -> list[Consent]:
    return list(
        db.session.scalars(
            select(Consent).where(Consent.user_id == user.id).order_by(Consent.given_at, Consent.id)
        )
    )
