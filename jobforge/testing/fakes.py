"""State-recording fakes of the ports that have no embedded adapter.

Repositories, indexes and caches have real in-memory adapters
(``jobforge.adapters.memory``), which double as their fakes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence

from jobforge.core.messages import ApplicationSubmission, AtsReceipt, Notification
from jobforge.core.models import RawJob, RejectedRecord

__all__ = ["FailingSource", "FakeATS", "FakeNotifier", "FakeSource", "RecordingEmbedder", "SecondsClock"]


class FakeSource:
    """Yields the given records; counts how often it was fetched."""

    def __init__(self, records: Iterable[RawJob | RejectedRecord], *, name: str = "fake") -> None:
        self._records = list(records)
        self._name = name
        self.fetches = 0

    @property
    def name(self) -> str:
        """The source name."""
        return self._name

    async def fetch(self) -> AsyncIterator[RawJob | RejectedRecord]:
        """Every record, in order."""
        self.fetches += 1
        for record in self._records:
            yield record

    def total_hint(self) -> int:
        """How many records ``fetch`` yields."""
        return len(self._records)


class FailingSource(FakeSource):
    """Yields ``fail_after`` records, then raises ``error``."""

    def __init__(
        self,
        records: Iterable[RawJob | RejectedRecord],
        *,
        fail_after: int,
        error: Exception,
        name: str = "failing",
    ) -> None:
        super().__init__(records, name=name)
        self.fail_after = fail_after
        self.error = error

    async def fetch(self) -> AsyncIterator[RawJob | RejectedRecord]:
        """Records up to ``fail_after``, then the error."""
        self.fetches += 1
        for n, record in enumerate(self._records):
            if n == self.fail_after:
                raise self.error
            yield record


class RecordingEmbedder:
    """Wraps an embedder and records every text it was asked to embed."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.documents: list[str] = []
        self.queries: list[str] = []

    @property
    def model_id(self) -> str:
        """The wrapped embedder's model id."""
        return self.inner.model_id  # type: ignore[attr-defined,no-any-return]

    @property
    def dimensions(self) -> int:
        """The wrapped embedder's dimensions."""
        return self.inner.dimensions  # type: ignore[attr-defined,no-any-return]

    async def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Record, then delegate."""
        self.documents.extend(texts)
        return await self.inner.embed_documents(texts)  # type: ignore[attr-defined,no-any-return]

    async def embed_query(self, text: str) -> list[float]:
        """Record, then delegate."""
        self.queries.append(text)
        return await self.inner.embed_query(text)  # type: ignore[attr-defined,no-any-return]

    async def close(self) -> None:
        """Nothing to release."""


class FakeNotifier:
    """Records notifications; can be told to fail the next ``fail_times`` sends."""

    def __init__(self, *, fail_times: int = 0) -> None:
        self.sent: list[Notification] = []
        self.fail_times = fail_times

    async def send(self, notification: Notification) -> None:
        """Record, or raise while failures remain."""
        if self.fail_times > 0:
            self.fail_times -= 1
            raise ConnectionError("fake notifier failure")
        self.sent.append(notification)


class FakeATS:
    """Records submissions and answers with sequential references; with
    ``refuse=True`` it refuses every application, as an ATS rejecting it would."""

    def __init__(self, name: str = "fake-ats", *, refuse: bool = False) -> None:
        self.name = name
        self.refuse = refuse
        self.submissions: list[ApplicationSubmission] = []

    async def submit(self, submission: ApplicationSubmission) -> AtsReceipt:
        """Record and acknowledge (or refuse)."""
        if self.refuse:
            raise PermissionError(f"{self.name} refused the application for job {submission.job_id!r}")
        self.submissions.append(submission)
        return AtsReceipt(ats=self.name, reference=f"{self.name}-{len(self.submissions)}")


class SecondsClock:
    """A clock in seconds that moves only when a test sets ``now`` (for adapters taking ``clock=``)."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        """The set time."""
        return self.now
