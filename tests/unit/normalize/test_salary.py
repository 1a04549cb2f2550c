"""Salary parsing on strings job boards really print."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobforge.core.models import Salary, SalaryPeriod
from jobforge.core.normalize import (
    ANNUAL_FACTORS,
    annualise,
    make_salary,
    normalize_currency,
    parse_salary,
    parse_salary_period,
)

HOUR, DAY, WEEK, MONTH, YEAR = (
    SalaryPeriod.HOUR,
    SalaryPeriod.DAY,
    SalaryPeriod.WEEK,
    SalaryPeriod.MONTH,
    SalaryPeriod.YEAR,
)

# text -> (min, max, currency, period, annual_min, annual_max, estimated)
PARSED = [
    # Glassdoor (data/glassdoor_jobs.csv)
    ("$53K-$91K (Glassdoor est.)", (53000, 91000, "USD", YEAR, 53000, 91000, True)),
    ("$56K-$97K (Glassdoor est.)", (56000, 97000, "USD", YEAR, 56000, 97000, True)),
    ("$21-$34 Per Hour(Glassdoor est.)", (21, 34, "USD", HOUR, 43680, 70720, True)),
    ("$10-$17 Per Hour(Glassdoor est.)", (10, 17, "USD", HOUR, 20800, 35360, True)),
    ("Employer Provided Salary:$150K-$160K", (150000, 160000, "USD", YEAR, 150000, 160000, False)),
    ("Employer Provided Salary:$25-$28 Per Hour", (25, 28, "USD", HOUR, 52000, 58240, False)),
    ("$110K-$150K(Employer est.)", (110000, 150000, "USD", YEAR, 110000, 150000, True)),
    ("$15K-$16K(Employer est.)", (15000, 16000, "USD", YEAR, 15000, 16000, True)),
    # remotive, fourdayweek, breezy, hackernews fixtures
    ("$90k - $105k", (90000, 105000, "USD", YEAR, 90000, 105000, False)),
    ("$286k - $392k", (286000, 392000, "USD", YEAR, 286000, 392000, False)),
    ("$0.05 \u2013 $0.06 / hour", (0.05, 0.06, "USD", HOUR, 104, 124.8, False)),
    ("$1 \u2013 $5 / year", (1, 5, "USD", YEAR, 1, 5, False)),
    ("\u20ac75k\u2013110k", (75000, 110000, "EUR", YEAR, 75000, 110000, False)),
    ("$150 - 210K USD + equity", (150000, 210000, "USD", YEAR, 150000, 210000, False)),
    ("The OTE salary range is $190,800-$227,900", (190800, 227900, "USD", YEAR, 190800, 227900, False)),
    # Other common shapes
    ("$34.62/hour", (34.62, 34.62, "USD", HOUR, 72009.6, 72009.6, False)),
    ("\u20ac45,000 - \u20ac55,000 a year", (45000, 55000, "EUR", YEAR, 45000, 55000, False)),
    ("3500-4500 USD", (3500, 4500, "USD", MONTH, 42000, 54000, False)),
    ("Up to $150k", (None, 150000, "USD", YEAR, None, 150000, False)),
    ("From \u00a340,000", (40000, None, "GBP", YEAR, 40000, None, False)),
    ("USD 120,000 \u2013 150,000", (120000, 150000, "USD", YEAR, 120000, 150000, False)),
    ("100.000 - 120.000 EUR", (100000, 120000, "EUR", YEAR, 100000, 120000, False)),
    ("45k-55k", (45000, 55000, None, YEAR, 45000, 55000, False)),
    ("CHF 100'000", (100000, 100000, "CHF", YEAR, 100000, 100000, False)),
    (
        "\u20b912,00,000 - \u20b918,00,000 per annum",
        (1200000, 1800000, "INR", YEAR, 1200000, 1800000, False),
    ),
    ("$120,000.00 per year", (120000, 120000, "USD", YEAR, 120000, 120000, False)),
    ("$97K-$56K", (56000, 97000, "USD", YEAR, 56000, 97000, False)),
    ("$100K+", (100000, None, "USD", YEAR, 100000, None, False)),
    ("CA$80,000 - CA$100,000", (80000, 100000, "CAD", YEAR, 80000, 100000, False)),
    ("C$95k", (95000, 95000, "CAD", YEAR, 95000, 95000, False)),
    ("A$120k - A$140k", (120000, 140000, "AUD", YEAR, 120000, 140000, False)),
    ("AU$130,000", (130000, 130000, "AUD", YEAR, 130000, 130000, False)),
    ("\u00a56,000,000 per year", (6000000, 6000000, "JPY", YEAR, 6000000, 6000000, False)),
    ("\u00a3500 - \u00a3600 per day", (500, 600, "GBP", DAY, 130000, 156000, False)),
    ("$1,200/week", (1200, 1200, "USD", WEEK, 62400, 62400, False)),
    ("\u20ac3,000 - \u20ac4,000 brutto / Monat", (3000, 4000, "EUR", MONTH, 36000, 48000, False)),
    ("45 000 \u20ac par an", (45000, 45000, "EUR", YEAR, 45000, 45000, False)),
    ("\u00a315ph", (15, 15, "GBP", HOUR, 31200, 31200, False)),
    ("Salary: 50-60k (EUR)", (50000, 60000, "EUR", YEAR, 50000, 60000, False)),
    ("$28.50 - $35.00 an hour", (28.5, 35, "USD", HOUR, 59280, 72800, False)),
    ("$100,000 to $130,000 annually", (100000, 130000, "USD", YEAR, 100000, 130000, False)),
    ("50000-60000", (50000, 60000, None, YEAR, 50000, 60000, False)),
    ("\u20b96L - \u20b99L", (600000, 900000, "INR", YEAR, 600000, 900000, False)),
    ("$95k base, 401k match", (95000, 95000, "USD", YEAR, 95000, 95000, False)),
]


@pytest.mark.parametrize(("text", "expected"), PARSED)
def test_parse_salary(text: str, expected: tuple[object, ...]) -> None:
    salary = parse_salary(text)
    assert salary is not None
    got = (
        salary.min,
        salary.max,
        salary.currency,
        salary.period,
        salary.annual_min,
        salary.annual_max,
        salary.estimated,
    )
    assert got == expected
    assert salary.text == text


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "-1",
        "Competitive",
        "DOE",
        "Depends on experience",
        "401k match",
        "401(k) with 4% match",
        "Call 555-123-4567",
        "555-1234",
        "(555) 123-4567",
        "2024",
        "2020-2024",
        "12",
        "$100-$6000",  # max more than 50 times min
        "10k-900k",
        "3-5 years of experience",
    ],
)
def test_parse_salary_rejects_what_is_not_a_salary(text: str | None) -> None:
    assert parse_salary(text) is None


@pytest.mark.parametrize(
    ("text", "kwargs", "expected"),
    [
        # A range with no period and no hint: figures between 1,000 and 12,000 read as monthly.
        ("3500-4500 USD", {}, (MONTH, 42000, 54000)),
        ("3500-4500 USD", {"period_hint": YEAR}, (YEAR, 3500, 4500)),
        ("15-20 EUR", {}, (None, None, None)),  # hourly or daily? unknown
        ("15-20 EUR", {"period_hint": HOUR}, (HOUR, 31200, 41600)),
        ("14,000 - 18,000 USD", {}, (None, None, None)),  # neither clearly monthly nor annual
        ("SEK 45,000", {}, (None, None, None)),  # no magnitude rule for SEK
        ("$20/hour", {"period_hint": YEAR}, (HOUR, 41600, 41600)),  # stated period wins
    ],
)
def test_period_inference(text: str, kwargs: dict[str, object], expected: tuple[object, ...]) -> None:
    salary = parse_salary(text, **kwargs)  # type: ignore[arg-type]
    assert salary is not None
    assert (salary.period, salary.annual_min, salary.annual_max) == expected


def test_descriptions_yield_only_amounts_introduced_as_pay() -> None:
    funding = "We raised $20M in our Series B and have offices worldwide, with perks, equity and benefits. "
    salary = parse_salary(funding * 3 + "The base salary range is $120,000 - $150,000 per year.")
    assert salary is not None
    assert (salary.min, salary.max, salary.period) == (120000, 150000, YEAR)
    assert parse_salary(funding * 3) is None


def test_default_currency_applies_only_when_the_text_names_none() -> None:
    no_currency = parse_salary("45k-55k", default_currency="eur")
    named = parse_salary("$45k-55k", default_currency="EUR")
    assert no_currency is not None
    assert no_currency.currency == "EUR"
    assert named is not None
    assert named.currency == "USD"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # recruitee: strings, month
        (("3750", "5250", "EUR", "month"), (3750, 5250, "EUR", MONTH, 45000, 63000)),
        # himalayas: numbers, hourly / annual
        ((15, 30, "USD", "hourly"), (15, 30, "USD", HOUR, 31200, 62400)),
        ((100000, 115000, "USD", "annual"), (100000, 115000, "USD", YEAR, 100000, 115000)),
        # jobicy: yearly
        ((200000, 250000, "USD", "yearly"), (200000, 250000, "USD", YEAR, 200000, 250000)),
        # landing.jobs: no period given
        ((50000, 67000, "EUR", None), (50000, 67000, "EUR", None, None, None)),
        # swapped, enum period, upper-case code, symbol currency
        ((90000, 70000, "usd", YEAR), (70000, 90000, "USD", YEAR, 70000, 90000)),
        (("40", None, "\u00a3", "per_hour"), (40, None, "GBP", HOUR, 83200, None)),
        ((None, "150k", "USD", "YEAR"), (None, 150000, "USD", YEAR, None, 150000)),
        ((5000, 6000, "EUR", "biweekly"), (5000, 6000, "EUR", None, None, None)),
    ],
)
def test_make_salary(args: tuple[object, ...], expected: tuple[object, ...]) -> None:
    salary = make_salary(*args)  # type: ignore[arg-type]
    assert salary is not None
    assert (
        salary.min,
        salary.max,
        salary.currency,
        salary.period,
        salary.annual_min,
        salary.annual_max,
    ) == expected


@pytest.mark.parametrize(
    "args",
    [
        (None, None, "USD", "year"),
        (0, 0, "USD", "year"),  # remoteok: 0 means unknown
        ("", "", "EUR", "month"),
        ("n/a", None, "EUR", "month"),
        (1000, 100000, "USD", "year"),  # implausible range
        (float("nan"), None, "USD", "year"),
    ],
)
def test_make_salary_unknown(args: tuple[object, ...]) -> None:
    assert make_salary(*args) is None  # type: ignore[arg-type]


def test_make_salary_keeps_the_text() -> None:
    salary = make_salary(286200, 392000, "USD", "year", text="$286k - $392k")
    assert salary is not None
    assert salary.text == "$286k - $392k"


@pytest.mark.parametrize(("period", "factor"), list(ANNUAL_FACTORS.items()))
def test_annualise_factors(period: SalaryPeriod, factor: int) -> None:
    salary = annualise(Salary(min=10, max=20, currency="USD", period=period))
    assert (salary.annual_min, salary.annual_max) == (10 * factor, 20 * factor)


def test_annualise_without_period_clears_annual_figures() -> None:
    salary = annualise(Salary(min=10, max=20, annual_min=1, annual_max=2))
    assert (salary.annual_min, salary.annual_max) == (None, None)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("hourly", HOUR),
        ("per_hour", HOUR),
        ("HOUR", HOUR),
        ("daily", DAY),
        ("weekly", WEEK),
        ("monthly", MONTH),
        ("Month", MONTH),
        ("annual", YEAR),
        ("yearly", YEAR),
        ("per annum", YEAR),
        ("YEAR", YEAR),
        ("biweekly", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_salary_period(word: str | None, expected: SalaryPeriod | None) -> None:
    assert parse_salary_period(word) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("usd", "USD"), ("$", "USD"), ("\u20ac", "EUR"), ("C$", "CAD"), ("RMB", "CNY"), ("dollars", None)],
)
def test_normalize_currency(value: str, expected: str | None) -> None:
    assert normalize_currency(value) == expected


def _glassdoor_column(shared_dir: Path, column: str) -> list[str]:
    with (shared_dir / "data" / "glassdoor_jobs.csv").open(encoding="utf-8", newline="") as handle:
        return [row[column] for row in csv.DictReader(handle)]


def test_every_glassdoor_salary_estimate(shared_dir: Path) -> None:
    texts = _glassdoor_column(shared_dir, "Salary Estimate")
    stated = [t for t in texts if t.strip() != "-1"]
    parsed = 0
    for text in texts:
        salary = parse_salary(text)
        if text.strip() == "-1":
            assert salary is None
            continue
        if salary is None:
            continue
        parsed += 1
        assert salary.text == text
        assert salary.currency == "USD"
        assert salary.min is not None
        assert salary.max is not None
        assert 0 < salary.min <= salary.max
        assert salary.period is not None
        factor = ANNUAL_FACTORS[salary.period]
        assert salary.annual_min == pytest.approx(salary.min * factor)
        assert salary.annual_max == pytest.approx(salary.max * factor)
        assert salary.period is (HOUR if "Per Hour" in text else YEAR)
        assert salary.estimated is ("est." in text)
    assert parsed >= 0.95 * len(stated)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_parse_salary_never_raises(text: str) -> None:
    salary = parse_salary(text)
    if salary is not None:
        values = [v for v in (salary.min, salary.max) if v is not None]
        assert values
        assert all(v > 0 and math.isfinite(v) for v in values)
        if salary.min is not None and salary.max is not None:
            assert salary.min <= salary.max


@settings(max_examples=200, deadline=None)
@given(
    st.from_regex(
        r"[$\u20ac\u00a3]?\d{1,3}(,\d{3})?(\.\d{2})?[kK]? ?[-\u2013]? ?[$\u20ac\u00a3]?\d{1,3}(,\d{3})?[kK]?"
        r"( per (hour|year|month))?",
        fullmatch=True,
    )
)
def test_salary_like_text_is_consistent(text: str) -> None:
    salary = parse_salary(text)
    if salary is None:
        return
    if salary.min is not None and salary.max is not None:
        assert salary.min <= salary.max <= 50 * salary.min
    if salary.period is None:
        assert salary.annual_min is None
        assert salary.annual_max is None
