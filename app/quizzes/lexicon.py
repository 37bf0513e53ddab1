"""The words a course teaches, as the answer checker's lexicon: a real word one edit away from
the answer is another word, not a typo (сүйлөм for сүйлөйм)."""

from __future__ import annotations

import time

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.kyrgyz.answers import Lexicon, lexicon
from app.lessons.models import Item

NOUNS = ("noun", "proper_noun")
LIFETIME_SECONDS = 600
_CACHE_KEY = "sabak.course_lexicons"


def course_lexicon(course_id: int) -> Lexicon:
    """Every word, accepted answer and example of the course, and the forms of its nouns.

    Built with one query once per course, process and ten minutes, so that answering costs no
    query: a word a teacher adds is known to the checker within ten minutes (until then, a
    learner who types it for a word one letter away is told of a typo, not of another word)."""
    cache: dict[int, tuple[float, Lexicon]] = current_app.extensions.setdefault(_CACHE_KEY, {})
    now = time.monotonic()
    cached = cache.get(course_id)
    if cached is not None and now - cached[0] < LIFETIME_SECONDS:
        return cached[1]
    rows = db.session.execute(
        select(Item.ky, Item.also_accepted, Item.example_ky, Item.pos).where(
            Item.course_id == course_id
        )
    ).all()
    texts: list[str] = []
    nouns: list[str] = []
    for ky, also_accepted, example, pos in rows:
        texts.extend([ky, *(also_accepted or []), *([example] if example else [])])
        if pos in NOUNS:
            nouns.append(ky)
    built = lexicon(texts, nouns)
    cache[course_id] = (now, built)
    return built
