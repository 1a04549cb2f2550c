"""The applicant tracking system port (employer side)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from jobforge.core.messages import ApplicationSubmission, AtsReceipt

__all__ = ["ATS"]


@runtime_checkable
class ATS(Protocol):
    """Submits applications to an employer's ATS."""

    async def submit(self, submission: ApplicationSubmission) -> AtsReceipt:
        """Send one application; raises on rejection with the ATS's reason."""
        ...
