"""Structured logs, OpenTelemetry spans and Prometheus metrics of the HTTP host."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from jobforge.hosts.http import create_app
from jobforge.hosts.logs import JsonFormatter

pytestmark = pytest.mark.usefixtures("jobs")


@pytest.fixture
def log_lines() -> Iterator[list[dict[str, Any]]]:
    """Every record logged while the test runs, formatted as the host formats them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    lines: list[dict[str, Any]] = []
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        lines.extend(json.loads(line) for line in stream.getvalue().splitlines())


async def test_every_request_log_line_has_request_id_and_tenant_and_no_secret(
    client: Any, callers: Any, log_lines: list[dict[str, Any]]
) -> None:
    member = callers.acme_member
    await client.post(
        "/api/v1/saved-searches", json={"name": "logged"}, headers={**member.headers, "X-Request-ID": "req-1"}
    )
    await client.get("/api/v1/plugins", headers={**member.bearer, "X-Request-ID": "req-2"})  # 403
    await client.get(
        "/api/v1/search", headers={"X-API-Key": member.key + "x", "X-Request-ID": "req-3"}
    )  # 401
    logging.getLogger("jobforge.test").info("key in a message: %s", member.key)
    # log_lines fills on teardown; read the handler now.
    root = logging.getLogger()
    handler = next(h for h in root.handlers if isinstance(h.formatter, JsonFormatter))
    lines = [json.loads(line) for line in handler.stream.getvalue().splitlines()]  # type: ignore[attr-defined]
    access = [line for line in lines if line["logger"] == "jobforge.http.access"]
    assert [(a["request_id"], a["status"]) for a in access] == [
        ("req-1", 201),
        ("req-2", 403),
        ("req-3", 401),
    ]
    assert [a["tenant_id"] for a in access] == ["acme", "acme", None]
    assert all({"time", "level", "message", "request_id", "tenant_id"} <= set(line) for line in lines)
    text = handler.stream.getvalue()  # type: ignore[attr-defined]
    assert member.key not in text and member.key[3:20] not in text


async def test_spans_for_the_request_and_each_port_call(settings: Any, container: Any, callers: Any) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    # A fresh app on the same data, with tracing on.
    from jobforge.hosts.container import create_container

    traced = create_container(settings)
    for name in ("repository", "search_index", "store"):
        getattr(traced, name).override(getattr(container, name)())
    app = create_app(settings, container=traced, tracer_provider=provider)
    async with AsyncTestClient(app) as client:
        exporter.clear()
        response = await client.get(
            "/api/v1/search",
            params={"q": "data engineer", "remote": "remote"},
            headers={**callers.acme_member.headers, "traceparent": "00-" + "a" * 32 + "-" + "b" * 16 + "-01"},
        )
        assert response.status_code == 200
    spans = {span.name: span for span in exporter.get_finished_spans()}
    request = spans["GET /api/v1/search"]
    assert request.attributes["http.response.status_code"] == 200
    assert request.attributes["jobforge.tenant_id"] == "acme"
    assert request.attributes["jobforge.request_id"] == response.headers["x-request-id"]
    assert format(request.context.trace_id, "032x") == "a" * 32, "the caller's trace context is continued"
    for name in (
        "store.accounts.find_api_key",
        "feature_flags.get",
        "cache.get_many",
        "embedder.embed_query",
        "search_index.search",
        "repository.get_many",
    ):
        assert name in spans, sorted(spans)
        assert spans[name].context.trace_id == request.context.trace_id
        assert spans[name].attributes["jobforge.port"] == name.rsplit(".", 1)[0]
    assert spans["search_index.search"].parent.span_id == request.context.span_id


async def test_metrics_count_requests_searches_and_zero_results(client: Any) -> None:
    await client.get("/api/v1/search", params={"q": "nurse"})
    await client.get("/api/v1/search", params={"q": "zzzzqqqq", "mode": "keyword"})
    await client.get("/api/v1/jobs/0000000000000000")
    await client.get("/definitely/not/here")
    response = await client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    text = response.text
    for line in (
        'jobforge_http_requests_total{method="GET",route="/api/v1/search",status="200"}',
        'jobforge_http_requests_total{method="GET",route="/api/v1/jobs/{job_id}",status="404"}',
        'jobforge_http_requests_total{method="GET",route="unmatched",status="404"} 1.0',
        'jobforge_http_request_duration_seconds_bucket{le="0.1",method="GET",route="/api/v1/search",status="200"}',
        'jobforge_searches_total{mode="keyword"} 1.0',
        'jobforge_search_zero_results_total{mode="keyword"} 1.0',
        'jobforge_search_duration_seconds_count{mode="hybrid"}',
    ):
        assert line in text, line
