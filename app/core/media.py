"""Audio files (item recordings, submissions, spoken feedback), stored outside static/."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask import Response, current_app, send_file
from werkzeug.datastructures import FileStorage

MAX_RECORDING_BYTES = 2 * 1024 * 1024


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


def audio_dir(folder: str = "audio") -> Path:
    """Where audio files live: `instance/media/<folder>`, never under static/."""
    return Path(current_app.instance_path) / "media" / folder


def store_audio(
    data: bytes, *, max_bytes: int = MAX_RECORDING_BYTES, folder: str = "audio"
) -> tuple[str, AudioType]:
    """Check and store an audio file under a fresh random name; returns (file name, type)."""
    if len(data) > max_bytes:
        raise NotAudio(f"larger than {max_bytes // (1024 * 1024)} MB")
    kind = sniff_audio(data)
    directory = audio_dir(folder)
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.{kind.extension}"
    tmp = directory / f".{name}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, directory / name)
    return name, kind


def read_upload(upload: FileStorage | None, max_bytes: int) -> bytes | None:
    """An uploaded file's bytes, read one past `max_bytes` (enough to refuse it); None if empty."""
    if upload is None or not getattr(upload, "stream", None):
        return None
    data: bytes = upload.stream.read(max_bytes + 1)
    return data or None


def send_audio(path: Path, mimetype: str) -> Response:
    """A stored recording for one reader: never cached by a proxy, never sniffed as something else."""
    response = send_file(path, mimetype=mimetype, conditional=True)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def audio_path(name: str, folder: str = "audio") -> Path:
    """Where a stored audio file lives (names are ours: hex and an extension)."""
    if "/" in name or "\\" in name or name.startswith("."):
        raise NotAudio("bad file name")
    return audio_dir(folder) / name


def same_audio(a: str | None, b: str | None, folder: str = "audio") -> bool:
    """Two stored recordings are the same: one file (or none), or equal bytes (a re-sent upload)."""
    if a == b:
        return True
    if not a or not b:
        return False
    try:
        first, second = (audio_path(name, folder) for name in (a, b))
        return first.stat().st_size == second.stat().st_size and (
            first.read_bytes() == second.read_bytes()
        )
    except (NotAudio, OSError):
        return False
