import shutil
import sys
import threading
import time
from pathlib import Path

import pytest

from app.kyrgyz import speech
from app.kyrgyz.speech import SpeechError, SpeechUnavailable, synthesize

HAS_ESPEAK = shutil.which("espeak-ng") is not None

# A stand-in for espeak-ng: counts its runs, then writes a tiny WAV to the -w argument.
FAKE_ESPEAK = f"""#!{sys.executable}
import sys, pathlib
counter = pathlib.Path(__file__).with_name("runs")
counter.write_text(str(int(counter.read_text() or 0) + 1) if counter.exists() else "1")
text = sys.stdin.read()
out = pathlib.Path(sys.argv[sys.argv.index("-w") + 1])
out.write_bytes(b"RIFF" + text.encode())
"""


def fake_binary(directory: Path, source: str) -> Path:
    path = directory / "fake-espeak"
    path.write_text(source)
    path.chmod(0o755)
    return path


@pytest.fixture
def wav_only(monkeypatch):
    monkeypatch.setattr(speech, "LAME_BINARY", "lame-is-not-installed-here")


@pytest.fixture
def fake_espeak(tmp_path, monkeypatch, wav_only):
    binary = fake_binary(tmp_path, FAKE_ESPEAK)
    monkeypatch.setattr(speech, "ESPEAK_BINARY", str(binary))
    return tmp_path / "runs"


def files_in(directory: Path) -> list[Path]:
    return sorted(path for path in directory.rglob("*") if path.is_file())


@pytest.mark.skipif(not HAS_ESPEAK, reason="espeak-ng is not installed (CI installs it)")
def test_real_synthesis(tmp_path, wav_only):
    result = synthesize("Кош келиңиз!", tmp_path)
    assert result.path.is_file()
    assert result.path.read_bytes()[:4] == b"RIFF"
    assert (result.mimetype, result.is_synthetic, result.cached) == ("audio/wav", True, False)
    assert synthesize("кош келиңиз", tmp_path) == speech.SpeechResult(
        result.path, "audio/wav", "кош келиңиз", cached=True
    )


@pytest.mark.skipif(
    not (HAS_ESPEAK and shutil.which("lame")), reason="espeak-ng or lame is not installed"
)
def test_real_synthesis_to_mp3(tmp_path):
    result = synthesize("Саламатсызбы", tmp_path)
    assert (result.path.suffix, result.mimetype) == (".mp3", "audio/mpeg")
    assert result.path.stat().st_size > 0


def test_missing_espeak_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(speech, "ESPEAK_BINARY", "espeak-ng-is-not-installed-here")
    assert not speech.is_available()
    with pytest.raises(SpeechUnavailable, match="espeak-ng"):
        synthesize("кол", tmp_path)


def test_missing_espeak_on_the_path(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(SpeechUnavailable):
        synthesize("кол", tmp_path)


def test_synthesises_once_then_serves_the_cache(tmp_path, fake_espeak):
    first = synthesize("Кол", tmp_path / "cache")
    second = synthesize("  кол! ", tmp_path / "cache")
    assert fake_espeak.read_text() == "1"
    assert (first.cached, second.cached) == (False, True)
    assert first.path == second.path
    assert first.path.read_bytes() == b"RIFF" + "кол".encode()
    assert first.path.name == f"{speech.cache_key('кол', 'wav')}.wav"


def test_different_text_gets_a_different_file(tmp_path, fake_espeak):
    assert synthesize("кол", tmp_path).path != synthesize("көл", tmp_path).path
    assert fake_espeak.read_text() == "2"


def test_concurrent_requests_get_a_complete_file(tmp_path, fake_espeak):
    results: list[speech.SpeechResult] = []
    threads = [
        threading.Thread(target=lambda: results.append(synthesize("кол", tmp_path / "c")))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({result.path for result in results}) == 1
    assert results[0].path.read_bytes() == b"RIFF" + "кол".encode()
    assert files_in(tmp_path / "c") == [results[0].path]


def test_timeout_stops_synthesis(tmp_path, monkeypatch, wav_only):
    binary = fake_binary(tmp_path, "#!/bin/sh\nsleep 30 &\nexec sleep 30\n")
    monkeypatch.setattr(speech, "ESPEAK_BINARY", str(binary))
    started = time.monotonic()
    with pytest.raises(SpeechError, match="time limit"):
        synthesize("кол", tmp_path / "cache", timeout=0.3)
    assert time.monotonic() - started < 5
    assert files_in(tmp_path / "cache") == []


def test_failure_is_a_speech_error(tmp_path, monkeypatch, wav_only):
    binary = fake_binary(tmp_path, "#!/bin/sh\necho 'broken' >&2\nexit 3\n")
    monkeypatch.setattr(speech, "ESPEAK_BINARY", str(binary))
    with pytest.raises(SpeechError, match="broken"):
        synthesize("кол", tmp_path / "cache")
    assert files_in(tmp_path / "cache") == []


def test_missing_voice_is_unavailable(tmp_path, monkeypatch, wav_only):
    message = "Error: The specified espeak-ng voice does not exist."
    binary = fake_binary(tmp_path, f"#!/bin/sh\necho '{message}' >&2\nexit 1\n")
    monkeypatch.setattr(speech, "ESPEAK_BINARY", str(binary))
    with pytest.raises(SpeechUnavailable, match="voice"):
        synthesize("кол", tmp_path)


@pytest.mark.parametrize("text", ["", "   ", "!?"])
def test_empty_text_is_refused(tmp_path, text):
    with pytest.raises(ValueError, match="no text"):
        synthesize(text, tmp_path)


def test_long_text_is_refused(tmp_path):
    with pytest.raises(ValueError, match="limited"):
        synthesize("а" * (speech.MAX_TEXT_LENGTH + 1), tmp_path)


def test_text_starting_with_a_dash_is_not_an_option(tmp_path, fake_espeak):
    # the text goes to stdin, so "-v en" is spoken, not obeyed
    assert synthesize("-v en", tmp_path).path.read_bytes() == b"RIFFv en"
