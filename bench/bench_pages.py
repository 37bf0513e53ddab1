"""Requests per second of Sabak's main pages and of the quiz answer, each next to a Flask
hello-world served by the same gunicorn in the same run, and the ratio of the two.

Setup: a temporary SQLite database with the demo data (`flask db upgrade`, `flask seed-demo`)
and --connections bench students in the demo class, each with a long quiz session. Then gunicorn
(--workers sync workers) serves bench/hello_app.py and, after it, Sabak; --connections clients
(one process and one connection each, so the load itself isn't held back by one Python) ask
for one page for --seconds: GET pages as a visitor or signed in as the demo student
tanaka.yui@example.com, the answer as the bench students answering their sessions (htmx POSTs
with CSRF, one new question each time). Hello-world's GET is measured before and after the
pages (their mean is the yardstick), its POST next to the answer.

A second yardstick, bench/floor_app.py, is measured the same way: the least a signed-in page can
cost on Flask (session cookie, one sqlite3 statement, Sabak's typing page as a compiled Jinja
template), no Flask-Login, SQLAlchemy, Babel or WTForms. Sabak's "signed-in floor" row over it
is what those layers and the layout cost.

Reported: each page's requests per second, its ratio to hello-world, latency (median, p99) and
the goal from issue #18 where there is one. --json writes the figures to a file; --compare
prints an earlier file's ratios beside today's. Ratios are what to compare between runs and
machines: absolute figures change with the machine and what else runs on it.

Run: python bench/bench_pages.py [--workers 2] [--connections 16] [--seconds 5]
     [--json bench-pages.json] [--compare old.json]
"""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import multiprocessing
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import time
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import benchlib

benchlib.add_root_to_path()
DEMO_STUDENT = "tanaka.yui@example.com"
DEMO_PASSWORD = "sabak-demo"
BENCH_PASSWORD = "bench-password"
ANSWERS_PER_STUDENT = 400  # more than a client answers in --seconds at any speed seen here
# (name, who: "visitor" or "student", path); {course} and {lesson} are filled after seeding
PAGES = [
    ("public contest page", "visitor", "/contest/2027/"),
    ("contest index", "visitor", "/contest/"),
    ("home (visitor)", "visitor", "/"),
    ("sign-in page", "visitor", "/auth/login"),
    # the floor every signed-in page stands on: the typing practice draws little beyond the
    # layout (navigation, counts, the signed-in person), so no signed-in page can go faster
    ("signed-in floor (typing page)", "student", "/typing"),
    ("home", "student", "/"),
    ("course page", "student", "/lessons/courses/{course}/"),
    ("lesson page", "student", "/lessons/courses/{course}/{lesson}"),
    ("daily review", "student", "/quizzes/review"),
    ("dashboard", "student", "/progress/"),
]
ANSWER = "quiz answer (POST)"
FLOOR = "Flask's floor (bench/floor_app.py)"
# Issue #18's goals, as a fraction of hello-world's requests per second on this machine kind
GOALS = {
    "public contest page": 0.5,
    "contest index": 0.5,
    "home (visitor)": 0.5,
    "sign-in page": 0.5,
    "lesson page": 0.35,
    "home": 0.25,
    "dashboard": 0.25,
    ANSWER: 0.2,
}


@dataclass(frozen=True)
class Load:
    """What one client process asks, over and over (GET) or each once in turn (POST)."""

    method: str
    requests: list[tuple[str, bytes | None]]
    headers: dict[str, str]
    expect: str = ""  # text every answer must contain
    once: bool = False  # each request once (answers), else round and round


@dataclass(frozen=True)
class Figure:
    rps: float
    median_ms: float
    p99_ms: float
    errors: int


def environment(folder: str, database_url: str) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": database_url,
        "SECRET_KEY": benchlib.SECRET,
        "SABAK_INSTANCE_PATH": folder,
        "FLASK_APP": "app",
    }


def prepare(folder: str, database_url: str, students: int) -> dict[str, Any]:
    """Demo data, then `students` bench students in the demo class with a long session each."""
    benchlib.migrate(database_url, folder)
    subprocess.run(
        [benchlib.venv_script("flask"), "seed-demo", "--force"],
        cwd=benchlib.ROOT,
        env=environment(folder, database_url),
        check=True,
        capture_output=True,
    )
    from sqlalchemy import select

    from app import create_app
    from app.auth import services as accounts
    from app.core.dbtypes import utcnow
    from app.extensions import db
    from app.lessons.models import CourseClass, Enrollment, Lesson
    from app.privacy.services import record_consent
    from app.quizzes import services as quizzes

    os.environ["SABAK_INSTANCE_PATH"] = folder
    app = create_app(benchlib.app_settings(database_url))
    plans = []
    with app.app_context():
        course_class = db.session.scalars(select(CourseClass).order_by(CourseClass.id)).first()
        assert course_class is not None, "the demo data has no class"
        lessons = db.session.scalars(
            select(Lesson)
            .where(Lesson.course_id == course_class.course_id, Lesson.published.is_(True))
            .order_by(Lesson.position)
        ).all()
        for number in range(students):
            email = f"bench{number}@bench.example"
            student = accounts.create_user(
                email=email, password=BENCH_PASSWORD, display_name=f"Bench {number}"
            )
            record_consent(student, "signup")
            db.session.add(Enrollment(class_id=course_class.id, user_id=student.id))
            session = quizzes.start_lesson_session(
                student,
                lessons[number % len(lessons)],
                now=utcnow(),
                seed=number,
                count=ANSWERS_PER_STUDENT,
            )
            plans.append({"email": email, "session": session.id, "questions": session.questions})
        course, lesson = course_class.course.slug, lessons[0].slug
        answers = [
            [(f"/quizzes/{p['session']}/{n}", _answer(q)) for n, q in enumerate(p["questions"], 1)]
            for p in plans
        ]
        db.session.commit()
        db.engine.dispose()
    return {
        "course": course,
        "lesson": lesson,
        "answers": answers,
        "emails": [p["email"] for p in plans],
    }


def _answer(question: Any) -> bytes:
    """A right answer to `question`, form-encoded."""
    if question.kind == "recognise":
        form = {"answer": str(question.item_id)}
    elif question.kind == "match":
        form = {f"pair_{p['id']}": str(p["id"]) for p in question.params["pairs"]}
    else:
        form = {
            "answer": question.params["answers"][0]
            if question.kind == "suffix"
            else question.item.ky
        }
    return urllib.parse.urlencode(form).encode()


def sign_in(base: str, email: str, password: str) -> tuple[str, str]:
    """(Cookie header, CSRF token) of a signed-in browser."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/auth/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    form = {"email": email, "password": password, "csrf_token": token.group(1)}
    home = opener.open(base + "/auth/login", urllib.parse.urlencode(form).encode(), timeout=30)
    header = re.search(r'"X-CSRFToken": "([^"]+)"', home.read().decode())
    assert header, f"{email} is not signed in"
    return "; ".join(f"{c.name}={c.value}" for c in jar), header.group(1)


def demo_student_id(folder: str) -> int:
    with sqlite3.connect(f"{folder}/bench.sqlite3") as connection:
        row = connection.execute("SELECT id FROM users WHERE email = ?", (DEMO_STUDENT,)).fetchone()
    return int(row[0])


def save_floor_page(base: str, cookie: str, folder: str) -> Path:
    """Sabak's typing page as the demo student sees it, saved as a Jinja template for
    bench/floor_app.py: their CSRF token becomes its value, the rest is as served."""
    connection = http.client.HTTPConnection(base.split("//", 1)[1], timeout=30)
    connection.request("GET", "/typing", headers={"Cookie": cookie})
    html = connection.getresponse().read().decode()
    connection.close()
    token = re.search(r'"X-CSRFToken": "([^"]+)"', html)
    assert token, "the typing page has no CSRF token"
    template = "{{ csrf_token }}".join(
        "{% raw %}" + part + "{% endraw %}" for part in html.split(token.group(1))
    )
    path = Path(folder) / "floor-page.html"
    path.write_text(template, encoding="utf-8")
    return path


def _client(port: int, load: Load, start_at: float, seconds: float) -> tuple[int, list[float], int]:
    """One connection's requests from `start_at` for `seconds`: (done, latencies, errors)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies: list[float] = []
    errors = 0
    index = 0
    while time.time() < start_at:
        time.sleep(0.001)
    end = start_at + seconds
    while time.time() < end and not (load.once and index >= len(load.requests)):
        path, body = load.requests[index % len(load.requests)]
        index += 1
        started = time.perf_counter()
        try:
            connection.request(load.method, path, body, load.headers)
            response = connection.getresponse()
            text = response.read()
            if response.status != 200 or (load.expect and load.expect.encode() not in text):
                errors += 1
            if response.will_close:
                connection.close()
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
        latencies.append(time.perf_counter() - started)
    connection.close()
    return len(latencies), latencies, errors


def measure(base: str, loads: list[Load], seconds: float) -> Figure:
    """All `loads` at once, one process each, for `seconds`."""
    port = int(base.rsplit(":", 1)[1])
    start_at = time.time() + 0.5
    with multiprocessing.get_context("fork").Pool(len(loads)) as pool:
        results = pool.starmap(_client, [(port, load, start_at, seconds) for load in loads])
    latencies = sorted(x for _done, times, _errors in results for x in times)
    done = len(latencies)
    return Figure(
        rps=done / seconds,
        median_ms=statistics.median(latencies) * 1000 if latencies else 0.0,
        p99_ms=latencies[min(done - 1, int(done * 0.99))] * 1000 if latencies else 0.0,
        errors=sum(e for _done, _times, e in results),
    )


def main() -> None:
    parser = benchlib.argument_parser(__doc__)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--json", default="bench-pages.json", help="where to write the figures")
    parser.add_argument("--compare", help="an earlier --json file to print beside this run")
    args = parser.parse_args()
    n = args.connections
    figures: dict[str, Figure] = {}

    with benchlib.instance_folder() as folder:
        database_url = f"sqlite:///{folder}/bench.sqlite3"
        print(f"preparing the demo data and {n} students with sessions in {folder} ...")
        plan = prepare(folder, database_url, n)
        hello_dir = Path(__file__).resolve().parent
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        get = Load("GET", [("/", None)], {})
        post = Load("POST", [("/", b"answer=salam")], form)
        with benchlib.gunicorn(
            database_url, folder, args.workers, app_spec="hello_app:app", chdir=hello_dir
        ) as hello:
            figures["hello GET (before)"] = measure(hello, [get] * n, args.seconds)
            figures["hello POST"] = measure(hello, [post] * n, args.seconds)

        with benchlib.gunicorn(database_url, folder, args.workers) as base:
            cookie, _token = sign_in(base, DEMO_STUDENT, DEMO_PASSWORD)
            floor_page = save_floor_page(base, cookie, folder)
            for name, who, pattern in PAGES:
                path = pattern.format(course=plan["course"], lesson=plan["lesson"])
                headers = {"Cookie": cookie} if who == "student" else {}
                figures[name] = measure(
                    base, [Load("GET", [(path, None)], headers)] * n, args.seconds
                )
            answer_loads = []
            for email, answers in zip(plan["emails"], plan["answers"], strict=True):
                cookie, token = sign_in(base, email, BENCH_PASSWORD)
                headers = {
                    "Cookie": cookie,
                    "X-CSRFToken": token,
                    "HX-Request": "true",
                    "Content-Type": "application/x-www-form-urlencoded",
                }
                answer_loads.append(
                    Load("POST", answers, headers, expect="data-verdict", once=True)
                )
            figures[ANSWER] = measure(base, answer_loads, args.seconds)

        floor_env = {
            "FLOOR_PAGE": str(floor_page),
            "FLOOR_DATABASE": f"{folder}/bench.sqlite3",
            "FLOOR_USER_ID": str(demo_student_id(folder)),
        }
        with benchlib.gunicorn(
            database_url, folder, args.workers, floor_env, app_spec="floor_app:app", chdir=hello_dir
        ) as floor:
            connection = http.client.HTTPConnection(floor.split("//", 1)[1], timeout=30)
            connection.request("GET", "/")
            response = connection.getresponse()
            response.read()
            floor_cookie = (response.getheader("Set-Cookie") or "").split(";", 1)[0]
            connection.close()
            figures[FLOOR] = measure(
                floor, [Load("GET", [("/", None)], {"Cookie": floor_cookie})] * n, args.seconds
            )
        with benchlib.gunicorn(
            database_url, folder, args.workers, app_spec="hello_app:app", chdir=hello_dir
        ) as hello:
            figures["hello GET (after)"] = measure(hello, [get] * n, args.seconds)

    hello_get = (figures["hello GET (before)"].rps + figures["hello GET (after)"].rps) / 2
    hello_post = figures["hello POST"].rps
    ratios = {
        name: figure.rps / (hello_post if name == ANSWER else hello_get)
        for name, figure in figures.items()
        if not name.startswith("hello")
    }
    earlier = json.loads(Path(args.compare).read_text())["ratios"] if args.compare else {}

    print(
        f"\ngunicorn -w {args.workers} (sync), SQLite, {n} connections, {args.seconds:g} s each, "
        f"{os.cpu_count()} CPUs; hello-world GET {figures['hello GET (before)'].rps:.0f} "
        f"before and {figures['hello GET (after)'].rps:.0f} after, POST {hello_post:.0f} req/s"
    )
    width = max(len(name) for name in ratios)
    print(
        f"  {'page':<{width}} {'req/s':>7} {'× hello':>8} {'goal':>6} {'median':>8} {'p99':>8}"
        + ("  earlier" if earlier else "")
    )
    for name, ratio in ratios.items():
        figure, goal = figures[name], GOALS.get(name)
        verdict = "" if goal is None else ("≥" if ratio >= goal else "<") + f"{goal:.2f}"
        line = (
            f"  {name:<{width}} {figure.rps:>7.0f} {ratio:>8.2f} {verdict:>6} "
            f"{figure.median_ms:>6.1f}ms {figure.p99_ms:>6.1f}ms"
        )
        if name in earlier:
            line += f"  {earlier[name]:.2f} → {ratio:.2f}"
        if figure.errors:
            line += f"  {figure.errors} errors"
        print(line)
    Path(args.json).write_text(
        json.dumps(
            {
                "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                "settings": {"workers": args.workers, "connections": n, "seconds": args.seconds},
                "hello": {"get": hello_get, "post": hello_post},
                "ratios": ratios,
                "figures": {name: asdict(f) for name, f in figures.items()},
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"figures written to {args.json}")
    if any(f.errors for f in figures.values()):
        raise SystemExit("some requests failed")


if __name__ == "__main__":
    main()
