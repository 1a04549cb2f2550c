"""Registers the ``file`` job source."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from jobforge.core.errors import ConfigError
from jobforge.core.registry import OptionSpec
from jobforge.hookspecs import hookimpl

if TYPE_CHECKING:
    from jobforge.core.registry import AdapterContext, Registry
    from jobforge.ports import JobSource

__all__ = ["register_sources"]

_FIELDS = (
    "id url apply_url title company location description salary posted_at valid_through "
    "employment_type workplace skills department"
)


def _column_options(ctx: AdapterContext) -> dict[str, str]:
    """The ``column.<field>`` options, flat (``column.title``) or as a table (``[...column]``)."""
    columns: dict[str, str] = {}
    for option, value in ctx.options.items():
        if option.startswith("column."):
            columns[option.removeprefix("column.")] = value
        elif option in ("column", "columns"):
            if not isinstance(value, Mapping):
                key = ctx.option_key(option)
                raise ConfigError(key, f"expected a table of field = column name, got {value!r}")
            columns.update({str(field): column for field, column in value.items()})
    return columns


def _build_source(ctx: AdapterContext) -> JobSource:
    from jobforge.adapters.file_source.source import FileSource

    return FileSource(
        ctx.require("path"),
        name=ctx.get("name") or None,
        format=ctx.get("format") or "auto",
        columns=_column_options(ctx),
        delimiter=ctx.get("delimiter") or None,
        encoding=ctx.get("encoding") or "utf-8-sig",
        option_prefix=ctx.key,
    )


@hookimpl
def register_sources(register: Registry[Any]) -> None:
    """Register the ``file`` source."""
    register(
        "file",
        _build_source,
        description="Postings from a CSV, TSV, JSON or JSON Lines file.",
        options=[
            OptionSpec(name="path", description="The file to read.", required=True),
            OptionSpec(name="name", description="Source name on every posting; default file:<file stem>."),
            OptionSpec(
                name="format",
                description="auto (by extension, else sniffed), csv, tsv, json, jsonl or ndjson.",
                default="auto",
            ),
            OptionSpec(
                name="delimiter", description="CSV delimiter, one character or 'tab'; default sniffed."
            ),
            OptionSpec(
                name="encoding",
                description="Text encoding (utf-8-sig also strips a BOM).",
                default="utf-8-sig",
            ),
            OptionSpec(
                name="column.<field>",
                description=(
                    "Column feeding a posting field, overriding the defaults (matched ignoring case, "
                    'spaces and dashes), e.g. column.title = "Job Title". Fields: ' + _FIELDS + ". "
                    "Unmapped columns are kept in the posting's extra data."
                ),
            ),
        ],
    )
