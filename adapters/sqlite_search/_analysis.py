"""What the index keeps of a job: its indexed text, weighted terms and filterable fields.

Pure Python (no numpy): used on the write path before anything is locked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import msgspec

from jobforge.adapters.sqlite_search.tokenizer import tokenize
from jobforge.core.models import Job

__all__ = ["COLUMNS", "COLUMN_WEIGHTS", "Analysed", "DocFields", "analyse", "epoch_seconds"]

COLUMNS = ("title", "company", "skills", "description", "locations")
"""The indexed text columns, in FTS5 column order."""
COLUMN_WEIGHTS = (4.0, 2.0, 2.0, 1.0, 1.0)
"""BM25 weight of each column: a term in the title counts four times one in the description."""


class DocFields(msgspec.Struct, array_like=True, frozen=True):
    """The filterable and facetable fields of one job, as persisted."""

    workplace: str
    employment: str
    seniority: str
    salary_amount: float | None
    """Annual maximum, else annual minimum."""
    salary_currency: str | None
    """Upper case."""
    posted: float | None
    """Epoch seconds."""
    company: str
    location_parts: tuple[str, ...]
    """Case-folded city, region, country and text of every location."""
    countries: tuple[str, ...]
    """Upper case."""
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Analysed:
    """A job ready to index: id, columns of text, term weights, length and fields."""

    job_id: str
    texts: tuple[str, ...]
    term_weights: dict[str, float]
    """Term to its column-weighted frequency (FTS5's ``bm25()`` weighting)."""
    length: int
    """Number of tokens over all columns (FTS5's document size)."""
    fields: DocFields


def epoch_seconds(moment: datetime) -> float:
    """Seconds since the epoch; a naive datetime is taken as UTC."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _location_parts(job: Job) -> list[str]:
    return [part for loc in job.locations for part in (loc.city, loc.region, loc.country, loc.text) if part]


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def analyse(job: Job) -> Analysed:
    """Tokenise a job's text and extract its filterable fields."""
    places = _location_parts(job)
    texts = (job.title, job.company, " ".join(job.skills), job.description, " ".join(places))
    weights: dict[str, float] = {}
    length = 0
    for text, weight in zip(texts, COLUMN_WEIGHTS, strict=True):
        terms = tokenize(text)
        length += len(terms)
        for term, count in Counter(terms).items():
            weights[term] = weights.get(term, 0.0) + weight * count
    salary = job.salary
    amount = None
    currency = None
    if salary is not None:
        amount = salary.annual_max if salary.annual_max is not None else salary.annual_min
        currency = salary.currency.upper() if salary.currency else None
    fields = DocFields(
        workplace=str(job.workplace_type.value),
        employment=str(job.employment_type.value),
        seniority=str(job.seniority.value),
        salary_amount=float(amount) if amount is not None else None,
        salary_currency=currency,
        posted=epoch_seconds(job.posted_at) if job.posted_at is not None else None,
        company=job.company,
        location_parts=_unique(part.casefold() for part in places),
        countries=_unique(loc.country.upper() for loc in job.locations if loc.country),
        sources=_unique([job.source, *(ref.source for ref in job.sources)]),
    )
    return Analysed(job_id=job.id, texts=texts, term_weights=weights, length=length, fields=fields)
