"""Audio files (item recordings, submissions, spoken feedback, contest entries), kept in the
configured store (`app/core/storage.py`: this host's instance folder or the database), never
under static/."""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from flask import Response, current_app, send_file
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import FileStorage

from app.core.storage import folder_storage, storage

log = logging.getLogger(__name__)

MAX_RECORDING_BYTES = 2 * 1024 * 1024


def speech_cache() -> Path:
    """This host's cache of synthetic speech (each host makes its own: `flask speech warm`)."""
    return Path(current_app.instance_path) / "audio" / "speech"


@dataclass(frozen=True)
class AudioType:
    mimetype: str
    extension: str


class NotAudio(ValueError):
    """The bytes are not an audio file we accept."""


def sniff_audio(data: bytes) -> AudioType:
    """Tell the audio type from the file's first bytes; never trust the name or the browser."""
    head = data[:64]
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return AudioType("audio/wav", "wav")
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return AudioType("audio/mpeg", "mp3")
    if head[:4] == b"OggS":
        return AudioType("audio/ogg", "ogg")
    if head[:4] == b"\x1a\x45\xdf\xa3":  # Matroska/WebM: what Chrome's MediaRecorder writes
        return AudioType("audio/webm", "webm")
    if head[4:8] == b"ftyp":  # MP4/M4A: what Safari's MediaRecorder writes
        return AudioType("audio/mp4", "m4a")
    if head[:4] == b"fLaC":
        return AudioType("audio/flac", "flac")
    raise NotAudio("not a recognised audio file")


def audio_key(name: str, folder: str = "audio") -> str:
    """A stored audio file's key in the store (names are ours: hex and an extension)."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise NotAudio("bad file name")
    return f"{folder}/{name}"


def audio_dir(folder: str = "audio") -> Path:
    """Where the folder store keeps a folder's files on this host: `instance/media/<folder>`."""
    return folder_storage().root / folder


def audio_path(name: str, folder: str = "audio") -> Path:
    """Where the folder store keeps a file on this host (for the move command and tests; features
    read and write through the store, which may be the database)."""
    return folder_storage().path(audio_key(name, folder))


def store_audio(
    data: bytes, *, max_bytes: int = MAX_RECORDING_BYTES, folder: str = "audio", prefix: str = ""
) -> tuple[str, AudioType]:
    """Check and store an audio file under a fresh random name; returns (file name, type)."""
    if len(data) > max_bytes:
        raise NotAudio(f"larger than {max_bytes // (1024 * 1024)} MB")
    kind = sniff_audio(data)
    name = f"{prefix}{uuid.uuid4().hex}.{kind.extension}"
    storage().put(audio_key(name, folder), data, kind.mimetype)
    return name, kind


def read_audio(name: str | None, folder: str = "audio") -> bytes | None:
    """A stored recording's bytes; None if there is none (or the name is not ours)."""
    if not name:
        return None
    try:
        blob = storage().get(audio_key(name, folder))
    except NotAudio:
        return None
    return None if blob is None else blob.data


def audio_exists(name: str | None, folder: str = "audio") -> bool:
    if not name:
        return False
    try:
        return storage().exists(audio_key(name, folder))
    except NotAudio:
        return False


def delete_audio(name: str | None, folder: str = "audio") -> None:
    """Delete a stored recording (nothing if it is gone); failures are logged, not raised."""
    if not name:
        return
    try:
        storage().delete(audio_key(name, folder))
    except (NotAudio, OSError, SQLAlchemyError):
        log.warning("could not delete the recording %s/%s", folder, name, exc_info=True)


def read_upload(upload: FileStorage | None, max_bytes: int) -> bytes | None:
    """An uploaded file's bytes, read one past `max_bytes` (enough to refuse it); None if empty."""
    if upload is None or not getattr(upload, "stream", None):
        return None
    data: bytes = upload.stream.read(max_bytes + 1)
    return data or None


def send_audio(
    name: str | None,
    folder: str,
    mimetype: str | None,
    *,
    cache_control: str = "private, no-store",
) -> Response | None:
    """A stored recording for one reader, from whichever store holds it; None if it is gone.

    Werkzeug answers Range requests (206, `Accept-Ranges: bytes`, 416 for a range past the end) and
    conditional ones. By default never cached by a proxy, never sniffed as something else.
    """
    data = read_audio(name, folder)
    if data is None or not name:
        return None
    response = send_file(
        BytesIO(data),
        mimetype=mimetype or "application/octet-stream",
        conditional=True,
        etag=hashlib.sha256(audio_key(name, folder).encode()).hexdigest()[:32],
        max_age=None,
    )
    response.headers["Cache-Control"] = cache_control
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def same_audio(a: str | None, b: str | None, folder: str = "audio") -> bool:
    """Two stored recordings are the same: one file (or none), or equal bytes (a re-sent upload)."""
    if a == b:
        return True
    if not a or not b:
        return False
    first, second = read_audio(a, folder), read_audio(b, folder)
    return first is not None and first == second
