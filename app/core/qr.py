"""QR codes for tickets: an inline SVG a page shows and a phone at the door scans."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(url: str) -> Markup:
    """The URL as an inline SVG QR code (medium error correction, drawn at scale 5)."""
    svg = segno.make(url, error="m").svg_inline(scale=5, svgclass="qr-ticket", omitsize=True)
    return Markup(svg)  # segno escapes the URL it draws; the markup is its own
