"""How many answers `app.kyrgyz.answers.check` judges per second, on a realistic mix.

The mix: 40% correct (with stray capitals and punctuation), 15% special letters typed as о у н,
15% Latin input, 10% one-letter typos, 10% another case form, 10% something else entirely,
each against an accepted list of one to three answers (words, inflected forms and phrases).
Run: python bench/bench_answers.py [--answers N]
"""

from __future__ import annotations

import random
import time

import benchlib

NOUNS_FILE = benchlib.ROOT / "tests" / "kyrgyz" / "data" / "nouns.txt"
PHRASES = [
    ["Кош келиңиз!", "Кош келиңиздер!"],
    ["Саламатсызбы?", "Саламатсыңарбы?"],
    ["Рахмат!", "Чоң рахмат!"],
    ["Менин атым Айгүл."],
    ["Мен Токиодо жашайм."],
    ["Сиз кайдан келдиңиз?"],
    ["Бул эмне?"],
    ["Мен кыргыз тилин үйрөнүп жатам."],
    ["Жакшы калыңыз!", "Жакшы калыңыздар!"],
    ["Ооба"],
    ["Жок"],
    ["Түшүнбөйм."],
]


def _typo(text: str, rng: random.Random) -> str:
    index = rng.randrange(1, len(text) - 1)
    if rng.random() < 0.5:
        return text[:index] + text[index + 1 :]
    return text[: index - 1] + text[index] + text[index - 1] + text[index + 1 :]


def build_workload(count: int, seed: int = 20240601) -> list[tuple[str, list[str]]]:
    """Return `count` (given, accepted) pairs in the mix described above."""
    from app.kyrgyz.latin import to_latin
    from app.kyrgyz.morphology import CASES, decline
    from app.kyrgyz.normalize import fold_special

    rng = random.Random(seed)
    nouns = [
        line.strip()
        for line in NOUNS_FILE.read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    items: list[tuple[list[str], str, str]] = []  # (accepted, noun, case)
    for noun in nouns:
        case = rng.choice(CASES)
        items.append(([decline(noun, case)], noun, case))
    items.extend((phrase, "", "") for phrase in PHRASES * 10)

    workload: list[tuple[str, list[str]]] = []
    for _ in range(count):
        accepted, noun, case = rng.choice(items)
        answer = rng.choice(accepted)
        roll = rng.random()
        if roll < 0.40:
            given = rng.choice([answer, answer.upper(), f" {answer.lower()}! "])
        elif roll < 0.55:
            given = fold_special(answer)
        elif roll < 0.70:
            given = to_latin(answer)
        elif roll < 0.80 and len(answer) > 4:
            given = _typo(answer, rng)
        elif roll < 0.90 and noun:
            given = decline(noun, rng.choice([c for c in CASES if c != case]))
        else:
            given = rng.choice(items)[0][0]
        workload.append((given, accepted))
    return workload


def main() -> None:
    parser = benchlib.argument_parser(__doc__)
    parser.add_argument("--answers", type=int, default=20000, help="answers per timed pass")
    args = parser.parse_args()
    benchlib.add_root_to_path()
    from app.kyrgyz.answers import check

    workload = build_workload(args.answers)
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        for given, accepted in workload:
            check(given, accepted)
        timings.append(time.perf_counter() - started)
    kinds: dict[str, int] = {}
    for given, accepted in workload:
        kind = check(given, accepted).kind
        kinds[kind] = kinds.get(kind, 0) + 1

    cold, warm = timings[0], min(timings[1:])
    print(f"answers per pass: {len(workload)} (verdicts: {dict(sorted(kinds.items()))})")
    print(f"first pass (cold caches): {len(workload) / cold:,.0f} answers/s")
    print(f"steady state:             {len(workload) / warm:,.0f} answers/s")
    print(f"mean time per answer:     {warm / len(workload) * 1e6:.1f} µs")


if __name__ == "__main__":
    main()
