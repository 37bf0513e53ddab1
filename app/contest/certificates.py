"""Certificates: a bilingual (Japanese and Kyrgyz) PDF for every participant and for each prize.

Who receives one: every participant of an edition, that is every confirmed registration that was
checked in on the day, or every confirmed one while the edition has recorded no check-in at all
(so organizers can print before the event). Each prize of a division (1st, 2nd, 3rd place and
named special prizes) adds an award certificate for its winner. A participant may download their
own once their division's results are published and the event day has come (Japan time);
organizers print every certificate of a division or an edition as one PDF, with the prizes as
saved on the results page.

The wording is Japanese and Kyrgyz by design, whatever the interface language, so it lives here as
constants rather than in the message catalogues. Fonts are vendored in `fonts/` and embedded as
subsets: Noto Serif sets Latin and Kyrgyz (with ң ө ү), IPAex Mincho sets Japanese.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from fpdf import FPDF
from sqlalchemy import select

from app.contest.models import PLACES, Division, Edition, Prize, PrizeKind, Registration, Status
from app.core.dates import TOKYO
from app.extensions import db

FONTS = Path(__file__).parent / "fonts"

ISSUER_JA = "駐日キルギス共和国大使館"
ISSUER_KY = "Кыргыз Республикасынын Япониядагы элчилиги"
SIGNATORY_JA = "特命全権大使"
SIGNATORY_KY = "Өзгөчө жана ыйгарым укуктуу элчи"
PARTICIPATION_JA = "参加証書"
PARTICIPATION_KY = "КҮБӨЛҮК"
PARTICIPATION_TEXT_JA = (
    "あなたは本大会に出場し、キルギス語による発表を立派に成し遂げられました。",
    "その努力と熱意をたたえ、ここに証します。",
)
PARTICIPATION_TEXT_KY = "Сынакка катышкандыгы үчүн берилди."
AWARD_JA = "賞状"
AWARD_KY = "ДИПЛОМ"
AWARD_TEXT_JA = ("あなたは本大会において頭書の成績を収められました。", "よってこれを賞します。")
PLACE_TEXT_KY = "Сынакта {place} ээлегени үчүн берилди."
SPECIAL_TEXT_KY = "Сынактагы ийгилиги үчүн берилди."
PLACE_JA = {PrizeKind.FIRST: "第1位", PrizeKind.SECOND: "第2位", PrizeKind.THIRD: "第3位"}
PLACE_KY = {PrizeKind.FIRST: "1-орун", PrizeKind.SECOND: "2-орун", PrizeKind.THIRD: "3-орун"}
PLACE_KY_ACCUSATIVE = {k: f"{v}ду" for k, v in PLACE_KY.items()}  # орун → орунду
SPECIAL_JA = "特別賞"
SPECIAL_KY = "Атайын сыйлык"
DATE_LABEL = ("開催日", "Өткөрүлгөн күнү")
VENUE_LABEL = ("会場", "Өткөрүлгөн жери")

PAGE_W, PAGE_H = 297.0, 210.0  # A4 landscape, mm
CRIMSON = (150, 24, 38)
GOLD = (181, 142, 52)
INK = (30, 30, 34)
MUTED = (95, 92, 88)


@dataclass(frozen=True)
class Certificate:
    """What one page says: participation when `prize` is None, else the award of that prize."""

    participant_number: str
    full_name: str
    name_latin: str
    edition_ja: str
    edition_ky: str
    division_ja: str
    division_ky: str
    event_date: date
    venue: str
    prize: str | None = None  # a PrizeKind
    prize_name: str = ""  # special prizes only


# --- who gets what ----------------------------------------------------------------------------


def _any_checked_in(edition: Edition) -> bool:
    return (
        db.session.scalar(
            select(Registration.id)
            .where(Registration.edition_id == edition.id, Registration.checked_in_at.is_not(None))
            .limit(1)
        )
        is not None
    )


def participants(edition: Edition, division: Division | None = None) -> list[Registration]:
    """Who took part: confirmed and checked in (all confirmed while nobody is checked in)."""
    query = select(Registration).where(
        Registration.edition_id == edition.id, Registration.status == Status.CONFIRMED
    )
    if division is not None:
        query = query.where(Registration.division_id == division.id)
    if _any_checked_in(edition):
        query = query.where(Registration.checked_in_at.is_not(None))
    return list(db.session.scalars(query.order_by(Registration.participant_number)))


def is_participant(registration: Registration) -> bool:
    """Whether the registration receives certificates (the rule of `participants`)."""
    if registration.status != Status.CONFIRMED:
        return False
    return registration.checked_in_at is not None or not _any_checked_in(registration.edition)


def available(registration: Registration, now: datetime) -> bool:
    """A participant may download once the division's results are out and the day has come."""
    return (
        registration.division.results_published_at is not None
        and registration.edition.event_date <= now.astimezone(TOKYO).date()
        and is_participant(registration)
    )


def _prize_order(prize: Prize) -> tuple[int, int]:
    order = [*PLACES, PrizeKind.SPECIAL]
    kind = PrizeKind(prize.kind)
    return (order.index(kind) if kind in order else len(order), prize.id)


def certificate(
    registration: Registration, division: Division, edition: Edition, prize: Prize | None = None
) -> Certificate:
    """The text of one page for a registration: participation, or the award of `prize`."""
    return Certificate(
        participant_number=registration.participant_number or "",
        full_name=registration.full_name,
        name_latin=registration.name_latin,
        edition_ja=edition.title_ja,
        edition_ky=edition.title_ky or edition.title_en,
        division_ja=division.name_ja,
        division_ky=division.name_ky or division.name_en,
        event_date=edition.event_date,
        venue=edition.venue_ja or edition.venue_en,
        prize=prize.kind if prize else None,
        prize_name=prize.name if prize else "",
    )


def registration_certificates(registration: Registration) -> list[Certificate]:
    """One person's pages: the participation certificate, then one per prize."""
    prizes = db.session.scalars(select(Prize).where(Prize.registration_id == registration.id)).all()
    division, edition = registration.division, registration.edition
    return [
        certificate(registration, division, edition),
        *(
            certificate(registration, division, edition, prize)
            for prize in sorted(prizes, key=_prize_order)
        ),
    ]


def edition_certificates(edition: Edition, division: Division | None = None) -> list[Certificate]:
    """Every page of an edition (or one division), for printing: per division, the awards in
    prize order, then everyone's participation certificate by participant number."""
    people = participants(edition, division)
    by_id = {r.id: r for r in people}
    query = select(Prize).join(Division, Division.id == Prize.division_id)
    query = query.where(Division.edition_id == edition.id)
    if division is not None:
        query = query.where(Prize.division_id == division.id)
    prizes = sorted(db.session.scalars(query), key=_prize_order)
    divisions = [division] if division is not None else list(edition.divisions)
    pages: list[Certificate] = []
    for current in divisions:
        pages += [
            certificate(by_id[p.registration_id], current, edition, p)
            for p in prizes
            if p.division_id == current.id and p.registration_id in by_id
        ]
        pages += [certificate(r, current, edition) for r in people if r.division_id == current.id]
    return pages


def registration_pdf(registration: Registration) -> bytes:
    """The PDF a participant downloads: their participation and award certificates."""
    return render(registration_certificates(registration))


def merged_pdf(edition: Edition, division: Division | None = None) -> bytes | None:
    """The print PDF of an edition or one division; None when nobody has taken part."""
    pages = edition_certificates(edition, division)
    return render(pages) if pages else None


def ascii_name(*parts: str) -> str:
    """A file name safe in any Content-Disposition header: ASCII letters, digits and hyphens."""
    cleaned = (
        "".join(c for c in part if c.isascii() and (c.isalnum() or c == "-")) for part in parts
    )
    return f"{'-'.join(part for part in cleaned if part) or 'certificate'}.pdf"


# --- drawing ----------------------------------------------------------------------------------


def render(certificates: Sequence[Certificate]) -> bytes:
    """One PDF with a landscape A4 page per certificate, fonts embedded as subsets."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creator("Sabak")
    pdf.set_title(f"{PARTICIPATION_JA} / {AWARD_JA}")
    pdf.set_lang("ja")
    pdf.add_font("serif", "", FONTS / "NotoSerif-Regular.ttf")
    pdf.add_font("serif", "B", FONTS / "NotoSerif-Bold.ttf")
    pdf.add_font("mincho", "", FONTS / "ipaexm.ttf")
    # Noto Serif sets everything it can; what it lacks (Japanese) comes from IPAex Mincho.
    pdf.set_fallback_fonts(["serif", "mincho"], exact_match=False)
    for page in certificates:
        pdf.add_page()
        _draw(pdf, page)
    return bytes(pdf.output())


def _line(
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


def _draw(pdf: FPDF, page: Certificate) -> None:
    _border(pdf)
    _emblem(pdf, PAGE_W / 2, 29)
    _line(pdf, 41, page.edition_ja, size=13, color=MUTED)
    _line(pdf, 47.5, page.edition_ky, size=11, color=MUTED)
    if page.prize is None:
        title_ja, title_ky, spacing = PARTICIPATION_JA, PARTICIPATION_KY, 9.0
    else:
        title_ja, title_ky, spacing = AWARD_JA, AWARD_KY, 16.0
    _line(pdf, 56, title_ja, size=38, spacing=spacing)
    _line(pdf, 72.5, title_ky, style="B", size=16, spacing=4, color=CRIMSON)
    y = 84.0
    if page.prize in PLACE_JA:
        kind = PrizeKind(page.prize)
        _line(pdf, y, f"{PLACE_JA[kind]}  ·  {PLACE_KY[kind]}", size=20, color=CRIMSON)
        y += 13
    elif page.prize is not None:
        _line(pdf, y - 1, page.prize_name or SPECIAL_JA, size=17, color=CRIMSON)
        _line(pdf, y + 6.5, SPECIAL_KY, size=11.5, color=CRIMSON)
        y += 17
    else:
        y += 8
    _line(pdf, y, f"{page.division_ja}  ·  {page.division_ky}", size=11.5, color=MUTED)
    _names(pdf, y + 7, page)
    if page.prize is None:
        body_ja, body_ky = PARTICIPATION_TEXT_JA, PARTICIPATION_TEXT_KY
    elif page.prize in PLACE_KY_ACCUSATIVE:
        body_ja = AWARD_TEXT_JA
        body_ky = PLACE_TEXT_KY.format(place=PLACE_KY_ACCUSATIVE[PrizeKind(page.prize)])
    else:
        body_ja, body_ky = AWARD_TEXT_JA, SPECIAL_TEXT_KY
    y += 36
    for text in body_ja:
        _line(pdf, y, text, size=12)
        y += 6.5
    _line(pdf, y + 1, body_ky, size=11.5)
    _footer(pdf, page)


def _names(pdf: FPDF, y: float, page: Certificate) -> None:
    """The kanji name large with 殿, the Latin name beneath, on a gold rule."""
    _line(pdf, y, f"{page.full_name}　殿", size=28, spacing=1.5)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.35)
    pdf.line(PAGE_W / 2 - 70, y + 14, PAGE_W / 2 + 70, y + 14)
    _line(pdf, y + 16, page.name_latin, size=16, spacing=0.5)


def _footer(pdf: FPDF, page: Certificate) -> None:
    """The date and venue on the left, the issuer and a signature line on the right."""
    d = page.event_date
    left_x, label_w, value_x, value_w = 30.0, 34.0, 58.0, 100.0
    rows = [
        (DATE_LABEL, f"{d.year}年{d.month}月{d.day}日", f"{d.day:02d}.{d.month:02d}.{d.year}"),
        (VENUE_LABEL, page.venue, ""),
    ]
    y = 164.0
    for (label_ja, label_ky), value_ja, value_ky in rows:
        _line(pdf, y, label_ja, size=9, color=MUTED, x=left_x, width=label_w, align="L")
        _line(pdf, y + 4, label_ky, size=7.5, color=MUTED, x=left_x, width=label_w, align="L")
        _line(pdf, y, value_ja, size=10.5, x=value_x, width=value_w, align="L")
        if value_ky:
            _line(pdf, y + 4.3, value_ky, size=9, x=value_x, width=value_w, align="L")
        y += 11
    right_x, right_w = 170.0, 100.0
    _line(pdf, 160, ISSUER_JA, size=13.5, x=right_x, width=right_w)
    _line(pdf, 166.5, ISSUER_KY, size=9.5, x=right_x, width=right_w)
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.25)
    pdf.line(right_x + 16, 182, right_x + right_w - 16, 182)
    _line(
        pdf,
        183,
        f"{SIGNATORY_JA}  /  {SIGNATORY_KY}",
        size=8,
        color=MUTED,
        x=right_x,
        width=right_w,
    )
    if page.participant_number:
        _line(
            pdf,
            187.5,
            f"No. {page.participant_number}",
            size=7.5,
            color=MUTED,
            x=34,
            width=60,
            align="L",
        )


def _border(pdf: FPDF) -> None:
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
            _horns(pdf, cx, cy, sx, sy)


def _horns(pdf: FPDF, x: float, y: float, sx: int, sy: int) -> None:
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


def _emblem(pdf: FPDF, cx: float, cy: float) -> None:
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
