"""Normalisation of the free-form values job sources deliver.

Pure functions, standard library only: salary text to amounts, currency and
period (plus annual figures); location text to city/region/country and a
workplace type; HTML to plain text; employment-type words; seniority from
titles; dates in any format to UTC; company names for display and matching.
Each leaves a value it cannot read as unknown rather than guessing.
"""

from __future__ import annotations

from jobforge.core.normalize.company import company_key, normalize_company
from jobforge.core.normalize.dates import parse_datetime
from jobforge.core.normalize.employment import parse_employment_type
from jobforge.core.normalize.html_text import clean_text, html_to_text, looks_like_html
from jobforge.core.normalize.location import country_code, detect_workplace_type, parse_locations
from jobforge.core.normalize.salary import (
    ANNUAL_FACTORS,
    annualise,
    make_salary,
    normalize_currency,
    parse_salary,
    parse_salary_period,
)
from jobforge.core.normalize.seniority import infer_seniority

__all__ = [
    "ANNUAL_FACTORS",
    "annualise",
    "clean_text",
    "company_key",
    "country_code",
    "detect_workplace_type",
    "html_to_text",
    "infer_seniority",
    "looks_like_html",
    "make_salary",
    "normalize_company",
    "normalize_currency",
    "parse_datetime",
    "parse_employment_type",
    "parse_locations",
    "parse_salary",
    "parse_salary_period",
]
