"""Registers the ``openai`` embedder (``[embedder] name = "openai"``, ``JOBFORGE_EMBEDDER=openai``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jobforge.core.errors import ConfigError
from jobforge.core.registry import OptionSpec
from jobforge.hookspecs import hookimpl

if TYPE_CHECKING:
    from jobforge.core.registry import AdapterContext, Registry
    from jobforge.ports import Embedder

__all__ = ["register_embedders"]

_OPTIONS = (
    OptionSpec(
        name="model", description="Embedding model (JOBFORGE_OPENAI_MODEL).", default="text-embedding-3-small"
    ),
    OptionSpec(name="api_key", description="API key (JOBFORGE_OPENAI_API_KEY); never logged.", secret=True),
    OptionSpec(
        name="base_url", description="API root of an OpenAI-compatible server (JOBFORGE_OPENAI_BASE_URL)."
    ),
    OptionSpec(name="dimensions", description="Vector length; required for models OpenAI does not publish."),
    OptionSpec(name="send_dimensions", description="Send `dimensions` in requests (default: when set)."),
    OptionSpec(name="encoding_format", description="base64 or float.", default="base64"),
    OptionSpec(name="batch_size", description="Most inputs per request (<= 2048).", default=2048),
    OptionSpec(name="max_batch_tokens", description="Token budget per request.", default=300_000),
    OptionSpec(name="max_input_tokens", description="Longer inputs are truncated.", default=8191),
    OptionSpec(name="max_retries", description="Retries on 429, 5xx and network errors.", default=6),
    OptionSpec(name="backoff_base", description="Seconds of the first backoff.", default=0.5),
    OptionSpec(name="backoff_cap", description="Longest backoff in seconds.", default=30.0),
    OptionSpec(name="timeout", description="Seconds per request.", default=60.0),
    OptionSpec(name="max_concurrency", description="Requests in flight per call.", default=4),
    OptionSpec(
        name="model_id", description="Vector-space id shared with another embedder of the same model."
    ),
)


def _build(ctx: AdapterContext) -> Embedder:
    from jobforge.adapters.openai.embedder import OpenAIEmbedder

    known = {option.name for option in _OPTIONS}
    unknown = sorted(set(ctx.options) - known)
    if unknown:
        raise ConfigError(
            ctx.option_key(unknown[0]),
            f"unknown option of the openai embedder (known: {', '.join(sorted(known))})",
        )
    kwargs: dict[str, Any] = {}
    for name in ("model", "api_key", "base_url", "encoding_format", "model_id"):
        if ctx.get(name) not in (None, ""):
            kwargs[name] = str(ctx.get(name))
    for name in (
        "dimensions",
        "batch_size",
        "max_batch_tokens",
        "max_input_tokens",
        "max_retries",
        "max_concurrency",
    ):
        if ctx.get(name) is not None:
            kwargs[name] = ctx.get_int(name, 0)
    for name in ("backoff_base", "backoff_cap", "timeout"):
        if ctx.get(name) is not None:
            kwargs[name] = ctx.get_float(name, 0.0)
    if ctx.get("send_dimensions") is not None:
        kwargs["send_dimensions"] = ctx.get_bool("send_dimensions", True)
    try:
        return OpenAIEmbedder(**kwargs)
    except ValueError as exc:
        option = next((name for name in known if str(exc).startswith(name)), "model")
        raise ConfigError(ctx.option_key(option), str(exc)) from None


@hookimpl
def register_embedders(register: Registry[Any]) -> None:
    """Register ``openai``: the OpenAI embeddings API or any compatible server."""
    register(
        "openai",
        _build,
        description="OpenAI embeddings API (or a compatible server): batching, retries with backoff.",
        options=list(_OPTIONS),
    )
