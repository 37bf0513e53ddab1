"""Response times of the gradebook, its CSV export, the class dashboard and one student's
dashboard, for a class of 100 and of 1,000 students: how they grow with the class.

Setup, for each class size N, in a fresh database (a temporary SQLite file, then the PostgreSQL
database --database, dropped and created again, when the server at --postgres-url is reachable):
the starter course kyrgyz-a1, a teacher, a class of N students, and in bulk inserts
(session.execute(insert(Model), rows)) for every student --answers quiz answers (10-question
sessions over the course's words, 70 % right, 15 % almost, 15 % wrong, over the last 60 days;
a fifth of the students stopped 8 to 40 days ago), a review log per answer, an FSRS card per word
practised, finished lessons, and --assignments assignments with submissions (85 % of the class
for work already due) and grades in every state. With the defaults, N = 1,000 makes 100,000
answers and 100,000 review logs.

Measured in-process with the Flask test client, signed in (the teacher; the first student for
their dashboard): the median of --runs GETs after a warm-up, and the SQL statements of one GET.

Run: python bench/bench_progress.py [--sizes 100,1000] [--answers 100] [--assignments 30]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import benchlib

benchlib.add_root_to_path()
PASSWORD = "bench-password"
SESSION_LENGTH = 10
UNREACHABLE = "PostgreSQL skipped: unreachable at {server} ({error})"
PAGES = [
    ("gradebook", "/progress/classes/{class_id}/gradebook"),
    ("gradebook CSV", "/progress/classes/{class_id}/gradebook.csv"),
    ("class dashboard", "/progress/classes/{class_id}"),
    ("student dashboard", "/progress/"),
]


def settings(database_url: str) -> dict[str, Any]:
    """The bench settings, without CSRF (the test client posts plain forms); mail waits in the outbox."""
    return benchlib.app_settings(database_url, WTF_CSRF_ENABLED=False, MAIL_DELIVER_INLINE=False)


def generate(database_url: str, students: int, answers: int, assignments: int) -> dict[str, Any]:
    """Schema and data (see the module's docstring); returns the ids the pages need."""
    from sqlalchemy import insert, select, text

    from app import create_app
    from app.auth.models import User, UserRole
    from app.auth.passwords import hash_password
    from app.core.dbtypes import utcnow
    from app.extensions import db
    from app.lessons.course_files import import_course
    from app.lessons.models import (
        ClassTeacher,
        Course,
        CourseClass,
        Enrollment,
        Item,
        Lesson,
        LessonProgress,
    )
    from app.lessons.seed import STARTER_COURSE
    from app.progress.models import Assignment, Grade, Submission, SubmissionVersion
    from app.quizzes.models import Answer, Question, QuizSession, ReviewCard, ReviewLog

    rng = random.Random(2027)
    app = create_app(settings(database_url))
    counts: dict[str, int] = {}

    def bulk(model: Any, rows: list[dict[str, Any]]) -> None:
        for start in range(0, len(rows), 20_000):
            db.session.execute(insert(model), rows[start : start + 20_000])
        counts[model.__tablename__] = counts.get(model.__tablename__, 0) + len(rows)

    with app.app_context():
        db.create_all()
        import_course(STARTER_COURSE)
        db.session.commit()
        course = db.session.scalar(select(Course).where(Course.slug == "kyrgyz-a1"))
        assert course is not None
        lessons = db.session.scalars(
            select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position)
        ).all()
        items = db.session.scalars(
            select(Item).join(Lesson).where(Item.course_id == course.id).order_by(Lesson.position)
        ).all()
        now = utcnow()
        password_hash = hash_password(PASSWORD)

        # people: the teacher is user 1, the students 2..N+1
        users, roles = [], []
        for number in range(students + 1):
            teacher = number == 0
            name = "Айгүл Асанова" if teacher else f"学生{number} 花子"
            users.append(
                {
                    "id": number + 1,
                    "email": "teacher@bench.example" if teacher else f"s{number}@bench.example",
                    "display_name": name,
                    "name_katakana": None if teacher else f"ガクセイ{number} ハナコ",
                    "language": "ja",
                    "timezone": "Asia/Tokyo",
                    "password_hash": password_hash,
                    "search_key": name.casefold(),
                }
            )
            roles.append({"user_id": number + 1, "role": "teacher" if teacher else "student"})
        bulk(User, users)
        bulk(UserRole, roles)
        bulk(
            CourseClass,
            [{"id": 1, "course_id": course.id, "name": f"Bench {students}", "join_code": "BENCH1"}],
        )
        bulk(ClassTeacher, [{"class_id": 1, "user_id": 1}])
        student_ids = list(range(2, students + 2))
        bulk(Enrollment, [{"class_id": 1, "user_id": s} for s in student_ids])

        # when each student was last active: most recently, a fifth stopped a while ago
        last_day = {
            s: rng.randint(8, 40) if rng.random() < 0.2 else rng.randint(0, 3) for s in student_ids
        }

        def moment(student: int) -> datetime:
            return now - timedelta(days=rng.uniform(last_day[student], 60))

        bulk(
            LessonProgress,
            [
                {"user_id": s, "lesson_id": lesson.id, "completed_at": moment(s)}
                for s in student_ids
                for lesson in lessons[: rng.randint(0, len(lessons))]
            ],
        )

        sessions, questions, answer_rows, cards, logs = [], [], [], [], []
        card_ids: dict[tuple[int, int], int] = {}
        card_reps: dict[int, int] = {}
        for s in student_ids:
            known = items[: rng.randint(40, min(len(items), 160))]
            for n in range(answers // SESSION_LENGTH):
                session_id = len(sessions) + 1
                started = moment(s)
                sessions.append(
                    {
                        "id": session_id,
                        "user_id": s,
                        "course_id": course.id,
                        "source": "course",
                        "seed": n,
                        "question_count": SESSION_LENGTH,
                        "answered_count": SESSION_LENGTH,
                        "correct_count": 0,
                        "created_at": started,
                        "finished_at": started + timedelta(minutes=5),
                    }
                )
                for position in range(SESSION_LENGTH):
                    item = rng.choice(known)
                    roll = rng.random()
                    status = "correct" if roll < 0.7 else "almost" if roll < 0.85 else "wrong"
                    question_id = len(questions) + 1
                    at = started + timedelta(seconds=20 * position)
                    questions.append(
                        {
                            "id": question_id,
                            "session_id": session_id,
                            "position": position,
                            "kind": "recall",
                            "item_id": item.id,
                            "params": {},
                            "shown_at": at,
                        }
                    )
                    given = item.ky if status == "correct" else item.ky[:-1] + "ы"
                    answer_rows.append(
                        {
                            "id": question_id,
                            "question_id": question_id,
                            "session_id": session_id,
                            "user_id": s,
                            "item_id": item.id,
                            "given": given,
                            "status": status,
                            "kind": "exact",
                            "expected": item.ky,
                            "params": {},
                            "answered_at": at,
                            "duration_ms": 4000,
                        }
                    )
                    key = (s, item.id)
                    if key not in card_ids:
                        card_ids[key] = len(card_ids) + 1
                        cards.append(
                            {
                                "id": card_ids[key],
                                "user_id": s,
                                "item_id": item.id,
                                "state": 2,
                                "step": None,
                                "stability": rng.uniform(0.5, 60),
                                "difficulty": rng.uniform(2, 8),
                                "due": now + timedelta(days=rng.uniform(-5, 30)),
                                "last_review": at,
                                "reps": 0,
                                "lapses": 0,
                                "created_at": at,
                            }
                        )
                    card_reps[card_ids[key]] = card_reps.get(card_ids[key], 0) + 1
                    logs.append(
                        {
                            "card_id": card_ids[key],
                            "answer_id": question_id,
                            "rating": {"correct": 3, "almost": 2, "wrong": 1}[status],
                            "reviewed_at": at,
                            "duration_ms": 4000,
                            "counted": True,
                        }
                    )
        for card in cards:
            card["reps"] = card_reps[card["id"]]
        bulk(QuizSession, sessions)
        bulk(Question, questions)
        bulk(Answer, answer_rows)
        bulk(ReviewCard, cards)
        bulk(ReviewLog, logs)

        assignment_rows, submissions, versions, grades = [], [], [], []
        for a in range(assignments):
            due = now + timedelta(days=(a - assignments * 2 // 3) * 3)
            assignment_rows.append(
                {
                    "id": a + 1,
                    "class_id": 1,
                    "title": f"課題{a + 1} Тапшырма",
                    "prompt": "Өзүңүз жөнүндө жазыңыз.",
                    "kind": "written" if a % 3 else "spoken",
                    "due_at": due,
                    "max_points": 10 if a % 2 else 20,
                }
            )
            past = due < now
            for s in student_ids:
                if rng.random() > (0.85 if past else 0.3):
                    continue
                submission_id = len(submissions) + 1
                late = past and rng.random() < 0.1
                submitted = due + timedelta(hours=5 if late else -rng.uniform(1, 72))
                count = 1 if rng.random() < 0.8 else 2
                submissions.append(
                    {
                        "id": submission_id,
                        "assignment_id": a + 1,
                        "student_id": s,
                        "draft_text": "Менин атым Ханако.",
                        "version_count": count,
                        "submitted_at": submitted,
                        "late": late,
                    }
                )
                versions += [
                    {
                        "submission_id": submission_id,
                        "number": number,
                        "text": "Менин атым Ханако.",
                        "submitted_at": submitted,
                        "late": late,
                    }
                    for number in range(1, count + 1)
                ]
                if past:
                    state = rng.choice(["released"] * 6 + ["graded", "draft"])
                    grades.append(
                        {
                            "submission_id": submission_id,
                            "assignment_id": a + 1,
                            "student_id": s,
                            "grader_id": 1,
                            "state": state,
                            "points": float(rng.randint(0, 10 if a % 2 else 20)),
                            "rubric_levels": {},
                            "graded_version": count,
                            "released_at": now if state == "released" else None,
                        }
                    )
        bulk(Assignment, assignment_rows)
        bulk(Submission, submissions)
        bulk(SubmissionVersion, versions)
        bulk(Grade, grades)
        if db.engine.dialect.name == "postgresql":
            # the ids were given explicitly: move the sequences past them
            for table in db.metadata.sorted_tables:
                if "id" in table.c and table.c.id.autoincrement in (True, "auto"):
                    db.session.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"COALESCE((SELECT MAX(id) FROM {table.name}), 1))"
                        )
                    )
            db.session.execute(text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()
    return {"class_id": 1, "student": "s1@bench.example", "counts": counts}


class Result(NamedTuple):
    ms: float  # median wall-clock time of a GET
    cpu_ms: float  # median CPU time of this process (the app; SQLite runs inside it too)
    statements: int  # SQL statements of one GET
    size: int  # response bytes


def measure(database_url: str, ids: dict[str, Any], runs: int) -> dict[str, Result]:
    """{page: its timings, SQL statements and size}."""
    from app import create_app
    from app.extensions import db

    app = create_app(settings(database_url))
    with app.app_context():
        engine = db.engine
    teacher, student = app.test_client(), app.test_client()
    for client, email in ((teacher, "teacher@bench.example"), (student, ids["student"])):
        response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302, "sign-in failed"
    results = {}
    for name, pattern in PAGES:
        if name == "student dashboard" and "progress.dashboard" not in app.view_functions:
            print("  (student dashboard skipped: progress.dashboard does not exist yet)")
            continue
        client = student if name == "student dashboard" else teacher
        url = pattern.format(class_id=ids["class_id"])
        response = client.get(url)  # warm-up
        assert response.status_code == 200, (url, response.status_code)
        timings, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        with benchlib.count_statements(engine) as statements:
            client.get(url)
        results[name] = Result(
            statistics.median(timings) * 1000,
            statistics.median(cpu) * 1000,
            statements["n"],
            len(response.data),
        )
    with app.app_context():
        db.engine.dispose()
    return results


def report(label: str, sizes: list[int], results: dict[int, dict[str, Result]], runs: int) -> None:
    small, large = sizes[0], sizes[-1]
    print(f"\n{label}: median of {runs} GETs in ms, wall clock (CPU of the app's process)")
    print(
        f"  {'page':<18} {f'N={small}':>15} {f'N={large}':>17} {'ratio':>7}  SQL statements  size"
    )
    for name, _pattern in PAGES:
        if name not in results[small]:
            continue
        a, b = results[small][name], results[large][name]
        print(
            f"  {name:<18} {a.ms:>6.0f} ({a.cpu_ms:>5.0f}) {b.ms:>7.0f} ({b.cpu_ms:>6.0f})"
            f" {b.ms / a.ms:>6.1f}×  {a.statements:>3} / {b.statements:<3}      "
            f" {a.size // 1024} KB / {b.size // 1024} KB"
        )


def run(label: str, make_url: Any, args: argparse.Namespace, sizes: list[int]) -> None:
    results = {}
    for students in sizes:
        url = make_url(students)
        if url is None:
            return
        started = time.perf_counter()
        answers = args.answers
        ids = generate(url, students, answers, args.assignments)
        rows = ", ".join(f"{n:,} {t}" for t, n in ids["counts"].items())
        print(f"{label}, N={students}: generated in {time.perf_counter() - started:.1f} s ({rows})")
        results[students] = measure(url, ids, args.runs)
    report(label, sizes, results, args.runs)


def main() -> None:
    parser = benchlib.argument_parser(__doc__)
    parser.add_argument("--sizes", default="100,1000", help="class sizes, comma-separated")
    parser.add_argument("--answers", type=int, default=100, help="quiz answers per student")
    parser.add_argument("--assignments", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5)
    benchlib.add_postgres_options(parser, database="sabak_bench_progress")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]

    with benchlib.instance_folder() as folder:
        os.environ["SABAK_INSTANCE_PATH"] = folder
        run("SQLite", lambda n: f"sqlite:///{folder}/bench-{n}.sqlite3", args, sizes)
        if not args.no_postgres:
            run(
                "PostgreSQL",
                lambda n: benchlib.fresh_postgres(args.postgres_url, args.database, UNREACHABLE),
                args,
                sizes,
            )


if __name__ == "__main__":
    main()
