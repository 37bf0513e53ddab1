"""Uploaded files behind one interface (`app/core/storage.py`): the folder of one host, or the
database every host shares. Both stores pass the same tests; Range requests are answered from
either; `flask media move-to-database` moves a host's files and can be run again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.core.media import (
    audio_exists,
    audio_path,
    delete_audio,
    read_audio,
    send_audio,
    store_audio,
)
from app.core.models import StoredFile
from app.core.storage import DatabaseStorage, FolderStorage, storage
from app.extensions import db
from tests.helpers import wav_bytes

BACKENDS = ["folder", "database"]


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    return {"MEDIA_STORAGE": request.param}


def stored_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(StoredFile)) or 0


def test_the_setting_chooses_the_store(app_ctx: Flask, settings: dict[str, Any]) -> None:
    expected = DatabaseStorage if settings["MEDIA_STORAGE"] == "database" else FolderStorage
    assert isinstance(storage(), expected)


def test_a_recording_is_stored_read_and_deleted(app_ctx: Flask, settings: dict[str, Any]) -> None:
    data = wav_bytes()
    name, kind = store_audio(data, folder="submissions")
    db.session.commit()
    assert kind.mimetype == "audio/wav" and name.endswith(".wav")
    assert read_audio(name, "submissions") == data
    assert audio_exists(name, "submissions") and not audio_exists(name, "feedback")
    on_disk = audio_path(name, "submissions").is_file()
    in_table = stored_rows() == 1
    # each store keeps it in one place only
    assert (on_disk, in_table) == (
        (False, True) if settings["MEDIA_STORAGE"] == "database" else (True, False)
    )
    delete_audio(name, "submissions")
    db.session.commit()
    assert read_audio(name, "submissions") is None and not audio_exists(name, "submissions")
    delete_audio(name, "submissions")  # gone already: nothing happens
    assert read_audio("../secret_key", "submissions") is None  # not a name of ours


def test_a_rolled_back_save_keeps_no_file_in_the_database(app_ctx: Flask, settings) -> None:
    name, _ = store_audio(wav_bytes(), folder="submissions")
    db.session.rollback()
    if settings["MEDIA_STORAGE"] == "database":
        assert read_audio(name, "submissions") is None
    delete_audio(name, "submissions")  # what the features do after a refused save
    db.session.commit()
    assert read_audio(name, "submissions") is None


def test_a_file_deleted_in_its_own_transaction_goes_with_it(app_ctx: Flask, settings) -> None:
    name, _ = store_audio(wav_bytes(), folder="submissions")
    delete_audio(name, "submissions")  # a save failed after the upload was stored
    db.session.commit()
    assert read_audio(name, "submissions") is None


def test_recordings_are_served_whole_and_in_ranges(app: Flask, settings) -> None:
    data = wav_bytes(seconds=0.5)
    with app.app_context():
        name, _ = store_audio(data, folder="submissions")
        db.session.commit()
    path = "/test-audio"

    def view() -> Any:
        return send_audio(name, "submissions", "audio/wav") or ("missing", 404)

    app.add_url_rule(path, "test_audio", view)
    client = app.test_client()
    whole = client.get(path)
    assert whole.status_code == 200 and whole.data == data
    assert whole.headers["Accept-Ranges"] == "bytes"
    assert whole.headers["Cache-Control"] == "private, no-store"
    assert whole.headers["X-Content-Type-Options"] == "nosniff"
    assert whole.mimetype == "audio/wav"

    part = client.get(path, headers={"Range": "bytes=10-99"})
    assert part.status_code == 206 and part.data == data[10:100]
    assert part.headers["Content-Range"] == f"bytes 10-99/{len(data)}"
    tail = client.get(path, headers={"Range": "bytes=-16"})
    assert tail.status_code == 206 and tail.data == data[-16:]

    beyond = client.get(path, headers={"Range": f"bytes={len(data) + 10}-"})
    assert beyond.status_code == 416
    assert beyond.headers["Content-Range"] == f"bytes */{len(data)}"

    again = client.get(path, headers={"If-None-Match": whole.headers["ETag"]})
    assert again.status_code == 304


def test_a_missing_recording_is_not_served(app_ctx: Flask, settings) -> None:
    assert send_audio("0123abcd.wav", "submissions", "audio/wav") is None
    assert send_audio(None, "submissions", "audio/wav") is None


# --- moving a host's files into the database --------------------------------------------------


@pytest.mark.parametrize("settings", [{"MEDIA_STORAGE": "folder"}])
def test_move_to_database_copies_every_file_once_and_keeps_them(app: Flask, settings) -> None:
    first, second = wav_bytes(seconds=0.2), wav_bytes(seconds=0.3)
    with app.app_context():
        a, _ = store_audio(first, folder="submissions")
        b, _ = store_audio(second, folder="feedback")
        folder = Path(app.instance_path) / "media"
        (folder / "submissions" / f".{a}.tmp").write_bytes(b"half written")
    runner = app.test_cli_runner()

    result = runner.invoke(args=["media", "move-to-database"])
    assert result.exit_code == 0, result.output
    assert "copied 2, already there 0, conflicts 0, deleted locally 0" in result.output
    assert "still reads the folder" in result.output

    again = runner.invoke(args=["media", "move-to-database"])
    assert "copied 0, already there 2, conflicts 0" in again.output
    with app.app_context():
        assert stored_rows() == 2
        assert (folder / "submissions" / a).is_file()  # left in place without --delete
        app.config["MEDIA_STORAGE"] = "database"
        assert read_audio(a, "submissions") == first and read_audio(b, "feedback") == second
        row = db.session.get(StoredFile, f"submissions/{a}")
        assert row is not None and (row.content_type, row.size) == ("audio/wav", len(first))


@pytest.mark.parametrize("settings", [{"MEDIA_STORAGE": "database"}])
def test_move_reports_other_bytes_under_a_name_and_deletes_only_copied_files(
    app: Flask, settings
) -> None:
    folder = Path(app.instance_path) / "media" / "audio"
    folder.mkdir(parents=True)
    (folder / "kept.wav").write_bytes(wav_bytes(seconds=0.2))
    (folder / "clash.wav").write_bytes(wav_bytes(seconds=0.3))
    with app.app_context():
        DatabaseStorage().put("audio/clash.wav", wav_bytes(seconds=0.4), "audio/wav")
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["media", "move-to-database", "--delete"])
    assert "copied 1, already there 0, conflicts 1, deleted locally 1" in result.output
    assert "audio/clash.wav: the database holds other bytes" in result.output
    assert "still reads the folder" not in result.output
    assert not (folder / "kept.wav").exists() and (folder / "clash.wav").exists()
    with app.app_context():
        assert read_audio("kept.wav") == wav_bytes(seconds=0.2)
        assert read_audio("clash.wav") == wav_bytes(seconds=0.4)
