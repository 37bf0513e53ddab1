"""Reading PDFs back in tests with poppler (Debian poppler-utils: pdftotext, pdffonts, pdfinfo).

Without poppler the tests that need it skip, or fail when SABAK_REQUIRE_BROWSER=1 (CI installs it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

TOOLS = ("pdftotext", "pdffonts", "pdfinfo")
MISSING = (
    "poppler-utils (pdftotext, pdffonts, pdfinfo) is not installed: apt-get install poppler-utils"
)


def poppler_available() -> bool:
    """Whether the tools are there; in CI (SABAK_REQUIRE_BROWSER=1) their absence fails the test."""
    if all(shutil.which(tool) for tool in TOOLS):
        return True
    if os.environ.get("SABAK_REQUIRE_BROWSER") == "1":
        pytest.fail(MISSING + " (SABAK_REQUIRE_BROWSER=1)")
    return False


def require_poppler() -> None:
    """Skip the test (fail it in CI) without poppler."""
    if not poppler_available():
        pytest.skip(MISSING)


def _run(tool: str, data: bytes, *args: str) -> str:
    assert data.startswith(b"%PDF-"), data[:20]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(data)
        return subprocess.run(
            [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            check=True,
            text=True,
        ).stdout


def squeeze(text: str) -> str:
    """Text without whitespace: letter-spaced headings come out of pdftotext with spaces."""
    return re.sub(r"\s+", "", text)


def pdf_pages(data: bytes) -> list[str]:
    """The squeezed text of each page (pdftotext ends every page with a form feed)."""
    return [squeeze(page) for page in _run("pdftotext", data).split("\f") if page.strip()]


def pdf_text(data: bytes) -> str:
    """The squeezed text of the whole document."""
    return "".join(pdf_pages(data))


def page_count(data: bytes) -> int:
    match = re.search(r"^Pages:\s+(\d+)$", _run("pdfinfo", data), re.M)
    assert match is not None
    return int(match.group(1))


def pdf_fonts(data: bytes) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font of the document, as pdffonts lists them."""
    rows = _run("pdffonts", data).splitlines()[2:]
    return [(row.split()[0], row.split()[-5] == "yes") for row in rows]
