"""Seniority inferred from real job titles."""

from __future__ import annotations

import pytest

from jobforge.core.models import Seniority
from jobforge.core.normalize import infer_seniority

S = Seniority


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # Glassdoor
        ("Data Scientist", S.UNKNOWN),
        ("Data Science Intern", S.INTERN),
        ("Jr. Data Scientist", S.JUNIOR),
        ("Junior Data Analyst", S.JUNIOR),
        ("Weapons and Sensors Engineer/Scientist \u2013 Entry Level", S.JUNIOR),
        ("Data Engineer I - Azure", S.JUNIOR),
        ("Data Scientist II", S.MID),
        ("Scientist I/II, Biology", S.JUNIOR),
        ("Senior Data Scientist", S.SENIOR),
        ("Sr. Data Engineer", S.SENIOR),
        ("Lead Data Scientist", S.LEAD),
        ("Staff Data Engineer", S.PRINCIPAL),
        ("Principal Data Scientist", S.PRINCIPAL),
        ("Principal Research Scientist/Team Lead, Medicinal Chemistry - Oncology", S.LEAD),
        ("Director, Data Science", S.DIRECTOR),
        ("Chief Data Officer", S.EXECUTIVE),
        # Source fixtures
        ("Senior / Staff Fullstack Engineer", S.SENIOR),  # ashby: alternatives, lowest wins
        ("Member of Technical Staff", S.UNKNOWN),  # ashby-2
        ("Sr. Staff AI Engineer", S.PRINCIPAL),  # fourdayweek
        ("Director, AI Engineer", S.DIRECTOR),  # fourdayweek
        ("Director, Engineering \u2013 Software Engineering", S.DIRECTOR),  # workday
        ("Senior System Engineer, Solution Engineering", S.SENIOR),  # workday
        ("Client Support Analyst I", S.JUNIOR),  # greenhouse-2
        ("Werkstudent Customer Success (x/f/m)", S.INTERN),  # arbeitnow
        ("(Senior) Key Account Success Manager (x/f/m)", S.MANAGER),  # arbeitnow
        ("Head of People & Culture", S.DIRECTOR),  # recruitee
        ("Customer Success Manager Benelux - Dutch speaking", S.MANAGER),  # recruitee
        ("Staff Engineer, Full Stack (Trust, Safety & Risk)", S.PRINCIPAL),  # jobicy
        ("Senior Java Software Developer", S.SENIOR),  # landing.jobs
        ("(Senior) Data Engineer", S.SENIOR),  # landing.jobs
        ("Senior/Lead Platform & DevOps Engineer", S.SENIOR),  # hackernews
        ("Account Executive, Commercial", S.UNKNOWN),  # greenhouse: not an executive level
        # Other shapes
        ("Software Engineer III", S.SENIOR),
        ("Software Engineer IV", S.SENIOR),
        ("Mid-level Backend Developer", S.MID),
        ("Graduate Software Engineer", S.JUNIOR),
        ("Entry-level Analyst", S.JUNIOR),
        ("Tech Lead, Payments", S.LEAD),
        ("Engineering Manager", S.MANAGER),
        ("Senior Engineering Manager", S.MANAGER),
        ("VP of Engineering", S.DIRECTOR),
        ("Vice President, Sales", S.DIRECTOR),
        ("CTO", S.EXECUTIVE),
        ("CEO & Co-Founder", S.EXECUTIVE),
        ("Lead Generation Specialist", S.UNKNOWN),
        ("Staff Accountant", S.UNKNOWN),
        ("Chief of Staff", S.UNKNOWN),
        ("Internal Communications Specialist", S.UNKNOWN),
        (None, S.UNKNOWN),
        ("", S.UNKNOWN),
    ],
)
def test_infer_seniority_from_title(title: str | None, expected: Seniority) -> None:
    assert infer_seniority(title) is expected


@pytest.mark.parametrize(
    ("title", "description", "expected"),
    [
        ("Data Engineer", "Requirements: 5+ years of experience with Spark.", S.SENIOR),
        ("Data Engineer", "You have 3-5 years of professional experience.", S.MID),
        ("Data Engineer", "Minimum of 3 years of experience in a technical sales role", S.MID),
        ("Data Engineer", "0-1 years experience; we train you.", S.JUNIOR),
        ("Data Engineer", "We have been around for 25 years.", S.UNKNOWN),
        ("Data Engineer", "Our 10 years old company", S.UNKNOWN),
        ("Senior Data Engineer", "2+ years of experience", S.SENIOR),  # the title wins
        ("Data Engineer", None, S.UNKNOWN),
    ],
)
def test_description_years_only_when_title_is_silent(
    title: str, description: str | None, expected: Seniority
) -> None:
    assert infer_seniority(title, description) is expected
