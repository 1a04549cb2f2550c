"""The OpenAPI document is complete, and a bounded schemathesis run finds no server
error and no response that contradicts the document."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from litestar import Litestar
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from jobforge.core.models import UserRole
from jobforge.hosts.config import settings_from_dict
from jobforge.hosts.container import create_container
from jobforge.hosts.http import create_app
from jobforge.hosts.http.ingest_runs import RecordsSource

ENDPOINTS = {
    ("GET", "/health"),
    ("GET", "/ready"),
    ("GET", "/metrics"),
    ("GET", "/"),
    ("GET", "/api/v1/search"),
    ("POST", "/api/v1/search"),
    ("GET", "/api/v1/jobs/{job_id}"),
    ("POST", "/api/v1/jobs"),
    ("POST", "/api/v1/ingest"),
    ("GET", "/api/v1/ingest/{run_id}"),
    ("POST", "/api/v1/recommendations"),
    ("GET", "/api/v1/plugins"),
    ("GET", "/api/v1/saved-searches"),
    ("POST", "/api/v1/saved-searches"),
    ("GET", "/api/v1/saved-searches/{search_id}"),
    ("PATCH", "/api/v1/saved-searches/{search_id}"),
    ("DELETE", "/api/v1/saved-searches/{search_id}"),
    ("GET", "/api/v1/applications"),
    ("POST", "/api/v1/applications"),
    ("GET", "/api/v1/applications/{application_id}"),
    ("PATCH", "/api/v1/applications/{application_id}"),
    ("GET", "/api/v1/admin/keys"),
    ("POST", "/api/v1/admin/keys"),
    ("DELETE", "/api/v1/admin/keys/{key_id}"),
    ("GET", "/api/v1/analytics"),
    ("POST", "/api/v1/events"),
    ("GET", "/api/v1/inbox"),
    ("POST", "/api/v1/inbox/read"),
}


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture
def fuzz_target(tmp_path: Path, base_config: Any, postings: Any) -> tuple[Litestar, dict[str, str]]:
    """An app with postings, a member's and an admin's key (to reach past the auth checks)."""
    settings = settings_from_dict(base_config(tmp_path, http={"rate_limit": {"enabled": False}}))
    container = create_container(settings)

    async def prepare() -> dict[str, str]:
        await container.ingest_service().ingest(RecordsSource("test", postings(container.clock().now())))
        access = container.access_service()
        _, admin = await access.create_api_key(
            tenant_id="fuzz", user_id="root", role=UserRole.ADMIN, name="a"
        )
        return {"X-API-Key": admin}

    headers = asyncio.run(prepare())
    return create_app(settings, container=container), headers


@pytest.fixture
def api_schema(fuzz_target: tuple[Litestar, dict[str, str]]) -> Any:
    return schemathesis.openapi.from_asgi("/schema/openapi.json", fuzz_target[0])


def test_every_endpoint_is_documented_with_its_errors(fuzz_target: tuple[Litestar, dict[str, str]]) -> None:
    from litestar.testing import TestClient

    with TestClient(fuzz_target[0]) as client:
        document = client.get("/schema/openapi.json").json()
    operations = {
        (method.upper(), path): op for path, ops in document["paths"].items() for method, op in ops.items()
    }
    assert set(operations) == ENDPOINTS
    for (method, path), op in operations.items():
        assert op.get("summary") and op["responses"], (method, path)
        if path.startswith("/api/"):
            for status in ("400", "401", "403", "429"):
                content = op["responses"][status]["content"]
                assert list(content) == ["application/problem+json"], (method, path, status)
            if "{" in path:
                assert "404" in op["responses"], (method, path)
    assert set(document["components"]["securitySchemes"]) == {"ApiKey", "Bearer"}
    search_params = {p["name"] for p in operations["GET", "/api/v1/search"]["parameters"]}
    assert {
        "q",
        "limit",
        "offset",
        "mode",
        "remote",
        "location",
        "salary_min",
        "posted_within_days",
    } <= search_params


_MAX_EXAMPLES = 12
_MAX_SECONDS_PER_OPERATION = 20.0


def test_fuzzed_requests_get_documented_answers(
    api_schema: Any, fuzz_target: tuple[Litestar, dict[str, str]]
) -> None:
    """Every operation, ``_MAX_EXAMPLES`` generated requests each (deterministic), as an admin."""
    admin = fuzz_target[1]
    failures: list[str] = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        started = time.monotonic()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=_MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
        )
        def run(case: Any) -> None:
            # run() is called right below, in this iteration: ``started`` is the current one.
            if time.monotonic() - started > _MAX_SECONDS_PER_OPERATION:  # noqa: B023
                return
            # Generated credentials would only ever get 401: call as the admin instead.
            kept = {
                k: v
                for k, v in (case.headers or {}).items()
                if k.lower() not in ("x-api-key", "authorization")
            }
            case.headers = {**kept, **admin}
            case.call_and_validate(checks=CHECKS)

        try:
            run()
        except Exception as exc:  # collect every operation's failure, then report them together
            failures.append(f"{operation.verbose_name}: {exc}")
    assert not failures, "\n\n".join(failures)
