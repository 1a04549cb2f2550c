"""Typed reads of the loosely typed JSON that job-board APIs return.

A field that is absent or ``null`` reads as ``None``; a field present with
the wrong type raises :class:`MalformedPostingError` naming it, which the
sources turn into a quarantined record.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "MalformedPostingError",
    "as_mapping",
    "ident",
    "items",
    "mapping",
    "number",
    "text",
    "texts",
]


class MalformedPostingError(ValueError):
    """A posting whose shape the source cannot read; the message is the quarantine reason."""


def as_mapping(value: Any, what: str = "posting") -> Mapping[str, Any]:
    """``value`` when it is a JSON object, else :class:`MalformedPostingError`."""
    if not isinstance(value, Mapping):
        raise MalformedPostingError(f"{what} is not an object but {_kind(value)}")
    return value


def text(obj: Mapping[str, Any], key: str) -> str | None:
    """A string field, stripped; numbers are accepted as their text; empty reads as ``None``."""
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        raise MalformedPostingError(f"field {key!r} should be text, got a boolean")
    if isinstance(value, int | float):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if not isinstance(value, str):
        raise MalformedPostingError(f"field {key!r} should be text, got {_kind(value)}")
    return value.strip() or None


def ident(obj: Mapping[str, Any], key: str) -> str:
    """A required identifier (string or integer)."""
    value = obj.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int):
        shown = "missing" if value is None else f"not an identifier but {_kind(value)}"
        raise MalformedPostingError(f"field {key!r} is {shown}")
    result = str(value).strip()
    if not result:
        raise MalformedPostingError(f"field {key!r} is empty")
    return result


def mapping(obj: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
    """An object field, or ``None``."""
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise MalformedPostingError(f"field {key!r} should be an object, got {_kind(value)}")
    return value


def items(obj: Mapping[str, Any], key: str) -> list[Any]:
    """An array field (``[]`` when absent)."""
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise MalformedPostingError(f"field {key!r} should be an array, got {_kind(value)}")
    return value


def texts(obj: Mapping[str, Any], key: str) -> list[str]:
    """An array of strings (non-strings and blanks dropped); a lone string is a one-item list."""
    value = obj.get(key)
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    return [v.strip() for v in items(obj, key) if isinstance(v, str) and v.strip()]


def number(obj: Mapping[str, Any], key: str) -> float | str | None:
    """A numeric field as delivered (a number or a numeric string; ``make_salary`` reads both)."""
    value = obj.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise MalformedPostingError(f"field {key!r} should be a number, got {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int | float):
        return "a number"
    return type(value).__name__
