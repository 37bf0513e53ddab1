"""Privacy policy versions, the consents given to them, and purges of contest editions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.dbtypes import UTCDateTime, utcnow
from app.core.i18n import localized
from app.extensions import Model


class PolicyVersion(Model):
    """One version of the privacy policy in Japanese and English; never changed once created."""

    __tablename__ = "privacy_policy_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)  # 1, 2, 3...: /privacy/<version>
    body_ja: Mapped[str] = mapped_column(Text)  # Markdown
    body_en: Mapped[str] = mapped_column(Text)
    changes: Mapped[str] = mapped_column(String(500), default="")  # what changed, for the list
    published_on: Mapped[date] = mapped_column(Date)  # in force from this day (Japan time)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    created_by: Mapped[User | None] = relationship()

    def body(self, language: str) -> str:
        return localized(language, self.body_ja, self.body_en)


class Consent(Model):
    """A person agreed to a version of the policy: when, and where (sign-up, contest, prompt)."""

    __tablename__ = "privacy_consents"
    __table_args__ = (
        Index("ix_privacy_consents_user_id_policy_version", "user_id", "policy_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # RESTRICT: a version someone agreed to can't disappear
    policy_version: Mapped[int] = mapped_column(
        ForeignKey("privacy_policy_versions.version", ondelete="RESTRICT")
    )
    given_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    context: Mapped[str] = mapped_column(String(40))  # "signup", "contest-2027", "prompt"


class EditionPurge(Model):
    """The personal data of a contest edition's registrants was erased: when and by whom."""

    __tablename__ = "privacy_edition_purges"

    edition_id: Mapped[int] = mapped_column(
        ForeignKey("contest_editions.id", ondelete="CASCADE"), primary_key=True
    )
    purged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    purged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    registrations: Mapped[int] = mapped_column(default=0)  # how many were anonymised
