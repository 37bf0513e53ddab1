"""Where the time of one request goes: each page of bench/bench_pages.py (and the quiz answer)
asked many times in-process through Flask's test client, under cProfile, with the SQL statements
counted and timed. Not a benchmark (`make bench` runs bench/bench_*.py only): a tool to look with.

Run: python bench/profile_pages.py [--requests 300] [--page "lesson page"] [--top 25]
     [--folder /tmp/x (keep the seeded database between runs)]
"""

from __future__ import annotations

import cProfile
import os
import pstats
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import bench_pages
import benchlib

benchlib.add_root_to_path()


def main() -> None:
    parser = benchlib.argument_parser(__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--page", action="append", help="only these pages (by bench name)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--folder", help="instance folder to keep (seeded once)")
    args = parser.parse_args()
    folder = args.folder or benchlib.instance_folder().name
    Path(folder).mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite:///{folder}/bench.sqlite3"
    plan_file = Path(folder) / "plan.repr"
    if not plan_file.exists():
        plan = bench_pages.prepare(folder, database_url, 2)
        plan_file.write_text(repr(plan))
    plan = eval(plan_file.read_text())
    os.environ["SABAK_INSTANCE_PATH"] = folder
    from sqlalchemy import event

    from app import create_app
    from app.extensions import db

    app = create_app(
        benchlib.app_settings(
            database_url, SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False
        )
    )
    visitor = app.test_client()
    student = app.test_client()
    page = student.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    home = student.post(
        "/auth/login",
        data={
            "email": bench_pages.DEMO_STUDENT,
            "password": bench_pages.DEMO_PASSWORD,
            "csrf_token": token,
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert re.search(r'"X-CSRFToken": "([^"]+)"', home), "the demo student is not signed in"
    answerer = app.test_client()
    page = answerer.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    home = answerer.post(
        "/auth/login",
        data={"email": plan["emails"][0], "password": "bench-password", "csrf_token": token},
        follow_redirects=True,
    ).get_data(as_text=True)
    answer_token = re.search(r'"X-CSRFToken": "([^"]+)"', home).group(1)
    with app.app_context():  # a fresh session of questions to answer, every run
        from sqlalchemy import select

        from app.auth.models import User
        from app.core.dbtypes import utcnow
        from app.lessons.models import Lesson
        from app.quizzes import services as quizzes

        user = db.session.scalar(select(User).where(User.email == plan["emails"][0]))
        lesson = db.session.scalar(select(Lesson).where(Lesson.slug == plan["lesson"]))
        quiz = quizzes.start_lesson_session(
            user, lesson, now=utcnow(), seed=1, count=bench_pages.ANSWERS_PER_STUDENT
        )
        db.session.commit()
        answers = iter(
            [
                (f"/quizzes/{quiz.id}/{n}", bench_pages._answer(q))
                for n, q in enumerate(quiz.questions, 1)
            ]
        )

    statements: list[float] = []
    started: dict[int, float] = {}

    def before(conn: Any, cursor: Any, *_a: Any) -> None:
        started[id(cursor)] = time.perf_counter()

    def after(conn: Any, cursor: Any, *_a: Any) -> None:
        statements.append(time.perf_counter() - started.pop(id(cursor), time.perf_counter()))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", before)
        event.listen(db.engine, "after_cursor_execute", after)

    def ask(name: str, who: str, path: str) -> None:
        if name == bench_pages.ANSWER:
            url, body = next(answers)
            response = answerer.post(
                url,
                data=body,
                headers={
                    "X-CSRFToken": answer_token,
                    "HX-Request": "true",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            assert b"data-verdict" in response.data, response.status
        else:
            client = {"visitor": visitor, "hello": hello}.get(who, student)
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

    import hello_app

    hello = hello_app.app.test_client()
    hello_cpu = 1.0
    pages = [
        ("hello GET", "hello", "/"),
        ("bare signed-in request (/healthz)", "student", "/healthz"),
        ("bare signed-in page (/typing)", "student", "/typing"),
        *bench_pages.PAGES,
        (bench_pages.ANSWER, "answerer", ""),
    ]
    for name, who, pattern in pages:
        if args.page and name not in (*args.page, "hello GET"):
            continue
        path = pattern.format(course=plan["course"], lesson=plan["lesson"])
        count = min(args.requests, 190) if name == bench_pages.ANSWER else args.requests
        ask(name, who, path)  # warm
        statements.clear()
        # CPU and wall time per request: the best of 3 rounds, as other work on the machine
        # only ever adds to them
        plain = wall = float("inf")
        rounds = 3
        for _ in range(rounds):
            begin, begin_wall = time.process_time(), time.perf_counter()
            for _ in range(count // rounds):
                ask(name, who, path)
            plain = min(plain, (time.process_time() - begin) / (count // rounds))
            wall = min(wall, (time.perf_counter() - begin_wall) / (count // rounds))
        done = rounds * (count // rounds)
        queries, sql = len(statements) / done, sum(statements) / done
        if name == "hello GET":
            hello_cpu = plain
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(count):
            ask(name, who, path)
        profile.disable()
        print(
            f"\n=== {name} {path}: {plain * 1000:.2f} ms CPU/request "
            f"({plain / hello_cpu:.1f} × hello's), {wall * 1000:.2f} ms wall, "
            f"{queries:.1f} statements ({sql * 1000:.2f} ms in the driver)"
        )
        if name == "hello GET" and args.page:
            continue
        stats = pstats.Stats(profile)
        stats.sort_stats(args.sort).print_stats(args.top)
    if not args.folder:
        subprocess.run(["rm", "-rf", folder], check=False)


if __name__ == "__main__":
    main()
