"""Recruitee careers site candidates endpoint.

``POST https://{company}.recruitee.com/api/offers/{offer_slug}/candidates``
with ``candidate[name]``, ``candidate[email]``, ``candidate[phone]``,
``candidate[cover_letter]`` and a ``candidate[cv]`` file in
``multipart/form-data``. Answers keyed by an open question id become
``candidate[open_question_answers_attributes][N][open_question_id|content]``;
other keys are sent as ``candidate[<key>]``. The endpoint is public; a
token (``api_tokens``), when configured, is sent as a Bearer token.

The Recruitee job source identifies offers by id; the slug the endpoint
needs is looked up in the company's offer list (and cached).
"""

from __future__ import annotations

from typing import Any

from jobforge.core.messages import ApplicationSubmission, AtsReceipt
from jobforge.core.registry import AdapterContext
from jobforge.net import HttpClient, HttpClientSettings
from jobforge_ats._base import AtsError, HttpAts, keys_option, resume_part

__all__ = ["RecruiteeAts", "from_context"]


class RecruiteeAts(HttpAts):
    """Submits applications to Recruitee offers.

    ``base_url`` may contain ``{company}``, replaced by the job's company
    (default ``https://{company}.recruitee.com``).
    """

    kind = "recruitee"
    requires_key = False

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("base_url", "https://{company}.recruitee.com")
        super().__init__(**kwargs)
        self._slugs: dict[tuple[str, str], str] = {}

    def _site(self, company: str) -> str:
        return self.base_url.replace("{company}", company)

    async def _submit(
        self, client: HttpClient, account: str, key: str | None, submission: ApplicationSubmission
    ) -> AtsReceipt:
        site = self._site(account)
        slug = await self._slug(client, site, account, submission.source_id)
        fields: dict[str, Any] = {
            "candidate[name]": f"{submission.first_name} {submission.last_name}".strip(),
            "candidate[email]": submission.email,
        }
        if submission.phone:
            fields["candidate[phone]"] = submission.phone
        if submission.cover_letter:
            fields["candidate[cover_letter]"] = submission.cover_letter
        index = 0
        for name, answer in submission.answers.items():
            if name.isdigit():
                prefix = f"candidate[open_question_answers_attributes][{index}]"
                fields[f"{prefix}[open_question_id]"] = name
                fields[f"{prefix}[content]"] = answer
                index += 1
            else:
                fields[f"candidate[{name}]"] = answer
        resume = resume_part(submission)
        headers = {"Authorization": f"Bearer {key}"} if key else None
        response = await client.request(
            "POST",
            f"{site}/api/offers/{slug}/candidates",
            data=fields,
            files={"candidate[cv]": resume} if resume else None,
            headers=headers,
        )
        body: Any = response.json() if response.content.strip() else {}
        candidate = body.get("candidate") if isinstance(body, dict) else None
        reference = candidate.get("id") if isinstance(candidate, dict) else None
        return AtsReceipt(ats=self.kind, reference=str(reference) if reference is not None else None)

    async def _slug(self, client: HttpClient, site: str, company: str, offer: str) -> str:
        if not offer.isdigit():
            return offer
        cached = self._slugs.get((company, offer))
        if cached:
            return cached
        listing = await client.get_json(f"{site}/api/offers/")
        offers = listing.get("offers") if isinstance(listing, dict) else None
        for item in offers or []:
            if isinstance(item, dict) and str(item.get("id")) == offer and item.get("slug"):
                self._slugs[(company, offer)] = str(item["slug"])
                return str(item["slug"])
        raise AtsError(f"recruitee: offer {offer} is not published by {company!r} (closed?)")


def from_context(context: AdapterContext) -> RecruiteeAts:
    """Build the adapter from its options (all optional)."""
    return RecruiteeAts(
        base_url=str(context.get("base_url") or "https://{company}.recruitee.com"),
        keys=keys_option(context, "recruitee", single="api_token", many="api_tokens"),
        account=context.get("company") or None,
        http=HttpClientSettings.from_context(context, max_retries=2, rate_limit=2.0),
    )
