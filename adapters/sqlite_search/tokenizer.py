"""A Python twin of SQLite FTS5's ``porter unicode61 remove_diacritics 2`` tokenizer.

The in-memory inverted index and the FTS5 table must agree on what a term
is, so documents and queries are tokenised here exactly as FTS5 does it:

* unicode61: tokens are runs of letters, numbers and private-use characters
  (Unicode categories ``L*``, ``N*``, ``Co``); combining diacritics inside a
  token belong to it; everything else separates. Tokens are case-folded and,
  with ``remove_diacritics 2``, stripped of diacritics (``é`` -> ``e``).
* porter: the original Porter (1980) stemmer, as FTS5 implements it, applied
  to tokens of 3 to 64 UTF-8 bytes.

Agreement with the SQLite library is checked by the test suite on real
postings and accented words. Known differences are confined to code points
unassigned in SQLite's Unicode tables or Python's (SQLite treats unassigned
code points as letters, this module as separators) and a few letters newer
than SQLite's tables.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

__all__ = ["FTS5_TOKENIZE", "porter_stem", "query_words", "tokenize"]

FTS5_TOKENIZE = "porter unicode61 remove_diacritics 2"
"""The FTS5 ``tokenize`` option this module mirrors."""

_ASCII_TOKEN = re.compile(r"[0-9A-Za-z]+")
# Letters and numbers (Python's \w without "_") are unicode61's token characters,
# except for combining diacritics inside words and private-use code points:
# text holding any of those takes the per-character path.
_WORD = re.compile(r"[^\W_]+")
_RARE = re.compile("[\u0300-\u036f\ue000-\uf8ff\U000f0000-\U0010ffff]")
_STEM_CACHE: dict[str, str] = {}
_STEM_CACHE_MAX = 500_000
_CHAR_CACHE: dict[str, tuple[int, str]] = {}
_SEPARATOR, _TOKEN, _DIACRITIC = 0, 1, 2
_MIN_STEM_BYTES, _MAX_STEM_BYTES = 3, 64
# The combining marks FTS5 treats as diacritics (part of a token, then removed);
# other marks separate tokens.
_DIACRITICS = frozenset(
    [*range(0x300, 0x305), *range(0x306, 0x30D), 0x30F, 0x311, 0x31B, *range(0x323, 0x329), 0x32D, 0x32E,
     0x330, 0x331]
)  # fmt: skip


def tokenize(text: str) -> list[str]:
    """The terms of ``text`` in order (repeats kept), as FTS5 would index them."""
    if text.isascii():
        words = _ASCII_TOKEN.findall(text.lower())
    elif _RARE.search(text) is None:
        words = [word.lower() if word.isascii() else _fold_word(word) for word in _WORD.findall(text)]
    else:
        words = [folded for folded, _ in _unicode_words(text)]
    cache = _STEM_CACHE
    return [cache.get(word) or _stem_and_cache(word) for word in words]


def query_words(text: str) -> list[tuple[str, str]]:
    """``(word as written, term)`` for each token of a query, in order.

    The written form is what a user recognises in "matched terms"; the term
    is what the index looks up.
    """
    if text.isascii():
        pairs = [(m.group(), m.group().lower()) for m in _ASCII_TOKEN.finditer(text)]
    else:
        pairs = [(surface, folded) for folded, surface in _unicode_words(text)]
    return [(surface, _STEM_CACHE.get(folded) or _stem_and_cache(folded)) for surface, folded in pairs]


def _fold_word(word: str) -> str:
    return "".join(char.lower() if char.isascii() else _char_info(char)[1] for char in word)


def porter_stem(token: str) -> str:
    """Stem one folded token the way FTS5's porter tokenizer does."""
    raw = token.encode("utf-8")
    if not _MIN_STEM_BYTES <= len(raw) <= _MAX_STEM_BYTES:
        return token
    if token.isascii():
        return _porter(token)
    # FTS5 stems UTF-8 bytes: non-ASCII bytes act as consonants. Latin-1 maps
    # each byte to one character, so the same rules apply unchanged.
    return _porter(raw.decode("latin-1")).encode("latin-1").decode("utf-8")


def _stem_and_cache(word: str) -> str:
    stem = porter_stem(word)
    if len(_STEM_CACHE) >= _STEM_CACHE_MAX:
        _STEM_CACHE.clear()
    _STEM_CACHE[word] = stem
    return stem


# --- unicode61 ---------------------------------------------------------------------


def _char_info(char: str) -> tuple[int, str]:
    """(kind, folded form) of one non-ASCII character."""
    info = _CHAR_CACHE.get(char)
    if info is None:
        category = unicodedata.category(char)
        if category[0] in "LN" or category == "Co":
            info = (_TOKEN, _fold(char))
        elif ord(char) in _DIACRITICS:
            info = (_DIACRITIC, "")
        else:
            info = (_SEPARATOR, "")
        _CHAR_CACHE[char] = info
    return info


def _fold(char: str) -> str:
    folded = char.casefold()
    lower = folded if len(folded) == 1 else char.lower()
    decomposed = unicodedata.normalize("NFD", lower)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    # FTS5 removes diacritics from Latin letters only (e.g. Greek keeps its tonos).
    if len(base) == 1 and base.isascii():
        return base
    return lower if len(lower) == 1 else char


def _unicode_words(text: str) -> list[tuple[str, str]]:
    """(folded token, surface form) pairs of text that is not pure ASCII."""
    words: list[tuple[str, str]] = []
    folded: list[str] = []
    start = -1
    for index, char in enumerate(text):
        if char.isascii():
            if char.isalnum():
                kind, out = _TOKEN, char.lower()
            else:
                kind, out = _SEPARATOR, ""
        else:
            kind, out = _char_info(char)
        if kind == _TOKEN or (kind == _DIACRITIC and start >= 0):
            if start < 0:
                start = index
            folded.append(out)
        elif start >= 0:
            words.append(("".join(folded), text[start:index]))
            folded, start = [], -1
    if start >= 0:
        words.append(("".join(folded), text[start:]))
    return words


# --- porter --------------------------------------------------------------------------


def _consonants(word: str, y_after_consonant_is_vowel: bool = True) -> list[bool]:
    flags: list[bool] = []
    previous_consonant = False
    for char in word:
        vowel = char in "aeiou" or (char == "y" and previous_consonant and y_after_consonant_is_vowel)
        previous_consonant = not vowel
        flags.append(previous_consonant)
    return flags


def _measure(stem: str) -> int:
    """Porter's m: the number of vowel-consonant sequences in ``stem``."""
    flags = _consonants(stem)
    m = 0
    for i in range(1, len(flags)):
        if flags[i] and not flags[i - 1]:
            m += 1
    return m


def _m_gt0(stem: str) -> bool:
    return _measure(stem) > 0


def _m_gt1(stem: str) -> bool:
    return _measure(stem) > 1


def _m_eq1(stem: str) -> bool:
    return _measure(stem) == 1


def _ends_cvc(stem: str) -> bool:
    """Porter's *o: consonant-vowel-consonant, the last not w, x or y."""
    if not stem or stem[-1] in "wxy":
        return False
    flags = _consonants(stem)
    return len(flags) >= 3 and flags[-1] and not flags[-2] and flags[-3]


def _has_vowel(stem: str) -> bool:
    # FTS5 counts "y" as a vowel anywhere but the first position here.
    return any(c in "aeiou" or (c == "y" and i > 0) for i, c in enumerate(stem))


def _m_gt1_s_or_t(stem: str) -> bool:
    return bool(stem) and stem[-1] in "st" and _m_gt1(stem)


_Rule = tuple[str, str, Callable[[str], bool]]

_STEP2: list[_Rule] = [
    ("ational", "ate", _m_gt0), ("tional", "tion", _m_gt0),
    ("enci", "ence", _m_gt0), ("anci", "ance", _m_gt0),
    ("izer", "ize", _m_gt0),
    ("logi", "log", _m_gt0),
    ("bli", "ble", _m_gt0), ("alli", "al", _m_gt0), ("entli", "ent", _m_gt0), ("eli", "e", _m_gt0),
    ("ousli", "ous", _m_gt0),
    ("ization", "ize", _m_gt0), ("ation", "ate", _m_gt0), ("ator", "ate", _m_gt0),
    ("alism", "al", _m_gt0), ("iveness", "ive", _m_gt0), ("fulness", "ful", _m_gt0),
    ("ousness", "ous", _m_gt0),
    ("aliti", "al", _m_gt0), ("iviti", "ive", _m_gt0), ("biliti", "ble", _m_gt0),
]  # fmt: skip
_STEP3: list[_Rule] = [
    ("ical", "ic", _m_gt0), ("ness", "", _m_gt0), ("icate", "ic", _m_gt0), ("iciti", "ic", _m_gt0),
    ("ful", "", _m_gt0), ("ative", "", _m_gt0), ("alize", "al", _m_gt0),
]  # fmt: skip
_STEP4: list[_Rule] = [
    ("al", "", _m_gt1), ("ance", "", _m_gt1), ("ence", "", _m_gt1), ("er", "", _m_gt1),
    ("ic", "", _m_gt1), ("able", "", _m_gt1), ("ible", "", _m_gt1),
    ("ant", "", _m_gt1), ("ement", "", _m_gt1), ("ment", "", _m_gt1), ("ent", "", _m_gt1),
    ("ion", "", _m_gt1_s_or_t), ("ou", "", _m_gt1),
    ("ism", "", _m_gt1), ("ate", "", _m_gt1), ("iti", "", _m_gt1), ("ous", "", _m_gt1),
    ("ive", "", _m_gt1), ("ize", "", _m_gt1),
]  # fmt: skip


def _apply(word: str, rules: list[_Rule]) -> str:
    """Apply the first rule whose suffix the word ends with (the stem must be non-empty).

    As in FTS5, a matching suffix whose condition fails stops the search:
    rules sharing a penultimate letter are alternatives, longest first.
    """
    if len(word) < 2:
        return word
    penultimate = word[-2]
    for suffix, replacement, condition in rules:
        if suffix[-2] != penultimate or len(word) <= len(suffix) or not word.endswith(suffix):
            continue
        stem = word[: -len(suffix)]
        return stem + replacement if condition(stem) else word
    return word


def _step1ab(word: str) -> str:
    if word.endswith("s"):
        n = len(word)
        if word[-2] == "e":
            sses_or_ies = (n > 4 and word[-4] == "s" and word[-3] == "s") or (n > 3 and word[-3] == "i")
            word = word[:-2] if sses_or_ies else word[:-1]
        elif word[-2] != "s":
            word = word[:-1]
    removed = False
    if len(word) > 3 and word.endswith("eed"):
        if _m_gt0(word[:-3]):
            word = word[:-1]
    elif len(word) > 2 and word.endswith("ed"):
        if _has_vowel(word[:-2]):
            word, removed = word[:-2], True
    elif len(word) > 3 and word.endswith("ing") and _has_vowel(word[:-3]):
        word, removed = word[:-3], True
    if not removed:
        return word
    if len(word) > 2 and word[-2:] in ("at", "bl", "iz"):
        return word + "e"
    last = word[-1]
    if len(word) >= 2 and last not in "aeioulsz" and last == word[-2]:
        return word[:-1]
    if _m_eq1(word) and _ends_cvc(word):
        return word + "e"
    return word


def _porter(word: str) -> str:
    word = _step1ab(word)
    if word.endswith("y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    word = _apply(word, _STEP2)
    word = _apply(word, _STEP3)
    word = _apply(word, _STEP4)
    if word.endswith("e"):
        stem = word[:-1]
        if _m_gt1(stem) or (_m_eq1(stem) and not _ends_cvc(stem)):
            word = stem
    if len(word) > 1 and word.endswith("ll") and _m_gt1(word[:-1]):
        word = word[:-1]
    return word
