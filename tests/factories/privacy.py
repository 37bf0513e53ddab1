"""Privacy policy: `make_policy` publishes a policy version through the privacy service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask import Flask

from app.extensions import db
from app.privacy import services


@pytest.fixture
def make_policy(app: Flask) -> Callable[..., int]:
    """A new policy version (in force since yesterday unless told); returns its number."""

    def factory(
        body_ja: str = "### 個人情報\n電話番号を集めます。",
        body_en: str = "### Personal data\nWe collect phone numbers.",
        published_on: date | None = None,
        changes: str = "",
    ) -> int:
        with app.app_context():
            policy = services.create_version(
                body_ja=body_ja,
                body_en=body_en,
                changes=changes,
                published_on=published_on or services.today_in_tokyo() - timedelta(days=1),
                by=None,
            )
            db.session.commit()
            number = policy.version
            db.session.remove()
        return number

    return factory
