"""Factories for contest tests: an open edition with divisions, registrant details."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask

from app.contest.models import Criterion, Division, Edition
from app.contest.registration import Details
from app.core.dbtypes import utcnow
from app.extensions import db


def details(**overrides: Any) -> Details:
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
    """A valid registration form for an anonymous visitor (add email/password) or a user."""
    data = dict(FORM, division=str(division_id))
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def make_edition(app: Flask) -> Callable[..., dict[str, int]]:
    """Create an edition (open now) with divisions A, B and C; returns their ids by letter."""

    def factory(
        year: int = 2027,
        capacities: tuple[int, ...] = (3, 2, 1),
        moderated: str = "",
        open_now: bool = True,
        **division_overrides: Any,
    ) -> dict[str, int]:
        now = utcnow()
        with app.app_context():
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
                letter = "ABCDE"[i]
                edition.divisions.append(
                    Division(
                        slug=f"division-{letter.lower()}",
                        letter=letter,
                        position=i,
                        name_ja=f"部門{letter}",
                        name_en=f"Division {letter}",
                        capacity=capacity,
                        requires_moderation=letter in moderated,
                        criteria=[
                            Criterion(position=0, name_ja="発音", name_en="Pronunciation", weight=1)
                        ],
                        **division_overrides,
                    )
                )
            db.session.add(edition)
            db.session.commit()
            ids = {"edition": edition.id, "year": year}
            ids.update({d.letter: d.id for d in edition.divisions})
            db.session.remove()
        return ids

    return factory


# POSTs that, sent without their form data, show the form again (a reason or a choice is missing)
FORM_AGAIN = ("/judges/{j0}/remove", "/registrations/{reg}/move", "/sheets/{sheet}/unlock")


def allowed_status(method: str, template: str) -> int:
    """What a role allowed on a URL gets: a page is 200; an empty POST redirects, or shows its
    form again where it needs a reason or a choice."""
    if method == "get" or template.endswith(FORM_AGAIN):
        return 200
    return 302
