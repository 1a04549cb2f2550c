"""Registers the ``hashing`` embedder (deterministic, not semantic; for tests)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jobforge.core.errors import ConfigError
from jobforge.core.registry import OptionSpec
from jobforge.hookspecs import hookimpl

if TYPE_CHECKING:
    from jobforge.core.registry import AdapterContext, Registry
    from jobforge.ports import Embedder

__all__ = ["register_embedders"]


def _build(ctx: AdapterContext) -> Embedder:
    from jobforge.adapters.hashing.embedder import HashingEmbedder

    dimensions = ctx.get_int("dimensions", 64)
    if dimensions < 2:
        raise ConfigError(ctx.option_key("dimensions"), "must be at least 2")
    return HashingEmbedder(dimensions=dimensions)


@hookimpl
def register_embedders(register: Registry[Any]) -> None:
    """Register ``hashing``: signed feature hashing of words, for fast tests."""
    register(
        "hashing",
        _build,
        description="Deterministic feature-hashing embedder for tests; not semantic.",
        options=[OptionSpec(name="dimensions", description="Length of every vector.", default=64)],
    )
