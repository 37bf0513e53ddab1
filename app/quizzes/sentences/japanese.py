"""Japanese sentences as word-bank tiles: phrases (bunsetsu) found by BudouX, Google's small
phrase model that ships inside its package, and the orders Japanese allows.

A phrase that ends in a case or topic particle (私は, 東京に, バザールへ) may move, as Japanese
allows; a phrase that modifies the next one (この, 私の, とても) stays right before it, and the
predicate stays last. So 私たちは 土曜日に バザールへ 行きます is as right as the course's
土曜日に 私たちは バザールへ 行きます, and この 花は is never 花は この.
"""

from __future__ import annotations

from functools import cache
from itertools import permutations

import budoux

# What ends a sentence: shown after the answer line, not a tile.
END_PUNCTUATION = "。．.！!？?…"
# Particles after which a phrase may move in the sentence (not の: it ties to the next phrase).
FREE_ENDINGS = ("は", "が", "を", "に", "へ", "で", "と", "も", "から", "まで", "より")
# Adverbs that end like a particle but are not one.
ADVERBS = frozenset(
    {"とても", "いつも", "もっと", "ちょっと", "きっと", "ずっと", "やっと", "さっと"}
)
# Beyond this many movable phrases, only the course's order is tried (6! orders is plenty).
MAX_MOVABLE = 6


@cache
def _parser() -> budoux.Parser:
    return budoux.load_default_japanese_parser()


def split(sentence: str) -> tuple[list[str], str]:
    """(the phrases of a Japanese sentence, the punctuation that ends it)."""
    text = " ".join(sentence.split())
    body = text.rstrip(END_PUNCTUATION + " ")
    ending = text[len(body) :].strip()
    phrases = [p.strip() for p in _parser().parse(body)] if body else []
    return [p for p in phrases if p], ending


def _free(phrase: str) -> bool:
    """Does the phrase end in a particle that lets it move?"""
    return phrase.endswith(FREE_ENDINGS) and phrase not in ADVERBS


def _groups(phrases: list[str]) -> list[tuple[str, ...]]:
    """Phrases that move together: each group ends at a free particle or the sentence's end."""
    groups: list[tuple[str, ...]] = []
    current: list[str] = []
    for phrase in phrases:
        current.append(phrase)
        if _free(phrase):
            groups.append(tuple(current))
            current = []
    if current:
        groups.append(tuple(current))
    return groups


def accepted_orders(phrases: list[str]) -> list[list[str]]:
    """The orders of `phrases` Japanese allows, the course's first."""
    groups = _groups(phrases)
    if phrases and _free(phrases[-1]):
        movable, last = groups, []
    else:
        movable, last = groups[:-1], groups[-1:]
    if len(movable) > MAX_MOVABLE:
        return [list(phrases)]
    orders = [list(phrases)]
    for order in permutations(movable):
        flat = [phrase for group in (*order, *last) for phrase in group]
        if flat not in orders:
            orders.append(flat)
    return orders


def is_accepted(given: list[str], phrases: list[str]) -> bool:
    """Are the given phrases the sentence in an order Japanese allows?"""
    if sorted(given) != sorted(phrases):
        return False
    return any(given == order for order in accepted_orders(phrases))
