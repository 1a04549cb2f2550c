"""The feature flag port."""

from __future__ import annotations

from typing import Protocol, TypeVar, runtime_checkable

__all__ = ["FeatureFlags"]

T = TypeVar("T")


@runtime_checkable
class FeatureFlags(Protocol):
    """Evaluates flags for a tenant and user; never raises for unknown flags."""

    def get(self, key: str, default: T, *, tenant_id: str | None = None, user_id: str | None = None) -> T:
        """The flag's value in this context, or ``default``."""
        ...
