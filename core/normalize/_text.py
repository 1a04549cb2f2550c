"""Small text helpers shared by the normalisation modules."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "squash_spaces"]

_SPACES = re.compile(r"\s+")


def squash_spaces(text: str) -> str:
    """Collapse every run of whitespace (NBSP included) into one space and trim."""
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """A matching key: accents removed, casefolded, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return squash_spaces(stripped.casefold())
