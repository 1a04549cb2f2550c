"""Employment-type words from sources to EmploymentType."""

from __future__ import annotations

import pytest

from jobforge.core.models import EmploymentType
from jobforge.core.normalize import parse_employment_type

FULL, PART, CONTRACT, TEMP, INTERN, VOLUNTEER, OTHER, UNKNOWN = (
    EmploymentType.FULL_TIME,
    EmploymentType.PART_TIME,
    EmploymentType.CONTRACT,
    EmploymentType.TEMPORARY,
    EmploymentType.INTERNSHIP,
    EmploymentType.VOLUNTEER,
    EmploymentType.OTHER,
    EmploymentType.UNKNOWN,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Values seen in the source fixtures
        ("FullTime", FULL),  # ashby
        ("Full Time", FULL),  # himalayas
        ("Full-Time", FULL),  # jobicy
        ("Full-time", FULL),  # lever, landing.jobs, smartrecruiters label
        ("full_time", FULL),  # remotive
        ("part_time", PART),  # remotive
        ("fulltime_permanent", FULL),  # recruitee
        ("permanent", FULL),  # smartrecruiters id
        ("Permanent", FULL),  # lever commitment
        ("Short Term", TEMP),  # lever commitment
        ("intern", INTERN),  # smartrecruiters id
        ("Contract", CONTRACT),  # breezy
        ("Other", OTHER),  # breezy
        # schema.org employmentType
        ("FULL_TIME", FULL),
        ("PART_TIME", PART),
        ("CONTRACTOR", CONTRACT),
        ("TEMPORARY", TEMP),
        ("INTERN", INTERN),
        ("VOLUNTEER", VOLUNTEER),
        ("PER_DIEM", OTHER),
        ("OTHER", OTHER),
        # Other spellings and languages
        ("FULLTIME", FULL),
        ("Festanstellung", FULL),
        ("Vollzeit", FULL),
        ("Vollzeit, unbefristet", FULL),
        ("CDI", FULL),
        ("Permanent contract", FULL),
        ("Teilzeit", PART),
        ("Part time", PART),
        ("Contractor", CONTRACT),
        ("Freelance", CONTRACT),
        ("Freelancer", CONTRACT),
        ("C2C", CONTRACT),
        ("1099", CONTRACT),
        ("Contract to hire", CONTRACT),
        ("Temp", TEMP),
        ("Seasonal", TEMP),
        ("Fixed-term", TEMP),
        ("Fixed-term contract", TEMP),
        ("CDD", TEMP),
        ("Befristet", TEMP),
        ("Internship", INTERN),
        ("Praktikum", INTERN),
        ("Working Student", INTERN),
        ("Werkstudent", INTERN),
        ("Werkstudent Customer Success (x/f/m)", INTERN),  # arbeitnow title
        ("Full-time internship", INTERN),
        ("Temporary full-time", TEMP),
        ("Volunteer", VOLUNTEER),
        ("Per diem", OTHER),
        ("Full-time or part-time", FULL),
        ("Part-time or full-time", PART),
        ("FT", FULL),
        # No signal
        (None, UNKNOWN),
        ("", UNKNOWN),
        ("   ", UNKNOWN),
        ("Senior Data Engineer", UNKNOWN),
        ("International Marketing Manager", UNKNOWN),
        ("Internal Audit", UNKNOWN),
        ("Template designer", UNKNOWN),
    ],
)
def test_parse_employment_type(text: str | None, expected: EmploymentType) -> None:
    assert parse_employment_type(text) is expected
