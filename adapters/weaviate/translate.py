"""Pure translation between jobforge values and Weaviate's: objects, filters, query arguments.

Every :class:`~jobforge.core.search_types.SearchFilters` field maps to an
exact Weaviate filter over properties written by :func:`to_properties`:

============================  ==============================================================
filter                        Weaviate filter
============================  ==============================================================
``workplace_types``           ``workplace_type`` equal to any (field tokenization)
``location``                  ``location_parts`` (case-folded city/region/country/text)
                              like ``*needle*``
``countries``                 ``countries`` (upper case) contains any
``salary_currency``           ``salary_currency`` equal; it is only written when an annual
                              figure exists
``salary_min``                ``salary_annual`` (annual max, else min) >= value
``employment_types``          ``employment_type`` equal to any
``seniorities``               ``seniority`` equal to any
``posted_after``              ``posted_sort`` (epoch seconds; undated jobs hold
                              :data:`UNDATED`) >= the instant
``companies``                 ``company_key`` (case-folded name) contains any
``exclude_companies``         ``company_key`` not equal to each
``sources``                   ``source_names`` (``Job.source`` and every ``Job.sources``
                              entry) contains any
============================  ==============================================================

Text properties that filters compare whole use ``field`` tokenization, so
a value is one token, matched exactly; searchable text uses ``word``.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

from jobforge.core.models import Job
from jobforge.core.search_types import IndexQuery, SearchFilters, SearchMode

__all__ = [
    "FACET_PROPERTIES",
    "PROPERTY_SCHEMA",
    "QUERY_PROPERTIES",
    "TEXT_PROPERTIES",
    "UNDATED",
    "bm25_arguments",
    "build_filter",
    "hybrid_arguments",
    "job_uuid",
    "near_vector_arguments",
    "query_terms",
    "to_properties",
]

UNDATED = -1.0e12
"""``posted_sort`` of a job without a date: below every real timestamp, so it sorts last."""

_NAMESPACE = uuid.UUID("6f1c0b9e-4a57-5a43-9c1e-6a6f62666f72")
_WORD = re.compile(r"[^\W_]+")

PROPERTY_SCHEMA: tuple[tuple[str, str, str | None, bool], ...] = (
    # name, data type, tokenization, searchable (BM25)
    ("job_id", "text", "field", False),
    ("title", "text", "word", True),
    ("company", "text", "word", True),
    ("company_name", "text", "field", False),
    ("company_key", "text", "field", False),
    ("skills", "text[]", "word", True),
    ("description", "text", "word", True),
    ("location_text", "text", "word", True),
    ("location_parts", "text[]", "field", False),
    ("countries", "text[]", "field", False),
    ("workplace_type", "text", "field", False),
    ("employment_type", "text", "field", False),
    ("seniority", "text", "field", False),
    ("salary_currency", "text", "field", False),
    ("salary_annual", "number", None, False),
    ("posted_sort", "number", None, False),
    ("source_names", "text[]", "field", False),
)
"""Every property of the collection: (name, Weaviate data type, tokenization, searchable)."""

QUERY_PROPERTIES = ["title^4", "company^2", "skills^2", "description", "location_text"]
"""BM25 fields and boosts (the in-memory index weighs fields the same way)."""

TEXT_PROPERTIES = ["job_id", "title", "company", "skills", "description", "location_text"]
"""What is read back to find a hit's matched terms."""

FACET_PROPERTIES = ["job_id", "workplace_type", "employment_type", "company_name"]
"""What every candidate returns: its id and the facet values."""


def job_uuid(job_id: str) -> str:
    """The Weaviate object id of a job: a UUIDv5 of its id, so upserts replace."""
    return str(uuid.uuid5(_NAMESPACE, job_id))


def _timestamp(moment: datetime) -> float:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def to_properties(job: Job) -> dict[str, Any]:
    """The Weaviate properties of a job (see the module docs for what each one is for)."""
    places = [part for loc in job.locations for part in (loc.city, loc.region, loc.country, loc.text) if part]
    salary = job.salary
    annual = None
    if salary is not None and salary.currency:
        annual = salary.annual_max if salary.annual_max is not None else salary.annual_min
    properties: dict[str, Any] = {
        "job_id": job.id,
        "title": job.title,
        "company": job.company,
        "company_name": job.company,
        "company_key": job.company.casefold(),
        "skills": list(job.skills),
        "description": job.description,
        "location_text": " ".join(places),
        "location_parts": sorted({part.casefold() for part in places}),
        "countries": sorted({loc.country.upper() for loc in job.locations if loc.country}),
        "workplace_type": job.workplace_type.value,
        "employment_type": job.employment_type.value,
        "seniority": job.seniority.value,
        "posted_sort": _timestamp(job.posted_at) if job.posted_at is not None else UNDATED,
        "source_names": sorted({job.source} | {ref.source for ref in job.sources}),
    }
    if annual is not None and salary is not None and salary.currency:
        properties["salary_currency"] = salary.currency.upper()
        properties["salary_annual"] = float(annual)
    return properties


def build_filter(filters: SearchFilters) -> Any:
    """The Weaviate ``Filter`` applying every set field of ``filters`` (AND), or ``None``.

    Raises:
        ValueError: ``salary_min`` without ``salary_currency``, or a ``location`` containing
            ``*`` or ``?`` (Weaviate's wildcards, which cannot be escaped).
    """
    from weaviate.classes.query import Filter

    parts: list[Any] = []
    if filters.workplace_types:
        parts.append(_equal_any(Filter, "workplace_type", [w.value for w in filters.workplace_types]))
    if filters.location is not None:
        needle = filters.location.casefold()
        if "*" in needle or "?" in needle:
            raise ValueError("filters.location must not contain * or ? (wildcards) with the weaviate index")
        parts.append(Filter.by_property("location_parts").like(f"*{needle}*"))
    if filters.countries:
        parts.append(
            Filter.by_property("countries").contains_any(sorted({c.upper() for c in filters.countries}))
        )
    if filters.salary_min is not None and filters.salary_currency is None:
        raise ValueError("filters.salary_min needs filters.salary_currency")
    if filters.salary_currency is not None:
        parts.append(Filter.by_property("salary_currency").equal(filters.salary_currency.upper()))
        if filters.salary_min is not None:
            parts.append(Filter.by_property("salary_annual").greater_or_equal(float(filters.salary_min)))
    if filters.employment_types:
        parts.append(_equal_any(Filter, "employment_type", [e.value for e in filters.employment_types]))
    if filters.seniorities:
        parts.append(_equal_any(Filter, "seniority", [s.value for s in filters.seniorities]))
    if filters.posted_after is not None:
        parts.append(Filter.by_property("posted_sort").greater_or_equal(_timestamp(filters.posted_after)))
    if filters.companies:
        parts.append(
            Filter.by_property("company_key").contains_any(sorted({c.casefold() for c in filters.companies}))
        )
    parts.extend(
        Filter.by_property("company_key").not_equal(company)
        for company in sorted({c.casefold() for c in filters.exclude_companies})
    )
    if filters.sources:
        parts.append(Filter.by_property("source_names").contains_any(sorted(set(filters.sources))))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Filter.all_of(parts)


def _equal_any(filter_class: Any, prop: str, values: list[str]) -> Any:
    unique = sorted(set(values))
    if len(unique) == 1:
        return filter_class.by_property(prop).equal(unique[0])
    return filter_class.any_of([filter_class.by_property(prop).equal(value) for value in unique])


def query_terms(text: str) -> list[tuple[str, str]]:
    """``(word as written, case-folded term)`` of each word of a query, like Weaviate's ``word`` tokenizer."""
    return [(match.group(), match.group().casefold()) for match in _WORD.finditer(text)]


def bm25_arguments(query: IndexQuery, *, limit: int) -> dict[str, Any]:
    """Keyword retriever: ``collection.query.bm25(**arguments)`` (any query term matches)."""
    from weaviate.classes.query import MetadataQuery

    return {
        "query": query.text,
        "query_properties": list(QUERY_PROPERTIES),
        "filters": build_filter(query.filters),
        "limit": limit,
        "return_metadata": MetadataQuery(score=True),
        "return_properties": list(FACET_PROPERTIES),
    }


def near_vector_arguments(query: IndexQuery) -> dict[str, Any]:
    """Vector retriever: ``collection.query.near_vector(**arguments)``.

    Cosine distance is ``1 - similarity``, so ``min_similarity`` becomes a
    maximum ``distance``; ``vector_candidates`` is the limit.
    """
    from weaviate.classes.query import MetadataQuery

    if query.vector is None:
        raise ValueError(f"query.vector is required in {query.mode.value} mode")
    return {
        "near_vector": [float(v) for v in query.vector],
        "distance": 1.0 - query.min_similarity,
        "limit": query.vector_candidates,
        "filters": build_filter(query.filters),
        "return_metadata": MetadataQuery(distance=True),
        "return_properties": list(FACET_PROPERTIES),
    }


def hybrid_arguments(
    query: IndexQuery, *, alpha: float = 0.5, fusion: str = "ranked", limit: int = 1000
) -> dict[str, Any]:
    """Native hybrid search: ``collection.query.hybrid(**arguments)``.

    ``alpha`` weighs the retrievers (0 = keyword only, 1 = vector only);
    keyword mode forces 0 and vector mode 1. ``fusion`` is ``ranked``
    (reciprocal rank fusion, Weaviate's fixed k = 60) or ``relative_score``
    (min-max normalised scores). ``min_similarity`` bounds the vector side
    through ``max_vector_distance``.

    Raises:
        ValueError: ``alpha`` is outside 0..1, ``fusion`` is unknown, or the vector is
            missing outside keyword mode.
    """
    from weaviate.classes.query import HybridFusion, MetadataQuery

    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    fusions = {"ranked": HybridFusion.RANKED, "relative_score": HybridFusion.RELATIVE_SCORE}
    if fusion not in fusions:
        raise ValueError(f"fusion must be ranked or relative_score, got {fusion!r}")
    if query.mode is not SearchMode.KEYWORD and query.vector is None:
        raise ValueError(f"query.vector is required in {query.mode.value} mode")
    weight = {SearchMode.KEYWORD: 0.0, SearchMode.VECTOR: 1.0}.get(query.mode, alpha)
    return {
        "query": query.text,
        "vector": [float(v) for v in query.vector] if query.vector is not None else None,
        "alpha": weight,
        "fusion_type": fusions[fusion],
        "max_vector_distance": 1.0 - query.min_similarity,
        "query_properties": list(QUERY_PROPERTIES),
        "filters": build_filter(query.filters),
        "limit": limit,
        "return_metadata": MetadataQuery(score=True),
        "return_properties": list(FACET_PROPERTIES),
    }
