"""How long the certificate PDFs take: one participant's download, and a print run of 60 pages.

Each PDF is one pass: the three vendored fonts are loaded, every page is drawn, and the fonts are
subset into the document. Loading and subsetting IPAex Mincho (7.8 MB) is most of the fixed cost.
Run: python bench/bench_certificates.py [--pages N]
"""

from __future__ import annotations

import statistics
import time
from datetime import date

import benchlib


def main() -> None:
    parser = benchlib.argument_parser(__doc__)
    parser.add_argument("--pages", type=int, default=60, help="pages of the print run")
    args = parser.parse_args()
    benchlib.add_root_to_path()
    from app.contest.certificates import Certificate, render

    def page(i: int, prize: str | None = None) -> Certificate:
        return Certificate(
            participant_number=f"2027-A-{i:03d}",
            full_name=f"山田 花子{i}",
            name_latin=f"Hanako Yamada {i}",
            edition_ja="第10回 日本人によるキルギス語弁論大会 2027",
            edition_ky="Кыргыз тилинде сүйлөө сынагы 2027",
            division_ja="初級スピーチ",
            division_ky="Баштапкы деңгээл",
            event_date=date(2027, 11, 13),
            venue="駐日キルギス共和国大使館",
            prize=prize,
        )

    runs = {
        "one participant (participation + 1st prize)": [page(0), page(0, "first")],
        f"print run of {args.pages} pages": [page(i) for i in range(args.pages)],
    }
    for label, pages in runs.items():
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            data = render(pages)
            timings.append(time.perf_counter() - started)
        print(
            f"{label}: {statistics.median(timings) * 1000:.0f} ms (median of 5), "
            f"{len(data) / 1024:.0f} KiB, {len(data) / len(pages) / 1024:.1f} KiB a page"
        )


if __name__ == "__main__":
    main()
