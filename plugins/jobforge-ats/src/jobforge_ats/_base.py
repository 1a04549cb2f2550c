"""What the ATS adapters share: which account a job belongs to, its key, one polite client per call."""

from __future__ import annotations

import abc
import mimetypes
import os
from collections.abc import Mapping
from typing import Any, ClassVar

from jobforge.core.messages import ApplicationSubmission, AtsReceipt
from jobforge.core.registry import AdapterContext
from jobforge.net import HttpClient, HttpClientSettings, HttpError

__all__ = ["AtsError", "HttpAts", "keys_option", "post_application", "resume_part"]


class AtsError(Exception):
    """The ATS refused the application or could not be reached; the message says why (never a key)."""


class HttpAts(abc.ABC):
    """Base of the HTTP ATS adapters.

    The account (board, site, company) of a job is the part of its source
    name after ``:`` (``greenhouse:acme`` -> ``acme``), else ``account``.
    Keys are per account (``keys["acme"]``), with ``keys["*"]`` for any.

    Args:
        base_url: The API host.
        keys: Account to API key (secret; never logged or shown).
        account: Account for sources that name none.
        http: HTTP client settings.
    """

    kind: ClassVar[str]
    requires_key: ClassVar[bool] = True

    def __init__(
        self,
        *,
        base_url: str,
        keys: Mapping[str, str] | None = None,
        account: str | None = None,
        http: HttpClientSettings | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._keys = dict(keys or {})
        self.account = account
        # A refused application is not retried at length: the candidate is waiting.
        self.http = http or HttpClientSettings(max_retries=2, rate_limit=2.0)

    @property
    def name(self) -> str:
        """The ATS name recorded on receipts."""
        return self.kind

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, accounts={sorted(self._keys)!r})"

    async def submit(self, submission: ApplicationSubmission) -> AtsReceipt:
        """Send one application to the employer's ATS.

        Raises:
            AtsError: No key for the account, the ATS refused it, or it could not be reached.
        """
        account = self.account_of(submission.source)
        key = self._key(account)
        try:
            async with HttpClient(self.http) as client:
                return await self._submit(client, account, key, submission)
        except HttpError as exc:
            detail = f": {exc.body.strip()[:200]}" if exc.body.strip() else ""
            raise AtsError(f"{self.kind} refused the application ({exc}){detail}") from None

    def account_of(self, source: str) -> str:
        """The account a job source name points at."""
        kind, colon, account = source.partition(":")
        if colon and account and kind == self.kind:
            return account
        if self.account:
            return self.account
        raise AtsError(f"{self.kind}: source {source!r} names no account and no default account is set")

    def _key(self, account: str) -> str | None:
        key = self._keys.get(account) or self._keys.get("*")
        if key is None and self.requires_key:
            raise AtsError(f"{self.kind}: no API key is configured for account {account!r}")
        return key

    @abc.abstractmethod
    async def _submit(
        self, client: HttpClient, account: str, key: str | None, submission: ApplicationSubmission
    ) -> AtsReceipt:
        """Send the application with ``client``."""


def resume_part(submission: ApplicationSubmission) -> tuple[str, bytes, str] | None:
    """``(filename, content, content type)`` of the resume, or ``None`` without one."""
    if not submission.resume:
        return None
    filename = submission.resume_filename or "resume.pdf"
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return filename, submission.resume, content_type


async def post_application(
    client: HttpClient,
    url: str,
    fields: dict[str, Any],
    submission: ApplicationSubmission,
    *,
    resume_field: str = "resume",
    **request: Any,
) -> Any:
    """POST an application: multipart with the resume when there is one, else JSON.

    ``request`` goes to :meth:`HttpClient.request` (auth, params, headers);
    returns the decoded JSON answer (``{}`` for an empty body).
    """
    resume = resume_part(submission)
    if resume is not None:
        response = await client.request("POST", url, data=fields, files={resume_field: resume}, **request)
    else:
        response = await client.request("POST", url, json=fields, **request)
    return response.json() if response.content.strip() else {}


def keys_option(
    context: AdapterContext, kind: str, *, single: str = "api_key", many: str = "api_keys"
) -> dict[str, str]:
    """Account-to-key mapping from the options, else from the environment.

    ``api_keys`` is a table (``{acme = "..."}``) or text (``acme=KEY,other=KEY``);
    ``api_key`` is one key for every account. Without options,
    ``JOBFORGE_<KIND>_API_KEYS`` / ``JOBFORGE_<KIND>_API_KEY`` are read.

    Raises:
        ConfigError: ``api_keys`` is neither a table nor ``account=key`` pairs.
    """
    from jobforge import ConfigError

    prefix = f"JOBFORGE_{kind.upper()}_"
    many_value: Any = context.get(many) or os.environ.get(prefix + many.upper())
    single_value = context.get(single) or os.environ.get(prefix + single.upper())
    keys: dict[str, str] = {}
    if isinstance(many_value, Mapping):
        keys.update({str(k): str(v) for k, v in many_value.items() if v})
    elif isinstance(many_value, str) and many_value.strip():
        for pair in many_value.split(","):
            account, eq, key = pair.partition("=")
            if not eq or not account.strip() or not key.strip():
                where = f"{context.key}.{many}" if context.key else many
                raise ConfigError(where, "expected account=key pairs separated by commas")
            keys[account.strip()] = key.strip()
    elif many_value:
        where = f"{context.key}.{many}" if context.key else many
        raise ConfigError(where, "expected a table of account = key")
    if single_value:
        keys.setdefault("*", str(single_value))
    return keys
