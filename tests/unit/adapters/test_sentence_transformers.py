"""The sentence-transformers adapter: validation, backend choice, ONNX export cache, plugin.

Tests marked ``slow`` load the real model (the ONNX backend: it loads fastest).
"""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from jobforge.adapters.sentence_transformers import BACKENDS, SentenceTransformerEmbedder, plugin
from jobforge.adapters.sentence_transformers._cpu import (
    has_native_bf16,
    read_cpu_flags,
    resolve_backend,
    resolve_query_backend,
)
from jobforge.adapters.sentence_transformers._priority_lock import PriorityLock
from jobforge.core.errors import ConfigError
from jobforge.core.registry import AdapterContext, Registry
from jobforge.testing.contracts.embedder import cosine

BF16 = frozenset({"avx2", "avx512f", "avx512_bf16"})
NO_BF16 = frozenset({"avx2", "avx512f"})


def fake_model(
    path: Path, *, pooling: dict[str, bool] | None = None, modules: list[str] | None = None
) -> Path:
    """A model directory with config files only: enough to build (not load) an embedder."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "config.json").write_text(json.dumps({"hidden_size": 8, "max_position_embeddings": 512}))
    (path / "tokenizer.json").write_text("{}")
    (path / "weights.bin").write_bytes(bytes(3 << 20))
    if modules is not None:
        entries = [
            {"type": f"sentence_transformers.models.{kind}", "path": "1_Pooling" if kind == "Pooling" else ""}
            for kind in modules
        ]
        (path / "modules.json").write_text(json.dumps(entries))
    if pooling is not None:
        (path / "1_Pooling").mkdir(exist_ok=True)
        (path / "1_Pooling" / "config.json").write_text(
            json.dumps({"word_embedding_dimension": 8, **pooling})
        )
    return path


# Backend choice -------------------------------------------------------------


@pytest.mark.parametrize(
    ("requested", "native_bf16", "onnx_problem", "expected"),
    [
        ("auto", True, None, "torch-bf16"),
        ("auto", False, None, "onnx"),
        ("auto", False, "missing packages: onnxruntime", "torch-fp32"),
        ("torch-bf16", True, None, "torch-bf16"),
        ("torch-bf16", False, None, "torch-fp32"),
        ("torch-fp32", True, None, "torch-fp32"),
        ("onnx", True, None, "onnx"),
    ],
)
def test_backend_resolution(
    requested: str, native_bf16: bool, onnx_problem: str | None, expected: str
) -> None:
    backend, reason = resolve_backend(requested, native_bf16=native_bf16, onnx_problem=onnx_problem)
    assert backend == expected
    assert reason


@pytest.mark.parametrize(
    ("requested", "onnx_problem", "expected"),
    [
        ("auto", None, "onnx"),
        ("auto", "missing packages: onnxruntime", "torch-bf16"),
        ("torch-fp32", None, "torch-fp32"),
        ("torch-bf16", None, "torch-bf16"),
    ],
)
def test_query_backend_resolution(requested: str, onnx_problem: str | None, expected: str) -> None:
    backend, reason = resolve_query_backend(
        requested, documents="torch-bf16", native_bf16=True, onnx_problem=onnx_problem
    )
    assert backend == expected
    assert reason


def test_an_onnx_request_that_cannot_run_says_why() -> None:
    with pytest.raises(ValueError, match="backend 'onnx' cannot run: no onnxruntime"):
        resolve_backend("onnx", native_bf16=True, onnx_problem="no onnxruntime")


def test_native_bf16_is_read_from_the_cpu_flags() -> None:
    assert has_native_bf16(frozenset({"avx512_bf16"}))
    assert has_native_bf16(frozenset({"amx_bf16"}))
    assert not has_native_bf16(NO_BF16)
    assert isinstance(read_cpu_flags(), frozenset)


def test_auto_on_this_machine_follows_its_cpu(tmp_path: Path) -> None:
    embedder = SentenceTransformerEmbedder(cache_dir=tmp_path)
    expected = "torch-bf16" if has_native_bf16(read_cpu_flags()) else "onnx"
    assert embedder.backend == expected
    assert not embedder.loaded_backends  # building is cheap: models load on first use


def test_auto_picks_onnx_on_a_cpu_without_bf16(tmp_path: Path) -> None:
    embedder = SentenceTransformerEmbedder(cpu_flags=NO_BF16, cache_dir=tmp_path)
    assert embedder.backend == "onnx"
    assert "no native bfloat16" in embedder.backend_reason


def test_queries_go_to_onnx_unless_it_cannot_export(tmp_path: Path) -> None:
    assert SentenceTransformerEmbedder(cpu_flags=BF16, cache_dir=tmp_path).query_backend == "onnx"
    (tmp_path / "a-file").write_text("")
    blocked = SentenceTransformerEmbedder(cpu_flags=BF16, cache_dir=tmp_path / "a-file" / "models")
    assert (blocked.backend, blocked.query_backend) == ("torch-bf16", "torch-bf16")
    assert "not writable" in blocked.query_backend_reason
    with pytest.raises(ValueError, match="not writable"):
        SentenceTransformerEmbedder(backend="onnx", cache_dir=tmp_path / "a-file" / "models")


def test_bf16_falls_back_to_fp32_without_native_support_and_logs_why(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="jobforge.adapters.sentence_transformers"):
        embedder = SentenceTransformerEmbedder(backend="torch-bf16", cpu_flags=NO_BF16, cache_dir=tmp_path)
    assert embedder.backend == "torch-fp32"
    assert "no native bfloat16" in caplog.text
    assert SentenceTransformerEmbedder(backend="torch-bf16", cpu_flags=BF16).backend == "torch-bf16"


# Validation and the vector space ---------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"backend": "gpu"},
            "backend must be one of auto, torch-fp32, torch-bf16, onnx, onnx-int8; got 'gpu'",
        ),
        ({"batch_size": 0}, "batch_size must be a positive integer"),
        ({"batch_size": "32"}, "batch_size must be a positive integer"),
        ({"max_seq_length": 1024}, "max_seq_length must be at most 512"),
        ({"threads": 0}, "threads must be a positive integer"),
        ({"model_path": "/nonexistent/model"}, "is not a directory"),
    ],
)
def test_bad_arguments_are_named(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SentenceTransformerEmbedder(**kwargs)  # type: ignore[arg-type]


def test_a_directory_without_config_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"no config\.json"):
        SentenceTransformerEmbedder(tmp_path)


def test_unknown_module_types_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unsupported module types"):
        SentenceTransformerEmbedder(fake_model(tmp_path / "m", modules=["Transformer", "LSTM"]))


def test_onnx_is_refused_for_pooling_it_does_not_reproduce(tmp_path: Path) -> None:
    model = fake_model(
        tmp_path / "cls", modules=["Transformer", "Pooling"], pooling={"pooling_mode_cls_token": True}
    )
    with pytest.raises(ValueError, match="mean pooling"):
        SentenceTransformerEmbedder(model, backend="onnx", cache_dir=tmp_path)
    assert SentenceTransformerEmbedder(model, cpu_flags=NO_BF16, cache_dir=tmp_path).backend == "torch-fp32"


def test_the_default_model_is_all_minilm_with_384_dimensions() -> None:
    embedder = SentenceTransformerEmbedder(cpu_flags=BF16)
    assert embedder.dimensions == 384
    assert embedder.model_id.startswith("all-MiniLM-L6-v2@")


def test_the_model_id_is_shared_by_backends_and_changes_with_truncation(tmp_path: Path) -> None:
    ids = {SentenceTransformerEmbedder(backend=b, cache_dir=tmp_path).model_id for b in BACKENDS}
    assert len(ids) == 1
    default = ids.pop()
    explicit = SentenceTransformerEmbedder(SentenceTransformerEmbedder().model_path).model_id
    assert explicit == default  # the default model named by its path is the same space
    assert SentenceTransformerEmbedder(max_seq_length=128).model_id == f"{default}/seq128"


def test_the_model_id_changes_with_the_weights(tmp_path: Path) -> None:
    model = fake_model(tmp_path / "tuned")
    before = SentenceTransformerEmbedder(model).model_id
    with (model / "weights.bin").open("r+b") as weights:
        weights.seek(-1, 2)
        weights.write(b"\x01")
    after = SentenceTransformerEmbedder(model).model_id
    assert before.startswith("tuned@")
    assert after != before


async def test_bad_texts_are_rejected_before_any_model_work(tmp_path: Path) -> None:
    embedder = SentenceTransformerEmbedder(cache_dir=tmp_path)
    with pytest.raises(TypeError, match=r"texts\[1\] is bytes"):
        await embedder.embed_documents(["ok", b"bytes"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="single str"):
        await embedder.embed_documents("one text")
    with pytest.raises(TypeError, match="query"):
        await embedder.embed_query(42)  # type: ignore[arg-type]
    assert await embedder.embed_documents([]) == []
    assert not embedder.loaded_backends


def test_building_an_embedder_imports_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "import jobforge.adapters.sentence_transformers.plugin\n"
        "from jobforge.adapters.sentence_transformers import SentenceTransformerEmbedder\n"
        "SentenceTransformerEmbedder()\n"
        "heavy = {'torch', 'numpy', 'sentence_transformers', 'transformers', 'onnxruntime', 'tokenizers'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# Plugin ------------------------------------------------------------------------


@pytest.fixture
def registry() -> Registry[object]:
    registry: Registry[object] = Registry("embedder")
    plugin.register_embedders(registry)
    return registry


def test_the_plugin_registers_its_options(registry: Registry[object]) -> None:
    spec = registry.get("sentence-transformers")
    assert [o.name for o in spec.options] == [
        "model_path",
        "backend",
        "query_backend",
        "batch_size",
        "max_seq_length",
        "threads",
        "query_threads",
        "query_batches",
    ]


@pytest.mark.parametrize(
    ("option", "processes", "inline"),
    [
        ("auto", 1, False),  # one process on a multi-core machine: a thread uses a spare core
        ("auto", 1024, True),  # one process per core (or more): no core to spare
        ("event-loop", 1, True),
        ("thread", 1024, False),
    ],
)
def test_query_batches_run_on_the_event_loop_when_no_core_is_spare(
    registry: Registry[object], tmp_path: Path, option: str, processes: int, inline: bool
) -> None:
    context = AdapterContext(
        name="sentence-transformers",
        options={"query_batches": option},
        data_dir=str(tmp_path),
        key="embedder",
        processes=processes,
    )
    embedder = registry.build("sentence-transformers", context)
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert (embedder._query_batcher._encode_now is not None) == inline


def test_a_bad_query_batches_value_names_its_key(registry: Registry[object], tmp_path: Path) -> None:
    context = AdapterContext(
        name="sentence-transformers", options={"query_batches": "gpu"}, data_dir=str(tmp_path), key="embedder"
    )
    with pytest.raises(ConfigError) as error:
        registry.build("sentence-transformers", context)
    assert error.value.key == "embedder.query_batches"
    assert "event-loop" in error.value.message


def test_the_plugin_builds_a_lazy_embedder_keeping_files_in_the_data_dir(
    registry: Registry[object], tmp_path: Path
) -> None:
    context = AdapterContext(
        name="sentence-transformers",
        options={"backend": "onnx", "batch_size": "16", "threads": 1},
        data_dir=str(tmp_path),
        key="embedder",
    )
    embedder = registry.build("sentence-transformers", context)
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.backend == "onnx"
    assert embedder.cache_dir == tmp_path / "models"
    assert not embedder.loaded_backends


@pytest.mark.parametrize(
    ("options", "key"),
    [
        ({"backend": "cuda"}, "embedder.backend"),
        ({"query_backend": "fp8"}, "embedder.query_backend"),
        ({"batch_size": "many"}, "embedder.batch_size"),
        ({"batch_size": 0}, "embedder.batch_size"),
        ({"max_seq_length": -1}, "embedder.max_seq_length"),
        ({"threads": 0}, "embedder.threads"),
        ({"query_threads": 0}, "embedder.query_threads"),
        ({"model_path": "/no/such/model"}, "embedder.model_path"),
        ({"max_seq_length": 4096}, "embedder"),
    ],
)
def test_the_plugin_names_the_bad_key(
    registry: Registry[object], tmp_path: Path, options: dict[str, object], key: str
) -> None:
    context = AdapterContext(
        name="sentence-transformers", options=options, data_dir=str(tmp_path), key="embedder"
    )
    with pytest.raises(ConfigError) as error:
        registry.build("sentence-transformers", context)
    assert error.value.key == key


# The model lock ------------------------------------------------------------------


def test_waiting_queries_go_before_waiting_document_batches() -> None:
    lock = PriorityLock()
    order: list[str] = []
    release = threading.Event()

    def holder() -> None:
        with lock.hold(urgent=False):
            order.append("batch 1")
            release.wait(5)

    def waiter(name: str, urgent: bool) -> None:
        with lock.hold(urgent=urgent):
            order.append(name)

    first = threading.Thread(target=holder)
    first.start()
    while not order:
        threading.Event().wait(0.001)
    batch = threading.Thread(target=waiter, args=("batch 2", False))
    batch.start()
    query = threading.Thread(target=waiter, args=("query", True))
    query.start()
    threading.Event().wait(0.05)  # both are now waiting
    release.set()
    for thread in (first, batch, query):
        thread.join(5)
    assert order == ["batch 1", "query", "batch 2"]


# The real model (ONNX backend) ---------------------------------------------------


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="module")
def onnx_embedder(onnx_cache: Path) -> Iterator[SentenceTransformerEmbedder]:
    embedder = SentenceTransformerEmbedder(backend="onnx", cache_dir=onnx_cache, batch_size=2)
    asyncio.run(embedder.load())
    yield embedder
    asyncio.run(embedder.close())


@pytest.mark.slow
def test_the_onnx_export_is_one_file_written_atomically(
    onnx_embedder: SentenceTransformerEmbedder, onnx_cache: Path
) -> None:
    assert [p.name for p in onnx_cache.iterdir()] == [onnx_embedder.onnx_path.name]


@pytest.mark.slow
def test_a_search_process_reuses_the_onnx_export_and_never_imports_torch(
    onnx_embedder: SentenceTransformerEmbedder, onnx_cache: Path
) -> None:
    before = onnx_embedder.onnx_path.stat()
    code = (
        "import asyncio, sys\n"
        "from jobforge.adapters.sentence_transformers import SentenceTransformerEmbedder\n"
        f"e = SentenceTransformerEmbedder(cache_dir={str(onnx_cache)!r})\n"  # auto: queries on ONNX
        "print(len(asyncio.run(e.embed_query('python developer'))), 'torch' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["384", "False"]
    after = onnx_embedder.onnx_path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


@pytest.mark.slow
async def test_duplicates_and_many_batches_keep_their_order(
    onnx_embedder: SentenceTransformerEmbedder,
) -> None:
    texts = ["nurse", "python developer in berlin", "nurse", "", "warehouse forklift operator", "python"]
    vectors = await onnx_embedder.embed_documents(texts)  # batch_size=2: three batches
    assert vectors[0] == vectors[2]
    for text, vector in zip(texts, vectors, strict=True):
        assert cosine(vector, await onnx_embedder.embed_query(text)) > 0.9999


@pytest.mark.slow
async def test_a_closed_embedder_refuses_work(onnx_cache: Path) -> None:
    embedder = SentenceTransformerEmbedder(backend="onnx", cache_dir=onnx_cache)
    await embedder.embed_query("warm up")
    await embedder.close()
    assert not embedder.loaded_backends
    with pytest.raises(RuntimeError, match="closed"):
        await embedder.embed_query("again")


@pytest.mark.slow
async def test_concurrent_queries_share_model_calls_and_get_their_own_vectors(
    onnx_embedder: SentenceTransformerEmbedder,
) -> None:
    texts = [
        f"{role} jobs in {city}" for role in ("nurse", "python developer") for city in ("Berlin", "Lyon")
    ]
    alone = [await onnx_embedder.embed_query(text) for text in texts]
    calls = onnx_embedder._query_batcher.calls
    together = await asyncio.gather(*(onnx_embedder.embed_query(text) for text in texts * 4))
    assert onnx_embedder._query_batcher.calls - calls < len(texts) * 4
    for vector, expected in zip(together, alone * 4, strict=True):
        assert max(abs(x - y) for x, y in zip(vector, expected, strict=True)) <= 1e-6


@pytest.mark.slow
async def test_queries_run_on_a_one_thread_session_of_their_own(onnx_cache: Path) -> None:
    embedder = SentenceTransformerEmbedder(backend="onnx", cache_dir=onnx_cache, threads=2)
    try:
        await embedder.embed_query("warm up")
        await embedder.embed_documents(["a document"])
        runners = embedder._runners
        options = {key: runner.session.get_session_options() for key, runner in runners.items()}  # type: ignore[attr-defined]
        assert options["onnx/query"].intra_op_num_threads == 1
        assert options["onnx"].intra_op_num_threads == 2
        assert embedder.loaded_backends == frozenset({"onnx"})
    finally:
        await embedder.close()


def test_onnx_int8_is_a_backend_that_needs_onnx_runtime() -> None:
    assert resolve_backend("onnx-int8", native_bf16=True, onnx_problem=None) == ("onnx-int8", "requested")
    with pytest.raises(ValueError, match="backend 'onnx-int8' cannot run: missing packages: onnxruntime"):
        resolve_backend("onnx-int8", native_bf16=False, onnx_problem="missing packages: onnxruntime")
    assert resolve_query_backend("onnx-int8", documents="onnx", native_bf16=False, onnx_problem=None)[0] == (
        "onnx-int8"
    )


@pytest.mark.slow
async def test_int8_queries_are_quantised_once_and_stay_close_to_fp32(
    onnx_embedder: SentenceTransformerEmbedder, onnx_cache: Path
) -> None:
    quantised = SentenceTransformerEmbedder(backend="onnx", query_backend="onnx-int8", cache_dir=onnx_cache)
    try:
        texts = ["senior python developer remote", "night shift nurse", "forklift operator warehouse"]
        for text in texts:
            exact, approximate = await onnx_embedder.embed_query(text), await quantised.embed_query(text)
            assert cosine(exact, approximate) > 0.97, text
        assert quantised.onnx_int8_path.is_file()
        assert quantised.loaded_backends == frozenset({"onnx-int8"})
        assert quantised.model_id == onnx_embedder.model_id  # one vector space: documents are not re-embedded
        before = quantised.onnx_int8_path.stat().st_mtime_ns
    finally:
        await quantised.close()
    again = SentenceTransformerEmbedder(query_backend="onnx-int8", cache_dir=onnx_cache)
    try:
        await again.embed_query("reused")
        assert again.onnx_int8_path.stat().st_mtime_ns == before
    finally:
        await again.close()


@pytest.mark.slow
async def test_int8_queries_run_inline_even_beside_a_document_batch(onnx_cache: Path) -> None:
    quantised = SentenceTransformerEmbedder(query_backend="onnx-int8", cache_dir=onnx_cache)
    try:
        alone = await quantised.embed_query("warehouse forklift operator")
        released, holding = threading.Event(), threading.Event()

        def document_batch() -> None:
            with quantised._cpu_lock.hold(urgent=False):
                holding.set()
                released.wait(30)

        holder = threading.Thread(target=document_batch)
        holder.start()
        try:
            holding.wait(30)
            assert await asyncio.wait_for(quantised.embed_query("warehouse forklift operator"), 5) == alone
        finally:
            released.set()
            holder.join()
        assert quantised._query_batcher.calls == 0
    finally:
        await quantised.close()


@pytest.mark.slow
async def test_int8_vectors_never_depend_on_the_texts_batched_with_them(onnx_cache: Path) -> None:
    # Dynamic quantisation takes one activation scale per run: batched, a vector
    # moved by up to 0.012 in cosine with its companions.
    quantised = SentenceTransformerEmbedder(
        backend="onnx-int8", query_backend="onnx-int8", cache_dir=onnx_cache
    )
    try:
        text = "warehouse forklift operator"
        companions = [
            "senior staff principal machine learning infrastructure engineer",
            "nurse",
            "a b c d e f",
        ]
        [alone] = await quantised.embed_documents([text])
        together = await quantised.embed_documents([text, *companions])
        assert together[0] == alone
    finally:
        await quantised.close()
