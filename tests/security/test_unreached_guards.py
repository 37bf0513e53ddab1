"""Guards that existed with no test reaching them: judges and contestants they may not score,
withdrawing after registration closes, stored audio names, audio routes on a bad or missing
file, and real MediaRecorder files told apart as audio."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from app.contest.models import Edition, Registration, Score, ScoreSheet, Status
from app.core.dbtypes import utcnow
from app.core.media import NotAudio, audio_path, sniff_audio  # the one import of media
from app.extensions import db
from app.lessons.models import Item
from tests.conftest import AuthActions
from tests.factories.contest import details

DATA = Path(__file__).parents[1] / "data"
# a file that exists wherever the instance folder is: served if a name could climb out
CLIMBING = "../" * 30 + "etc/passwd"


def sheet_url(division_id: int, registration_id: int) -> str:
    return f"/contest/judge/divisions/{division_id}/registrations/{registration_id}"


def scores(contest: dict[str, Any]) -> dict[str, Any]:
    """Filled score fields for the contest fixture's two criteria, submitted."""
    data: dict[str, Any] = {f"c{cid}": "8" for cid in contest["criteria"]}
    return data | {"comment": "良い", "action": "submit", "confirmed": "1"}


def score_rows(app: Flask) -> tuple[int, int]:
    with app.app_context():
        sheets = db.session.scalar(select(func.count()).select_from(ScoreSheet))
        rows = db.session.scalar(select(func.count()).select_from(Score))
        db.session.remove()
    return sheets or 0, rows or 0


def set_registration(app: Flask, registration_id: int, **values: Any) -> None:
    with app.app_context():
        db.session.execute(
            update(Registration).where(Registration.id == registration_id).values(**values)
        )
        db.session.commit()


def refused_to_judge(client: Any, url: str, contest: dict[str, Any], status: int = 404) -> None:
    """The sheet neither opens nor takes scores: 404 both ways (403 in a division not judged)."""
    assert client.get(url).status_code == status
    assert client.post(url, data=scores(contest)).status_code == status


def test_a_judge_cannot_score_a_contestant_of_another_division(
    app: Flask, client: Any, auth: AuthActions, contest: dict[str, Any]
) -> None:
    a, b = contest["ids"]["A"], contest["ids"]["B"]
    auth.login(user=contest["judges"][2])  # judges division B only
    refused_to_judge(client, sheet_url(b, contest["regs"][0]), contest)  # B's url, A's person
    refused_to_judge(client, sheet_url(a, contest["regs"][0]), contest, 403)  # A is not theirs
    assert score_rows(app) == (0, 0)


def test_a_judge_cannot_score_a_contestant_not_checked_in(
    app: Flask, client: Any, auth: AuthActions, contest: dict[str, Any]
) -> None:
    set_registration(app, contest["regs"][0], checked_in_at=None)
    auth.login(user=contest["judges"][0])
    refused_to_judge(client, sheet_url(contest["ids"]["A"], contest["regs"][0]), contest)
    assert score_rows(app) == (0, 0)
    # the same judge scores a checked-in contestant: the refusal was the guard's
    url = sheet_url(contest["ids"]["A"], contest["regs"][1])
    assert client.post(url, data=scores(contest)).status_code == 302
    assert score_rows(app) == (1, 2)


def test_a_judge_cannot_score_a_waitlisted_contestant(
    app: Flask, client: Any, auth: AuthActions, contest: dict[str, Any]
) -> None:
    set_registration(app, contest["regs"][0], status=Status.WAITLISTED, participant_number=None)
    auth.login(user=contest["judges"][0])
    refused_to_judge(client, sheet_url(contest["ids"]["A"], contest["regs"][0]), contest)
    assert score_rows(app) == (0, 0)


def test_withdrawing_after_registration_closes_is_refused(
    app: Flask, client: Any, auth: AuthActions, make_edition: Any
) -> None:
    from app.auth.models import User
    from app.contest import registration as services
    from app.contest.models import Division

    ids = make_edition()
    person = auth.login()
    with app.app_context():
        edition = db.session.get(Edition, ids["edition"])
        division = db.session.get(Division, ids["A"])
        user = db.session.get(User, person.id)
        registration_id = services.register(edition, division, user, details()).id
        edition.registration_closes_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        db.session.remove()
    url = f"/contest/{ids['year']}/me/withdraw"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"confirmed": "1"}).status_code == 403
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        assert registration is not None
        assert (registration.status, registration.participant_number) == (
            Status.CONFIRMED,
            f"{ids['year']}-A-001",
        )


@pytest.mark.parametrize("name", ["../x", "..", ".hidden", ".x.webm.tmp", "a/b.webm", "a\\b.webm"])
def test_audio_path_refuses_names_outside_the_folder_and_hidden_ones(
    app_ctx: Flask, name: str
) -> None:
    with pytest.raises(NotAudio):
        audio_path(name)


def test_audio_path_keeps_our_names_in_the_audio_folder(app_ctx: Flask) -> None:
    path = audio_path("0123abcd.webm")
    assert path.name == "0123abcd.webm"
    assert path.parent == Path(app_ctx.instance_path) / "media" / "audio"


def item_with_audio(app: Flask, make_course: Any, name: str) -> int:
    make_course()
    with app.app_context():
        item = db.session.scalars(select(Item).order_by(Item.id)).first()
        assert item is not None
        item.audio_file, item.audio_mimetype = name or None, "audio/webm"
        db.session.commit()
        item_id = item.id
        db.session.remove()
    return item_id


def test_item_audio_with_a_hostile_stored_name_is_not_found(
    app: Flask, client: Any, auth: AuthActions, make_course: Any
) -> None:
    item_id = item_with_audio(app, make_course, CLIMBING)
    auth.login("admin")  # may hear every course
    assert client.get(f"/lessons/audio/{item_id}").status_code == 404


def test_item_audio_whose_file_is_missing_falls_back_to_speech(
    app: Flask, client: Any, auth: AuthActions, make_course: Any
) -> None:
    item_id = item_with_audio(app, make_course, "0123abcd.webm")
    auth.login("admin")
    response = client.get(f"/lessons/audio/{item_id}")
    assert response.status_code == 302
    assert "/speech?" in response.location


REAL_RECORDINGS = [("mediarecorder.webm", "audio/webm"), ("opus.ogg", "audio/ogg")]


@pytest.mark.parametrize(("fixture", "mimetype"), REAL_RECORDINGS)
def test_real_browser_recordings_are_audio(fixture: str, mimetype: str) -> None:
    """Made by headless Chromium from an oscillator: see tests/data/README.md."""
    assert sniff_audio((DATA / fixture).read_bytes()).mimetype == mimetype


@pytest.mark.parametrize(("fixture", "mimetype"), REAL_RECORDINGS)
def test_a_real_recording_is_kept_and_played_back_as_sent(
    app: Flask, client: Any, auth: AuthActions, make_course: Any, fixture: str, mimetype: str
) -> None:
    data = (DATA / fixture).read_bytes()
    item_id = item_with_audio(app, make_course, "")
    auth.login("admin")
    response = client.post(
        f"/lessons/items/{item_id}/recording", data={"audio": (io.BytesIO(data), "blob")}
    )
    assert response.status_code == 302
    with app.app_context():
        item = db.session.get(Item, item_id)
        assert item is not None and item.audio_mimetype == mimetype
    played = client.get(f"/lessons/audio/{item_id}")
    assert (played.status_code, played.mimetype, played.data) == (200, mimetype, data)
    played.close()


@pytest.mark.parametrize("name", [CLIMBING, "/etc/passwd", ".hidden.webm", "0123abcd.webm"])
def test_a_submitted_recording_with_a_bad_or_missing_file_is_not_found(
    client: Any,
    auth: AuthActions,
    progress_class: Any,
    make_assignment: Any,
    make_submission: Any,
    name: str,
) -> None:
    group = progress_class(students=1)
    assignment_id = make_assignment(group.id, kind="spoken")
    student = group.students[0]
    submission_id = make_submission(
        assignment_id, student.id, audio_file=name, audio_mimetype="audio/webm"
    )
    for person in (student, group.teacher):
        auth.login(user=person)
        for number in (0, 1):  # the draft (its student only) and the submitted version
            url = f"/progress/submissions/{submission_id}/versions/{number}/audio"
            assert client.get(url).status_code == 404, (person.email, url)
        auth.logout()
