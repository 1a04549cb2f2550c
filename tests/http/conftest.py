"""Fixtures of the HTTP API tests: an app on the fast embedded adapters, keys of
two tenants and a few postings, all through the real container."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from jobforge.core.models import RawJob, UserRole, WorkplaceType
from jobforge.hosts.config import Settings, settings_from_dict
from jobforge.hosts.container import Container, create_container
from jobforge.hosts.http import create_app
from jobforge.hosts.http.ingest_runs import RecordsSource

ADMIN_KEY = "jf_bootstrap-admin-key-for-the-http-tests-0001"


def base_config(data_dir: Path, **sections: Any) -> dict[str, Any]:
    """Fast adapters (hashing embedder, in-memory stores), plus ``sections``."""
    config: dict[str, Any] = {
        "data_dir": str(data_dir),
        "embedder": {"name": "hashing"},
        "repository": "memory",
        "search_index": "memory",
        "store": "memory",
        "cache": "memory",
        "auth": {"bootstrap_admin_key": ADMIN_KEY},
    }
    for key, value in sections.items():
        if isinstance(value, dict) and isinstance(config.get(key), dict):
            config[key] = {**config[key], **value}
        else:
            config[key] = value
    return config


@dataclass
class Caller:
    """A principal's credentials."""

    tenant: str
    user: str
    role: UserRole
    key: str
    key_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"X-API-Key": self.key}

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


@dataclass
class Callers:
    """Keys of tenant ``acme`` (admin, two members, a viewer) and ``globex`` (admin, member)."""

    acme_admin: Caller
    acme_member: Caller
    acme_member2: Caller
    acme_viewer: Caller
    globex_admin: Caller
    globex_member: Caller


def postings(now: datetime) -> list[RawJob]:
    """Twenty-four postings with known titles, workplaces, salaries and dates."""
    titles = ["Senior Data Engineer", "Backend Developer", "Registered Nurse", "Product Designer"]
    workplaces = ["remote", "hybrid", "onsite"]
    jobs = []
    for n in range(24):
        title = titles[n % 4]
        jobs.append(
            RawJob(
                source="test",
                source_id=f"p{n}",
                url=f"https://jobs.example.com/p{n}",
                apply_url=f"https://jobs.example.com/p{n}/apply",
                title=title,
                company=f"Company {n % 6}",
                location_text=["Austin, TX", "Berlin, Germany"][n % 2],
                workplace_type=WorkplaceType(workplaces[n % 3]),
                description=f"{title} role number {n}. Work with python, sql and people. " * 3,
                salary_text=f"${90 + n * 5}k - ${110 + n * 5}k" if n % 2 == 0 else None,
                employment_type_text="Full-time" if n % 4 else "Contract",
                posted_at=now - timedelta(days=n * 2),
            )
        )
    return jobs


@pytest.fixture(name="postings")
def postings_fixture() -> Callable[[datetime], list[RawJob]]:
    """:func:`postings`, for tests that ingest on their own."""
    return postings


@pytest.fixture(name="base_config")
def base_config_fixture() -> Callable[..., dict[str, Any]]:
    """:func:`base_config`, for tests that build their own app."""
    return base_config


@pytest.fixture
def admin_key() -> str:
    """The bootstrap admin key (tenant ``default``)."""
    return ADMIN_KEY


@pytest.fixture
def config(tmp_path: Path) -> dict[str, Any]:
    """The settings table of the app under test; tests may change it before ``app`` is built."""
    return base_config(tmp_path / "data")


@pytest.fixture
def settings(config: dict[str, Any]) -> Settings:
    return settings_from_dict(config)


@pytest.fixture
def container(settings: Settings) -> Container:
    return create_container(settings)


@pytest.fixture
def app(settings: Settings, container: Container) -> Litestar:
    return create_app(settings, container=container)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app) as test_client:
        yield test_client


@pytest.fixture
async def callers(client: AsyncTestClient[Litestar], container: Container) -> Callers:
    access = container.access_service()

    async def make(tenant: str, user: str, role: UserRole) -> Caller:
        stored, key = await access.create_api_key(
            tenant_id=tenant, user_id=user, role=role, name=f"{user} key"
        )
        return Caller(tenant=tenant, user=user, role=role, key=key, key_id=stored.id)

    return Callers(
        acme_admin=await make("acme", "alice", UserRole.ADMIN),
        acme_member=await make("acme", "bob", UserRole.MEMBER),
        acme_member2=await make("acme", "carol", UserRole.MEMBER),
        acme_viewer=await make("acme", "victor", UserRole.VIEWER),
        globex_admin=await make("globex", "gina", UserRole.ADMIN),
        globex_member=await make("globex", "gus", UserRole.MEMBER),
    )


@pytest.fixture
async def jobs(client: AsyncTestClient[Litestar], container: Container) -> list[str]:
    """Ingest :func:`postings` through the real pipeline; their ids, newest first."""
    now = container.clock().now()
    report = await container.ingest_service().ingest(RecordsSource("test", postings(now)))
    assert report.status == "completed" and report.counts.added == 24, report
    found = await client.get("/api/v1/search", params={"limit": 100})
    return [hit["job"]["id"] for hit in found.json()["hits"]]


@pytest.fixture
def assert_problem() -> Callable[..., dict[str, Any]]:
    """Check a response is RFC 9457 problem+json with this status (and field)."""

    def check(
        response: Any, status: int, *, field: str | None = None, slug: str | None = None
    ) -> dict[str, Any]:
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        body = response.json()
        assert body["status"] == status
        assert body["type"].startswith("urn:jobforge:problem:") or body["type"] == "about:blank"
        assert body["title"] and body["detail"]
        assert body["request_id"] == response.headers["x-request-id"]
        if field is not None:
            assert body["field"] == field, body
            assert field in body["detail"], body
        if slug is not None:
            assert body["type"] == f"urn:jobforge:problem:{slug}", body
        return body

    return check
