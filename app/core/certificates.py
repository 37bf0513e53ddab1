"""The certificate engine: bilingual (Japanese and Kyrgyz) A4 landscape PDFs in the Embassy's style.

The contest's participation and award certificates and the events' certificates of appreciation
draw their own wording on pages made here: the document with its fonts, the frame, the emblem,
lines of text shrunk to fit, and the issuer's signature block. Fonts are vendored in `fonts/` and
embedded as subsets: Noto Serif sets Latin and Kyrgyz (with ң ө ү), IPAex Mincho sets Japanese.
"""

from __future__ import annotations

import math
from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).parent / "fonts"

ISSUER_JA = "駐日キルギス共和国大使館"
ISSUER_KY = "Кыргыз Республикасынын Япониядагы элчилиги"
SIGNATORY_JA = "特命全権大使"
SIGNATORY_KY = "Өзгөчө жана ыйгарым укуктуу элчи"

PAGE_W, PAGE_H = 297.0, 210.0  # A4 landscape, mm
CRIMSON = (150, 24, 38)
GOLD = (181, 142, 52)
INK = (30, 30, 34)
MUTED = (95, 92, 88)


def document(title: str) -> FPDF:
    """An empty landscape A4 document with the fonts registered (add a page per certificate)."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creator("Sabak")
    pdf.set_title(title)
    pdf.set_lang("ja")
    pdf.add_font("serif", "", FONTS / "NotoSerif-Regular.ttf")
    pdf.add_font("serif", "B", FONTS / "NotoSerif-Bold.ttf")
    pdf.add_font("mincho", "", FONTS / "ipaexm.ttf")
    # Noto Serif sets everything it can; what it lacks (Japanese) comes from IPAex Mincho.
    pdf.set_fallback_fonts(["serif", "mincho"], exact_match=False)
    return pdf


def ascii_name(*parts: str) -> str:
    """A file name safe in any Content-Disposition header: ASCII letters, digits and hyphens."""
    cleaned = (
        "".join(c for c in part if c.isascii() and (c.isalnum() or c == "-")) for part in parts
    )
    return f"{'-'.join(part for part in cleaned if part) or 'certificate'}.pdf"


def facts(pdf: FPDF, rows: list[tuple[tuple[str, str], str, str]], y: float = 164.0) -> None:
    """Labelled facts at the bottom left (date, venue, hours): each label in Japanese over
    Kyrgyz, its value in Japanese with an optional Kyrgyz line beneath."""
    left_x, label_w, value_x, value_w = 30.0, 34.0, 58.0, 100.0
    for (label_ja, label_ky), value_ja, value_ky in rows:
        line(pdf, y, label_ja, size=9, color=MUTED, x=left_x, width=label_w, align="L")
        line(pdf, y + 4, label_ky, size=7.5, color=MUTED, x=left_x, width=label_w, align="L")
        line(pdf, y, value_ja, size=10.5, x=value_x, width=value_w, align="L")
        if value_ky:
            line(pdf, y + 4.3, value_ky, size=9, x=value_x, width=value_w, align="L")
        y += 11


def issuer(pdf: FPDF, right_x: float = 170.0, right_w: float = 100.0) -> None:
    """The Embassy's name in both languages over a signature line for the ambassador."""
    line(pdf, 160, ISSUER_JA, size=13.5, x=right_x, width=right_w)
    line(pdf, 166.5, ISSUER_KY, size=9.5, x=right_x, width=right_w)
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.25)
    pdf.line(right_x + 16, 182, right_x + right_w - 16, 182)
    line(
        pdf,
        183,
        f"{SIGNATORY_JA}  /  {SIGNATORY_KY}",
        size=8,
        color=MUTED,
        x=right_x,
        width=right_w,
    )


def line(
    pdf: FPDF,
    y: float,
    text: str,
    *,
    size: float,
    style: str = "",
    color: tuple[int, int, int] = INK,
    spacing: float = 0,
    x: float = 0,
    width: float = PAGE_W,
    align: str = "C",
) -> None:
    """A line of text in a box of `width` from `x`, shrunk to fit it.

    Noto Serif comes first, so Kyrgyz is never set in the Japanese font's wide Cyrillic; the
    Japanese characters it lacks fall back to IPAex Mincho.
    """
    pdf.set_font("serif", style, size)
    pdf.set_char_spacing(spacing)
    while size > 6 and pdf.get_string_width(text) > width - 8:
        size -= 0.5
        pdf.set_font("serif", style, size)
    pdf.set_text_color(*color)
    pdf.set_xy(x, y)
    pdf.cell(w=width, h=size * 0.3528 * 1.25, text=text, align=align)
    pdf.set_char_spacing(0)


def border(pdf: FPDF) -> None:
    """A crimson frame with a gold inner rule and gold corner ornaments."""
    pdf.set_draw_color(*CRIMSON)
    pdf.set_line_width(1.6)
    pdf.rect(8, 8, PAGE_W - 16, PAGE_H - 16)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.45)
    pdf.rect(12, 12, PAGE_W - 24, PAGE_H - 24)
    pdf.set_line_width(0.2)
    pdf.rect(13.2, 13.2, PAGE_W - 26.4, PAGE_H - 26.4)
    for cx, sx in ((12.0, 1), (PAGE_W - 12, -1)):
        for cy, sy in ((12.0, 1), (PAGE_H - 12, -1)):
            horns(pdf, cx, cy, sx, sy)


def horns(pdf: FPDF, x: float, y: float, sx: int, sy: int) -> None:
    """A small ram's-horn (кочкор мүйүз) curl pair in a corner, mirrored by `sx`, `sy`."""
    pdf.set_draw_color(*GOLD)
    pdf.set_fill_color(*GOLD)
    pdf.set_line_width(0.5)

    def p(dx: float, dy: float) -> tuple[float, float]:
        return (x + sx * dx, y + sy * dy)

    pdf.polygon([p(0, 0), p(7, 0), p(0, 7)], style="F")
    for a, b in ((p(4, 4), p(16, 4)), (p(4, 4), p(4, 16))):
        pdf.line(*a, *b)
    pdf.bezier([p(16, 4), p(21, 4), p(21, 10), p(16.5, 10)])
    pdf.bezier([p(16.5, 10), p(13.5, 10), p(14, 6.8), p(16, 7)])
    pdf.bezier([p(4, 16), p(4, 21), p(10, 21), p(10, 16.5)])
    pdf.bezier([p(10, 16.5), p(10, 13.5), p(6.8, 14), p(7, 16)])


def emblem(pdf: FPDF, cx: float, cy: float) -> None:
    """The sun of the Kyrgyz flag: forty gold rays around a crimson tunduk."""
    pdf.set_fill_color(*GOLD)
    inner, outer = 6.2, 9.6
    for i in range(40):
        angle = 2 * math.pi * i / 40
        half = math.pi / 40 * 0.55
        pdf.polygon(
            [
                (cx + inner * math.cos(angle - half), cy + inner * math.sin(angle - half)),
                (cx + outer * math.cos(angle), cy + outer * math.sin(angle)),
                (cx + inner * math.cos(angle + half), cy + inner * math.sin(angle + half)),
            ],
            style="F",
        )
    pdf.circle(cx, cy, 6.4, style="F")
    pdf.set_draw_color(*CRIMSON)
    pdf.set_line_width(0.6)
    ring = 3.9
    pdf.circle(cx, cy, ring, style="D")
    for offset in (-1.35, 0.0, 1.35):  # the crown of a yurt: two sets of three bent poles
        half = math.sqrt(ring**2 - offset**2)
        bow = 1.3
        pdf.bezier([(cx + offset, cy - half), (cx + offset + bow, cy), (cx + offset, cy + half)])
        pdf.bezier([(cx - half, cy + offset), (cx, cy + offset + bow), (cx + half, cy + offset)])
