"""Streaming readers of CSV/TSV, JSON and JSON Lines files.

Each reader yields one :class:`Columns` item first (the column names known
up front), then a :class:`Row` per record or a :class:`Malformed` per record
it could not read. Readers never raise for bad content, only for a file
that cannot be opened.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import msgspec

__all__ = [
    "FORMATS",
    "JSONL_WINDOW",
    "Columns",
    "Malformed",
    "Row",
    "count_records",
    "detect_format",
    "read_records",
]

FORMATS = ("csv", "tsv", "json", "jsonl")
"""Formats a file may be read as (``auto`` picks one; ``ndjson`` means ``jsonl``)."""

_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_WRAPPER_KEYS = ("jobs", "data", "results", "items", "postings", "records", "listings")
_SNIFF_BYTES = 64 * 1024
_MAX_KEPT_TEXT = 64 * 1024

JSONL_WINDOW = 1000
"""JSON Lines records read ahead to learn the columns before the first one is yielded."""


class Columns(NamedTuple):
    """The column names of a file: its header, or the keys its records use."""

    names: list[str]


class Row(NamedTuple):
    """One record: where it starts (line, or element number for JSON arrays) and its values."""

    position: int
    values: dict[str, Any]


class Malformed(NamedTuple):
    """A record that could not be read: where, why, and its raw text."""

    position: int
    reason: str
    text: str


Item = Columns | Row | Malformed


def detect_format(path: Path, format: str, encoding: str) -> str:
    """The format to read ``path`` as: the given one, else by extension, else sniffed from its start."""
    if format != "auto":
        return "jsonl" if format == "ndjson" else format
    by_extension = _EXTENSIONS.get(path.suffix.lower())
    if by_extension:
        return by_extension
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    text = head.decode(encoding, errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith("["):
        return "json"
    if text.startswith("{"):
        first_line, newline, rest = text.partition("\n")
        try:
            msgspec.json.decode(first_line)
        except msgspec.DecodeError:
            return "json"
        return "jsonl" if newline and rest.strip() else "json"
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;|")
    except csv.Error:
        return "csv"
    return "tsv" if dialect.delimiter == "\t" else "csv"


def read_records(path: Path, format: str, encoding: str, delimiter: str | None) -> Iterator[Item]:
    """Read ``path`` in ``format`` (one of :data:`FORMATS`)."""
    if format in ("csv", "tsv"):
        return _read_csv(
            path, encoding, delimiter or ("\t" if format == "tsv" else _sniff_delimiter(path, encoding))
        )
    if format == "jsonl":
        return _read_jsonl(path, encoding)
    return _read_json(path, encoding)


def count_records(path: Path, format: str, encoding: str, delimiter: str | None) -> int:
    """How many items after :class:`Columns` :func:`read_records` yields, counted without decoding records."""
    if format in ("csv", "tsv"):
        delimiter = delimiter or ("\t" if format == "tsv" else _sniff_delimiter(path, encoding))
        _raise_field_limit()
        with path.open(encoding=encoding, errors="surrogateescape", newline="") as handle:
            try:
                rows = sum(1 for row in csv.reader(handle, delimiter=delimiter) if row)
            except csv.Error:
                rows = 0
        return max(rows - 1, 0)
    if format == "jsonl":
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    return sum(1 for item in _read_json(path, encoding) if not isinstance(item, Columns))


def _sniff_delimiter(path: Path, encoding: str) -> str:
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES).decode(encoding, errors="replace")
    # Only the first lines: a quoted multi-line field confuses the sniffer.
    sample = "\n".join(head.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        return ","


def _raise_field_limit() -> None:
    # Descriptions can be far longer than the csv module's 128 KiB default.
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
        except OverflowError:
            limit //= 2
        else:
            return


def _undecodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _visible(text: str) -> str:
    r"""Raw text with undecodable bytes shown as ``\xNN`` escapes."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _unique_header(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for position, raw in enumerate(names, start=1):
        # An empty first name is kept: it marks the index column pandas writes.
        name = raw.strip() or ("" if position == 1 else f"column_{position}")
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        unique.append(name)
    return unique


def _csv_text(row: list[str], delimiter: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerow(row)
    return _visible(buffer.getvalue().rstrip("\n"))


def _read_csv(path: Path, encoding: str, delimiter: str) -> Iterator[Item]:
    _raise_field_limit()
    with path.open(encoding=encoding, errors="surrogateescape", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header: list[str] | None = None
        last_line = 0
        while True:
            start = last_line + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                yield Malformed(start, f"malformed CSV ({error}), line {start}", "")
                last_line = reader.line_num
                continue
            last_line = reader.line_num
            if not row:
                continue
            if header is None:
                header = _unique_header(row)
                if _undecodable("".join(header)):
                    header = [_visible(name) for name in header]
                yield Columns(list(header))
                continue
            if _undecodable("\x00".join(row)):
                yield Malformed(
                    start, f"undecodable bytes ({encoding}), line {start}", _csv_text(row, delimiter)
                )
                continue
            if len(row) > len(header):
                if any(value for value in row[len(header) :]):
                    yield Malformed(
                        start,
                        f"row has {len(row)} fields but the header has {len(header)}, line {start}",
                        _csv_text(row, delimiter),
                    )
                    continue
                row = row[: len(header)]
            yield Row(start, dict(zip(header, row, strict=False)))
        if header is None:
            yield Columns([])


def _json_type(value: Any) -> str:
    return {list: "array", str: "string", bool: "boolean", int: "number", float: "number"}.get(
        type(value), "null" if value is None else type(value).__name__
    )


def _read_jsonl(path: Path, encoding: str) -> Iterator[Item]:
    with path.open(encoding=encoding, errors="surrogateescape", newline="") as handle:
        items = _jsonl_items(handle, encoding)
        window = list(itertools.islice(items, JSONL_WINDOW))
        names: dict[str, None] = {}
        for item in window:
            if isinstance(item, Row):
                names.update(dict.fromkeys(item.values))
        yield Columns(list(names))
        yield from window
        yield from items


def _jsonl_items(handle: io.TextIOBase, encoding: str) -> Iterator[Row | Malformed]:
    for number, line in enumerate(handle, start=1):
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        if _undecodable(text):
            yield Malformed(number, f"undecodable bytes ({encoding}), line {number}", _visible(text))
            continue
        try:
            value = msgspec.json.decode(text)
        except msgspec.DecodeError as error:
            yield Malformed(number, f"invalid JSON ({error}), line {number}", text)
            continue
        if not isinstance(value, dict):
            yield Malformed(number, f"a JSON {_json_type(value)} is not a record object, line {number}", text)
            continue
        yield Row(number, value)


_BYTE_OFFSET = re.compile(r"byte (\d+)")


def _read_json(path: Path, encoding: str) -> Iterator[Item]:
    data = path.read_bytes()
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        yield Columns([])
        yield Malformed(
            1,
            f"undecodable bytes ({encoding}), line {line}",
            _truncated(data.decode(encoding, "backslashreplace")),
        )
        return
    try:
        document = msgspec.json.decode(text)
    except msgspec.DecodeError as error:
        match = _BYTE_OFFSET.search(str(error))
        where = ""
        if match:
            line = text.encode()[: int(match.group(1))].count(b"\n") + 1
            where = f", line {line}"
        yield Columns([])
        yield Malformed(1, f"invalid JSON ({error}){where}", _truncated(text))
        return
    records = _record_list(document)
    names: dict[str, None] = {}
    for record in records:
        if isinstance(record, dict):
            names.update(dict.fromkeys(record))
    yield Columns(list(names))
    for number, record in enumerate(records, start=1):
        if isinstance(record, dict):
            yield Row(number, record)
        else:
            yield Malformed(
                number,
                f"a JSON {_json_type(record)} is not a record object, element {number}",
                msgspec.json.encode(record).decode(),
            )


def _truncated(text: str) -> str:
    if len(text) <= _MAX_KEPT_TEXT:
        return text
    return text[:_MAX_KEPT_TEXT] + f"... [{len(text) - _MAX_KEPT_TEXT} more characters in the file]"


def _record_list(document: Any) -> list[Any]:
    """The records of a JSON document.

    A top-level array; else an object's array under a usual key (``jobs``,
    ``data``...) or its only array of objects; else the object itself.
    """
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        return [document]
    for key in _WRAPPER_KEYS:
        value = document.get(key)
        if isinstance(value, list):
            return value
    arrays = [
        v for v in document.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)
    ]
    if len(arrays) == 1:
        return arrays[0]
    return [document]
