"""The feature reranker: reading intents, feature values, ordering, and the search window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from jobforge.adapters.hashing.embedder import HashingEmbedder
from jobforge.adapters.memory.repository import MemoryJobRepository
from jobforge.adapters.memory.search_index import MemorySearchIndex
from jobforge.core.clock import FixedClock
from jobforge.core.ingest import IngestService
from jobforge.core.models import CandidateProfile, Location, Salary, Seniority, WorkplaceType
from jobforge.core.ranking import (
    FeatureReranker,
    RankingIntent,
    RankingWeights,
    intent_from_profile,
    intent_from_query,
    title_words,
)
from jobforge.core.search import SearchService
from jobforge.core.search_types import SearchFilters, SearchHit, SearchRequest
from jobforge.testing.factories import make_job
from jobforge.testing.fakes import FakeSource

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _hit(
    job: object, *, semantic: float | None = 0.5, keyword: float | None = 1.0, score: float = 0.03
) -> SearchHit:
    return SearchHit(
        score=score,
        explanation={"semantic_score": semantic, "keyword_score": keyword},
        job=job,  # type: ignore[arg-type]
    )


def _usd(top: float) -> Salary:
    return Salary(min=top * 0.8, max=top, currency="USD", annual_min=top * 0.8, annual_max=top)


def test_query_intent_separates_title_skills_level_place_and_pay() -> None:
    intent = intent_from_query(
        SearchRequest(query="Senior Python backend developer in Berlin, remote, $150,000"),
        places={"berlin"},
    )
    assert intent.titles == (("backend", "engineer"),)  # the skill is not a title word; developer = engineer
    assert intent.skills == ("Python",)
    assert intent.seniorities == (Seniority.SENIOR,)
    assert intent.places == ("berlin",)
    assert intent.workplace_types == (WorkplaceType.REMOTE,)
    assert (intent.salary_min, intent.salary_currency) == (150_000, "USD")


@pytest.mark.parametrize(
    ("query", "amount", "currency"),
    [
        ("data engineer 150k", 150_000, "USD"),
        ("backend engineer €80k", 80_000, "EUR"),
        ("nurse 95,000 gbp", 95_000, "GBP"),
        ("python 3 developer", None, None),
        ("top 100 companies", None, None),
    ],
)
def test_salary_amounts_in_queries(query: str, amount: float | None, currency: str | None) -> None:
    intent = intent_from_query(SearchRequest(query=query))
    assert (intent.salary_min, intent.salary_currency) == (amount, currency)


def test_countries_and_regions_in_queries() -> None:
    assert intent_from_query(SearchRequest(query="designer germany")).countries == ("DE",)
    europe = intent_from_query(SearchRequest(query="remote devops engineer europe")).countries
    assert {"DE", "FR", "NL", "GB"} <= set(europe)


def test_filters_count_as_wishes() -> None:
    filters = SearchFilters(
        workplace_types=(WorkplaceType.HYBRID,), location="Austin", salary_min=90_000, salary_currency="USD"
    )
    intent = intent_from_query(SearchRequest(query="nurse"), filters)
    assert intent.workplace_types == (WorkplaceType.HYBRID,)
    assert intent.places == ("austin",)
    assert (intent.salary_min, intent.salary_currency) == (90_000, "USD")


def test_profile_intent_reads_levels_and_resume_skills() -> None:
    intent = intent_from_profile(
        CandidateProfile(
            titles=["Senior Data Engineer", "Analytics Engineer"],
            skills=["js", "Postgres"],
            locations=["Berlin"],
            salary_min=90_000,
            resume_text="Built Airflow DAGs and k8s operators.",
        )
    )
    assert intent.titles == (("data", "engineer"), ("analytics", "engineer"))
    assert intent.seniorities == (Seniority.SENIOR,)
    assert intent.skills == ("JavaScript", "PostgreSQL", "Airflow", "Kubernetes")
    assert (intent.salary_min, intent.salary_currency) == (90_000, "USD")


def test_title_words_join_phrases_and_synonyms() -> None:
    assert title_words("Front-End Developer") == ("frontend", "engineer")
    assert title_words("Full Stack Engineer") == ("fullstack", "engineer")


def test_feature_values() -> None:
    reranker = FeatureReranker(now=lambda: NOW)
    intent = RankingIntent(
        titles=(("data", "engineer"),),
        seniorities=(Seniority.SENIOR,),
        skills=("Python", "Airflow"),
        places=("austin",),
        salary_min=140_000,
        salary_currency="USD",
    )
    senior = make_job(
        title="Senior Data Engineer", seniority=Seniority.SENIOR, salary=_usd(150_000), posted_at=NOW
    )
    plain = make_job(
        title="Data Engineer",
        seniority=Seniority.UNKNOWN,
        skills=["python"],
        description="",
        salary=None,
        posted_at=NOW - timedelta(days=30),
        locations=[Location(city="Berlin", country="DE")],
    )
    junior = make_job(
        title="Junior Data Analyst", seniority=Seniority.JUNIOR, salary=_usd(90_000), posted_at=None
    )
    euro = make_job(salary=Salary(max=200_000, annual_max=200_000, currency="EUR"))
    f = reranker.features(
        intent, [_hit(senior), _hit(plain, keyword=0.5, semantic=None), _hit(junior), _hit(euro)]
    )
    assert f[0] == {
        "semantic": 0.5,
        "keyword": 1.0,
        "title": 1.0,
        "skills": 1.0,
        "recency": 1.0,
        "salary": 1.0,
        "location": 1.0,
    }
    assert f[1]["title"] == pytest.approx(0.6)  # no stated level: neither match nor miss
    assert f[1]["skills"] == 0.5
    assert f[1]["recency"] == pytest.approx(0.5)  # one half life
    assert (f[1]["salary"], f[1]["location"], f[1]["semantic"], f[1]["keyword"]) == (0.3, 0.0, 0.0, 0.5)
    assert f[2]["title"] == pytest.approx(0.25)  # one of two words, other level
    assert (f[2]["salary"], f[2]["recency"]) == (0.0, 0.0)
    assert f[3]["salary"] == 0.1  # another currency


def test_features_without_wishes_are_zero() -> None:
    reranker = FeatureReranker(now=lambda: NOW)
    (features,) = reranker.features(RankingIntent(), [_hit(make_job(posted_at=None))])
    assert {k: v for k, v in features.items() if k not in ("semantic", "keyword")} == {
        "title": 0.0,
        "skills": 0.0,
        "recency": 0.0,
        "salary": 0.0,
        "location": 0.0,
    }


def test_rerank_orders_by_weighted_features_and_explains() -> None:
    reranker = FeatureReranker(now=lambda: NOW)
    analyst = make_job(title="Data Analyst", posted_at=NOW)
    engineer = make_job(title="Data Engineer", posted_at=NOW)
    hits = [_hit(analyst, semantic=0.6, score=0.05), _hit(engineer, semantic=0.5, score=0.04)]
    ranked = reranker.rerank(SearchRequest(query="data engineer"), hits)
    assert [h.job.title for h in ranked] == ["Data Engineer", "Data Analyst"]
    ranking = ranked[0].explanation["ranking"]
    assert ranking["retrieval_score"] == 0.04
    assert ranking["features"]["title"] == 1.0
    assert ranked[0].score == pytest.approx(ranking["score"], abs=1e-6)
    assert ranked[0].explanation["semantic_score"] == 0.5  # retrieval evidence is kept
    # Only semantic similarity counted: the retrieval order comes back.
    semantic_only = RankingWeights(keyword=0, title=0, skills=0, recency=0, salary=0, location=0)
    assert (
        reranker.rerank(SearchRequest(query="data engineer"), hits, weights=semantic_only)[0].job is analyst
    )


def test_only_the_shown_hits_are_explained_and_the_order_is_unchanged() -> None:
    reranker = FeatureReranker(now=lambda: NOW)
    titles = ["Data Analyst", "Data Engineer", "Nurse", "Senior Data Engineer", "Data Engineer"]
    hits = [
        _hit(make_job(title=title, posted_at=NOW), semantic=0.5 - n / 100, score=0.05 - n / 1000)
        for n, title in enumerate(titles)
    ]
    request = SearchRequest(query="data engineer")
    everything = reranker.rerank(request, hits)
    page = reranker.rerank(request, hits, explain=2)
    assert [h.job.id for h in page] == [h.job.id for h in everything]
    assert [h.score for h in page] == [h.score for h in everything]
    assert [h.explanation for h in page[:2]] == [h.explanation for h in everything[:2]]
    assert all("ranking" not in h.explanation for h in page[2:])
    assert all("semantic_score" in h.explanation for h in page)
    # Two hits with the same title keep their retrieval order.
    engineers = [h.job.id for h in everything if h.job.title == "Data Engineer"]
    assert engineers == [hits[1].job.id, hits[4].job.id]


def test_weights_merge_and_validate() -> None:
    weights = RankingWeights().merged({"title": 2, "recency": 0})
    assert (weights.title, weights.recency, weights.semantic) == (2.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="unknown ranking feature 'novelty'"):
        RankingWeights().merged({"novelty": 1})
    with pytest.raises(ValueError, match="non-negative"):
        RankingWeights(title=-1)


async def test_the_window_lets_the_reranker_lift_candidates_onto_page_one() -> None:
    clock = FixedClock(NOW)
    repository, index, embedder = MemoryJobRepository(), MemorySearchIndex(), HashingEmbedder(dimensions=256)
    jobs = [
        make_job(
            source="board",
            source_id=f"j{n}",
            title=f"Engineer {n}",
            description="engineer " * (30 - n),
            posted_at=NOW - timedelta(days=n),
        )
        for n in range(30)
    ]
    from jobforge.core.models import RawJob

    raws = [
        RawJob(
            source="board",
            source_id=j.source_id,
            url=j.url,
            title=j.title,
            company=j.company,
            description=j.description,
            posted_at=j.posted_at,
        )
        for j in jobs
    ]
    await IngestService(repository=repository, index=index, embedder=embedder, clock=clock).ingest(
        FakeSource(raws)
    )
    seen: list[int] = []

    def reverse(request: SearchRequest, hits: list[SearchHit]) -> list[SearchHit]:
        seen.append(len(hits))
        return list(reversed(hits))

    service = SearchService(
        repository=repository, index=index, embedder=embedder, clock=clock, rerank=reverse
    )
    plain = SearchService(repository=repository, index=index, embedder=embedder, clock=clock)
    service.policy = msgspec.structs.replace(service.policy, rerank_window=20)
    request = SearchRequest(query="engineer", limit=10)
    retrieval = [h.job.id for h in (await plain.search(msgspec.structs.replace(request, limit=20))).hits]
    first = await service.search(request)
    second = await service.search(msgspec.structs.replace(request, offset=10))
    beyond = await service.search(msgspec.structs.replace(request, offset=20))
    assert [h.job.id for h in first.hits + second.hits] == list(reversed(retrieval))
    assert seen[:2] == [20, 20]  # the reranker saw the whole window for both pages
    assert seen[2] == len(beyond.hits)  # beyond the window the reranker sees just the page
    assert first.total == second.total == 30
