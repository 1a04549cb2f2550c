"""What every HTTP job source shares: its name, one polite client per fetch, quarantine."""

from __future__ import annotations

import abc
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar

from jobforge.core.models import RawJob, RejectedRecord
from jobforge.core.registry import AdapterContext
from jobforge.net import HttpClient, HttpClientSettings
from jobforge_sources._fields import MalformedPostingError, as_mapping

__all__ = ["HttpSource", "base_url_option"]

_MAPPING_ERRORS = (MalformedPostingError, TypeError, ValueError, KeyError, AttributeError)


class HttpSource(abc.ABC):
    """Base of the HTTP job sources.

    Subclasses set :attr:`kind` and implement :meth:`_fetch`, turning each
    posting into a :class:`RawJob` with :meth:`_map`, which quarantines a
    posting it cannot read instead of failing the run. Each :meth:`fetch`
    opens one :class:`~jobforge.net.HttpClient` and closes it at the end.

    Args:
        name: The source name recorded on every posting.
        base_url: Scheme and host (and optional path prefix) of the API.
        http: HTTP client settings (rate limit, retries, user agent...).
    """

    kind: ClassVar[str]
    """The registered source type, used as the prefix of quarantine reasons."""

    def __init__(self, *, name: str, base_url: str, http: HttpClientSettings | None = None) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, got {base_url!r}")
        self._name = name
        self.base_url = base_url.rstrip("/")
        self.http = http or HttpClientSettings()

    @property
    def name(self) -> str:
        """The source name recorded on every posting."""
        return self._name

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self._name!r}, base_url={self.base_url!r})"

    async def fetch(self) -> AsyncIterator[RawJob | RejectedRecord]:
        """Every posting the board lists, following its pagination to the end.

        Raises:
            jobforge.net.HttpError: The listing could not be fetched (after retries).
        """
        async with HttpClient(self.http) as client:
            async for record in self._fetch(client):
                yield record

    @abc.abstractmethod
    def _fetch(self, client: HttpClient) -> AsyncIterator[RawJob | RejectedRecord]:
        """Yield the records, using ``client`` for every request."""

    def _map(
        self, posting: Any, position: int, mapper: Callable[[Mapping[str, Any]], RawJob | None]
    ) -> RawJob | RejectedRecord | None:
        """``mapper(posting)``, or a :class:`RejectedRecord` when the posting cannot be read.

        ``None`` (from the mapper) means "not a posting" and is skipped.
        """
        try:
            return mapper(as_mapping(posting))
        except _MAPPING_ERRORS as exc:
            return self._reject(str(exc), posting, position=position)

    def _map_all(
        self, postings: Iterable[Any], mapper: Callable[[Mapping[str, Any]], RawJob | None], *, start: int = 1
    ) -> Iterator[RawJob | RejectedRecord]:
        """:meth:`_map` over a page of postings, numbered from ``start``; skipped ones left out."""
        for position, posting in enumerate(postings, start=start):
            record = self._map(posting, position, mapper)
            if record is not None:
                yield record

    def _listing(self, page: Any, key: str, *, where: str = "") -> list[Any]:
        """The postings array ``page[key]`` of a listing response.

        Raises:
            ValueError: The response has no such array (the message names the key).
        """
        if not isinstance(page, Mapping) or not isinstance(page.get(key), list):
            raise ValueError(f"{self.kind}: unexpected listing shape (no {key!r} array){where}")
        return list(page[key])

    def _reject(self, reason: str, record: Any, *, position: int | None = None) -> RejectedRecord:
        source_id = None
        if isinstance(record, Mapping):
            found = record.get("id")
            source_id = str(found) if isinstance(found, str | int) and not isinstance(found, bool) else None
        return RejectedRecord(
            source=self._name,
            reason=f"{self.kind}: {reason}",
            record=record,
            source_id=source_id,
            position=position,
        )


def base_url_option(context: AdapterContext, default: str) -> str:
    """The ``base_url`` option (default: the public API host), validated.

    Raises:
        ConfigError: The value is not an http(s) URL.
    """
    from jobforge import ConfigError

    value = str(context.get("base_url") or default).strip()
    if not value.startswith(("http://", "https://")):
        key = f"{context.key}.base_url" if context.key else "base_url"
        raise ConfigError(key, f"expected an http(s) URL, got {value!r}")
    return value.rstrip("/")
