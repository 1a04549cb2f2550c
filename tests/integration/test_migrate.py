"""``jobforge migrate``: an embedded data directory (SQLite) into MongoDB, for real.

The source is built the way a user builds it (ingest, API keys, saved
searches, applications, an ingest run); the target is a real MongoDB
wire-protocol server. Counts and records must be equal, a second run must
write nothing, and search must answer the same after switching the config
to ``repository = "mongo"``.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest
from click.testing import CliRunner

from jobforge.adapters.hashing.embedder import HashingEmbedder
from jobforge.adapters.memory.cache import MemoryCache
from jobforge.adapters.memory.search_index import MemorySearchIndex
from jobforge.core.embedding_cache import CachingEmbedder
from jobforge.core.identity import embedding_text
from jobforge.core.models import (
    Alert,
    AlertStatus,
    AnalyticsEvent,
    EventKind,
    InboxItem,
    IngestRun,
    SavedSearch,
    UserRole,
)
from jobforge.hosts.cli import main
from jobforge.hosts.config import load_settings
from jobforge.hosts.engine import Engine, build_engine
from jobforge.hosts.migrate import build_migration, migrate
from jobforge.hosts.sample_data import write_sample_file

QUERIES = [("senior data engineer", {}), ("nurse", {"remote": "onsite"}), ("", {"country": "US"})]


def _engine(data_dir: Path, env: dict[str, str], **overrides: Any) -> Engine:
    return build_engine(load_settings(env=env, overrides={"data_dir": str(data_dir), **overrides}))


async def _populate(data_dir: Path, env: dict[str, str]) -> dict[str, Any]:
    """An embedded installation with jobs and every kind of application data."""
    postings = write_sample_file(data_dir.parent / "postings.jsonl", 180, seed=3)
    async with _engine(data_dir, env) as engine:
        report = await engine.ingest("file", {"path": str(postings), "name": "sample"})
        assert report.status == "completed", report.error
        access = engine.container.access_service()
        _, ann_key = await access.create_api_key(
            tenant_id="acme", user_id="ann", role=UserRole.MEMBER, name="laptop"
        )
        old, _ = await access.create_api_key(tenant_id="acme", user_id="bob", role=UserRole.ADMIN, name="old")
        await access.revoke_api_key("acme", old.id)
        ann = await access.authenticate_api_key(ann_key)
        searches = engine.container.saved_search_service()
        await searches.create(ann, name="remote data", query="data engineer", filters={"remote": "remote"})
        await searches.create(ann, name="nursing", query="nurse")
        hits = (await engine.search("engineer", limit=3)).hits
        applications = engine.container.application_service()
        for hit in hits:
            await applications.create(ann, job_id=hit.job.id, notes="via migrate test")
        store = engine.container.store()
        # A tenant known only from tokens: no tenant record, found through --tenant.
        await store.saved_searches.create(
            SavedSearch(
                id="globex-1", tenant_id="globex", user_id="gus", name="ops", created_at=datetime.now(UTC)
            )
        )
        await store.ingest_runs.save(
            IngestRun(
                id=report.run_id,
                source=report.source,
                status="completed",
                counts={"added": 1},
                started_at=datetime(2026, 1, 1, tzinfo=UTC),
                finished_at=datetime(2026, 1, 1, 0, 1, tzinfo=UTC),
            )
        )
        await _alerts_and_events(store, [hit.job.id for hit in hits])
        answers = {q: [h.job.id for h in (await engine.search(q, filters=f)).hits] for q, f in QUERIES}
    return {"answers": answers, "jobs": report.counts.added}


async def _alerts_and_events(store: Any, job_ids: list[str]) -> None:
    """Alerts (one delivered), the journal of changed jobs, an inbox (one item read), events."""
    at = datetime(2026, 3, 1, 9, tzinfo=UTC)
    alerts = [
        Alert(
            id=f"s1:{job_id}",
            tenant_id="acme",
            user_id="ann",
            saved_search_id="s1",
            job_id=job_id,
            notifier="inbox",
            frequency="daily",
            digest_key="acme:ann:s1:2026-03-01",
            created_at=at,
            due_at=at,
        )
        for job_id in job_ids
    ]
    await store.alerts.record(alerts)
    await store.alerts.update(
        [msgspec.structs.replace(alerts[0], status=AlertStatus.DELIVERED, attempts=1, delivered_at=at)]
    )
    await store.alerts.add_changed(job_ids[:2], at)
    await store.alerts.add_changed(job_ids[2:], at.replace(hour=10))
    for n in range(3):
        await store.alerts.add_inbox(
            InboxItem(
                id=f"note-{n}",
                tenant_id="acme",
                user_id="ann",
                subject=f"{n + 1} new jobs",
                text="...",
                created_at=at.replace(minute=n),
                saved_search_id="s1",
                job_ids=job_ids[: n + 1],
            )
        )
    await store.alerts.mark_read("acme", "ann", ["note-1"], at.replace(hour=12))
    await store.events.record(
        [
            AnalyticsEvent(
                id=f"event-{n}",
                tenant_id="acme",
                kind=EventKind.SEARCH if n % 2 else EventKind.JOB_VIEWED,
                at=at.replace(second=n % 3),  # some share an instant
                user_id="ann",
                query="data engineer" if n % 2 else None,
                job_id=None if n % 2 else job_ids[0],
            )
            for n in range(7)
        ]
    )


async def _snapshot(engine: Engine) -> dict[str, Any]:
    """Everything the repository and store hold, in comparable form."""
    repository, store = engine.container.repository(), engine.container.store()
    return {
        "jobs": [job async for job in repository.iter_all(batch_size=50)],
        "count": await repository.count(),
        "tenants": await store.accounts.list_tenants(),
        "users": [await store.accounts.get_user("acme", u) for u in ("ann", "bob")],
        "keys": await store.accounts.list_api_keys("acme"),
        "searches": [list(await store.saved_searches.list(t)) for t in ("acme", "globex")],
        "applications": list(await store.applications.list("acme")),
        "runs": list(await store.ingest_runs.list()),
        "alerts": await store.alerts.list_alerts("acme", limit=1000),
        "journal": await store.alerts.changed(limit=1000),
        "inbox": await store.alerts.list_inbox("acme", "ann", limit=1000),
        "events": [
            e
            async for e in store.events.events(
                "acme", since=datetime(2000, 1, 1, tzinfo=UTC), until=datetime(2100, 1, 1, tzinfo=UTC)
            )
        ],
    }


@pytest.fixture
def env(mongo_url: tuple[str, str], tmp_path: Path) -> dict[str, str]:
    url, database = mongo_url
    return {
        "JOBFORGE_MONGO_URL": url,
        "JOBFORGE_MONGO_DATABASE": database,
        "JOBFORGE_EMBEDDER": "hashing",
        "JOBFORGE_DATA_DIR": str(tmp_path / "target"),
    }


@pytest.fixture
def embedded(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    data_dir = tmp_path / "embedded"
    return data_dir, asyncio.run(_populate(data_dir, {"JOBFORGE_EMBEDDER": "hashing"}))


def _cli(env: dict[str, str], *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["migrate", *args, "--json"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_migrate_sqlite_to_mongo_then_rerun_writes_nothing(
    embedded: tuple[Path, dict[str, Any]], env: dict[str, str]
) -> None:
    data_dir, before = embedded
    args = [
        "--to-repository",
        "mongo",
        "--to-store",
        "mongo",
        "--from-data-dir",
        str(data_dir),
        "--tenant",
        "globex",
        "--batch-size",
        "64",
    ]

    first = _cli(env, *args)
    assert first["jobs"]["read"] == first["jobs"]["written"] == before["jobs"]
    assert first["tenants"]["written"] == 1
    assert first["users"]["written"] == 2  # ann and bob (gus of globex has no user record)
    assert first["api_keys"]["written"] == 2
    assert first["saved_searches"]["written"] == 3
    assert first["applications"]["written"] == 3
    assert first["ingest_runs"]["written"] == 1
    assert first["alerts"]["written"] == 3
    assert first["alert_journal"]["written"] == first["alert_journal"]["read"] >= 3
    assert first["inbox"]["written"] == 3
    assert first["events"]["written"] == 7

    async def compare() -> None:
        async with (
            _engine(data_dir, {}) as source,
            _engine(data_dir, env, **{"repository.name": "mongo", "store.name": "mongo"}) as target,
        ):
            source_state, target_state = await _snapshot(source), await _snapshot(target)
            assert target_state["count"] == source_state["count"] == before["jobs"]
            assert target_state == source_state
            assert (
                target_state["keys"][0].revoked_at is not None
                or target_state["keys"][1].revoked_at is not None
            )
            # Search answers the same with the repository and store switched to MongoDB by config only.
            for query, filters in QUERIES:
                hits = (await target.search(query, filters=filters)).hits
                assert [h.job.id for h in hits] == before["answers"][query]
                assert hits

    asyncio.run(compare())

    second = _cli(env, *args)
    kinds = ["jobs", "tenants", "users", "api_keys", "saved_searches", "applications", "ingest_runs"]
    for kind in [*kinds, "alerts", "alert_journal", "inbox", "events"]:
        assert second[kind]["written"] == 0, kind
        assert second[kind]["unchanged"] == first[kind]["written"], kind
    asyncio.run(compare())


def test_migrate_text_report(embedded: tuple[Path, dict[str, Any]], env: dict[str, str]) -> None:
    data_dir, before = embedded
    args = ["migrate", "--to-repository", "mongo", "--from-data-dir", str(data_dir)]
    result = CliRunner().invoke(main, args, env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"jobs            read {before['jobs']}  written {before['jobs']}" in result.output
    again = CliRunner().invoke(main, args, env=env, catch_exceptions=False)
    assert "Nothing to write" in again.output


def test_migrate_needs_a_target(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["migrate", "--from-data-dir", str(tmp_path)], env={"JOBFORGE_DATA_DIR": str(tmp_path / "x")}
    )
    assert result.exit_code == 2
    assert "--to-repository" in result.output


def test_reindex_into_another_search_index_uses_cached_vectors(
    embedded: tuple[Path, dict[str, Any]], env: dict[str, str]
) -> None:
    """``--to-search-index``: every job is indexed with its vector; a warm cache means no model calls."""
    data_dir, before = embedded

    async def run() -> None:
        settings = load_settings(env=env)
        targets = build_migration(settings, from_data_dir=data_dir, to_repository="mongo")
        jobs = [job async for job in targets.source_repository.iter_all()]  # type: ignore[union-attr]
        embedder = CachingEmbedder(HashingEmbedder(dimensions=64), MemoryCache())
        await embedder.embed_documents([embedding_text(job) for job in jobs])  # as ingest left the cache
        embedder.hits = embedder.misses = 0
        index = MemorySearchIndex()
        report = await migrate(
            **{**targets.arguments(), "target_index": index, "embedder": embedder}, batch_size=100
        )
        await targets.aclose()
        assert report.indexed == report.jobs.read == before["jobs"]
        assert await index.count() == before["jobs"]
        assert embedder.misses == 0
        assert embedder.hits == before["jobs"]

        async with _engine(data_dir, env, **{"repository.name": "mongo"}) as engine:
            engine.container.search_index.override(index)  # the new index, as its config would name it
            engine.container.base_embedder.override(HashingEmbedder(dimensions=64))
            response = await engine.search("senior data engineer")
            by_id = {job.id: job for job in jobs}
            assert response.hits
            assert all(hit.job == by_id[hit.job.id] for hit in response.hits)
            assert "data engineer" in response.hits[0].job.title.lower()

    asyncio.run(run())


def test_build_migration_rejects_a_target_that_is_its_own_source(tmp_path: Path) -> None:
    settings = load_settings(env={}, overrides={"data_dir": str(tmp_path)})
    with pytest.raises(ValueError, match="source itself"):
        build_migration(settings, from_data_dir=tmp_path, to_repository="sqlite")
