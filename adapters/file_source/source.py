"""The ``file`` job source: postings exported to CSV, TSV, JSON or JSON Lines."""

from __future__ import annotations

import asyncio
import codecs
import itertools
from collections.abc import AsyncIterator, Generator, Iterator, Mapping
from pathlib import Path
from typing import Any

from jobforge.adapters.file_source._columns import (
    ColumnMap,
    canonical_field,
    resolve_columns,
    to_raw_job,
)
from jobforge.adapters.file_source._readers import (
    FORMATS,
    Columns,
    Malformed,
    Row,
    count_records,
    detect_format,
    read_records,
)
from jobforge.core.errors import ConfigError
from jobforge.core.models import RawJob, RejectedRecord

__all__ = ["FileSource"]

_BATCH = 256
"""Records read per worker-thread hop."""
_COUNT_LIMIT_BYTES = 256 * 1024 * 1024
"""Files larger than this get no ``total_hint`` (counting would take too long)."""
_KEYSET_CACHE = 1024


class FileSource:
    r"""A :class:`~jobforge.ports.JobSource` reading one file of postings.

    Formats: CSV and TSV (streamed; fields of any size), JSON (a top-level
    array, or an object with one array of records such as ``jobs``,
    ``data`` or ``results``) and JSON Lines (streamed). ``format="auto"``
    goes by the extension (``.csv .tsv .json .jsonl .ndjson``) and otherwise
    sniffs the content.

    Columns map to :class:`~jobforge.core.models.RawJob` fields by the
    defaults in :data:`~jobforge.adapters.file_source._columns.DEFAULT_COLUMNS`
    (matched case-insensitively, spaces and dashes as underscores), or by
    ``columns`` (field to column name), which wins. Other columns land in
    ``RawJob.extra``. Text is passed through for the core normaliser to parse.

    ``source_id`` is the id column when present, else the URL, else a stable
    SHA-256 of title, company, location and description.

    A record that cannot be read (invalid JSON line, a CSV row with more
    fields than the header, a JSON value that is not an object, undecodable
    bytes) is yielded as a :class:`~jobforge.core.models.RejectedRecord`
    whose reason ends with its line (``element N`` in JSON arrays).

    Args:
        path: The file.
        name: The source name on every posting; default ``file:<file stem>``.
        format: ``auto``, ``csv``, ``tsv``, ``json``, ``jsonl`` or ``ndjson``.
        columns: Field to column name, overriding the defaults. Fields:
            ``id url apply_url title company location description salary
            posted_at valid_through employment_type workplace skills
            department``.
        delimiter: The CSV delimiter (one character; ``\t`` or ``tab`` for
            tab); default: sniffed.
        encoding: The text encoding; the default also strips a UTF-8 BOM.
        option_prefix: Dotted config path of the options, prefixed to the
            option names in :class:`~jobforge.core.errors.ConfigError`.

    Raises:
        ConfigError: An unknown format, field, encoding or a bad delimiter.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        name: str | None = None,
        format: str = "auto",
        columns: Mapping[str, str] | None = None,
        delimiter: str | None = None,
        encoding: str = "utf-8-sig",
        option_prefix: str = "",
    ) -> None:
        self.path = Path(path)
        self._name = name or f"file:{self.path.stem}"
        self._prefix = option_prefix
        fmt = (format or "auto").strip().lower()
        if fmt not in (*FORMATS, "ndjson", "auto"):
            raise ConfigError(
                self._option("format"),
                f"unknown format {format!r}; expected auto, {', '.join(FORMATS)} or ndjson",
            )
        self.format = fmt
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ConfigError(self._option("encoding"), f"unknown encoding {encoding!r}") from None
        self.encoding = encoding
        self.delimiter = _delimiter(delimiter, self._option("delimiter"))
        self.columns: dict[str, str] = {}
        for field, column in (columns or {}).items():
            key = self._option(f"column.{field}")
            canonical = canonical_field(field, key)
            if not isinstance(column, str) or not column.strip():
                raise ConfigError(key, f"expected a column name, got {column!r}")
            if canonical in self.columns:
                raise ConfigError(key, f"field {canonical!r} is mapped twice")
            self.columns[canonical] = column
        self._total: int | None = None

    def _option(self, option: str) -> str:
        return f"{self._prefix}.{option}" if self._prefix else option

    def __repr__(self) -> str:
        return f"FileSource({str(self.path)!r}, name={self._name!r})"

    @property
    def name(self) -> str:
        """The source name recorded on every posting."""
        return self._name

    def total_hint(self) -> int | None:
        """How many records :meth:`fetch` yields, when cheap to know (else ``None``).

        Counts without decoding records; files over 256 MiB or that cannot
        be read give ``None``.
        """
        if self._total is None:
            try:
                if self.path.stat().st_size > _COUNT_LIMIT_BYTES:
                    return None
                fmt = detect_format(self.path, self.format, self.encoding)
                self._total = count_records(self.path, fmt, self.encoding, self.delimiter)
            except OSError:
                return None
        return self._total

    async def fetch(self) -> AsyncIterator[RawJob | RejectedRecord]:
        """Every record of the file, as :class:`RawJob` or :class:`RejectedRecord`.

        The file is read on a worker thread in batches, so the event loop
        stays responsive.

        Raises:
            OSError: The file is missing or unreadable (the message names it).
            ConfigError: A ``column.<field>`` names a column the file lacks.
        """
        items = self._items()
        try:
            while True:
                batch = await asyncio.to_thread(_take, items, _BATCH)
                for item in batch:
                    yield item
                if len(batch) < _BATCH:
                    return
        finally:
            items.close()

    def _items(self) -> Generator[RawJob | RejectedRecord, None, None]:
        try:
            fmt = detect_format(self.path, self.format, self.encoding)
            records = read_records(self.path, fmt, self.encoding, self.delimiter)
            first = next(records)
        except OSError as error:
            raise type(error)(
                error.errno, f"cannot read job file: {error.strerror}", str(self.path)
            ) from error
        assert isinstance(first, Columns)
        # An empty file (or one unreadable as a whole) has no columns to check against.
        known = bool(first.names)
        fixed: ColumnMap | None = None
        if fmt in ("csv", "tsv"):
            fixed = resolve_columns(
                first.names, self.columns, option_prefix=self._prefix_dot(), required=known
            )
        elif known:
            resolve_columns(first.names, self.columns, option_prefix=self._prefix_dot(), required=True)
        by_keys: dict[tuple[str, ...], ColumnMap] = {}
        for item in records:
            if isinstance(item, Malformed):
                yield RejectedRecord(
                    source=self._name, reason=item.reason, record=item.text, position=item.position
                )
                continue
            assert isinstance(item, Row)
            mapping = fixed
            if mapping is None:
                keys = tuple(item.values)
                mapping = by_keys.get(keys)
                if mapping is None:
                    if len(by_keys) >= _KEYSET_CACHE:
                        by_keys.clear()
                    mapping = resolve_columns(
                        list(keys), self.columns, option_prefix=self._prefix_dot(), required=False
                    )
                    by_keys[keys] = mapping
            yield to_raw_job(self._name, item.values, mapping)

    def _prefix_dot(self) -> str:
        return f"{self._prefix}." if self._prefix else ""


def _take(items: Iterator[Any], count: int) -> list[Any]:
    return list(itertools.islice(items, count))


def _delimiter(value: str | None, key: str) -> str | None:
    if value is None or value == "":
        return None
    named = {"\\t": "\t", "tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
    delimiter = named.get(value.lower(), value)
    if len(delimiter) != 1 or delimiter in '\r\n"':
        raise ConfigError(key, f"expected one character such as ',' or '\\t', got {value!r}")
    return delimiter
