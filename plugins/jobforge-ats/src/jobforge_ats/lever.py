"""Lever postings apply endpoint.

``POST /v0/postings/{site}/{posting_id}?key={api_key}``: ``name``,
``email``, ``phone``, ``comments`` (the cover letter) and a ``resume`` file
in ``multipart/form-data`` (JSON without a resume). Other answers are sent
under their Lever field names (``org``, ``urls[LinkedIn]``...). Lever
answers ``{"ok": true, "applicationId": ...}`` and rate-limits with 429,
which is retried. The key travels in the query string; it is redacted from
every log line and error.
"""

from __future__ import annotations

from typing import Any

from jobforge.core.messages import ApplicationSubmission, AtsReceipt
from jobforge.core.registry import AdapterContext
from jobforge.net import HttpClient, HttpClientSettings
from jobforge_ats._base import AtsError, HttpAts, keys_option, post_application

__all__ = ["DEFAULT_BASE_URL", "LeverAts", "from_context"]

DEFAULT_BASE_URL = "https://api.lever.co"
"""The global instance; EU accounts use ``https://api.eu.lever.co``."""


class LeverAts(HttpAts):
    """Submits applications to Lever postings, one API key per site.

    Args:
        silent: Ask Lever not to e-mail the candidate a confirmation.
        source_tag: The candidate source recorded in Lever.
        **kwargs: See :class:`~jobforge_ats._base.HttpAts`.
    """

    kind = "lever"

    def __init__(self, *, silent: bool = False, source_tag: str = "jobforge", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.silent = silent
        self.source_tag = source_tag

    async def _submit(
        self, client: HttpClient, account: str, key: str | None, submission: ApplicationSubmission
    ) -> AtsReceipt:
        fields: dict[str, Any] = {
            "name": f"{submission.first_name} {submission.last_name}".strip(),
            "email": submission.email,
            "silent": "true" if self.silent else "false",
            "source": self.source_tag,
        }
        if submission.phone:
            fields["phone"] = submission.phone
        if submission.cover_letter:
            fields["comments"] = submission.cover_letter
        fields.update(submission.answers)
        url = f"{self.base_url}/v0/postings/{account}/{submission.source_id}"
        body = await post_application(client, url, fields, submission, params={"key": key})
        if not isinstance(body, dict) or body.get("ok") is not True:
            reason = body.get("error") if isinstance(body, dict) else None
            raise AtsError(f"lever refused the application: {reason or 'no ok in the answer'}")
        reference = body.get("applicationId")
        return AtsReceipt(ats=self.kind, reference=str(reference) if reference else None)


def from_context(context: AdapterContext) -> LeverAts:
    """Build the adapter from its options (``api_keys`` per site, or one ``api_key``)."""
    return LeverAts(
        base_url=str(context.get("base_url") or DEFAULT_BASE_URL),
        keys=keys_option(context, "lever"),
        account=context.get("site") or None,
        silent=context.get_bool("silent", False),
        source_tag=str(context.get("source_tag") or "jobforge"),
        http=HttpClientSettings.from_context(context, max_retries=2, rate_limit=2.0),
    )
