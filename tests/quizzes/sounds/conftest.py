"""For the listening tests: a student of the quizzes' course (кол, көл, үй, тоо ... are in it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.kyrgyz import speech


@pytest.fixture
def fake_speech(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Synthetic speech without espeak-ng: a small WAV per word, named like the real cache (a
    hash); returns the words spoken."""
    from tests.helpers import wav_bytes

    spoken: list[str] = []

    def synthesize(text: str, cache_dir: Path, *, timeout: float = 5.0) -> Any:
        spoken.append(text)
        key = speech.cache_key(text, "wav")
        path = Path(cache_dir) / key[:2] / f"{key}.wav"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(wav_bytes(0.05 + 0.01 * len(text)))
        return speech.SpeechResult(path, "audio/wav", text, cached=False)

    monkeypatch.setattr("app.quizzes.sounds.views.synthesize", synthesize)
    return spoken
