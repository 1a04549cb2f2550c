"""Does one job match one saved search? The rules alerts use.

* **Filters** mean exactly what they mean in search (see
  :class:`~jobforge.core.search_types.SearchFilters`): :func:`passes_filters`
  applies them to a job in Python. Relative filters (``posted_within_days``)
  are evaluated when the alert pass runs.
* **Query text**, when the saved search has any, must be relevant, more
  strictly than a search's keyword retriever (which returns a job holding any
  one query word): a job matches when *every* query word (case-folded,
  accents ignored, stop words such as "in" or "and" skipped) is in its title,
  company, skills (listed, or found in its description by the skill
  vocabulary), locations or workplace type, or when the cosine similarity of
  its embedding to the query's is at least ``[alerts] min_similarity``. The
  description's other words do not count: "data" and "engineer" appear in
  far too many descriptions to make a posting a data engineer job.
* A saved search without query text matches every job passing its filters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime

from jobforge.core.identity import normalize_words
from jobforge.core.models import Job
from jobforge.core.search_types import SearchFilters
from jobforge.core.skills import job_skills

__all__ = ["STOP_WORDS", "cosine_matrix", "job_words", "passes_filters", "query_words"]

STOP_WORDS = frozenset(
    {"a", "an", "and", "or", "the", "of", "for", "in", "at", "on", "to", "with", "jobs", "job"}
)
"""Query words a job need not contain."""


def query_words(query: str) -> frozenset[str]:
    """The words of saved query text a job must all contain (stop words removed)."""
    return frozenset(w for w in normalize_words(query) if w not in STOP_WORDS)


def job_words(job: Job) -> frozenset[str]:
    """The words query text is looked up in: title, company, skills, locations, workplace type."""
    places = " ".join(part for loc in job.locations for part in (loc.label(), loc.text or "") if part)
    skills = " ".join([*job.skills, *job_skills(job)])
    text = " ".join([job.title, job.company, skills, places, job.workplace_type.value])
    return frozenset(normalize_words(text))


def passes_filters(job: Job, f: SearchFilters) -> bool:
    """Whether the job passes every filter, with the search index semantics."""
    if f.workplace_types and job.workplace_type not in f.workplace_types:
        return False
    if f.location is not None:
        needle = f.location.casefold()
        parts = [p for loc in job.locations for p in (loc.city, loc.region, loc.country, loc.text) if p]
        if not any(needle in part.casefold() for part in parts):
            return False
    if f.countries:
        wanted = {c.upper() for c in f.countries}
        if not any((loc.country or "").upper() in wanted for loc in job.locations):
            return False
    if f.salary_currency is not None and not _salary_passes(job, f):
        return False
    if f.employment_types and job.employment_type not in f.employment_types:
        return False
    if f.seniorities and job.seniority not in f.seniorities:
        return False
    if f.posted_after is not None and (job.posted_at is None or _utc(job.posted_at) < _utc(f.posted_after)):
        return False
    company = job.company.casefold()
    if f.companies and company not in {c.casefold() for c in f.companies}:
        return False
    if f.exclude_companies and company in {c.casefold() for c in f.exclude_companies}:
        return False
    if f.sources:
        seen = {job.source} | {ref.source for ref in job.sources}
        if not seen & set(f.sources):
            return False
    return True


def _salary_passes(job: Job, f: SearchFilters) -> bool:
    salary = job.salary
    if salary is None or (salary.currency or "").upper() != (f.salary_currency or "").upper():
        return False
    amount = salary.annual_max if salary.annual_max is not None else salary.annual_min
    if amount is None:
        return False
    return f.salary_min is None or amount >= f.salary_min


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def cosine_matrix(
    queries: Sequence[Sequence[float]], documents: Sequence[Sequence[float]]
) -> list[list[float]]:
    """Cosine similarity of every query vector (rows) to every document vector (columns).

    Plain Python; hosts may pass a faster implementation (numpy) to the alert service.
    """
    unit_docs = [_unit(d) for d in documents]
    return [
        [sum(a * b for a, b in zip(q, d, strict=True)) for d in unit_docs]
        for q in (_unit(q) for q in queries)
    ]


def _unit(vector: Sequence[float]) -> list[float]:
    norm = math.sqrt(sum(v * v for v in vector))
    return [v / norm for v in vector] if norm > 0 else list(vector)
