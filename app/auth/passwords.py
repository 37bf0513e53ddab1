"""Passwords, hashed with argon2id at OWASP's recommended parameters (argon2-cffi).

OWASP's Password Storage Cheat Sheet: argon2id with 19 MiB of memory, 2 iterations and 1 degree of
parallelism (about 30 ms here, a third of werkzeug's scrypt default, which is also below OWASP's
scrypt minimum). Hashes made before (werkzeug's `scrypt:`/`pbkdf2:` strings) still verify, and a
correct sign-in replaces them, or an argon2 hash of weaker parameters, with one of today's
(`needs_rehash`), so every account moves over without anyone resetting a password.
Tests swap `HASHER` for a cheap one; the cost isn't under test, and hashes stay argon2id.
"""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash

OWASP = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)
HASHER = OWASP
ARGON2_PREFIX = "$argon2"


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` is the one `password_hash` was made from (argon2 or an older werkzeug hash)."""
    if not password_hash.startswith(ARGON2_PREFIX):
        return check_password_hash(password_hash, password)
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """An older kind of hash, or argon2 with other parameters than today's."""
    return not password_hash.startswith(ARGON2_PREFIX) or HASHER.check_needs_rehash(password_hash)


_dummy_hash: str | None = None


def waste_time_like_a_check(password: str) -> None:
    """Spend what checking a real password would, so an unknown address isn't told apart by time."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = OWASP.hash("not-a-real-password")
    verify_password(_dummy_hash, password)
