"""Greenhouse job board application endpoint.

``POST /v1/boards/{board}/jobs/{job_id}`` with HTTP Basic auth (the board's
Job Board API key as user name, no password). With a resume the body is
``multipart/form-data`` (``resume`` file part), else JSON. Answers whose
keys are Greenhouse field names (``question_123``, ``location``...) are
sent as they are.
"""

from __future__ import annotations

from typing import Any

from jobforge.core.messages import ApplicationSubmission, AtsReceipt
from jobforge.core.registry import AdapterContext
from jobforge.net import HttpClient, HttpClientSettings
from jobforge_ats._base import HttpAts, keys_option, post_application

__all__ = ["DEFAULT_BASE_URL", "GreenhouseAts", "from_context"]

DEFAULT_BASE_URL = "https://boards-api.greenhouse.io"


class GreenhouseAts(HttpAts):
    """Submits applications to Greenhouse job boards, one API key per board."""

    kind = "greenhouse"

    async def _submit(
        self, client: HttpClient, account: str, key: str | None, submission: ApplicationSubmission
    ) -> AtsReceipt:
        fields: dict[str, Any] = {
            "first_name": submission.first_name,
            "last_name": submission.last_name,
            "email": submission.email,
        }
        if submission.phone:
            fields["phone"] = submission.phone
        if submission.cover_letter:
            fields["cover_letter_text"] = submission.cover_letter
        fields.update(submission.answers)
        url = f"{self.base_url}/v1/boards/{account}/jobs/{submission.source_id}"
        body = await post_application(client, url, fields, submission, auth=(key or "", ""))
        reference = body.get("id") or body.get("application_id") if isinstance(body, dict) else None
        return AtsReceipt(ats=self.kind, reference=str(reference) if reference else None)


def from_context(context: AdapterContext) -> GreenhouseAts:
    """Build the adapter from its options (``api_keys`` per board, or one ``api_key``)."""
    return GreenhouseAts(
        base_url=str(context.get("base_url") or DEFAULT_BASE_URL),
        keys=keys_option(context, "greenhouse"),
        account=context.get("board") or None,
        http=HttpClientSettings.from_context(context, max_retries=2, rate_limit=2.0),
    )
