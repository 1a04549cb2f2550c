"""The durable part of the index: one SQLite file with an FTS5 table.

Tables:

* ``docs``: one row per job (``row`` is never reused) with its filterable
  fields (msgpack), its postings (term ids and column-weighted frequencies,
  packed ``int32`` and ``float32``), its token count and its unit vector
  (packed ``float32``).
* ``terms``: term id to term.
* ``fts``: the FTS5 table of the indexed text (rowid = ``docs.row``), with
  the tokenizer the in-memory index mirrors. It is the durable full-text
  store; BM25 scores of the in-memory index equal its ``bm25()``.
* ``meta``: dimensions, format version and a write generation counter.
* ``deleted``: the rows deleted, in order (``seq``), so that another process
  catching up reads what changed instead of every row; the oldest entries
  are pruned past :data:`DELETION_LOG_SIZE` (a process that fell further
  behind compares every row instead).

All access happens on the writer's thread of control (under its lock).
Several processes may share the file: a write takes SQLite's write lock
first (:meth:`Store.begin`), so the index can catch up with what others
committed before it numbers new rows and terms.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import msgspec
import numpy as np

from jobforge.adapters.sqlite_search._analysis import COLUMNS, DocFields
from jobforge.adapters.sqlite_search.tokenizer import FTS5_TOKENIZE
from jobforge.sqlite_wal import enable_wal

__all__ = ["NewDoc", "Store", "StoredDoc"]

FORMAT_VERSION = "2"
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS terms (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS docs (
    row INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL UNIQUE,
    fields BLOB NOT NULL,
    term_ids BLOB NOT NULL,
    term_weights BLOB NOT NULL,
    length INTEGER NOT NULL,
    vector BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS deleted (seq INTEGER PRIMARY KEY AUTOINCREMENT, row INTEGER NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    {", ".join(COLUMNS)}, tokenize='{FTS5_TOKENIZE}'
);
"""
DELETION_LOG_SIZE = 200_000
"""Deleted rows remembered for processes catching up."""
_encode_fields = msgspec.msgpack.Encoder().encode
_decode_fields = msgspec.msgpack.Decoder(DocFields).decode


@dataclass(frozen=True, slots=True)
class NewDoc:
    """A document to write: everything but its row number."""

    job_id: str
    fields: DocFields
    term_ids: bytes
    term_weights: bytes
    length: int
    vector: bytes
    texts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoredDoc:
    """A document as loaded at open."""

    row: int
    job_id: str
    fields: DocFields
    term_ids: bytes
    term_weights: bytes
    length: int
    vector: bytes


class Store:
    """The SQLite file of one index directory.

    Args:
        path: the database file (created with its tables when missing).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        enable_wal(self._db)
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        version = self.get_meta("format")
        if version is None:
            self.set_meta("format", FORMAT_VERSION)
        elif version != FORMAT_VERSION:
            raise ValueError(f"{path}: index format {version} is not supported (expected {FORMAT_VERSION})")

    def begin(self, *, write: bool) -> None:
        """Open a transaction: ``write`` takes the database's write lock at once (and
        waits for another process's write to finish); otherwise a consistent read."""
        self._db.execute("BEGIN IMMEDIATE" if write else "BEGIN")

    def commit(self) -> None:
        """Commit the open transaction."""
        self._db.execute("COMMIT")

    def rollback(self) -> None:
        """Roll the open transaction back."""
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    def generation(self) -> int:
        """The write generation: bumped by every committed write, whoever made it."""
        return int(self.get_meta("generation") or 0)

    def terms_from(self, first_id: int) -> list[tuple[int, str]]:
        """Terms with ids from ``first_id`` on, in id order."""
        return list(self._db.execute("SELECT id, term FROM terms WHERE id >= ? ORDER BY id", (first_id,)))

    def rows(self) -> np.ndarray:
        """Every stored row number, ascending."""
        # No ORDER BY: the job_id index covers the rows and is several times smaller to scan.
        rows = np.fromiter((row for (row,) in self._db.execute("SELECT row FROM docs")), dtype=np.int64)
        rows.sort()
        return rows

    def deletion_seq(self) -> int:
        """The position of the latest deletion in the log (0: none yet)."""
        return int(self._db.execute("SELECT coalesce(max(seq), 0) FROM deleted").fetchone()[0])

    def deleted_since(self, seq: int) -> tuple[np.ndarray, int] | None:
        """Rows deleted after log position ``seq`` and the latest position, or
        ``None`` when entries after ``seq`` were already pruned."""
        if seq < int(self.get_meta("deleted_pruned_through") or 0):
            return None
        found = self._db.execute("SELECT seq, row FROM deleted WHERE seq > ? ORDER BY seq", (seq,)).fetchall()
        latest = found[-1][0] if found else seq
        return np.asarray([row for _, row in found], dtype=np.int64), int(latest)

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def get_meta(self, key: str) -> str | None:
        """A ``meta`` value."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Set a ``meta`` value (outside or inside a write)."""
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def count(self) -> int:
        """Number of stored documents."""
        return int(self._db.execute("SELECT count(*) FROM docs").fetchone()[0])

    def terms(self) -> list[str]:
        """Every term, indexed by id."""
        return [term for (term,) in self._db.execute("SELECT term FROM terms ORDER BY id")]

    def documents(self, batch: int = 20_000, *, after_row: int = 0) -> Iterator[list[StoredDoc]]:
        """Every document (with a row above ``after_row``) in row order, in batches."""
        cursor = self._db.execute(
            "SELECT row, job_id, fields, term_ids, term_weights, length, vector FROM docs"
            " WHERE row > ? ORDER BY row",
            (after_row,),
        )
        while rows := cursor.fetchmany(batch):
            yield [
                StoredDoc(row, job_id, _decode_fields(fields), ids, weights, length, vector)
                for row, job_id, fields, ids, weights, length, vector in rows
            ]

    def write(
        self, *, delete_rows: Sequence[int], new_terms: Sequence[tuple[int, str]], docs: Sequence[NewDoc]
    ) -> tuple[list[int], int]:
        """Within a write transaction (:meth:`begin`): delete rows, add terms, insert
        documents and bump the generation; their new rows and the new generation."""
        db = self._db
        last = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'docs'").fetchone()
        first = (int(last[0]) if last else 0) + 1
        rows = list(range(first, first + len(docs)))
        if delete_rows:
            params = [(row,) for row in delete_rows]
            db.executemany("DELETE FROM docs WHERE row = ?", params)
            db.executemany("DELETE FROM fts WHERE rowid = ?", params)
            db.executemany("INSERT INTO deleted (row) VALUES (?)", params)
            self._prune_deletions()
        if new_terms:
            db.executemany("INSERT INTO terms (id, term) VALUES (?, ?)", new_terms)
        if docs:
            db.executemany(
                "INSERT INTO docs (row, job_id, fields, term_ids, term_weights, length, vector)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        row,
                        d.job_id,
                        _encode_fields(d.fields),
                        d.term_ids,
                        d.term_weights,
                        d.length,
                        d.vector,
                    )
                    for row, d in zip(rows, docs, strict=True)
                ],
            )
            placeholders = ", ".join("?" * len(COLUMNS))
            db.executemany(
                f"INSERT INTO fts (rowid, {', '.join(COLUMNS)}) VALUES (?, {placeholders})",
                [(row, *d.texts) for row, d in zip(rows, docs, strict=True)],
            )
        generation = self.generation() + 1
        self.set_meta("generation", str(generation))
        return rows, generation

    def _prune_deletions(self) -> None:
        latest = self.deletion_seq()
        through = latest - DELETION_LOG_SIZE
        if through > int(self.get_meta("deleted_pruned_through") or 0) + DELETION_LOG_SIZE // 10:
            self._db.execute("DELETE FROM deleted WHERE seq <= ?", (through,))
            self.set_meta("deleted_pruned_through", str(through))

    def fts_bm25(self, match: str, weights: Sequence[float]) -> dict[int, float]:
        """``-bm25()`` of every row matching an FTS5 query (the reference the tests compare to)."""
        args = ", ".join(str(float(w)) for w in weights)
        query = f"SELECT rowid, -bm25(fts, {args}) FROM fts WHERE fts MATCH ?"
        return {int(rowid): float(score) for rowid, score in self._db.execute(query, (match,))}
