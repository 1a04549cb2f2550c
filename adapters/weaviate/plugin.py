"""Registers the ``weaviate`` search index (``[search_index] name = "weaviate"``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jobforge.core.errors import ConfigError
from jobforge.core.registry import OptionSpec
from jobforge.hookspecs import hookimpl

if TYPE_CHECKING:
    from jobforge.core.registry import AdapterContext, Registry
    from jobforge.ports import SearchIndex

__all__ = ["register_search_indexes"]

_OPTIONS = (
    OptionSpec(
        name="url",
        description="REST endpoint, e.g. http://weaviate:8080 (JOBFORGE_WEAVIATE_URL).",
        required=True,
    ),
    OptionSpec(name="api_key", description="Weaviate API key (JOBFORGE_WEAVIATE_API_KEY).", secret=True),
    OptionSpec(name="grpc_port", description="gRPC port.", default=50051),
    OptionSpec(name="grpc_host", description="gRPC host (default: the URL's host)."),
    OptionSpec(name="collection", description="Collection name.", default="JobforgeJobs"),
    OptionSpec(name="tenant", description="Weaviate tenant of this deployment (multi-tenancy)."),
    OptionSpec(
        name="fusion",
        description="rrf (exact, default), ranked or relative_score (native hybrid).",
        default="rrf",
    ),
    OptionSpec(
        name="alpha",
        description="Native hybrid vector weight 0..1 (flag search.alpha overrides).",
        default=0.5,
    ),
    OptionSpec(name="batch_size", description="Objects per batch insert.", default=200),
    OptionSpec(name="max_retries", description="Retries of failed batch objects.", default=3),
    OptionSpec(name="keyword_candidates", description="Most keyword candidates per query.", default=10_000),
    OptionSpec(name="timeout", description="Seconds per request.", default=30.0),
)


def _build(ctx: AdapterContext) -> SearchIndex:
    from jobforge.adapters.weaviate.index import WeaviateSearchIndex

    known = {option.name for option in _OPTIONS}
    unknown = sorted(set(ctx.options) - known)
    if unknown:
        raise ConfigError(
            ctx.option_key(unknown[0]),
            f"unknown option of the weaviate index (known: {', '.join(sorted(known))})",
        )
    kwargs: dict[str, Any] = {"url": str(ctx.require("url"))}
    for name in ("api_key", "grpc_host", "collection", "tenant", "fusion"):
        if ctx.get(name) not in (None, ""):
            kwargs[name] = str(ctx.get(name))
    for name in ("grpc_port", "batch_size", "max_retries", "keyword_candidates"):
        if ctx.get(name) is not None:
            kwargs[name] = ctx.get_int(name, 0)
    for name in ("alpha", "timeout"):
        if ctx.get(name) is not None:
            kwargs[name] = ctx.get_float(name, 0.0)
    try:
        return WeaviateSearchIndex(**kwargs)
    except ValueError as exc:
        option = next((name for name in sorted(known) if str(exc).startswith(name)), "url")
        raise ConfigError(ctx.option_key(option), str(exc)) from None


@hookimpl
def register_search_indexes(register: Registry[Any]) -> None:
    """Register ``weaviate``: a Weaviate collection with BYO vectors and hybrid search."""
    register(
        "weaviate",
        _build,
        description="Weaviate (v4 client): native BM25 + HNSW, exact filters, RRF or native hybrid fusion.",
        options=list(_OPTIONS),
    )
