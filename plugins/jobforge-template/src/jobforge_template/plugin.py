"""The plugin module named by the entry point: hook implementations only.

Keep imports here light (no SDKs): jobforge loads this module at start-up;
the source's module is imported when the source is built.
"""

from __future__ import annotations

from typing import Any

import msgspec

from jobforge import AdapterContext, OptionSpec, hookimpl
from jobforge.core.models import Job, WorkplaceType
from jobforge.net import http_options

__all__ = ["enrich_job", "register_sources"]

REMOTE_TAG = "remote-friendly"
SOURCE_NAME = "example_board"


def _build_source(context: AdapterContext) -> Any:
    from jobforge_template.source import from_context

    return from_context(context)


@hookimpl
def register_sources(register: Any) -> None:
    """Register ``example_board`` with its options (listed by ``jobforge plugins --json``)."""
    register(
        SOURCE_NAME,
        _build_source,
        description="Example job board: a paginated JSON API (template plugin).",
        options=[
            OptionSpec(name="base_url", description="The board's host.", default="https://jobs.example.com"),
            OptionSpec(name="max_pages", description="Pages to follow at most.", default=100),
            *http_options(),
        ],
    )


@hookimpl
def enrich_job(job: Job) -> Job | None:
    """Tag this board's remote jobs with the skill ``remote-friendly``; leave every other job unchanged.

    A hook sees the jobs of every source, so it checks that the job is one of its own.
    """
    if job.source != SOURCE_NAME:
        return None
    if job.workplace_type is WorkplaceType.REMOTE and REMOTE_TAG not in job.skills:
        return msgspec.structs.replace(job, skills=[*job.skills, REMOTE_TAG])
    return None
