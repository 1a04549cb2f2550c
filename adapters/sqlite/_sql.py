"""Small SQL helpers shared by the SQLite adapters of this package."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

__all__ = ["chunks", "placeholders"]

T = TypeVar("T")

CHUNK = 500
"""Parameters per ``IN (...)`` list: well under SQLite's variable limit (999 on old builds)."""


def chunks(values: Sequence[T], size: int = CHUNK) -> Iterable[Sequence[T]]:
    """``values`` in slices of at most ``size``."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def placeholders(count: int) -> str:
    """``?,?,...`` for an ``IN`` list of ``count`` parameters."""
    return ",".join("?" * count)
