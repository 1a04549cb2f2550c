"""``Provide`` callables: how handlers receive services, resolved from the container.

Handlers name what they need (``principal``, ``search``, ``saved_searches``...)
and Litestar injects it; nothing is global, so every app (and every test)
runs on its own container.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import Provide

from jobforge.core.models import Principal
from jobforge.hosts.http.state import HttpState
from jobforge.ports import FeatureFlags

__all__ = ["DEPENDENCIES", "SearchCaller"]


@dataclass(frozen=True, slots=True)
class SearchCaller:
    """What a search handler needs, as one dependency.

    Named separately (``jf``, ``flags``, ``principal``), they form one level of
    the dependency graph, which Litestar resolves in an anyio task group: three
    tasks and extra event-loop rounds on every search, the hottest path.
    """

    jf: HttpState
    flags: FeatureFlags
    principal: Principal | None


def _state(state: State) -> HttpState:
    return state.jobforge  # type: ignore[no-any-return]


def _principal(request: Request[Any, Any, Any]) -> Principal | None:
    # Set by the app-level guard (jobforge.hosts.http.auth.authorize) before any handler runs.
    principal: Principal | None = request.scope.get("state", {}).get("principal")
    return principal


def _search_caller(request: Request[Any, Any, Any]) -> SearchCaller:
    jf: HttpState = request.app.state.jobforge
    return SearchCaller(jf, jf.container.flags(), _principal(request))


def _from_container(name: str) -> Provide:
    def provide(state: State) -> Any:
        return getattr(state.jobforge.container, name)()

    provide.__name__ = f"provide_{name}"
    return Provide(provide, sync_to_thread=False, use_cache=False)


DEPENDENCIES: dict[str, Provide] = {
    "jf": Provide(_state, sync_to_thread=False),
    "principal": Provide(_principal, sync_to_thread=False),
    "caller": Provide(_search_caller, sync_to_thread=False),
    "repository": _from_container("repository"),
    "flags": _from_container("flags"),
    "access_service": _from_container("access_service"),
    "saved_searches": _from_container("saved_search_service"),
    "applications": _from_container("application_service"),
    "recommendations": _from_container("recommendation_service"),
}
"""Every dependency a handler may name, provided at the app layer."""
