"""The synthetic sample postings: deterministic, realistic, and readable by the file source."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from jobforge.adapters.file_source.source import FileSource
from jobforge.core.models import RawJob, RejectedRecord
from jobforge.hosts.sample_data import generate_postings, write_sample_file

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
FIELDS = {
    "id",
    "url",
    "apply_url",
    "title",
    "company",
    "location",
    "workplace_type",
    "employment_type",
    "salary",
    "posted_at",
    "description",
    "skills",
    "department",
}


@pytest.fixture(scope="module")
def postings() -> list[dict]:
    return generate_postings(1500, seed=7, now=NOW)


def words(text: str) -> int:
    return len(re.sub(r"<[^>]+>", " ", text).split())


def test_deterministic_for_count_seed_and_now(postings: list[dict]) -> None:
    assert generate_postings(1500, seed=7, now=NOW) == postings
    assert generate_postings(1500, seed=8, now=NOW) != postings
    shifted = generate_postings(1500, seed=7, now=NOW + timedelta(days=1))
    assert [p["title"] for p in shifted] == [p["title"] for p in postings]
    assert shifted[0]["posted_at"] != postings[0]["posted_at"]


def test_every_posting_has_the_file_source_columns(postings: list[dict]) -> None:
    assert len(postings) == 1500
    for posting in postings:
        assert set(posting) == FIELDS
        assert posting["title"]
        assert posting["company"]
        assert posting["location"]
        assert posting["department"]
        assert 4 <= len(posting["skills"]) <= 8
    assert len({p["id"] for p in postings}) == 1500
    assert len({p["url"] for p in postings}) == 1500


def test_urls_follow_the_careers_pattern(postings: list[dict]) -> None:
    for posting in postings:
        assert re.fullmatch(
            r"https://careers\.[a-z0-9-]+\.example/jobs/" + re.escape(posting["id"]), posting["url"]
        )
        assert posting["apply_url"] in (None, posting["url"] + "/apply")


def test_posted_within_sixty_days_before_now(postings: list[dict]) -> None:
    for posting in postings:
        posted = datetime.fromisoformat(posting["posted_at"])
        assert posted.tzinfo is not None
        assert NOW - timedelta(days=60) <= posted <= NOW


def test_descriptions_are_several_paragraphs_of_150_to_350_words(postings: list[dict]) -> None:
    counts = [words(p["description"]) for p in postings]
    assert min(counts) >= 150
    assert max(counts) <= 350
    assert max(counts) - min(counts) > 100  # varied, not one template
    assert all(p["description"].count("\n") >= 4 for p in postings)
    html = [p for p in postings if p["description"].startswith("<")]
    assert 0.05 < len(html) / len(postings) < 0.3
    for posting in postings:
        skill_mentioned = any(skill in posting["description"] for skill in posting["skills"])
        assert skill_mentioned, posting["title"]


def test_variety_of_companies_titles_places_and_salary_forms(postings: list[dict]) -> None:
    assert len({p["company"] for p in postings}) >= 75
    base_titles = {
        re.sub(r"^(Junior|Senior|Staff|Lead|Principal|Associate|Enterprise) | (II|Intern)$", "", p["title"])
        for p in postings
    }
    assert len(base_titles) >= 60
    locations = {p["location"] for p in postings}
    assert len({loc for loc in locations if "Remote" not in loc and "Hybrid" not in loc}) >= 40
    assert {"Remote", "Remote - US"} <= locations
    assert any(loc.startswith("Hybrid - ") for loc in locations)
    salaries = [p["salary"] for p in postings]
    assert 0.15 < salaries.count("") / len(salaries) < 0.35
    patterns = {
        "k range": r"^\$\d+K-\$\d+K$",
        "hourly": r"/hour$|an hour$|per hour$|/hr$",
        "euro yearly": r"^€[\d,]+ - €[\d,]+ a year$",
        "pound k": r"^£\d+k$",
        "up to": r"^Up to ",
        "rupees": r"^₹",
    }
    for name, pattern in patterns.items():
        assert any(re.search(pattern, s) for s in salaries), name
    types = Counter(p["employment_type"] for p in postings)
    assert {"Full-time", "Part-time", "Contract", "Internship"} <= set(types)
    assert Counter(p["department"] for p in postings).keys() >= {
        "Engineering",
        "Data",
        "Product",
        "Design",
        "Marketing",
        "Sales",
        "Customer Support",
        "Finance",
        "Clinical",
        "Operations",
    }


def test_about_three_percent_are_reposts(postings: list[dict]) -> None:
    groups = Counter((p["company"], p["title"], p["location"], p["description"]) for p in postings)
    reposts = sum(n - 1 for n in groups.values() if n > 1)
    assert 30 <= reposts <= 60


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        generate_postings(10, now=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="count"):
        generate_postings(-1, now=NOW)
    assert generate_postings(0, now=NOW) == []
    assert len(generate_postings(3, now=datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=-5))))) == 3


async def test_file_source_reads_the_sample_back_without_rejects(tmp_path: Path) -> None:
    path = write_sample_file(tmp_path / "sample" / "postings.jsonl", 300, seed=3, now=NOW)
    assert path.is_file()
    source = FileSource(path)
    items = [item async for item in source.fetch()]
    assert not [item for item in items if isinstance(item, RejectedRecord)]
    jobs = [item for item in items if isinstance(item, RawJob)]
    expected = generate_postings(300, seed=3, now=NOW)
    assert len(jobs) == source.total_hint() == 300
    for job, posting in zip(jobs, expected, strict=True):
        assert job.source_id == posting["id"]
        assert job.title == posting["title"]
        assert job.salary_text == (posting["salary"] or None)
        assert job.location_text == posting["location"]
        assert job.skills == posting["skills"]
        assert job.posted_at == posting["posted_at"]
        assert job.extra == {}
        if posting["workplace_type"]:
            assert job.workplace_type == posting["workplace_type"]
