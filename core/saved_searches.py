"""Saved searches: queries a user keeps, and may be alerted on.

Visibility: a user sees and changes only their own saved searches; an
admin sees and changes every saved search of their tenant. Nobody ever
sees another tenant's. A saved search the caller may not see is reported
as not found, so ids do not leak. Creating, changing and deleting need the
member role; reading needs viewer.

Filters are validated with :func:`~jobforge.core.filters.parse_filters`
when saved (an unknown or bad filter is an :class:`InvalidFilterError`
naming it) and stored as given, so relative filters such as
``posted_within_days`` are evaluated whenever the search runs.
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import Any

import msgspec

from jobforge.core.auth import require
from jobforge.core.clock import time_zone
from jobforge.core.errors import InvalidRequestError, NotFoundError
from jobforge.core.filters import parse_filters
from jobforge.core.models import Principal, SavedSearch, UserRole
from jobforge.core.search_types import SearchFilters
from jobforge.ports import Clock, SavedSearchStore

__all__ = ["FREQUENCIES", "FilterParser", "SavedSearchService"]

FREQUENCIES = ("immediate", "daily", "weekly")
"""How often a saved search's alerts may be sent."""

FilterParser = Callable[..., SearchFilters]
"""``parse_filters(raw, *, now)``: validates raw filters or raises ``InvalidFilterError``."""

_MAX_NAME = 200
_MAX_NOTIFIER = 100


class SavedSearchService:
    """Create, read, update and delete saved searches on behalf of a principal.

    Args:
        store: Where saved searches are kept.
        clock: Sets ``created_at`` and the "now" relative filters are checked against.
        now_filters: The filter validator (defaults to :func:`parse_filters`).
        max_query_length: The longest query accepted (as the search service's).
        notifiers: Names of the configured notifiers; when given, a saved
            search naming another is rejected.
    """

    def __init__(
        self,
        store: SavedSearchStore,
        clock: Clock,
        *,
        now_filters: FilterParser = parse_filters,
        max_query_length: int = 500,
        notifiers: Collection[str] | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self._parse_filters = now_filters
        self.max_query_length = max_query_length
        self.notifiers = None if notifiers is None else frozenset(notifiers)

    async def create(
        self,
        principal: Principal,
        *,
        name: str,
        query: str = "",
        filters: Mapping[str, Any] | None = None,
        notifier: str | None = None,
        frequency: str = "immediate",
        timezone: str | None = None,
    ) -> SavedSearch:
        """Save a search for the principal.

        Raises:
            AuthError: The principal is below member.
            InvalidRequestError: A field is invalid (``field`` names it);
                :class:`InvalidFilterError` for a bad filter.
        """
        require(principal, UserRole.MEMBER)
        now = self.clock.now()
        search = SavedSearch(
            id=uuid.uuid4().hex,
            tenant_id=principal.tenant_id,
            user_id=principal.user_id,
            name=self._name(name),
            query=self._query(query),
            filters=self._filters(filters, now),
            notifier=self._notifier(notifier),
            frequency=_frequency(frequency),
            created_at=now,
            timezone=None if timezone is None else _timezone(timezone),
        )
        await self.store.create(search)
        return search

    async def get(self, principal: Principal, search_id: str) -> SavedSearch:
        """One saved search the principal may see.

        Raises:
            NotFoundError: It does not exist or belongs to someone the principal may not see.
        """
        require(principal, UserRole.VIEWER)
        search = await self.store.get(principal.tenant_id, search_id)
        if search is None or not _visible(principal, search.user_id):
            raise NotFoundError("saved search", search_id)
        return search

    async def list(self, principal: Principal) -> builtins.list[SavedSearch]:
        """The principal's saved searches (an admin's: the whole tenant's), newest first."""
        require(principal, UserRole.VIEWER)
        user_id = None if principal.can(UserRole.ADMIN) else principal.user_id
        return list(await self.store.list(principal.tenant_id, user_id=user_id))

    async def update(
        self,
        principal: Principal,
        search_id: str,
        *,
        name: str | None = None,
        query: str | None = None,
        filters: Mapping[str, Any] | None = None,
        notifier: str | None = None,
        frequency: str | None = None,
        timezone: str | None = None,
    ) -> SavedSearch:
        """Change the given fields; ``None`` leaves a field as it is.

        ``notifier=""`` removes the notifier; ``filters={}`` removes every filter;
        ``timezone=""`` returns to the deployment's ``[alerts] timezone``.

        Raises:
            AuthError: The principal is below member.
            NotFoundError: The principal may not see this saved search.
            InvalidRequestError: A field is invalid.
        """
        require(principal, UserRole.MEMBER)
        search = await self.get(principal, search_id)
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = self._name(name)
        if query is not None:
            changes["query"] = self._query(query)
        if filters is not None:
            changes["filters"] = self._filters(filters, self.clock.now())
        if notifier is not None:
            changes["notifier"] = self._notifier(notifier) if notifier != "" else None
        if frequency is not None:
            changes["frequency"] = _frequency(frequency)
        if timezone is not None:
            changes["timezone"] = _timezone(timezone) if timezone != "" else None
        updated = msgspec.structs.replace(search, **changes)
        if not await self.store.update(updated):
            raise NotFoundError("saved search", search_id)
        return updated

    async def delete(self, principal: Principal, search_id: str) -> None:
        """Delete a saved search.

        Raises:
            AuthError: The principal is below member.
            NotFoundError: The principal may not see this saved search.
        """
        require(principal, UserRole.MEMBER)
        await self.get(principal, search_id)
        if not await self.store.delete(principal.tenant_id, search_id):
            raise NotFoundError("saved search", search_id)

    # --- validation -----------------------------------------------------------

    @staticmethod
    def _name(name: str) -> str:
        text = name.strip() if isinstance(name, str) else ""
        if not text:
            raise InvalidRequestError("name", "must not be blank")
        if len(text) > _MAX_NAME:
            raise InvalidRequestError("name", f"longer than {_MAX_NAME} characters")
        return text

    def _query(self, query: str) -> str:
        if not isinstance(query, str):
            raise InvalidRequestError("query", f"expected text, got {type(query).__name__}")
        text = " ".join(query.split())
        if len(text) > self.max_query_length:
            raise InvalidRequestError("query", f"longer than {self.max_query_length} characters")
        return text

    def _filters(self, filters: Mapping[str, Any] | None, now: datetime) -> dict[str, Any]:
        if filters is None:
            return {}
        if not isinstance(filters, Mapping):
            raise InvalidRequestError(
                "filters", f"expected an object of filter names, got {type(filters).__name__}"
            )
        self._parse_filters(filters, now=now)
        return dict(filters)

    def _notifier(self, notifier: str | None) -> str | None:
        if notifier is None:
            return None
        text = notifier.strip() if isinstance(notifier, str) else ""
        if not text or len(text) > _MAX_NOTIFIER:
            raise InvalidRequestError(
                "notifier", f"expected a notifier name of 1 to {_MAX_NOTIFIER} characters"
            )
        if self.notifiers is not None and text not in self.notifiers:
            available = ", ".join(sorted(self.notifiers)) or "none"
            raise InvalidRequestError("notifier", f"unknown notifier {text!r} (available: {available})")
        return text


def _timezone(name: str) -> str:
    try:
        time_zone(name)
    except ValueError as error:
        raise InvalidRequestError("timezone", str(error)) from None
    return name


def _frequency(frequency: str) -> str:
    if frequency not in FREQUENCIES:
        raise InvalidRequestError("frequency", f"expected one of {', '.join(FREQUENCIES)}, got {frequency!r}")
    return frequency


def _visible(principal: Principal, owner: str) -> bool:
    return owner == principal.user_id or principal.can(UserRole.ADMIN)
