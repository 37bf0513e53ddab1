"""A word's recording by its teacher: stored (sniffed, at most 2 MB), replaced or removed.

Students hear the recording instead of synthetic speech. Functions flush; the view commits once and
only then deletes the file a change replaced (`discard_audio`), so a failed commit loses nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from app.core.media import MAX_RECORDING_BYTES, NotAudio, delete_audio, store_audio
from app.extensions import db
from app.lessons.authoring.services import EditingError
from app.lessons.models import AudioSource, Item

log = logging.getLogger("sabak")


class RecordingRejected(EditingError):
    """The uploaded or recorded file cannot be used as a recording."""


class RecordingTooLarge(RecordingRejected):
    pass


class NotAnAudioFile(RecordingRejected):
    pass


@dataclass(frozen=True)
class RecordingChange:
    """What a recording change did on disk: the new file, and the teacher file it replaced."""

    stored: str | None
    replaced: str | None


def _teacher_file(item: Item) -> str | None:
    """The item's file if a teacher made it (course files are shared with the course folder)."""
    return item.audio_file if item.audio_source == AudioSource.TEACHER else None


def set_recording(item: Item, data: bytes) -> RecordingChange:
    """Store a teacher's recording (sniffed, at most 2 MB) and play it instead of synthetic speech."""
    if len(data) > MAX_RECORDING_BYTES:
        raise RecordingTooLarge(len(data))
    try:
        name, kind = store_audio(data)
    except NotAudio as error:
        raise NotAnAudioFile(str(error)) from error
    replaced = _teacher_file(item)
    item.audio_file = name
    item.audio_mimetype = kind.mimetype
    item.audio_source = AudioSource.TEACHER
    item.audio_version += 1
    db.session.flush()
    return RecordingChange(stored=name, replaced=replaced)


def remove_recording(item: Item) -> RecordingChange:
    """Drop the item's recording: students hear synthetic speech again."""
    if not item.audio_file:
        return RecordingChange(stored=None, replaced=None)
    replaced = _teacher_file(item)
    item.audio_file = None
    item.audio_mimetype = None
    item.audio_source = None
    item.audio_version += 1
    db.session.flush()
    return RecordingChange(stored=None, replaced=replaced)


def discard_audio(name: str | None) -> None:
    """Delete a stored recording nobody refers to any more (call after the commit)."""
    delete_audio(name)
