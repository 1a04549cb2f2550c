"""Static feature flags: values from config, optionally per tenant and user."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

__all__ = ["StaticFeatureFlags"]

T = TypeVar("T")


class StaticFeatureFlags:
    """Flag values from config.

    ``values`` maps flag keys to values; ``tenants`` and ``users`` map an id
    to its own overrides. The most specific value wins: user, then tenant,
    then the global value, then the caller's default.
    """

    def __init__(
        self,
        values: Mapping[str, Any] | None = None,
        *,
        tenants: Mapping[str, Mapping[str, Any]] | None = None,
        users: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.values = dict(values or {})
        self.tenants = {k: dict(v) for k, v in (tenants or {}).items()}
        self.users = {k: dict(v) for k, v in (users or {}).items()}

    def get(self, key: str, default: T, *, tenant_id: str | None = None, user_id: str | None = None) -> T:
        """The most specific configured value for ``key``, or ``default``."""
        for scope, ident in ((self.users, user_id), (self.tenants, tenant_id)):
            if ident is not None and key in scope.get(ident, {}):
                return scope[ident][key]  # type: ignore[no-any-return]
        return self.values.get(key, default)  # type: ignore[no-any-return]
