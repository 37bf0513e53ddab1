"""Immersion for learners: with the Kyrgyz interface, each entry, button and heading shows its
Japanese on hover (a `title`) and on a long press (static/js/immersion.js).

The Japanese is the Japanese catalogue's own: a map Kyrgyz text → Japanese text is built from the
compiled ky and ja catalogues (one pair per msgid), never written twice. It is built once per
process and catalogue version, served as JSON under a URL that names the version (so a browser
keeps it for a year), and read by templates for the `title`s the navigation has without JavaScript.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from babel.support import Translations
from flask import current_app, g
from markupsafe import Markup, escape

from app.core.i18n import interface_language

SPACES = re.compile(r"\s+")
# A text with a placeholder is drawn with values in it, so it can never match as written.
PLACEHOLDER = re.compile(r"%\(|%[sd]|\{\w*\}")
# Entries, buttons and headings are short: longer texts (instructions, messages) are left out,
# which keeps the map a fraction of the catalogue.
MAX_CHARS = 80


@dataclass(frozen=True)
class ImmersionMap:
    version: str
    japanese: dict[str, str]  # Kyrgyz interface text → its Japanese


def normalise(text: str) -> str:
    """Text as the page shows it: runs of white space as one space, none at either end."""
    return SPACES.sub(" ", text).strip()


def _catalogue(folder: Path, language: str) -> Translations:
    with (folder / language / "LC_MESSAGES" / "messages.mo").open("rb") as f:
        return Translations(f)


def _files(folder: Path) -> list[Path]:
    return [folder / language / "LC_MESSAGES" / "messages.mo" for language in ("ky", "ja")]


def build(folder: Path) -> ImmersionMap:
    """The map from the compiled catalogues in `folder`; its version is their contents' hash."""
    digest = hashlib.sha256()
    for path in _files(folder):
        digest.update(path.read_bytes())
    kyrgyz = _catalogue(folder, "ky")._catalog
    japanese = _catalogue(folder, "ja")._catalog
    pairs: dict[str, str] = {}
    for msgid in sorted(key for key in kyrgyz if isinstance(key, str) and key):
        ky, ja = normalise(kyrgyz[msgid]), normalise(japanese.get(msgid, ""))
        if not ky or not ja or ky == ja or len(ky) > MAX_CHARS or PLACEHOLDER.search(msgid):
            continue
        pairs.setdefault(ky, ja)
    return ImmersionMap(digest.hexdigest()[:16], pairs)


def current() -> ImmersionMap:
    """This process's map, built again when a catalogue is compiled anew (looked at once per
    request: a Kyrgyz page asks for a dozen titles)."""
    seen: ImmersionMap | None = g.get("sabak_immersion")
    if seen is not None:
        return seen
    folder = Path(current_app.root_path) / "translations"
    stamp = tuple(path.stat().st_mtime_ns for path in _files(folder))
    kept = current_app.extensions.get("sabak_immersion")
    if kept is None or kept[0] != stamp:
        kept = (stamp, build(folder))
        current_app.extensions["sabak_immersion"] = kept
    g.sabak_immersion = kept[1]
    return kept[1]


def japanese_of(text: object) -> str:
    """The Japanese of a Kyrgyz interface text, or "" when the catalogue has none."""
    return current().japanese.get(normalise(str(text)), "")


def title_attributes(text: object) -> Markup:
    """` title="…" data-ja="…"` giving an element its Japanese on a Kyrgyz page (the navigation,
    without script); nothing on a page in another language."""
    if interface_language() != "ky":
        return Markup("")
    japanese = japanese_of(text)
    if not japanese:
        return Markup("")
    return Markup(' title="{0}" data-ja="{0}"').format(escape(japanese))
