"""Several app hosts: a recording handed in through one host is heard through another when the
recordings are kept in the database (`SABAK_MEDIA_STORAGE=database`), and only by those who may."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.progress.models import Submission
from tests.conftest import AuthActions
from tests.conftest import test_settings as base_settings
from tests.helpers import wav_bytes


def _other_host(database_url: str, tmp_path: Path, monkeypatch, settings) -> Flask:
    """A second app host: its own instance folder, the same database."""
    monkeypatch.setenv("SABAK_INSTANCE_PATH", str(tmp_path / "other-host"))
    host = create_app(base_settings(database_url, tmp_path) | settings)
    monkeypatch.setenv("SABAK_INSTANCE_PATH", str(tmp_path / "instance"))
    return host


@pytest.fixture
def settings() -> dict[str, Any]:
    return {"MEDIA_STORAGE": "database"}


def _hand_in(app, client, auth, progress_class, make_assignment) -> tuple[Any, int, bytes]:
    cls = progress_class(students=2)
    assignment_id = make_assignment(cls.id, kind="spoken", title="スピーチ")
    auth.login(user=cls.students[0])
    data = wav_bytes(seconds=0.4)
    response = client.post(
        f"/progress/assignments/{assignment_id}",
        data={"audio": (io.BytesIO(data), "answer.wav"), "intent": "submit"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        submission_id = db.session.scalars(select(Submission.id)).one()
    return cls, submission_id, data


def test_a_recording_handed_in_on_one_host_plays_on_another(
    app, client, auth, progress_class, make_assignment, make_user, database_url, tmp_path,
    monkeypatch, settings,
):  # fmt: skip
    cls, submission_id, data = _hand_in(app, client, auth, progress_class, make_assignment)
    assert not (Path(app.instance_path) / "media" / "submissions").exists()  # nothing on disk
    other = _other_host(database_url, tmp_path, monkeypatch, settings)
    assert other.instance_path != app.instance_path
    audio_url = f"/progress/submissions/{submission_id}/versions/1/audio"

    student = other.test_client()
    AuthActions(student, make_user).login(user=cls.students[0])
    whole = student.get(audio_url)
    assert whole.status_code == 200 and whole.data == data and whole.mimetype == "audio/wav"
    assert whole.headers["Cache-Control"] == "private, no-store"
    part = student.get(audio_url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.data == data[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert student.get(audio_url, headers={"Range": "bytes=999999-"}).status_code == 416

    teacher = other.test_client()
    AuthActions(teacher, make_user).login(user=cls.teacher)
    assert teacher.get(audio_url).data == data

    classmate = other.test_client()  # another student of the class: not theirs
    AuthActions(classmate, make_user).login(user=cls.students[1])
    assert classmate.get(audio_url).status_code == 404
    stranger = other.test_client()
    AuthActions(stranger, make_user).login("student")
    assert stranger.get(audio_url).status_code == 404
    with other.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("settings", [{"MEDIA_STORAGE": "folder"}])
def test_with_the_folder_store_another_host_has_no_such_file(
    app, client, auth, progress_class, make_assignment, make_user, database_url, tmp_path,
    monkeypatch, settings,
):  # fmt: skip
    """Why a multi-host deployment sets SABAK_MEDIA_STORAGE=database."""
    cls, submission_id, data = _hand_in(app, client, auth, progress_class, make_assignment)
    audio_url = f"/progress/submissions/{submission_id}/versions/1/audio"
    assert client.get(audio_url).data == data  # the host that has it
    other = _other_host(database_url, tmp_path, monkeypatch, settings)
    student = other.test_client()
    AuthActions(student, make_user).login(user=cls.students[0])
    assert student.get(audio_url).status_code == 404
    with other.app_context():
        db.engine.dispose()
