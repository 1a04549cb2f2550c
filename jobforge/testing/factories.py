"""Builders of valid domain values for tests of jobforge and of plugins."""

from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, datetime
from typing import Any

import msgspec

from jobforge.core.models import (
    EmploymentType,
    Job,
    Location,
    Salary,
    SalaryPeriod,
    Seniority,
    SourceRef,
    WorkplaceType,
)

__all__ = ["make_job", "make_vector"]

_counter = itertools.count(1)


def make_job(**overrides: Any) -> Job:
    """A complete, valid :class:`Job`; any field may be overridden.

    Ids, source ids and URLs are unique per call unless given.
    """
    n = next(_counter)
    source = overrides.pop("source", "test")
    source_id = overrides.pop("source_id", f"job-{n}")
    job_id = overrides.pop("id", f"{source}:{source_id}")
    url = overrides.pop("url", f"https://jobs.example.com/{source}/{source_id}")
    fields: dict[str, Any] = {
        "id": job_id,
        "source": source,
        "source_id": source_id,
        "title": "Senior Data Engineer",
        "company": "Acme Analytics",
        "url": url,
        "apply_url": url + "/apply",
        "locations": [Location(city="Austin", region="TX", country="US", text="Austin, TX")],
        "workplace_type": WorkplaceType.HYBRID,
        "employment_type": EmploymentType.FULL_TIME,
        "seniority": Seniority.SENIOR,
        "salary": Salary(
            min=120000,
            max=150000,
            currency="USD",
            period=SalaryPeriod.YEAR,
            annual_min=120000,
            annual_max=150000,
            text="$120K-$150K",
        ),
        "skills": ["python", "sql", "airflow"],
        "description": "Build and run batch and streaming data pipelines in Python and SQL.",
        "posted_at": datetime(2026, 11, 1, 12, 0, tzinfo=UTC),
        "sources": [SourceRef(source=source, source_id=source_id, url=url)],
    }
    fields.update(overrides)
    job = Job(**fields)
    if not job.content_hash:
        digest = hashlib.sha256(msgspec.json.encode([job.title, job.company, job.description])).hexdigest()
        job = msgspec.structs.replace(job, content_hash=digest)
    if not job.fingerprint:
        job = msgspec.structs.replace(job, fingerprint=f"fp-{job.id}")
    return job


def make_vector(seed: str, dimensions: int = 8) -> list[float]:
    """A deterministic unit vector derived from ``seed`` (for index tests)."""
    raw = hashlib.sha256(seed.encode()).digest()
    values = [(raw[i % len(raw)] - 127.5) / 127.5 for i in range(dimensions)]
    norm = sum(v * v for v in values) ** 0.5 or 1.0
    return [v / norm for v in values]
