"""Company names for display and for matching the same employer across sources."""

from __future__ import annotations

import re

from jobforge.core.normalize._text import fold, squash_spaces

__all__ = ["company_key", "normalize_company"]

# Glassdoor appends the employer's rating on its own line: "Tecolote Research\n3.8".
_TRAILING_RATING = re.compile(r"\s*\n\s*(?:[0-5](?:[.,]\d)?|★+)\s*$")
_DOTTED_LETTERS = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]\.){2,}")
_APOSTROPHES = re.compile(r"['\u2019`]")
_NON_WORD = re.compile(r"[^\w]+")
_LEGAL_SUFFIXES = frozenset(
    {
        "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "gmbh", "mbh", "corp",
        "corporation", "co", "plc", "sa", "ag", "bv", "nv", "kg", "kgaa", "ohg", "ug", "se",
        "sarl", "sas", "sasu", "srl", "spa", "sl", "sau", "ab", "as", "asa", "aps", "oy", "oyj",
        "pty", "pte", "pvt", "pllc", "pc", "kk", "gk", "bhd", "sdn", "tbk", "lda", "sp", "zoo",
        "ehf", "cv", "ev", "eg",
    }
)  # fmt: skip
_CONNECTORS = frozenset({"and", "und", "et", "y"})  # "GmbH & Co. KG" leaves a dangling "and"


def normalize_company(name: str | None) -> str:
    r"""A company name for display.

    Strips it, collapses whitespace and drops a trailing Glassdoor rating
    line (``"Tecolote Research\\n3.8"`` -> ``"Tecolote Research"``).

    Args:
        name: The name as the source wrote it.

    Returns:
        The cleaned name; empty when there is none.
    """
    if not name:
        return ""
    return squash_spaces(_TRAILING_RATING.sub("", name.strip()))


def company_key(name: str) -> str:
    """A key under which spellings of one employer match.

    Casefolded, accents and punctuation removed, ``&`` read as "and", and
    legal-form suffixes dropped from the end (Inc, LLC, Ltd, GmbH, Corp, Co.,
    plc, S.A., AG, B.V. and many more), as is a leading "The":
    ``"Adyen N.V."`` and ``"adyen"`` share a key. A name that consists only
    of a legal form keeps it.

    Args:
        name: The company name.

    Returns:
        The key; empty for an empty name.
    """
    text = normalize_company(name).replace("&", " and ").replace("+", " and ")
    text = _DOTTED_LETTERS.sub(lambda m: m.group(0).replace(".", ""), text)
    words = _NON_WORD.sub(" ", _APOSTROPHES.sub("", fold(text))).replace("_", " ").split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and (words[-1] in _LEGAL_SUFFIXES or words[-1] in _CONNECTORS):
        words.pop()
    return " ".join(words)
