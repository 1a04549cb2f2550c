"""Turns a :class:`RawJob` from any source into a normalised :class:`Job`."""

from __future__ import annotations

from datetime import datetime

import msgspec

from jobforge.core.identity import canonical_url, content_hash, fingerprint, job_id_for
from jobforge.core.models import (
    EmploymentType,
    Job,
    Location,
    RawJob,
    Salary,
    Seniority,
    SourceRef,
    WorkplaceType,
)
from jobforge.core.normalize import (
    annualise,
    clean_text,
    company_key,
    detect_workplace_type,
    html_to_text,
    infer_seniority,
    looks_like_html,
    normalize_company,
    parse_datetime,
    parse_employment_type,
    parse_locations,
    parse_salary,
)

__all__ = ["MAX_TITLE_LENGTH", "NormalizationError", "normalize_job"]

MAX_TITLE_LENGTH = 300
MAX_DESCRIPTION_LENGTH = 200_000


class NormalizationError(ValueError):
    """A raw record that cannot become a job; the message is the quarantine reason."""


def normalize_job(raw: RawJob, *, now: datetime, default_currency: str | None = None) -> Job:
    """Normalise one raw posting.

    Raises :class:`NormalizationError` naming the field when the record is
    unusable (no title, no company, no identity, a bad URL).
    """
    title = clean_text(raw.title or "").replace("\n", " ").strip()
    if not title:
        raise NormalizationError("title: missing or empty")
    if len(title) > MAX_TITLE_LENGTH:
        raise NormalizationError(f"title: longer than {MAX_TITLE_LENGTH} characters")
    company = normalize_company(raw.company)
    if not company:
        raise NormalizationError("company: missing or empty")

    url = _checked_url("url", raw.url)
    apply_url = _checked_url("apply_url", raw.apply_url) or url
    source_id = (raw.source_id or "").strip() or url
    if not source_id:
        raise NormalizationError("source_id: missing, and no url to identify the posting by")

    description = _description(raw)
    locations, stated_workplace = _locations(raw)
    workplace = (
        raw.workplace_type
        or stated_workplace
        or detect_workplace_type(title, raw.location_text)
        or WorkplaceType.UNKNOWN
    )
    employment = raw.employment_type or parse_employment_type(raw.employment_type_text)
    if employment is EmploymentType.UNKNOWN:
        employment = parse_employment_type(title) if _mentions_contract_form(title) else employment
    seniority = raw.seniority or infer_seniority(title, description)
    salary = _salary(raw, default_currency)

    job = Job(
        id=job_id_for(raw.source, source_id),
        source=raw.source,
        source_id=source_id,
        title=title,
        company=company,
        url=url,
        apply_url=apply_url,
        locations=locations,
        workplace_type=workplace,
        employment_type=employment,
        seniority=seniority if isinstance(seniority, Seniority) else Seniority.UNKNOWN,
        salary=salary,
        skills=_skills(raw.skills),
        department=clean_text(raw.department).strip() or None if raw.department else None,
        description=description,
        posted_at=parse_datetime(raw.posted_at, now=now),
        valid_through=parse_datetime(raw.valid_through, now=now),
        updated_at=now,
    )
    digest = content_hash(job)
    return msgspec.structs.replace(
        job,
        content_hash=digest,
        fingerprint=fingerprint(job, company_key(company)),
        sources=[
            SourceRef(source=raw.source, source_id=source_id, url=url, first_seen=now, content_hash=digest)
        ],
    )


def _checked_url(field: str, value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    url = canonical_url(value)
    if url is None:
        raise NormalizationError(f"{field}: not an http(s) URL: {value[:200]!r}")
    return url


def _description(raw: RawJob) -> str:
    text = raw.description or ""
    is_html = raw.description_is_html if raw.description_is_html is not None else looks_like_html(text)
    text = html_to_text(text) if is_html else clean_text(text)
    return text[:MAX_DESCRIPTION_LENGTH]


def _locations(raw: RawJob) -> tuple[list[Location], WorkplaceType | None]:
    if raw.locations:
        _, stated = parse_locations(raw.location_text)
        return list(raw.locations), stated
    return parse_locations(raw.location_text)


def _salary(raw: RawJob, default_currency: str | None) -> Salary | None:
    if raw.salary is not None:
        return annualise(raw.salary)
    return parse_salary(raw.salary_text, default_currency=default_currency)


def _skills(skills: list[str] | None) -> list[str]:
    seen: dict[str, str] = {}
    for skill in skills or []:
        text = " ".join(str(skill).split())
        if text and text.casefold() not in seen:
            seen[text.casefold()] = text
    return list(seen.values())


def _mentions_contract_form(title: str) -> bool:
    lowered = title.casefold()
    return any(word in lowered for word in ("intern", "contract", "part-time", "part time", "temporary"))
