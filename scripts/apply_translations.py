"""Fill a catalogue from a Python file holding a dict `JA` of msgid → translation (a tuple for plurals).

Used by translators working outside a PO editor: `python scripts/apply_translations.py ja memory.py`.
Only empty or fuzzy entries are filled, so finished translations are never overwritten.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def main(language: str, memory_file: str) -> None:
    memory = runpy.run_path(memory_file)["JA"]
    path = ROOT / "app" / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=language)
    filled = 0
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if not key or key not in memory:
            continue
        done = all(message.string) if isinstance(message.string, tuple) else bool(message.string)
        if done and not message.fuzzy:
            continue
        value = memory[key]
        message.string = tuple(value) if isinstance(message.id, tuple) else value
        message.flags.discard("fuzzy")
        filled += 1
    with path.open("wb") as f:
        write_po(f, catalog, width=100)
    print(f"filled {filled} messages")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
