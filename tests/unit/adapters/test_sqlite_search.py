"""SqliteSearchIndex specifics: agreement with FTS5, persistence, concurrency, compaction, plugin.

The port semantics are covered by the contract suite (tests/contracts).
"""

from __future__ import annotations

import asyncio
import csv
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from jobforge.adapters.memory.search_index import MemorySearchIndex
from jobforge.adapters.sqlite_search import SqliteSearchIndex, plugin
from jobforge.adapters.sqlite_search import _snapshot as snapshot_module
from jobforge.adapters.sqlite_search._analysis import COLUMN_WEIGHTS
from jobforge.adapters.sqlite_search.tokenizer import FTS5_TOKENIZE, porter_stem, query_words, tokenize
from jobforge.core.errors import ConfigError
from jobforge.core.models import Location, WorkplaceType
from jobforge.core.registry import AdapterContext, Registry
from jobforge.core.search_types import IndexDocument, IndexQuery, IndexResult, SearchFilters, SearchMode
from jobforge.testing.factories import make_job, make_vector

DIM = 16


@pytest.fixture(scope="module")
def postings(shared_dir: Path) -> list[dict[str, str]]:
    with (shared_dir / "data" / "glassdoor_jobs.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))[:250]


def _documents(rows: list[dict[str, str]]) -> list[IndexDocument]:
    workplaces = list(WorkplaceType)
    return [
        IndexDocument(
            job=make_job(
                id=f"gd-{i:03d}",
                title=row["Job Title"],
                company=row["Company Name"].split("\n")[0],
                description=row["Job Description"],
                skills=[],
                locations=[Location(text=row["Location"])],
                workplace_type=workplaces[i % len(workplaces)],
            ),
            vector=make_vector(f"gd-{i}", DIM),
        )
        for i, row in enumerate(rows)
    ]


def _fts5_terms(texts: list[str]) -> list[list[str]]:
    """How SQLite itself tokenises each text."""
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE t USING fts5(body, tokenize='{FTS5_TOKENIZE}')")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
    db.executemany("INSERT INTO t (rowid, body) VALUES (?, ?)", list(enumerate(texts)))
    terms: list[list[str]] = [[] for _ in texts]
    for term, doc in db.execute("SELECT term, doc FROM v ORDER BY doc, offset"):
        terms[doc].append(term)
    db.close()
    return terms


# --- tokenizer ---------------------------------------------------------------------------


def test_tokenizer_matches_fts5_on_real_postings(postings: list[dict[str, str]]) -> None:
    texts = [f"{row['Job Title']} {row['Company Name']} {row['Job Description']}" for row in postings]
    assert [tokenize(text) for text in texts] == _fts5_terms(texts)


def test_tokenizer_matches_fts5_on_accents_symbols_and_stems() -> None:
    texts = [
        "Café naïve résumé Zürich Ærø Łódź straße İstanbul Ελληνικά Москва 東京",
        "e\u0301cole C++ .NET node.js x_y don't 3.14 ®™ — déjà-vu façade coöperate Ångström",
        "running runs ran easily generalizations caresses ponies relational agreed hopping happy",
        "ties sses ies sky skies dying conditional rational feed bled motoring sing",
    ]
    assert [tokenize(text) for text in texts] == _fts5_terms(texts)
    words = ["engineering", "engineers", "engineer", "analyst", "analysts", "analytics", "managerial"]
    assert [porter_stem(word) for word in words] == [terms[0] for terms in _fts5_terms(words)]


def test_query_words_keep_the_written_form() -> None:
    assert query_words("Engineers, Python!") == [("Engineers", "engin"), ("Python", "python")]
    assert query_words("Zürich") == [("Zürich", "zurich")]


# --- scoring -----------------------------------------------------------------------------


async def test_keyword_scores_equal_fts5_bm25(tmp_path: Path, postings: list[dict[str, str]]) -> None:
    index = SqliteSearchIndex(tmp_path)
    docs = _documents(postings)
    await index.upsert(docs[:180])
    await index.upsert(docs[120:])  # 60 replaced in place
    await index.delete(["gd-003", "gd-150"])
    for text in ("python", "machine learning engineer", "senior data scientist python sql", "the"):
        result = await index.search(IndexQuery(text=text, mode=SearchMode.KEYWORD, limit=1000))
        match = " OR ".join(f'"{term}"' for _, term in query_words(text))
        reference = index._store.fts_bm25(match, COLUMN_WEIGHTS)
        rows = {int(index._rows[index._slot_of[hit.job_id]]): hit.keyword_score for hit in result.hits}
        assert result.total == len(reference)
        assert rows.keys() == reference.keys()
        for row, score in reference.items():
            assert rows[row] == pytest.approx(score, rel=1e-5)
    await index.close()


async def test_title_weighs_more_than_description(tmp_path: Path) -> None:
    index = SqliteSearchIndex(tmp_path)
    await index.upsert(
        [
            IndexDocument(
                job=make_job(id="in-title", title="Rust Developer", description="Systems work.", skills=[]),
                vector=make_vector("a", DIM),
            ),
            IndexDocument(
                job=make_job(id="in-text", title="Systems Developer", description="Rust work.", skills=[]),
                vector=make_vector("b", DIM),
            ),
        ]
    )
    result = await index.search(IndexQuery(text="rust", mode=SearchMode.KEYWORD))
    assert [hit.job_id for hit in result.hits] == ["in-title", "in-text"]
    await index.close()


# --- persistence -------------------------------------------------------------------------


def _queries() -> list[IndexQuery]:
    vector = make_vector("query", DIM)
    remote = SearchFilters(workplace_types=(WorkplaceType.REMOTE, WorkplaceType.HYBRID))
    return [
        IndexQuery(text="data scientist python", vector=vector, limit=20, min_similarity=-1.0),
        IndexQuery(text="machine learning", vector=vector, filters=remote, min_similarity=0.0),
        IndexQuery(text="analyst", mode=SearchMode.KEYWORD, offset=5),
        IndexQuery(
            text="q", vector=vector, mode=SearchMode.VECTOR, min_similarity=-1.0, vector_candidates=30
        ),
        IndexQuery(filters=remote, limit=50),
    ]


async def _answers(index: SqliteSearchIndex) -> list[IndexResult]:
    return [await index.search(query) for query in _queries()]


@pytest.mark.parametrize("options", [{}, {"ann_threshold": 0, "subset_scan_limit": 0}], ids=["exact", "hnsw"])
async def test_reopening_gives_the_same_results(
    tmp_path: Path, postings: list[dict[str, str]], options: dict[str, Any]
) -> None:
    docs = _documents(postings)
    index = SqliteSearchIndex(tmp_path, **options)
    await index.upsert(docs[:200])
    await index.upsert(docs[150:])
    await index.delete(["gd-007"])
    before = await _answers(index)
    count = await index.count()
    await index.close()

    reopened = SqliteSearchIndex(tmp_path, **options)
    assert await reopened.count() == count
    assert reopened.dimensions == DIM
    assert await _answers(reopened) == before
    await reopened.close()


async def test_a_stale_hnsw_file_is_rebuilt(tmp_path: Path, postings: list[dict[str, str]]) -> None:
    docs = _documents(postings)
    options: dict[str, Any] = {"ann_threshold": 0, "subset_scan_limit": 0}
    index = SqliteSearchIndex(tmp_path, **options)
    await index.upsert(docs[:100])
    await index.close()
    assert (tmp_path / "vectors.hnsw").exists()

    crashed = SqliteSearchIndex(tmp_path, **options)
    await crashed.upsert(docs[100:])
    expected = await _answers(crashed)
    crashed._store.close()  # a crash: the graph on disk now misses the last upsert

    recovered = SqliteSearchIndex(tmp_path, **options)
    assert await recovered.count() == len(docs)
    assert await _answers(recovered) == expected
    await recovered.close()


async def test_reopening_with_other_dimensions_is_an_error(tmp_path: Path) -> None:
    index = SqliteSearchIndex(tmp_path / "a")
    await index.upsert([IndexDocument(job=make_job(id="one"), vector=make_vector("one", DIM))])
    await index.close()
    with pytest.raises(ValueError, match=rf"{DIM}.*8"):
        SqliteSearchIndex(tmp_path / "a", dimensions=8)


async def test_constructor_dimensions_are_enforced_and_kept(tmp_path: Path) -> None:
    index = SqliteSearchIndex(tmp_path, dimensions=DIM)
    with pytest.raises(ValueError, match=rf"8.*{DIM}"):
        await index.upsert([IndexDocument(job=make_job(id="short"), vector=make_vector("short", 8))])
    await index.close()
    with pytest.raises(ValueError, match=rf"{DIM}.*8"):
        SqliteSearchIndex(tmp_path, dimensions=8)
    reopened = SqliteSearchIndex(tmp_path)
    assert reopened.dimensions == DIM
    await reopened.close()


# --- writes ------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [[0.0] * DIM, [float("nan")] * DIM])
async def test_upsert_rejects_vectors_without_a_direction(tmp_path: Path, bad: list[float]) -> None:
    index = SqliteSearchIndex(tmp_path)
    with pytest.raises(ValueError, match="'broken'"):
        await index.upsert([IndexDocument(job=make_job(id="broken"), vector=bad)])
    assert await index.count() == 0
    await index.close()


async def test_compaction_drops_deleted_slots_and_keeps_results(tmp_path: Path) -> None:
    docs = [
        IndexDocument(
            job=make_job(
                id=f"job-{i:04d}",
                title="Kotlin Developer" if i % 3 == 0 else "Welder",
                workplace_type=WorkplaceType.REMOTE if i % 2 else WorkplaceType.ONSITE,
            ),
            vector=make_vector(f"job-{i}", DIM),
        )
        for i in range(1500)
    ]
    index = SqliteSearchIndex(tmp_path)
    reference = MemorySearchIndex()
    for target in (index, reference):
        await target.upsert(docs)
        await target.delete([f"job-{i:04d}" for i in range(1500) if i % 5])
    assert index._n == 300  # compacted: 1200 deleted slots are gone
    assert await index.count() == await reference.count() == 300
    browse = IndexQuery(limit=40, filters=SearchFilters(workplace_types=(WorkplaceType.REMOTE,)))
    assert await index.search(browse) == await reference.search(browse)
    nearest = IndexQuery(
        text="q", vector=make_vector("query", DIM), mode=SearchMode.VECTOR, min_similarity=-1.0, limit=300
    )
    got, expected = await index.search(nearest), await reference.search(nearest)
    assert [h.job_id for h in got.hits] == [h.job_id for h in expected.hits]
    assert [h.vector_score for h in got.hits] == pytest.approx(
        [h.vector_score for h in expected.hits], abs=1e-5
    )
    kotlin = await index.search(IndexQuery(text="kotlin", mode=SearchMode.KEYWORD, limit=300))
    assert kotlin.total == 100
    await index.close()


# --- concurrency -------------------------------------------------------------------------


async def test_concurrent_searches_see_consistent_snapshots_while_writing(
    tmp_path: Path, postings: list[dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every search with a vector in a worker thread, beside the writer's thread.
    monkeypatch.setattr(snapshot_module, "_LIGHT_VECTOR_WORK", -1)
    docs = _documents(postings)
    index = SqliteSearchIndex(tmp_path)
    await index.upsert(docs[:100])

    async def write() -> None:
        for start in range(100, 250, 30):
            await index.upsert(docs[start : start + 30])
            await index.delete([docs[start - 100].job.id])

    async def read(query: IndexQuery) -> IndexResult:
        return await index.search(query)

    queries = [*_queries(), IndexQuery(text="data", mode=SearchMode.KEYWORD, limit=300)] * 6
    results = await asyncio.gather(write(), *(read(query) for query in queries))
    for query, result in zip(queries, results[1:], strict=True):
        assert isinstance(result, IndexResult)
        ids = [hit.job_id for hit in result.hits]
        assert len(ids) == len(set(ids)) == min(query.limit, max(result.total - query.offset, 0))
        assert sum(result.facets["workplace_type"].values()) == result.total
    assert await index.count() == 250 - 5
    await index.close()


async def test_a_closed_index_refuses_work(tmp_path: Path) -> None:
    index = SqliteSearchIndex(tmp_path)
    await index.close()
    await index.close()
    with pytest.raises(RuntimeError, match="closed"):
        await index.search(IndexQuery())
    with pytest.raises(RuntimeError, match="closed"):
        await index.upsert([IndexDocument(job=make_job(), vector=make_vector("x", DIM))])


# --- approximate search ------------------------------------------------------------------


async def test_hnsw_recall_at_10_against_exact(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    centres = rng.standard_normal((20, DIM))
    vectors = centres[rng.integers(20, size=3000)] + 0.4 * rng.standard_normal((3000, DIM))
    docs = [
        IndexDocument(job=make_job(id=f"v{i:04d}"), vector=vector.tolist())
        for i, vector in enumerate(vectors)
    ]
    exact = SqliteSearchIndex(tmp_path / "exact")
    approximate = SqliteSearchIndex(tmp_path / "hnsw", ann_threshold=0, ann_ef_search=32)
    for index in (exact, approximate):
        await index.upsert(docs)
    recalls = []
    for query in rng.standard_normal((30, DIM)):
        ask = IndexQuery(text="q", vector=query.tolist(), mode=SearchMode.VECTOR, vector_candidates=10)
        truth = {hit.job_id for hit in (await exact.search(ask)).hits}
        found = {hit.job_id for hit in (await approximate.search(ask)).hits}
        recalls.append(len(truth & found) / 10)
    assert np.mean(recalls) >= 0.95
    for index in (exact, approximate):
        await index.close()


# --- plugin ------------------------------------------------------------------------------


async def test_plugin_builds_the_index_under_the_data_dir(tmp_path: Path) -> None:
    registry: Registry[Any] = Registry("search_index")
    plugin.register_search_indexes(registry)
    spec = registry.get("sqlite")
    assert {option.name for option in spec.options} >= {"path", "ann_threshold", "subset_scan_limit"}
    index = registry.build("sqlite", AdapterContext(name="sqlite", data_dir=str(tmp_path)))
    assert isinstance(index, SqliteSearchIndex)
    assert index.directory == tmp_path / "search"
    await index.close()
    custom = registry.build(
        "sqlite", AdapterContext(name="sqlite", options={"path": str(tmp_path / "x"), "ann_threshold": "5"})
    )
    assert custom.directory == tmp_path / "x"
    await custom.close()


@pytest.mark.parametrize(
    ("options", "key"),
    [({"ann_threshold": "lots"}, "ann_threshold"), ({"ann_ef_search": 0}, "ann_ef_search")],
)
def test_plugin_rejects_bad_options_naming_the_key(tmp_path: Path, options: dict[str, Any], key: str) -> None:
    registry: Registry[Any] = Registry("search_index")
    plugin.register_search_indexes(registry)
    context = AdapterContext(name="sqlite", options=options, data_dir=str(tmp_path), key="search.options")
    with pytest.raises(ConfigError) as error:
        registry.build("sqlite", context)
    assert error.value.key == f"search.options.{key}"


def test_importing_the_plugin_loads_no_numpy() -> None:
    code = "import sys, jobforge.adapters.sqlite_search.plugin; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- differential ------------------------------------------------------------------------

_WORDS = ["java", "kotlin", "rust", "scala", "perl", "swift", "ruby", "elixir", "haskell", "erlang"]


async def test_rankings_match_the_memory_fake_beyond_the_keyword_depth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deep pages of large keyword and vector lists fuse exactly as the plain-Python fake does.

    Run with the two retrievers in parallel, with broad and selective filters.
    """
    monkeypatch.setattr(snapshot_module, "_PARALLEL_MIN_DOCS", 0)
    rng = np.random.default_rng(11)
    workplaces = [WorkplaceType.REMOTE, WorkplaceType.HYBRID, WorkplaceType.ONSITE] + [
        WorkplaceType.UNKNOWN
    ] * 2
    docs = []
    for i in range(2500):
        words = rng.choice(_WORDS, size=int(rng.integers(1, 7)))
        docs.append(
            IndexDocument(
                job=make_job(
                    id=f"d{i:05d}",
                    title=" ".join(words[:2]),
                    description=" ".join(words[2:]),
                    skills=[],
                    company="Acme",
                    locations=[],
                    workplace_type=workplaces[i % 5],
                ),
                vector=rng.standard_normal(8).tolist(),
            )
        )
    index = SqliteSearchIndex(tmp_path)
    reference = MemorySearchIndex()
    for target in (index, reference):
        await target.upsert(docs)
    vector = rng.standard_normal(8).tolist()
    broad = SearchFilters(workplace_types=(WorkplaceType.REMOTE, WorkplaceType.ONSITE))
    selective = SearchFilters(workplace_types=(WorkplaceType.REMOTE,))
    for text, filters in (
        ("java kotlin", SearchFilters()),
        ("rust", broad),
        ("perl swift ruby", broad),
        ("java scala", selective),
    ):
        for offset in (0, 995, 1490):
            query = IndexQuery(
                text=text,
                vector=vector,
                filters=filters,
                offset=offset,
                limit=15,
                min_similarity=-1.0,
                vector_candidates=1500,
            )
            got, expected = await index.search(query), await reference.search(query)
            assert (got.total, got.facets) == (expected.total, expected.facets)
            assert [h.job_id for h in got.hits] == [h.job_id for h in expected.hits]
            assert [(h.keyword_rank, h.vector_rank) for h in got.hits] == [
                (h.keyword_rank, h.vector_rank) for h in expected.hits
            ]
            assert [h.score for h in got.hits] == pytest.approx([h.score for h in expected.hits])
    await index.close()


@pytest.mark.parametrize("budget", [0, 64 << 20])
async def test_filtered_vector_searches_reuse_the_candidates_vectors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: int
) -> None:
    monkeypatch.setattr(snapshot_module, "_SUBSET_CACHE_BYTES", budget)
    rng = np.random.default_rng(5)
    workplaces = [WorkplaceType.REMOTE, WorkplaceType.ONSITE, WorkplaceType.HYBRID]
    docs = [
        IndexDocument(
            job=make_job(id=f"v{i:04d}", workplace_type=workplaces[i % 3]),
            vector=rng.standard_normal(DIM).tolist(),
        )
        for i in range(600)
    ]
    index, reference = SqliteSearchIndex(tmp_path), MemorySearchIndex()
    for target in (index, reference):
        await target.upsert(docs)
    remote = SearchFilters(workplace_types=(WorkplaceType.REMOTE,))

    async def agree() -> None:
        for _ in range(2):
            query = IndexQuery(
                text="x", vector=rng.standard_normal(DIM).tolist(), filters=remote, mode=SearchMode.VECTOR
            )
            got, expected = await index.search(query), await reference.search(query)
            assert [h.job_id for h in got.hits] == [h.job_id for h in expected.hits]

    await agree()
    assert len(index._snapshot._subsets) == (1 if budget else 0)
    moved = IndexDocument(
        job=make_job(id="v0001", workplace_type=WorkplaceType.REMOTE), vector=docs[1].vector
    )
    for target in (index, reference):
        await target.upsert([moved])  # a new snapshot: the cached candidates are not reused
    await agree()
    await index.close()


# Several processes on one directory -------------------------------------------


def _doc(job_id: str, title: str, seed: int) -> IndexDocument:
    return IndexDocument(
        job=make_job(id=job_id, title=title, description=f"{title} wanted", skills=[]),
        vector=make_vector(f"{job_id}-{seed}", DIM),
    )


async def _ids(index: SqliteSearchIndex, text: str, mode: SearchMode = SearchMode.KEYWORD) -> list[str]:
    vector = make_vector(text, DIM) if mode is not SearchMode.KEYWORD else None
    result = await index.search(IndexQuery(text=text, vector=vector, mode=mode, limit=50, min_similarity=-1))
    return [hit.job_id for hit in result.hits]


@pytest.mark.parametrize("ann_threshold", [200_000, 5])
async def test_two_indexes_on_one_directory_see_each_others_writes(
    tmp_path: Path, ann_threshold: int
) -> None:
    first = SqliteSearchIndex(tmp_path, ann_threshold=ann_threshold)
    second = SqliteSearchIndex(tmp_path, ann_threshold=ann_threshold)
    try:
        await first.upsert([_doc(f"a{i}", "welder", i) for i in range(8)])
        assert sorted(await _ids(second, "welder")) == [f"a{i}" for i in range(8)]
        assert await second.count() == 8
        # New terms from both sides: ids and rows must not collide.
        await second.upsert([_doc("b1", "glazier", 1), _doc("a3", "plumber", 3)])
        await first.upsert([_doc("a9", "roofer", 9)])
        await second.delete(["a0"])
        for index in (first, second):
            assert sorted(await _ids(index, "welder")) == [f"a{i}" for i in (1, 2, 4, 5, 6, 7)]
            assert await _ids(index, "glazier") == ["b1"]
            assert await _ids(index, "plumber") == ["a3"]
            assert await _ids(index, "roofer") == ["a9"]
            assert await index.count() == 9
        hybrid = await _ids(first, "welder", SearchMode.HYBRID)
        assert hybrid == await _ids(second, "welder", SearchMode.HYBRID)
    finally:
        await first.close()
        await second.close()
    reopened = SqliteSearchIndex(tmp_path, ann_threshold=ann_threshold)
    try:
        assert await reopened.count() == 9
        assert await _ids(reopened, "welder", SearchMode.HYBRID) == hybrid
    finally:
        await reopened.close()


async def test_a_search_sees_a_write_made_by_another_process(tmp_path: Path) -> None:
    index = SqliteSearchIndex(tmp_path)
    try:
        await index.upsert([_doc("here", "carpenter", 0)])
        code = (
            "import asyncio, sys\n"
            "from jobforge.adapters.sqlite_search import SqliteSearchIndex\n"
            "from jobforge.core.search_types import IndexDocument\n"
            "from jobforge.testing.factories import make_job, make_vector\n"
            "async def main():\n"
            f"    index = SqliteSearchIndex({str(tmp_path)!r})\n"
            "    job = make_job(id='there', title='carpenter apprentice', skills=[])\n"
            f"    await index.upsert([IndexDocument(job=job, vector=make_vector('there', {DIM}))])\n"
            "    await index.delete(['here'])\n"
            "    await index.close()\n"
            "asyncio.run(main())\n"
        )
        child = await asyncio.create_subprocess_exec(sys.executable, "-c", code)
        assert await asyncio.wait_for(child.wait(), timeout=120) == 0
        assert await _ids(index, "carpenter") == ["there"]
        assert await index.count() == 1
    finally:
        await index.close()


async def test_an_index_behind_the_pruned_deletion_log_compares_every_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jobforge.adapters.sqlite_search import _store as store_module

    monkeypatch.setattr(store_module, "DELETION_LOG_SIZE", 3)
    first, second = SqliteSearchIndex(tmp_path), SqliteSearchIndex(tmp_path)
    try:
        await first.upsert([_doc(f"p{i}", "painter", i) for i in range(20)])
        assert len(await _ids(second, "painter")) == 20
        for i in range(12):  # far more deletions than the log keeps
            await first.delete([f"p{i}"])
        assert first._store.get_meta("deleted_pruned_through") is not None
        assert sorted(await _ids(second, "painter")) == sorted(f"p{i}" for i in range(12, 20))
        await first.delete(["p12"])  # and the log serves the next catch-up again
        assert sorted(await _ids(second, "painter")) == sorted(f"p{i}" for i in range(13, 20))
    finally:
        await first.close()
        await second.close()
