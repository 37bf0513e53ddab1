"""Answers per second on the quiz answer endpoint, with concurrent students, under gunicorn.

Setup: a fresh database (a temporary SQLite file, or --database-url for an EMPTY PostgreSQL
database) gets the starter course kyrgyz-a1 and --students students, each with one long quiz
session on a lesson. Then gunicorn (--workers processes) serves the app and one thread per
student answers its questions as a browser with htmx does: GET the question (the clock starts),
POST the answer (70% right, 15% with о у н for ө ү ң, 15% wrong), with CSRF and a signed-in
session. Reported: answers per second (one answer = that GET and POST), POST latency, and,
measured in-process with the Flask test client, the share of app.kyrgyz.answers.check in an
answer request's time.

Run: python bench/bench_quiz_answers.py [--students 16] [--workers 4] [--answers 60]
"""

from __future__ import annotations

import functools
import http.cookiejar
import re
import threading
import time
import urllib.parse
import urllib.request
from typing import Any

import benchlib

benchlib.add_root_to_path()
PASSWORD = "bench-password"


def prepare(database_url: str, students: int, answers: int) -> list[dict[str, Any]]:
    """Schema, course, class, students and one session each; returns each student's plan."""
    from sqlalchemy import inspect, select

    from app import create_app
    from app.auth import services as accounts
    from app.core.dbtypes import utcnow
    from app.extensions import db
    from app.kyrgyz.normalize import fold_special
    from app.lessons import services as classes
    from app.lessons.course_files import import_course
    from app.lessons.models import Course, Enrollment, Lesson
    from app.lessons.seed import STARTER_COURSE
    from app.quizzes import services

    app = create_app(benchlib.app_settings(database_url))
    plans = []
    with app.app_context():
        if "users" in inspect(db.engine).get_table_names():
            raise SystemExit("the database is not empty; give an empty one")
        db.create_all()
        import_course(STARTER_COURSE)
        course = db.session.scalar(select(Course).where(Course.slug == "kyrgyz-a1"))
        lessons = db.session.scalars(
            select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position)
        ).all()
        teacher = accounts.create_user(
            email="teacher@bench.example", password=PASSWORD, display_name="T", roles=["teacher"]
        )
        course_class = classes.create_class(
            course,
            classes.ClassDetails(name="Bench", starts_on=None, ends_on=None, schedule=""),
            teacher=teacher,
        )
        for number in range(students):
            email = f"student{number}@bench.example"
            student = accounts.create_user(
                email=email, password=PASSWORD, display_name=f"S{number}", roles=["student"]
            )
            db.session.add(Enrollment(class_id=course_class.id, user_id=student.id))
            lesson = lessons[number % len(lessons)]
            session = services.start_lesson_session(
                student, lesson, now=utcnow(), seed=number, count=answers
            )
            plan = []
            for index, question in enumerate(session.questions):
                roll = (index * 7919 + number) % 100
                plan.append(_answer_form(question, roll, fold_special))
            plans.append({"email": email, "session": session.id, "answers": plan})
        db.session.commit()
        db.engine.dispose()
    return plans


def _answer_form(question: Any, roll: int, fold: Any) -> dict[str, str]:
    if question.kind == "recognise":
        return {"answer": str(question.item_id if roll < 80 else 0)}
    if question.kind == "match":
        return {f"pair_{p['id']}": str(p["id"]) for p in question.params["pairs"]}
    right = question.params["answers"][0] if question.kind == "suffix" else question.item.ky
    if roll < 70:
        return {"answer": right}
    if roll < 85:
        return {"answer": fold(right)}
    return {"answer": right[: max(1, len(right) - 2)] + "ы"}


class Student:
    """A browser: cookies, CSRF token, htmx headers."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.csrf = ""

    def request(self, path: str, data: dict[str, str] | None = None, htmx: bool = False) -> str:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)
        if htmx:
            req.add_header("HX-Request", "true")
            req.add_header("X-CSRFToken", self.csrf)
        with self.opener.open(req, timeout=30) as response:
            return str(response.read().decode())

    def sign_in(self, email: str) -> None:
        page = self.request("/auth/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
            r'name="csrf_token" value="([^"]+)"', page
        )
        assert token, "no CSRF token on the login page"
        home = self.request(
            "/auth/login", {"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
        )
        header = re.search(r'"X-CSRFToken": "([^"]+)"', home)
        assert header, "not signed in"
        self.csrf = header.group(1)


def run_load(base: str, plans: list[dict[str, Any]]) -> tuple[float, list[float], list[str]]:
    students = []
    for plan in plans:
        student = Student(base)
        student.sign_in(plan["email"])
        students.append(student)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def answer_all(student: Student, plan: dict[str, Any]) -> None:
        mine = []
        for number, form in enumerate(plan["answers"], start=1):
            url = f"/quizzes/{plan['session']}/{number}"
            try:
                student.request(url, htmx=True)
                started = time.perf_counter()
                html = student.request(url, form, htmx=True)
                mine.append(time.perf_counter() - started)
                if "data-verdict" not in html:
                    errors.append(f"{url}: no verdict")
            except Exception as error:  # a failed request is a result to report
                errors.append(f"{url}: {error}")
        with lock:
            latencies.extend(mine)

    seconds = benchlib.run_together(
        [functools.partial(answer_all, s, p) for s, p in zip(students, plans, strict=True)]
    )
    return seconds, latencies, errors


def check_share(database_url: str, answers: int) -> tuple[float, float, int]:
    """(share of check() in the answer request, mean request ms, queries per answer)."""
    from sqlalchemy import select

    from app import create_app
    from app.auth.models import User
    from app.core.dbtypes import utcnow
    from app.extensions import db
    from app.kyrgyz.normalize import fold_special
    from app.lessons.models import Lesson
    from app.quizzes import services
    from app.quizzes.sessions import services as sessions

    app = create_app(benchlib.app_settings(database_url, WTF_CSRF_ENABLED=False))
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "student0@bench.example"))
        lesson = db.session.scalars(select(Lesson).order_by(Lesson.position)).all()[3]
        session = services.start_lesson_session(user, lesson, now=utcnow(), seed=99, count=answers)
        forms = [
            _answer_form(q, (i * 37) % 100, fold_special) for i, q in enumerate(session.questions)
        ]
        session_id = session.id
        db.session.commit()
        engine = db.engine
    spent = {"check": 0.0}
    original = sessions.check

    def timed_check(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent["check"] += time.perf_counter() - started

    sessions.check = timed_check  # type: ignore[assignment]
    client = app.test_client()
    client.post("/auth/login", data={"email": "student0@bench.example", "password": PASSWORD})
    total = 0.0
    try:
        with benchlib.count_statements(engine) as statements:
            for number, form in enumerate(forms, start=1):
                statements_before = statements["n"]
                client.get(f"/quizzes/{session_id}/{number}", headers={"HX-Request": "true"})
                statements["n"] = statements_before
                started = time.perf_counter()
                client.post(
                    f"/quizzes/{session_id}/{number}", data=form, headers={"HX-Request": "true"}
                )
                total += time.perf_counter() - started
    finally:
        sessions.check = original  # type: ignore[assignment]
    return spent["check"] / total, total / len(forms) * 1000, statements["n"] // len(forms)


def main() -> None:
    parser = benchlib.argument_parser(__doc__)
    parser.add_argument("--students", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--answers", type=int, default=60, help="answers per student")
    parser.add_argument(
        "--database-url", help="an EMPTY database; default: a temporary SQLite file"
    )
    args = parser.parse_args()

    with benchlib.instance_folder() as folder:
        database_url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        where = benchlib.printable_url(database_url)
        print(f"database: {where}; preparing {args.students} students ...")
        plans = prepare(database_url, args.students, args.answers)
        with benchlib.gunicorn(database_url, folder, args.workers) as base:
            seconds, latencies, errors = run_load(base, plans)
        done = len(latencies)
        print(
            f"gunicorn -w {args.workers}, {args.students} concurrent students: "
            f"{done} answers in {seconds:.1f} s = {done / seconds:.0f} answers/s "
            f"(each answer: GET question + POST answer)"
        )
        print(f"answer POST latency: {benchlib.latency_summary(latencies, decimals=1)}")
        if errors:
            print(f"{len(errors)} errors, e.g. {errors[:3]}")
        share, mean_ms, queries = check_share(database_url, 100)
        print(
            f"in-process (Flask test client, one student): answer POST {mean_ms:.1f} ms, "
            f"{queries} SQL statements, check() {share * 100:.1f}% of it"
        )
        if errors:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
