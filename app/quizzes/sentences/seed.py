"""Demo sentence building: the demo class's active students built some of the first lessons'
example sentences (a few right away, some after a word-order mistake)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import exists, select

from app.core.seed import DemoData
from app.extensions import db
from app.lessons.models import Course
from app.quizzes.models import SentenceAttempt, SentenceKind
from app.quizzes.sentences import services

SENTENCES_PER_STUDENT = (4, 8)  # how many example sentences each student tried


def seed_demo(data: DemoData) -> Iterator[str]:
    """Attempts for each active classmate who has none yet (idempotent)."""
    if data.course_class is None:
        return
    course = db.session.get(Course, data.course_class.course_id)
    if course is None:
        return
    seeded = 0
    for student in data.classmates[:-1]:
        if db.session.scalar(select(exists().where(SentenceAttempt.user_id == student.id))):
            continue
        rng = random.Random(f"sabak-sentences-{student.email}")
        lessons = services.student_lessons(student)[:4]
        items = [item for lesson in lessons for item in services.buildable(lesson)]
        if not items:
            continue
        count = rng.randint(*SENTENCES_PER_STUDENT)
        for n, item in enumerate(rng.sample(items, min(count, len(items)))):
            moment = data.now - timedelta(days=count - n, minutes=rng.randint(0, 600))
            kind = SentenceKind.BUILD_JA if n % 4 == 3 else SentenceKind.BUILD_KY
            own, _ending = services.sentence_tiles(item, kind)
            if n % 3 == 1 and len(own) > 2:
                # first the verb in the middle, then right
                mixed = [*own[:-2], own[-1], own[-2]]
                services.record_attempt(
                    student, item, kind, services.new_token(), mixed, now=moment
                )
                moment += timedelta(minutes=1)
            services.record_attempt(student, item, kind, services.new_token(), own, now=moment)
        seeded += 1
    db.session.flush()
    yield f"sentences: {seeded} students built example sentences"
