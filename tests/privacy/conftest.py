"""A student with work of every kind for the privacy tests (graded and ungraded submissions
with recordings, quiz answers, cards, contest entries); the factories are in tests/factories."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask

from app.auth.models import User
from app.contest import registration as registration_service
from app.contest.models import Edition, Prize, Registration, ScoreSheet
from app.core.dbtypes import utcnow
from app.core.media import store_audio
from app.extensions import db
from app.progress.models import AssignmentKind, GradeState
from tests.factories.classes import ClassInfo
from tests.factories.contest import details
from tests.factories.users import UserInfo
from tests.helpers import wav_bytes


@dataclass(frozen=True)
class StudentWork:
    """What `student_with_work` made: ids and the recordings on disk."""

    course_class: ClassInfo
    student: UserInfo
    graded: int  # submission ids
    ungraded: int
    draft_graded: int
    graded_audio: str
    ungraded_audio: str
    result_registration: int  # a past contest entry with a prize
    open_registration: int  # a confirmed seat in an open edition
    waiting: int  # someone else's registration on that division's waiting list


@pytest.fixture
def student_with_work(
    app: Flask,
    progress_class: Callable[..., ClassInfo],
    make_assignment: Callable[..., int],
    make_submission: Callable[..., int],
    make_edition: Callable[..., dict[str, int]],
    activity: Any,
    make_user: Callable[..., UserInfo],
) -> StudentWork:
    course_class = progress_class(students=2)
    student = course_class.students[0]
    spoken = make_assignment(course_class.id, title="Саламдашуу", kind=AssignmentKind.SPOKEN)
    written = make_assignment(course_class.id, title="Өзүм жөнүндө")
    family = make_assignment(course_class.id, title="Үй-бүлөм")
    with app.app_context():
        graded_audio, _kind = store_audio(wav_bytes(), folder="submissions")
        ungraded_audio, _kind = store_audio(wav_bytes(0.3), folder="submissions")
        db.session.commit()  # the database store keeps what is committed
    graded = make_submission(
        spoken,
        student.id,
        audio_file=graded_audio,
        audio_mimetype="audio/wav",
        grade_state=GradeState.RELEASED,
        points=8,
        grader_id=course_class.teacher.id,
    )
    ungraded = make_submission(
        family, student.id, audio_file=ungraded_audio, audio_mimetype="audio/wav"
    )
    draft_graded = make_submission(
        written, student.id, grade_state=GradeState.DRAFT, points=3, feedback="下書き"
    )
    activity.answers(student.id, course_class.course_id, "cwa")
    activity.cards(student.id, course_class.course_id, [(1, 3.0), (0, None)])
    activity.lessons_done(student.id, course_class.course_id, 1)
    # last year's contest, where the student won a prize
    past = make_edition(year=2025, capacities=(5,))
    current = make_edition(year=2027, capacities=(1,))
    other = make_user(display_name="他の 人", email="other@example.org")
    with app.app_context():
        person = db.session.get(User, student.id)
        assert person is not None
        past_edition = db.session.get(Edition, past["edition"])
        assert past_edition is not None
        opens = past_edition.registration_opens_at
        past_edition.registration_opens_at = utcnow() - timedelta(days=400)
        entry = registration_service.register(
            past_edition,
            past_edition.divisions[0],
            person,
            details(),
            now=utcnow() - timedelta(days=1),
        )
        past_edition.registration_opens_at = opens
        past_edition.registration_closes_at = utcnow() - timedelta(days=300)
        past_edition.event_date = date.today() - timedelta(days=290)
        db.session.add(ScoreSheet(judge_id=course_class.teacher.id, registration_id=entry.id))
        db.session.add(Prize(division_id=entry.division_id, registration_id=entry.id, kind="first"))
        current_edition = db.session.get(Edition, current["edition"])
        assert current_edition is not None
        seat = registration_service.register(
            current_edition, current_edition.divisions[0], person, details(phone="080-0000-1111")
        )
        someone = db.session.get(User, other.id)
        assert someone is not None
        waiting = registration_service.register(
            current_edition, current_edition.divisions[0], someone, details(full_name="他の 人")
        )
        db.session.commit()
        ids = (entry.id, seat.id, waiting.id)
        db.session.remove()
    return StudentWork(
        course_class=course_class,
        student=student,
        graded=graded,
        ungraded=ungraded,
        draft_graded=draft_graded,
        graded_audio=graded_audio,
        ungraded_audio=ungraded_audio,
        result_registration=ids[0],
        open_registration=ids[1],
        waiting=ids[2],
    )


def registration(registration_id: int) -> Registration:
    found = db.session.get(Registration, registration_id)
    assert found is not None
    return found
