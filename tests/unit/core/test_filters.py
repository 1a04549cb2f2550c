"""Filter validation: every filter parsed, every bad value named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jobforge.core.errors import InvalidFilterError
from jobforge.core.filters import FILTER_NAMES, parse_filters
from jobforge.core.models import EmploymentType, Seniority, WorkplaceType
from jobforge.core.search_types import SearchFilters

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def parse(**raw: object) -> SearchFilters:
    return parse_filters(raw, now=NOW, default_currency="USD")


def test_no_filters() -> None:
    assert parse_filters(None, now=NOW) == SearchFilters()
    assert parse().is_empty()


def test_every_filter_parses() -> None:
    filters = parse(
        remote="remote,hybrid",
        location="Berlin",
        country=["de", "United States"],
        salary_min="120k",
        employment_type="full-time",
        seniority="senior",
        posted_within_days="7",
        company=["Acme, Inc.", "Globex"],
        exclude_company="Initech",
        source="file:a,greenhouse:acme",
    )
    assert filters.workplace_types == (WorkplaceType.REMOTE, WorkplaceType.HYBRID)
    assert filters.location == "Berlin"
    assert filters.countries == ("DE", "US")
    assert (filters.salary_min, filters.salary_currency) == (120_000, "USD")
    assert filters.employment_types == (EmploymentType.FULL_TIME,)
    assert filters.seniorities == (Seniority.SENIOR,)
    assert filters.posted_after == NOW - timedelta(days=7)
    assert filters.companies == ("Acme, Inc.", "Globex")
    assert filters.exclude_companies == ("Initech",)
    assert filters.sources == ("file:a", "greenhouse:acme")


@pytest.mark.parametrize(
    ("value", "amount", "currency"),
    [
        ("120000", 120_000, "USD"),
        ("120,000", 120_000, "USD"),
        ("120k", 120_000, "USD"),
        ("90000 EUR", 90_000, "EUR"),
        ("EUR 90000", 90_000, "EUR"),
        ("€75k", 75_000, "EUR"),
        ("£50,000", 50_000, "GBP"),
        (95000, 95_000, "USD"),
        (95000.5, 95_000.5, "USD"),
    ],
)
def test_salary_min_forms(value: object, amount: float, currency: str) -> None:
    filters = parse(salary_min=value)
    assert (filters.salary_min, filters.salary_currency) == (amount, currency)


@pytest.mark.parametrize(
    ("raw", "name", "fragment"),
    [
        ({"colour": "red"}, "colour", "unknown filter"),
        ({"remote": "sometimes"}, "remote", "expected one of remote, hybrid, onsite"),
        ({"salary_min": "lots"}, "salary_min", "expected an amount"),
        ({"salary_min": "-5"}, "salary_min", "expected an amount"),
        ({"salary_min": True}, "salary_min", "expected an amount"),
        ({"salary_min": "999999999999"}, "salary_min", "between 0 and"),
        ({"salary_min": "EUR 5 USD"}, "salary_min", "currency once"),
        ({"posted_within_days": "0"}, "posted_within_days", "between 1 and 3650"),
        ({"posted_within_days": "soon"}, "posted_within_days", "whole number"),
        ({"posted_within_days": 2.5}, "posted_within_days", "whole number"),
        ({"employment_type": "gig"}, "employment_type", "expected one of"),
        ({"seniority": "wizard"}, "seniority", "expected one of"),
        ({"seniority": "unknown"}, "seniority", "expected one of"),
        ({"country": "Atlantis"}, "country", "unknown country"),
        ({"location": ["a", "b"]}, "location", "takes one value"),
        ({"location": "x" * 300}, "location", "longer than"),
        ({"company": 5}, "company", "expected text"),
        ({"source": " , "}, "source", "is empty"),
    ],
)
def test_bad_filters_are_errors_naming_the_filter(raw: dict[str, object], name: str, fragment: str) -> None:
    with pytest.raises(InvalidFilterError) as info:
        parse(**raw)
    assert info.value.field == name
    assert fragment in info.value.message


def test_empty_values_mean_no_filter() -> None:
    assert parse(remote="", company=[], location=None).is_empty()


def test_every_documented_filter_is_accepted() -> None:
    assert set(FILTER_NAMES) == {
        "remote",
        "location",
        "country",
        "salary_min",
        "employment_type",
        "seniority",
        "posted_within_days",
        "company",
        "exclude_company",
        "source",
    }
