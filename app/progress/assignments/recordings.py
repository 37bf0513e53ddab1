"""The recorded answers in the store: a version's file, and deleting the ones nothing refers to."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import select

from app.core.media import delete_audio
from app.extensions import db
from app.progress.models import Submission, SubmissionVersion

log = logging.getLogger(__name__)

AUDIO_FOLDER = "submissions"


def version_audio(submission: Submission, number: int) -> tuple[str, str] | None:
    """The stored name and type of a version's recording (number 0: the draft's)."""
    if number == 0:
        name, mimetype = submission.draft_audio_file, submission.draft_audio_mimetype
    else:
        version = db.session.scalar(
            select(SubmissionVersion).where(
                SubmissionVersion.submission_id == submission.id,
                SubmissionVersion.number == number,
            )
        )
        if version is None:
            return None
        name, mimetype = version.audio_file, version.audio_mimetype
    if not name:
        return None
    return name, mimetype or "application/octet-stream"


def discard_unused_audio(names: Iterable[str | None]) -> None:
    """Delete replaced draft recordings (call after the commit) unless something refers to them
    now: the check before the commit is not enough, since a submit in another tab may have
    copied the old draft into a version meanwhile. One fresh query, whatever the number."""
    wanted = sorted({name for name in names if name})
    if not wanted:
        return
    used = set(
        db.session.scalars(
            select(SubmissionVersion.audio_file)
            .where(SubmissionVersion.audio_file.in_(wanted))
            .union(
                select(Submission.draft_audio_file).where(Submission.draft_audio_file.in_(wanted))
            )
        )
    )
    discard_audio(name for name in wanted if name not in used)


def discard_audio(names: Iterable[str | None]) -> None:
    """Delete recordings nothing refers to any more (call after the commit)."""
    for name in names:
        delete_audio(name, AUDIO_FOLDER)
