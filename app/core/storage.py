"""Where uploaded files live: one small interface, two backends.

`folder` (the default) keeps files under `instance/media/`, as one machine or development wants.
`database` keeps them in the `stored_files` table, so every app host behind a proxy reads the same
recordings (set `SABAK_MEDIA_STORAGE=database` on every host). Keys are `<folder>/<name>`, e.g.
`submissions/3f2a….webm`; the models keep the name, the feature knows its folder.

With the database backend a file is written in the caller's transaction: it is committed with the
row that refers to it, and a rolled-back save leaves nothing behind. A deletion runs in a
transaction of its own (callers delete after their commit), except for a file put in the current
transaction, which goes with it.

Synthetic speech is not stored here: it is a cache any host can rebuild (`app/core/speech.py`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from flask import current_app
from sqlalchemy import delete, event, insert, select
from sqlalchemy.orm import Session

from app.core.models import StoredFile
from app.extensions import db

BACKENDS = ("folder", "database")
_PUT_KEYS = "sabak_stored_keys"  # Session.info: keys put in the current transaction


class BadKey(ValueError):
    """A key that is not ours: `<folder>/<name>`, no dots in front, no other slashes."""


@dataclass(frozen=True)
class Blob:
    """A stored file's bytes and type."""

    data: bytes
    content_type: str

    @property
    def size(self) -> int:
        return len(self.data)


class Storage(Protocol):
    name: str

    def put(self, key: str, data: bytes, content_type: str) -> None: ...
    def get(self, key: str) -> Blob | None: ...
    def exists(self, key: str) -> bool: ...
    def delete(self, key: str) -> None: ...
    def list_keys(self) -> Iterator[str]: ...


def check_key(key: str) -> str:
    parts = key.split("/")
    if len(parts) != 2 or any(not part or part.startswith(".") or "\\" in part for part in parts):
        raise BadKey(key)
    return key


class FolderStorage:
    """Files under a folder of this host (today's layout: `instance/media/<folder>/<name>`)."""

    name = "folder"

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)

    def get(self, key: str) -> Blob | None:
        from app.core.media import AudioType, NotAudio, sniff_audio

        path = self.path(key)
        try:
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            return None
        try:
            kind = sniff_audio(data)
        except NotAudio:
            kind = AudioType("application/octet-stream", "")
        return Blob(data, kind.mimetype)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def list_keys(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if folder.is_dir() and not folder.name.startswith("."):
                for path in sorted(folder.iterdir()):
                    if path.is_file() and not path.name.startswith("."):
                        yield f"{folder.name}/{path.name}"


class DatabaseStorage:
    """Files in the `stored_files` table, shared by every host that shares the database."""

    name = "database"

    def put(self, key: str, data: bytes, content_type: str) -> None:
        db.session.execute(
            insert(StoredFile).values(
                key=check_key(key), content_type=content_type, size=len(data), data=data
            )
        )
        db.session.info.setdefault(_PUT_KEYS, set()).add(key)

    def get(self, key: str) -> Blob | None:
        row = db.session.execute(
            select(StoredFile.data, StoredFile.content_type).where(StoredFile.key == check_key(key))
        ).first()
        return None if row is None else Blob(bytes(row.data), row.content_type)

    def exists(self, key: str) -> bool:
        found = db.session.scalar(select(StoredFile.key).where(StoredFile.key == check_key(key)))
        return found is not None

    def delete(self, key: str) -> None:
        statement = delete(StoredFile).where(StoredFile.key == check_key(key))
        if key in db.session.info.get(_PUT_KEYS, ()):
            db.session.execute(statement)  # put in this transaction: goes with it
            return
        with db.engine.begin() as connection:
            connection.execute(statement)

    def list_keys(self) -> Iterator[str]:
        yield from db.session.scalars(select(StoredFile.key).order_by(StoredFile.key))


@event.listens_for(Session, "after_transaction_end")
def _forget_put_keys(session: Session, transaction: object) -> None:
    if getattr(transaction, "parent", None) is None:
        session.info.pop(_PUT_KEYS, None)


def folder_storage() -> FolderStorage:
    """This host's folder store (what `flask media move-to-database` reads)."""
    return FolderStorage(Path(current_app.instance_path) / "media")


def storage() -> Storage:
    """The store the settings choose: `SABAK_MEDIA_STORAGE=folder` (default) or `database`."""
    backend = current_app.config.get("MEDIA_STORAGE", "folder")
    if backend == "database":
        return DatabaseStorage()
    if backend == "folder":
        return folder_storage()
    raise RuntimeError(f"SABAK_MEDIA_STORAGE must be one of {', '.join(BACKENDS)}, not {backend!r}")
