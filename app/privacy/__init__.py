"""The privacy blueprint: the policy, consents, a person's own data, erasure of past contest data."""

from app.privacy import models  # noqa: F401  (tables for the metadata)
from app.privacy.views import bp

__all__ = ["bp"]
