"""The jobforge plugin appends to an app's configuration and never replaces it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.testing import AsyncTestClient

from jobforge.hosts.config import settings_from_dict
from jobforge.hosts.http import jobforge_plugin


class TeapotError(Exception):
    pass


@get("/hello")
async def hello(greeting: NamedDependency[str]) -> dict[str, str]:
    return {"message": greeting}


@get("/teapot")
async def teapot() -> None:
    raise TeapotError


def _teapot(request: Request[Any, Any, Any], exc: TeapotError) -> Response[dict[str, str]]:
    return Response({"error": "short and stout"}, status_code=418)


async def test_own_routes_dependencies_and_handlers_survive(tmp_path: Path, base_config: Any) -> None:
    app = Litestar(
        route_handlers=[hello, teapot],
        dependencies={"greeting": Provide(lambda: "hi", sync_to_thread=False)},
        exception_handlers={TeapotError: _teapot},
        plugins=[jobforge_plugin(settings_from_dict(base_config(tmp_path)))],
        logging_config=None,
    )
    async with AsyncTestClient(app) as client:
        assert (await client.get("/hello")).json() == {"message": "hi"}
        assert (await client.get("/teapot")).status_code == 418
        assert (await client.get("/health")).json() == {"status": "ok"}
        assert (await client.get("/api/v1/search", params={"q": "x"})).status_code == 200
        missing = await client.get("/api/v1/jobs/nope")
        assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
