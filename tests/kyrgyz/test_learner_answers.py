"""The learner answers of data/learner_answers.yaml, each with the verdict a Kyrgyz teacher gives.

The checker is given the course's lexicon, as the quizzes give it: every word, phrase and
example of content/courses, and the forms of the nouns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from app.kyrgyz.answers import Lexicon, check, lexicon

ROOT = Path(__file__).resolve().parents[2]
ROWS: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "learner_answers.yaml").read_text("utf-8")
)


def _course() -> tuple[dict[str, list[str]], Lexicon]:
    accepted: dict[str, list[str]] = {}
    texts: list[str] = []
    nouns: list[str] = []
    for path in sorted(ROOT.glob("content/courses/*/lessons/*.yaml")):
        lesson = yaml.safe_load(path.read_text("utf-8"))
        for item in lesson.get("words", []) + lesson.get("phrases", []):
            accepted[item["ky"]] = [item["ky"], *item.get("also_accepted", [])]
            texts.extend(accepted[item["ky"]])
            if "example" in item:
                texts.append(item["example"]["ky"])
            if item.get("pos") in ("noun", "proper_noun"):
                nouns.append(item["ky"])
    return accepted, lexicon(texts, nouns)


ACCEPTED, LEXICON = _course()


def test_there_are_enough_answers_of_every_kind():
    assert len(ROWS) >= 100
    kinds = {row["kind"] for row in ROWS}
    assert kinds >= {
        "exact", "latin_input", "special_letter", "typo", "other_form", "vowel_harmony",
        "suffix_consonant", "stem_voicing", "linking_n", "other_word", "latin_i", "i_for_y",
        "ng_digraph", "russian_spelling", "kana", "different", "empty",
    }  # fmt: skip


@pytest.mark.parametrize(
    "row", ROWS, ids=[f"{index}-{row['given']}" for index, row in enumerate(ROWS)]
)
def test_the_checker_agrees_with_the_teacher(row):
    accepted = row.get("accepted") or ACCEPTED[row["item"]]
    verdict = check(row["given"], accepted, lexicon=LEXICON)
    assert (verdict.status, verdict.kind) == (row["verdict"], row["kind"]), verdict
