"""The privacy blueprint: the policy, consents, a person's own data, erasure of past contest data."""

from app.privacy import models  # noqa: F401  (tables for the metadata)
from app.privacy.seed import register_seeders
from app.privacy.views import bp

bp.record_once(register_seeders)

__all__ = ["bp"]
