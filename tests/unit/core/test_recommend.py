"""Recommendations over a small ingested corpus (memory repository and index, hashing embedder)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from jobforge.adapters.hashing.embedder import HashingEmbedder
from jobforge.adapters.memory.repository import MemoryJobRepository
from jobforge.adapters.memory.search_index import MemorySearchIndex
from jobforge.adapters.memory.store import MemoryAppStore
from jobforge.core.applications import ApplicationService
from jobforge.core.clock import FixedClock
from jobforge.core.errors import InvalidRequestError
from jobforge.core.ingest import IngestService
from jobforge.core.models import (
    ApplicationStatus,
    CandidateProfile,
    Principal,
    RawJob,
    UserRole,
    WorkplaceType,
)
from jobforge.core.recommend import Recommendation, RecommendationService, matched_skills
from jobforge.core.search import SearchService
from jobforge.testing.factories import make_job
from jobforge.testing.fakes import FakeSource

NOW = datetime(2026, 6, 1, tzinfo=UTC)
ANN = Principal("acme", "ann", UserRole.MEMBER)
BOB = Principal("acme", "bob", UserRole.MEMBER)
PIPELINES = (
    "We build batch and streaming pipelines in Python and SQL, orchestrated with Airflow, "
    "on Spark and Kafka, and we care about data quality, testing and observability."
)


def _raw(source_id: str, title: str, company: str, **fields: object) -> RawJob:
    return RawJob(
        source="board",
        source_id=source_id,
        url=f"https://jobs.example.com/{source_id}",
        title=title,
        company=company,
        posted_at="2026-05-20",
        **fields,  # type: ignore[arg-type]
    )


CORPUS = [
    _raw(
        "sde",
        "Senior Data Engineer",
        "Acme",
        location_text="Remote",
        workplace_type=WorkplaceType.REMOTE,
        salary_text="$150,000 - $180,000 a year",
        skills=["Python", "SQL", "Airflow"],
        description=PIPELINES,
    ),
    _raw(
        "ml",
        "Machine Learning Engineer",
        "Acme",
        location_text="Remote",
        workplace_type=WorkplaceType.REMOTE,
        salary_text="$170,000 - $200,000 a year",
        skills=["Python", "PyTorch"],
        description="Train and ship models in Python and PyTorch; some SQL for features.",
    ),
    _raw(
        "fe",
        "Frontend Developer",
        "Initech",
        location_text="Berlin, Germany",
        workplace_type=WorkplaceType.ONSITE,
        salary_text="€60,000 - €70,000 a year",
        skills=["JavaScript", "React"],
        description="Build the web shop in React and TypeScript with our design team in Berlin.",
    ),
    _raw(
        "hooli",
        "Data Engineer",
        "Hooli",
        location_text="Austin, TX",
        workplace_type=WorkplaceType.HYBRID,
        skills=["Python", "dbt"],
        description="Model the warehouse in dbt and SQL; Python for ingestion jobs.",
    ),
    _raw(
        "analyst",
        "Data Analyst",
        "Umbrella",
        location_text="Berlin, Germany",
        workplace_type=WorkplaceType.ONSITE,
        salary_text="€55,000 a year",
        skills=["SQL", "Excel"],
        description="Dashboards and ad-hoc SQL analysis for the sales team.",
    ),
    *(
        _raw(
            f"globex-{city.lower()}",
            "Data Engineer",
            "Globex",
            location_text=f"{city}, US",
            workplace_type=WorkplaceType.REMOTE,
            salary_text="$140,000 - $165,000 a year",
            skills=["Python", "Spark"],
            description=f"{city} team. {PIPELINES}",
        )
        for city in ("Denver", "Boston", "Seattle")
    ),
]


@dataclass
class World:
    search: SearchService
    applications: ApplicationService
    recommend: RecommendationService
    repository: MemoryJobRepository


@pytest.fixture
async def world() -> World:
    clock = FixedClock(NOW)
    repository = MemoryJobRepository()
    index = MemorySearchIndex()
    embedder = HashingEmbedder(dimensions=256)
    report = await IngestService(repository=repository, index=index, embedder=embedder, clock=clock).ingest(
        FakeSource(CORPUS, name="board")
    )
    assert (report.status, report.counts.added) == ("completed", len(CORPUS)), report
    search = SearchService(repository=repository, index=index, embedder=embedder, clock=clock)
    applications = ApplicationService(MemoryAppStore().applications, repository, clock)
    return World(search, applications, RecommendationService(search, applications), repository)


def _titles(recommendations: list[Recommendation]) -> list[tuple[str, str]]:
    return [(r.job.company, r.job.title) for r in recommendations]


DATA_ENGINEER = CandidateProfile(
    titles=["data engineer"],
    skills=["Python", "sql", "Airflow", "Spark", "Go"],
    workplace_types=[WorkplaceType.REMOTE],
)


async def test_recommends_matching_remote_jobs_with_reasons(world: World) -> None:
    recommendations = await world.recommend.recommend(ANN, DATA_ENGINEER, limit=5)
    assert recommendations
    assert all(r.job.workplace_type is WorkplaceType.REMOTE for r in recommendations)
    assert all(r.score > 0 for r in recommendations)
    best = recommendations[0]
    assert best.job.title in {"Senior Data Engineer", "Data Engineer"}
    assert "title matches 'data engineer'" in best.reasons
    assert "remote" in best.reasons
    assert any(
        reason.startswith("matches 4 of your 5 skills (Python, sql, Airflow, Spark)")
        for reason in best.reasons
    )
    scores = [r.score for r in recommendations]
    assert scores == sorted(scores, reverse=True)


async def test_at_most_two_postings_per_company_and_title(world: World) -> None:
    recommendations = await world.recommend.recommend(ANN, DATA_ENGINEER, limit=10)
    assert _titles(recommendations).count(("Globex", "Data Engineer")) == 2
    assert len({r.job.id for r in recommendations}) == len(recommendations)


async def test_salary_minimum_filters_and_explains(world: World) -> None:
    profile = CandidateProfile(skills=["python"], salary_min=160_000, salary_currency="usd")
    recommendations = await world.recommend.recommend(ANN, profile)
    assert sorted(_titles(recommendations)) == [
        ("Acme", "Machine Learning Engineer"),
        ("Acme", "Senior Data Engineer"),
        ("Globex", "Data Engineer"),
        ("Globex", "Data Engineer"),
    ]
    assert all("salary above your minimum" in r.reasons for r in recommendations)


async def test_one_location_filters_several_only_explain(world: World) -> None:
    berlin = await world.recommend.recommend(
        ANN, CandidateProfile(skills=["sql", "react"], locations=["Berlin"])
    )
    assert sorted(_titles(berlin)) == [("Initech", "Frontend Developer"), ("Umbrella", "Data Analyst")]
    assert all("in Berlin" in r.reasons for r in berlin)
    both = await world.recommend.recommend(
        ANN, CandidateProfile(skills=["sql"], locations=["Berlin", "Austin"])
    )
    assert ("Hooli", "Data Engineer") in _titles(both)
    assert ("Umbrella", "Data Analyst") in _titles(both)


async def test_applied_and_dismissed_jobs_are_left_out(world: World) -> None:
    first = await world.recommend.recommend(ANN, DATA_ENGINEER, limit=3)
    applied, dismissed, saved = (r.job for r in first)
    await world.applications.create(ANN, job_id=applied.id)
    await world.applications.create(ANN, job_id=dismissed.id, status=ApplicationStatus.DISMISSED)
    await world.applications.create(ANN, job_id=saved.id, status=ApplicationStatus.SAVED)
    again = [r.job.id for r in await world.recommend.recommend(ANN, DATA_ENGINEER, limit=10)]
    assert applied.id not in again
    assert dismissed.id not in again
    assert saved.id in again
    # Another user's applications change nothing for Bob.
    assert applied.id in [r.job.id for r in await world.recommend.recommend(BOB, DATA_ENGINEER, limit=10)]


async def test_query_text_is_bounded_and_titles_come_first(world: World) -> None:
    profile = CandidateProfile(titles=["data engineer"], skills=["python"], resume_text="pipelines " * 5000)
    request = world.recommend.build_request(profile, 50)
    assert request.query.startswith("data engineer python pipelines")
    assert len(request.query) <= world.search.policy.max_query_length
    assert request.filters == {}
    remote = world.recommend.build_request(
        CandidateProfile(skills=["go"], locations=["Berlin"], workplace_types=[WorkplaceType.REMOTE]), 50
    )
    assert remote.filters == {"remote": ["remote"]}  # a remote job may be based anywhere


@pytest.mark.parametrize(
    ("profile", "limit", "field"),
    [
        (CandidateProfile(), 10, "profile"),
        (CandidateProfile(titles=["  "], skills=[""]), 10, "profile"),
        (CandidateProfile(skills=["x" * 201]), 10, "profile.skills"),
        (CandidateProfile(skills=[f"s{n}" for n in range(101)]), 10, "profile.skills"),
        (CandidateProfile(titles=["t"] * 21), 10, "profile.titles"),
        (CandidateProfile(skills=["sql"], salary_min=-1), 10, "profile.salary_min"),
        (
            CandidateProfile(skills=["sql"], salary_min=90_000, salary_currency="dollars"),
            10,
            "profile.salary_currency",
        ),
        (CandidateProfile(skills=["sql"]), 0, "limit"),
        (CandidateProfile(skills=["sql"]), 101, "limit"),
    ],
)
async def test_invalid_requests_name_the_field(
    world: World, profile: CandidateProfile, limit: int, field: str
) -> None:
    with pytest.raises(InvalidRequestError) as info:
        await world.recommend.recommend(ANN, profile, limit=limit)
    assert info.value.field == field


def test_matched_skills_are_case_insensitive_whole_words() -> None:
    job = make_job(
        skills=["Python", "SQL"],
        title="Backend Engineer (C++)",
        description="Node.js services; some Go. Not javascript-heavy.",
    )
    assert matched_skills(["python", "c++", "node.js", "go", "java", "Rust"], job) == [
        "python",
        "c++",
        "node.js",
        "go",
    ]
