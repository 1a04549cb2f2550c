"""End to end on production adapters chosen in config only: ingest, search,
saved searches and applications, against real servers started by the suite.

``STACK`` names the adapter of each port. Switching a port to another
production adapter is one line there (``"cache": "redis"``,
``"embedder": "openai"``): ``CONNECTIONS`` starts its server and sets its
environment variables.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jobforge.core.models import ApplicationStatus, UserRole
from jobforge.hosts.engine import Engine, build_engine
from jobforge.hosts.sample_data import write_sample_file

STACK = {
    "repository": "mongo",
    "store": "mongo",
    "search_index": "sqlite",
    "embedder": "openai",
    "cache": "redis",
}
"""The adapter of each port under test, as the config file names it."""


def _mongo(request: pytest.FixtureRequest) -> dict[str, str]:
    url, database = request.getfixturevalue("mongo_url")
    return {"JOBFORGE_MONGO_URL": url, "JOBFORGE_MONGO_DATABASE": database}


def _redis(request: pytest.FixtureRequest) -> dict[str, str]:
    return {"JOBFORGE_REDIS_URL": request.getfixturevalue("redis_url")}


def _openai(request: pytest.FixtureRequest) -> dict[str, str]:
    from servers.embeddings import MODEL

    server = request.getfixturevalue("embeddings_server")
    return {
        "JOBFORGE_OPENAI_BASE_URL": server.base_url,
        "JOBFORGE_OPENAI_API_KEY": server.api_key,
        "JOBFORGE_OPENAI_MODEL": MODEL,
        "JOBFORGE__EMBEDDER__DIMENSIONS": "384",
    }


CONNECTIONS: dict[tuple[str, str], Callable[[pytest.FixtureRequest], dict[str, str]]] = {
    ("repository", "mongo"): _mongo,
    ("store", "mongo"): _mongo,
    ("cache", "redis"): _redis,
    ("embedder", "openai"): _openai,
}
"""How to reach the server behind a (port, adapter) of ``STACK``: its environment variables."""


@pytest.fixture
def config(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config file naming ``STACK``; the servers' addresses come from the environment."""
    for var in [v for v in os.environ if v.startswith("JOBFORGE")]:
        monkeypatch.delenv(var)
    for port, adapter in STACK.items():
        connect = CONNECTIONS.get((port, adapter))
        for var, value in (connect(request) if connect else {}).items():
            monkeypatch.setenv(var, value)
    path = tmp_path / "jobforge.toml"
    lines = [f'data_dir = "{tmp_path / "data"}"', *(f'{port} = "{name}"' for port, name in STACK.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


_REGISTRIES = {
    "repository": "repositories",
    "store": "stores",
    "search_index": "search_indexes",
    "embedder": "embedders",
    "cache": "caches",
}


def _assert_built_from_config(engine: Engine) -> None:
    """Each port is served by the adapter ``STACK`` names (from the plugin that registered it)."""
    for port, name in STACK.items():
        spec = getattr(engine.plugins.registries, _REGISTRIES[port]).get(name)
        adapter = getattr(engine.container, "base_embedder" if port == "embedder" else port)()
        assert type(adapter).__module__.startswith(f"jobforge.adapters.{spec.plugin}"), (port, type(adapter))


async def _ingest(engine: Engine, postings: Path) -> Any:
    report = await engine.ingest("file", {"path": str(postings), "name": "sample"})
    assert report.status == "completed", report.error
    return report


def test_ingest_search_saved_searches_and_applications(config: Path, tmp_path: Path) -> None:
    postings = write_sample_file(tmp_path / "postings.jsonl", 150, seed=11)

    async def first_process() -> dict[str, Any]:
        async with build_engine(config=config) as engine:
            _assert_built_from_config(engine)

            report = await _ingest(engine, postings)
            assert report.counts.added > 100
            again = await _ingest(engine, postings)
            assert (again.counts.added, again.counts.updated, again.counts.embedded) == (0, 0, 0)
            repository = engine.container.repository()
            assert await repository.count() == report.counts.added

            response = await engine.search("senior data engineer", filters={"remote": "remote"}, limit=5)
            assert response.hits
            assert all(hit.job.workplace_type.value == "remote" for hit in response.hits)
            assert [await repository.get(h.job.id) for h in response.hits] == [h.job for h in response.hits]

            access = engine.container.access_service()
            _, key = await access.create_api_key(
                tenant_id="acme", user_id="ann", role=UserRole.MEMBER, name="t"
            )
            ann = await access.authenticate_api_key(key)

            searches = engine.container.saved_search_service()
            kept = await searches.create(
                ann, name="remote data", query="data engineer", filters={"remote": "remote"}
            )
            dropped = await searches.create(ann, name="nursing", query="nurse")
            renamed = await searches.update(ann, kept.id, name="remote data jobs")
            await searches.delete(ann, dropped.id)
            assert await searches.list(ann) == [renamed]

            applications = engine.container.application_service()
            applied = await applications.create(ann, job_id=response.hits[0].job.id, notes="referred")
            moved = await applications.update_status(ann, applied.id, ApplicationStatus.INTERVIEWING)
            assert await applications.list(ann) == [moved]
            return {
                "key": key,
                "count": report.counts.added,
                "hits": [h.job.id for h in response.hits],
                "searches": [renamed],
                "applications": [moved],
            }

    async def second_process(before: dict[str, Any]) -> None:
        """A fresh engine (as after a restart, or on another replica) sees the same state."""
        async with build_engine(config=config) as engine:
            assert await engine.container.repository().count() == before["count"]
            response = await engine.search("senior data engineer", filters={"remote": "remote"}, limit=5)
            assert [h.job.id for h in response.hits] == before["hits"]
            ann = await engine.container.access_service().authenticate_api_key(before["key"])
            assert await engine.container.saved_search_service().list(ann) == before["searches"]
            assert await engine.container.application_service().list(ann) == before["applications"]

    before = asyncio.run(first_process())
    asyncio.run(second_process(before))
    if STACK["repository"] == "mongo":
        _assert_in_mongo(before)


def _assert_in_mongo(before: dict[str, Any]) -> None:
    """The records really are in MongoDB, where the config pointed."""
    from pymongo import MongoClient

    client: MongoClient[dict[str, Any]] = MongoClient(os.environ["JOBFORGE_MONGO_URL"])
    try:
        database = client[os.environ["JOBFORGE_MONGO_DATABASE"]]
        assert database["jobs"].count_documents({}) == before["count"]
        assert database["saved_searches"].count_documents({"tenant_id": "acme"}) == 1
        assert database["applications"].count_documents({"tenant_id": "acme", "status": "interviewing"}) == 1
        assert database["api_keys"].count_documents({"tenant_id": "acme"}) == 1
    finally:
        client.close()


ADMIN_KEY = "jf_production-stack-admin-key-for-the-e2e-test-01"


async def test_http_host_on_the_stack(config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``jobforge serve``'s app: its adapters connect in the app's own loop; ingest,
    search, saved searches and applications through the JSON API."""
    from litestar.testing import AsyncTestClient

    from jobforge.hosts.config import load_settings
    from jobforge.hosts.http import create_app

    monkeypatch.setenv("JOBFORGE_ADMIN_KEY", ADMIN_KEY)
    app = create_app(load_settings(config))
    admin = {"X-API-Key": ADMIN_KEY}
    postings = [
        {
            "source_id": str(n),
            "title": title,
            "company": "Acme",
            "description": title * 5,
            "location_text": "Remote",
        }
        for n, title in enumerate(["Senior Data Engineer", "Registered Nurse", "Data Analyst"])
    ]
    async with AsyncTestClient(app) as client:
        # The embedder warms up in the background; /ready says 503 until it has.
        for _ in range(600):
            ready = await client.get("/ready")
            if ready.status_code == 200 or "loading" not in ready.text:
                break
            await asyncio.sleep(0.1)
        assert ready.status_code == 200, ready.text
        components = ready.json()["components"]
        assert components["repository"] == {
            **components["repository"],
            "status": "ok",
            "adapter": STACK["repository"],
        }
        assert components["store"]["adapter"] == STACK["store"]

        ingested = await client.post(
            "/api/v1/jobs", json={"source": "board", "jobs": postings}, headers=admin
        )
        assert ingested.status_code in (200, 201), ingested.text
        found = await client.get("/api/v1/search", params={"q": "data engineer"})
        assert found.status_code == 200, found.text
        hits = found.json()["hits"]
        assert hits[0]["job"]["title"] == "Senior Data Engineer"

        saved = await client.post(
            "/api/v1/saved-searches", json={"name": "data", "query": "data engineer"}, headers=admin
        )
        assert saved.status_code == 201, saved.text
        applied = await client.post(
            "/api/v1/applications", json={"job_id": hits[0]["job"]["id"]}, headers=admin
        )
        assert applied.status_code == 201, applied.text
        listed = await client.get("/api/v1/applications", headers=admin)
        assert [a["id"] for a in listed.json()["items"]] == [applied.json()["id"]]
