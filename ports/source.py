"""The job source port: scrapers and job-board APIs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol, runtime_checkable

from jobforge.core.models import RawJob, RejectedRecord

__all__ = ["JobSource"]


@runtime_checkable
class JobSource(Protocol):
    """Yields raw postings; a record it cannot map is yielded as a
    :class:`RejectedRecord` with the reason, never raised."""

    @property
    def name(self) -> str:
        """The source name recorded on every posting (e.g. ``greenhouse:acme``)."""
        ...

    def fetch(self) -> AsyncIterator[RawJob | RejectedRecord]:
        """Every posting the source currently lists."""
        ...
