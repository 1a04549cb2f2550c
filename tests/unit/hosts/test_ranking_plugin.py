"""The built-in ``rerank`` hook: on by default, weights from config, per-tenant flags."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from jobforge.core.models import RawJob
from jobforge.hosts.engine import Engine, build_engine
from jobforge.hosts.ranking import BuiltinRanking
from jobforge.testing.fakes import FakeSource

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _overrides(tmp_path: Path, **extra: Any) -> dict[str, Any]:
    return {
        "data_dir": str(tmp_path),
        "embedder": "hashing",
        "repository": "memory",
        "search_index": "memory",
        "store": "memory",
        **extra,
    }


def _postings() -> list[RawJob]:
    titles = ["Data Analyst", "Senior Data Engineer", "Data Engineer", "Registered Nurse"]
    return [
        RawJob(
            source="board",
            source_id=f"p{n}",
            url=f"https://jobs.example.com/p{n}",
            title=title,
            company=f"Company {n}",
            # The analyst posting repeats the query words most, so retrieval puts it first.
            description="data engineer data engineer pipelines"
            if n == 0
            else f"{title} role; Python and SQL.",
            posted_at="2026-05-20",
        )
        for n, title in enumerate(titles)
    ]


async def _engine(tmp_path: Path, **extra: Any) -> Engine:
    engine = build_engine(overrides=_overrides(tmp_path, **extra))
    report = await engine.ingest(FakeSource(_postings(), name="board"))
    assert report.status == "completed"
    return engine


async def test_the_reranker_is_a_plugin_and_orders_search_results(tmp_path: Path) -> None:
    engine = await _engine(tmp_path)
    async with engine:
        loaded = {p.name: p for p in engine.plugins.plugins}
        assert loaded["ranking"].hooks == ["rerank"]
        response = await engine.search("senior data engineer", limit=3)
        assert response.hits[0].job.title == "Senior Data Engineer"
        assert response.hits[0].explanation["ranking"]["features"]["title"] == 1.0


async def test_blocking_or_disabling_the_reranker(tmp_path: Path) -> None:
    blocked = await _engine(tmp_path / "a", plugins={"block": ["ranking"]})
    async with blocked:
        assert "ranking" not in {p.name for p in blocked.plugins.plugins}
        hit = (await blocked.search("senior data engineer", limit=1)).hits[0]
        assert "ranking" not in hit.explanation
    disabled = await _engine(tmp_path / "b", ranking={"enabled": False})
    async with disabled:
        hit = (await disabled.search("senior data engineer", limit=1)).hits[0]
        assert "ranking" not in hit.explanation


async def test_weights_from_config_and_flags_per_tenant(tmp_path: Path) -> None:
    flags = {
        "name": "static",
        "tenants": {
            "acme": {"ranking.weights": {"title": 3.0}},
            "globex": {"ranking.enabled": False},
            "initech": {"ranking.weights": '{"title": "lots"}'},
        },
    }
    engine = await _engine(tmp_path, ranking={"weights": {"recency": 0.0}}, flags=flags)
    async with engine:
        ranking: BuiltinRanking = engine.container.ranking()
        default = ranking.weights_for(None, None)
        assert default is not None
        assert (default.recency, default.title) == (0.0, 1.0)
        acme = ranking.weights_for("acme", "ann")
        assert acme is not None
        assert (acme.title, acme.recency) == (3.0, 0.0)
        assert ranking.weights_for("globex", None) is None
        assert ranking.weights_for("initech", None) == default  # an invalid flag value is ignored
        variants = {ranking.variant(t, None) for t in (None, "acme", "globex")}
        assert len(variants) == 3
        assert ranking.variant("globex", None) == "rank:off"


def test_bad_weights_in_config_name_the_key(tmp_path: Path) -> None:
    from jobforge.core.errors import ConfigError

    with pytest.raises(ConfigError, match=r"ranking\.weights"):
        build_engine(overrides=_overrides(tmp_path, ranking={"weights": {"popularity": 1}}))
