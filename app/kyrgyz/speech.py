"""Synthetic Kyrgyz speech with espeak-ng, synthesised once per text and cached on disk.

The file name is a hash of the normalised text and every setting that changes the sound, so a
cache entry never goes stale and can be served with long-lived caching headers. Files are
written to a temporary name and renamed into place, so a concurrent request never sees half a
file. MP3 (via the Debian package lame) is used when lame is installed, WAV otherwise.

`synthesize` raises ValueError for empty or over-long text, SpeechUnavailable when espeak-ng or
its Kyrgyz voice is missing, and SpeechError when synthesis fails or exceeds its time limit (the
whole process group is killed, so a request never hangs).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from app.kyrgyz.normalize import normalize

ESPEAK_BINARY = "espeak-ng"
LAME_BINARY = "lame"
VOICE = "ky"
SPEED_WPM = 140
MAX_TEXT_LENGTH = 300
SETTINGS_VERSION = 1
"""Bump to re-synthesise everything after changing how audio is produced."""

_MIMETYPES = {"mp3": "audio/mpeg", "wav": "audio/wav"}


class SpeechUnavailable(RuntimeError):
    """espeak-ng (or its Kyrgyz voice) is not installed on this machine."""


class SpeechError(RuntimeError):
    """Synthesis failed or took longer than its time limit."""


@dataclass(frozen=True)
class SpeechResult:
    """A cached audio file of synthetic speech."""

    path: Path
    mimetype: str
    text: str
    cached: bool
    """True if the file already existed and nothing was synthesised."""
    is_synthetic: bool = True
    """Always True here; a teacher's recording is the non-synthetic alternative."""


def is_available() -> bool:
    """True if espeak-ng is on the PATH."""
    return shutil.which(ESPEAK_BINARY) is not None


def audio_format() -> str:
    """The format files are written in on this machine: "mp3" with lame, else "wav"."""
    return "mp3" if shutil.which(LAME_BINARY) else "wav"


def cache_key(text: str, fmt: str) -> str:
    """The content hash naming the audio file of `text` (already normalised) in format `fmt`."""
    settings = {
        "text": text,
        "voice": VOICE,
        "speed": SPEED_WPM,
        "format": fmt,
        "version": SETTINGS_VERSION,
    }
    payload = json.dumps(settings, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(payload).hexdigest()


def synthesize(text: str, cache_dir: Path, *, timeout: float = 5.0) -> SpeechResult:
    """Return the cached audio of `text`, synthesising it once (errors: see the module)."""
    spoken = normalize(text)
    if not spoken:
        raise ValueError("There is no text to speak.")
    if len(spoken) > MAX_TEXT_LENGTH:
        raise ValueError(f"Text to speak is limited to {MAX_TEXT_LENGTH} characters.")
    fmt = audio_format()
    key = cache_key(spoken, fmt)
    target = Path(cache_dir) / key[:2] / f"{key}.{fmt}"
    if target.is_file():
        return SpeechResult(target, _MIMETYPES[fmt], spoken, cached=True)

    espeak = shutil.which(ESPEAK_BINARY)
    if espeak is None:
        raise SpeechUnavailable(
            f"{ESPEAK_BINARY} is not installed; install the Debian package espeak-ng."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".tmp-") as scratch:
        wav = Path(scratch) / "speech.wav"
        _run([espeak, "-v", VOICE, "-s", str(SPEED_WPM), "-w", str(wav)], spoken, deadline)
        if not wav.is_file() or wav.stat().st_size == 0:
            raise SpeechError(f"{ESPEAK_BINARY} produced no audio for {spoken!r}.")
        produced = wav
        if fmt == "mp3":
            lame = shutil.which(LAME_BINARY) or LAME_BINARY
            produced = Path(scratch) / "speech.mp3"
            _run([lame, "--quiet", "-m", "m", "-V", "7", str(wav), str(produced)], "", deadline)
        os.replace(produced, target)
    return SpeechResult(target, _MIMETYPES[fmt], spoken, cached=False)


def _run(command: list[str], stdin_text: str, deadline: float) -> None:
    """Run `command` in its own process group, killing the whole group at the deadline."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise SpeechError("Speech synthesis ran out of time.")
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as error:
        raise SpeechUnavailable(f"Cannot run {command[0]}: {error}") from error
    try:
        _, stderr = process.communicate(stdin_text.encode(), timeout=remaining)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise SpeechError(
            f"{Path(command[0]).name} took longer than its time limit and was stopped."
        ) from None
    if process.returncode != 0:
        detail = stderr.decode(errors="replace").strip()[:200]
        if "voice does not exist" in detail:
            raise SpeechUnavailable(f"The espeak-ng voice {VOICE!r} is not installed: {detail}")
        raise SpeechError(f"{Path(command[0]).name} failed ({process.returncode}): {detail}")
