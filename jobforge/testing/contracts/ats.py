"""The contract every :class:`~jobforge.ports.ATS` adapter passes.

Subclass :class:`AtsContract` and override three fixtures: ``ats`` (the
adapter, pointed at a test double of the employer's system, such as a
:class:`~jobforge.testing.http_server.LocalHttpServer`), ``received`` (a
callable returning the e-mail addresses of the candidates that system
received, in order) and ``submission`` (a submission ``ats`` can address,
e.g. with the right ``source``). Override ``rejecting_ats`` to check that a
refused application raises::

    class TestMyAts(AtsContract):
        @pytest.fixture
        def ats(self, jobforge_http_server):
            jobforge_http_server.json("/apply/42", {"id": "app-1"}, method="POST")
            return MyAts(base_url=jobforge_http_server.url, api_key="test-key")

        @pytest.fixture
        def received(self, jobforge_http_server):
            return lambda: [r.form()["email"][0] for r in jobforge_http_server.requests_to("/apply/42")]

        @pytest.fixture
        def submission(self):
            return make_submission(source="myats:acme", source_id="42")
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from jobforge.core.messages import ApplicationSubmission, AtsReceipt
from jobforge.ports import ATS

__all__ = ["AtsContract", "make_submission"]

Received = Callable[[], list[str]]
"""Returns the e-mail addresses of the candidates the ATS received, in order."""


def make_submission(**overrides: Any) -> ApplicationSubmission:
    """A complete, valid application with a small PDF resume; any field may be overridden."""
    fields: dict[str, Any] = {
        "job_id": "job-1",
        "source": "test",
        "source_id": "42",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "phone": "+44 20 7946 0000",
        "resume_filename": "ada-lovelace.pdf",
        "resume": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
        "cover_letter": "I would like to work on the analytical engine.",
        **overrides,
    }
    return ApplicationSubmission(**fields)


class AtsContract:
    """Behaviour shared by every ATS adapter; subclass and override the fixtures."""

    pytestmark = [pytest.mark.asyncio]

    @pytest.fixture
    def ats(self) -> ATS:
        """Return the adapter under test (override this)."""
        raise NotImplementedError("override the `ats` fixture to return an ATS")

    @pytest.fixture
    def received(self) -> Received:
        """Return a callable listing the candidates' e-mail addresses the ATS received (override this)."""
        raise NotImplementedError("override the `received` fixture")

    @pytest.fixture
    def submission(self) -> ApplicationSubmission:
        """A submission ``ats`` can address (override to set ``source`` and ``source_id``)."""
        return make_submission()

    @pytest.fixture
    def rejecting_ats(self) -> ATS:
        """Return an adapter whose ATS refuses every application (override to enable)."""
        pytest.skip("no rejecting_ats fixture: override it to test refusals")

    async def test_implements_the_port(self, ats: ATS) -> None:
        """The adapter satisfies the runtime-checkable ``ATS`` protocol."""
        assert isinstance(ats, ATS)

    async def test_submit_returns_a_receipt(self, ats: ATS, submission: ApplicationSubmission) -> None:
        """A submission is acknowledged with a receipt naming the ATS."""
        receipt = await ats.submit(submission)
        assert isinstance(receipt, AtsReceipt)
        assert receipt.ats
        assert receipt.status
        assert receipt.reference is None or isinstance(receipt.reference, str)

    async def test_the_candidate_arrives_once(
        self, ats: ATS, received: Received, submission: ApplicationSubmission
    ) -> None:
        """One submission reaches the ATS exactly once."""
        await ats.submit(submission)
        assert received() == [submission.email]

    async def test_a_submission_without_resume_or_phone(
        self, ats: ATS, received: Received, submission: ApplicationSubmission
    ) -> None:
        """Optional fields may be missing."""
        bare = ApplicationSubmission(
            job_id=submission.job_id,
            source=submission.source,
            source_id=submission.source_id,
            first_name="Grace",
            last_name="Hopper",
            email="grace@example.com",
        )
        await ats.submit(bare)
        assert received() == ["grace@example.com"]

    async def test_unicode_names(
        self, ats: ATS, received: Received, submission: ApplicationSubmission
    ) -> None:
        """Non-ASCII names and letters survive."""
        import msgspec

        await ats.submit(
            msgspec.structs.replace(
                submission,
                first_name="Zoë",
                last_name="Ødegård-Łukasz",
                email="zoe@example.com",
                cover_letter="Très motivée ✓",
            )
        )
        assert received() == ["zoe@example.com"]

    async def test_a_refusal_raises(self, rejecting_ats: ATS, submission: ApplicationSubmission) -> None:
        """A refused application raises (the caller stores nothing)."""
        with pytest.raises(Exception):  # noqa: B017, PT011  (any error: adapters raise their own kinds)
            await rejecting_ats.submit(submission)
