"""Alert matching applies filters exactly as the search index does."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from jobforge.adapters.memory.search_index import MemorySearchIndex
from jobforge.core.filters import parse_filters
from jobforge.core.matching import cosine_matrix, job_words, passes_filters, query_words
from jobforge.core.models import EmploymentType, Location, Salary, Seniority, SourceRef, WorkplaceType
from jobforge.core.search_types import IndexDocument, IndexQuery
from jobforge.testing.factories import make_job

NOW = datetime(2026, 6, 1, tzinfo=UTC)

FILTERS = [
    {},
    {"remote": "remote"},
    {"remote": ["hybrid", "onsite"]},
    {"location": "berlin"},
    {"country": "US"},
    {"salary_min": "100k"},
    {"salary_min": "50000 EUR"},
    {"employment_type": "contract"},
    {"seniority": ["senior", "lead"]},
    {"posted_within_days": 10},
    {"company": "Acme"},
    {"exclude_company": "acme"},
    {"source": "lever"},
    {"remote": "remote", "salary_min": "120k", "country": "US"},
]


def _jobs() -> list:  # type: ignore[type-arg]
    places = [
        [Location(city="Berlin", country="DE", text="Berlin, Germany")],
        [Location(city="Austin", region="TX", country="US")],
        [],
    ]
    salaries = [
        None,
        Salary(max=130_000, annual_max=130_000, currency="USD"),
        Salary(min=60_000, annual_min=60_000, currency="EUR"),
        Salary(min=90_000, max=99_000, annual_min=90_000, annual_max=99_000, currency="USD"),
    ]
    jobs = []
    combos = itertools.product(places, salaries, list(WorkplaceType)[:3], ["Acme", "Globex"])
    for n, (locations, salary, workplace, company) in enumerate(combos):
        jobs.append(
            make_job(
                locations=locations,
                salary=salary,
                workplace_type=workplace,
                company=company,
                employment_type=[EmploymentType.FULL_TIME, EmploymentType.CONTRACT][n % 2],
                seniority=[Seniority.SENIOR, Seniority.JUNIOR, Seniority.LEAD][n % 3],
                posted_at=datetime(2026, 5, 1 + n % 30, tzinfo=UTC) if n % 7 else None,
                sources=[
                    SourceRef(source="test", source_id=str(n)),
                    *([SourceRef(source="lever", source_id=str(n))] if n % 5 == 0 else []),
                ],
            )
        )
    return jobs


@pytest.mark.parametrize("raw", FILTERS, ids=lambda f: ",".join(f) or "none")
async def test_filters_agree_with_the_search_index(raw: dict[str, object]) -> None:
    jobs = _jobs()
    index = MemorySearchIndex()
    await index.upsert([IndexDocument(job=j, vector=[1.0, 0.0]) for j in jobs])
    filters = parse_filters(raw, now=NOW)
    result = await index.search(IndexQuery(filters=filters, limit=1000))
    expected = {hit.job_id for hit in result.hits}
    assert {j.id for j in jobs if passes_filters(j, filters)} == expected


def test_query_words_and_job_words() -> None:
    assert query_words("Data Engineers in Berlin and the jobs") == {"data", "engineers", "berlin"}
    job = make_job(title="Data Engineer", skills=["SQL"], description="We use Kafka. Some prose words.")
    words = job_words(job)
    assert {"data", "engineer", "sql", "kafka", "austin", "acme", "hybrid"} <= words
    assert "prose" not in words  # other description words do not count


def test_cosine_matrix() -> None:
    scores = cosine_matrix([[1.0, 0.0], [1.0, 1.0]], [[2.0, 0.0], [0.0, 3.0]])
    assert scores[0] == [1.0, 0.0]
    assert scores[1] == pytest.approx([0.7071, 0.7071], abs=1e-4)
