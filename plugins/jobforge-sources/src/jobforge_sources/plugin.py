"""Registers the job sources of this package (entry point ``sources`` in group ``jobforge``).

Each source's module is imported when the source is built, not when the
plugin loads, so ``jobforge --help`` never pays for it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from jobforge import AdapterContext, OptionSpec, hookimpl
from jobforge.net import http_options

__all__ = ["SOURCES", "register_sources"]


def _lazy(module: str) -> Callable[[AdapterContext], Any]:
    def build(context: AdapterContext) -> Any:
        return importlib.import_module(f"jobforge_sources.{module}").from_context(context)

    build.__name__ = f"build_{module}"
    return build


def _base_url(default: str) -> OptionSpec:
    return OptionSpec(
        name="base_url",
        description="API host, for a mirror, a proxy or a test server.",
        default=default,
    )


_NAME = OptionSpec(name="name", description="Source name recorded on every posting.")
_COMPANY = OptionSpec(
    name="company", description="Company name when the API sends none (default: the board)."
)

SOURCES: dict[str, tuple[str, str, list[OptionSpec]]] = {
    "greenhouse": (
        "greenhouse",
        "Greenhouse job board API (every posting of one board, with content and pay ranges).",
        [
            OptionSpec(
                name="board", description="Board token: job-boards.greenhouse.io/<board>.", required=True
            ),
            _base_url("https://boards-api.greenhouse.io"),
            _COMPANY,
            _NAME,
        ],
    ),
    "lever": (
        "lever",
        "Lever postings API (paginated with skip/limit).",
        [
            OptionSpec(name="site", description="Site name: jobs.lever.co/<site>.", required=True),
            _base_url("https://api.lever.co"),
            OptionSpec(name="page_size", description="Postings per request.", default=100),
            _COMPANY,
            _NAME,
        ],
    ),
    "ashby": (
        "ashby",
        "Ashby posting API (with compensation).",
        [
            OptionSpec(name="board", description="Job board name: jobs.ashbyhq.com/<board>.", required=True),
            _base_url("https://api.ashbyhq.com"),
            _COMPANY,
            _NAME,
        ],
    ),
    "workday": (
        "workday",
        "Workday CXS career site (20 per page, at most 2000 per search; details per posting).",
        [
            OptionSpec(name="tenant", description="Tenant: <tenant>.wd5.myworkdayjobs.com.", required=True),
            OptionSpec(name="site", description="Career site, e.g. External.", required=True),
            OptionSpec(name="pod", description="Workday pod in the default host.", default="wd5"),
            _base_url("https://<tenant>.<pod>.myworkdayjobs.com"),
            OptionSpec(name="details", description="Fetch each posting's details.", default=True),
            OptionSpec(
                name="facets",
                description='appliedFacets as JSON, e.g. {"locations": ["<id>"]} (to split a capped search).',
            ),
            OptionSpec(name="search_text", description="Free-text filter of the search.", default=""),
            OptionSpec(name="page_size", description="Postings per listing request (max 20).", default=20),
            OptionSpec(name="max_postings", description="Stop after this many (max 2000).", default=2000),
            _COMPANY,
            _NAME,
        ],
    ),
    "smartrecruiters": (
        "smartrecruiters",
        "SmartRecruiters postings API (offset/limit pagination; job ad per posting).",
        [
            OptionSpec(
                name="company",
                description="Company identifier: jobs.smartrecruiters.com/<company>.",
                required=True,
            ),
            _base_url("https://api.smartrecruiters.com"),
            OptionSpec(name="details", description="Fetch each posting's job ad.", default=True),
            OptionSpec(name="page_size", description="Postings per listing request (max 100).", default=100),
            _NAME,
        ],
    ),
    "recruitee": (
        "recruitee",
        "Recruitee careers site offers API.",
        [
            OptionSpec(name="company", description="Subdomain: <company>.recruitee.com.", required=True),
            _base_url("https://<company>.recruitee.com"),
            _NAME,
        ],
    ),
    "remoteok": (
        "remoteok",
        "Remote OK API (the leading legal notice is skipped).",
        [
            OptionSpec(name="tag", description="Only postings with this tag."),
            _base_url("https://remoteok.com"),
            _NAME,
        ],
    ),
    "rss": (
        "rss",
        "RSS 2.0 or Atom job feed, e.g. We Work Remotely (paged feeds followed).",
        [
            OptionSpec(
                name="feed",
                description="Feed URL or path on base_url, e.g. /categories/remote-programming-jobs.rss.",
                required=True,
            ),
            _base_url("https://weworkremotely.com"),
            OptionSpec(
                name="company", description="Company of every item (default: 'Company: Title' split)."
            ),
            OptionSpec(name="workplace", description="remote, hybrid or onsite for every item."),
            OptionSpec(name="max_pages", description="Feed pages to follow at most.", default=50),
            _NAME,
        ],
    ),
    "careers_page": (
        "careers_page",
        "schema.org JobPosting JSON-LD from careers pages (robots.txt obeyed).",
        [
            OptionSpec(name="urls", description="Job page URLs (list, or separated by spaces or commas)."),
            OptionSpec(name="listing", description="Careers index page whose job links are followed."),
            OptionSpec(name="link_pattern", description="Regex a followed link must match."),
            OptionSpec(name="base_url", description="The site, for relative urls and listing."),
            OptionSpec(name="max_pages", description="Pages fetched at most.", default=500),
            _COMPANY,
            _NAME,
        ],
    ),
}
"""Registered name to (module, description, options)."""


@hookimpl
def register_sources(register: Any) -> None:
    """Register every source of this package, each with its options and the HTTP options."""
    for name, (module, description, options) in SOURCES.items():
        register(name, _lazy(module), description=description, options=[*options, *http_options()])
