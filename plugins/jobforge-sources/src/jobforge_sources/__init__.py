"""Job sources for jobforge, registered through the ``jobforge`` entry point ``sources``.

========================  ==========================================================
``greenhouse``            Greenhouse job board API
``lever``                 Lever postings API
``ashby``                 Ashby posting API
``workday``               Workday CXS career sites
``smartrecruiters``       SmartRecruiters postings API
``recruitee``             Recruitee careers site API
``remoteok``              Remote OK API
``rss``                   RSS 2.0 / Atom job feeds (We Work Remotely style)
``careers_page``          schema.org ``JobPosting`` JSON-LD on careers pages
========================  ==========================================================

All of them talk HTTP through :mod:`jobforge.net` (per-host rate limit,
retries with backoff, timeouts, User-Agent, proxy, robots.txt for pages).
"""

__all__: list[str] = []
