"""Registers the ATS adapters of this package (entry point ``ats`` in group ``jobforge``).

The host hands an application to the ATS registered under the job's source
type (``greenhouse`` serves jobs from ``greenhouse:acme``). Jobs from
sources without an apply API keep their apply URL; the user tracks them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from jobforge import AdapterContext, OptionSpec, hookimpl
from jobforge.net import http_options

__all__ = ["ATS", "register_ats"]


def _lazy(module: str) -> Callable[[AdapterContext], Any]:
    def build(context: AdapterContext) -> Any:
        return importlib.import_module(f"jobforge_ats.{module}").from_context(context)

    build.__name__ = f"build_{module}"
    return build


def _keys(what: str, env: str, *, single: str = "api_key", many: str = "api_keys") -> list[OptionSpec]:
    return [
        OptionSpec(
            name=many,
            description=f'{what} per account: a table {{acme = "..."}} or acme=KEY,other=KEY (else ${env}S).',
            secret=True,
        ),
        OptionSpec(name=single, description=f"One {what} for every account (else ${env}).", secret=True),
    ]


ATS: dict[str, tuple[str, str, list[OptionSpec]]] = {
    "greenhouse": (
        "greenhouse",
        "Greenhouse job board applications (Basic auth with the board's Job Board API key).",
        [
            *_keys("Job Board API key", "JOBFORGE_GREENHOUSE_API_KEY"),
            OptionSpec(name="board", description="Board for jobs whose source names none."),
            OptionSpec(name="base_url", description="API host.", default="https://boards-api.greenhouse.io"),
        ],
    ),
    "lever": (
        "lever",
        "Lever postings apply endpoint (the site's postings API key).",
        [
            *_keys("postings API key", "JOBFORGE_LEVER_API_KEY"),
            OptionSpec(name="site", description="Site for jobs whose source names none."),
            OptionSpec(name="silent", description="No confirmation e-mail to the candidate.", default=False),
            OptionSpec(
                name="source_tag", description="Candidate source recorded in Lever.", default="jobforge"
            ),
            OptionSpec(
                name="base_url",
                description="API host (EU: https://api.eu.lever.co).",
                default="https://api.lever.co",
            ),
        ],
    ),
    "recruitee": (
        "recruitee",
        "Recruitee offer candidates endpoint (public; optional Bearer token).",
        [
            *_keys("API token", "JOBFORGE_RECRUITEE_API_TOKEN", single="api_token", many="api_tokens"),
            OptionSpec(name="company", description="Company for jobs whose source names none."),
            OptionSpec(
                name="base_url",
                description="Careers site; {company} is replaced.",
                default="https://{company}.recruitee.com",
            ),
        ],
    ),
}
"""Registered name to (module, description, options)."""


@hookimpl
def register_ats(register: Any) -> None:
    """Register the Greenhouse, Lever and Recruitee ATS adapters."""
    for name, (module, description, options) in ATS.items():
        register(
            name,
            _lazy(module),
            description=description,
            options=[*options, *http_options(max_retries=2, rate_limit=2.0)],
        )
