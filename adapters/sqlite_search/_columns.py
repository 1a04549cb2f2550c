"""Filterable fields of every slot as numpy columns, and exact filter masks over them.

Columns grow by appending; a slot below the count a searcher saw is never
rewritten (compaction builds new columns), so searches read them without
locks. Text-like values are dictionary-encoded: a filter is evaluated once
per distinct value, then spread over the slots with a lookup table.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Generic, TypeVar

import numpy as np

from jobforge.adapters.sqlite_search._analysis import DocFields, epoch_seconds
from jobforge.core.search_types import SearchFilters

__all__ = ["Columns", "Vocabulary"]

K = TypeVar("K", bound=Hashable)


class Vocabulary(Generic[K]):
    """Distinct values and their dense integer codes (append-only)."""

    def __init__(self) -> None:
        self.codes: dict[K, int] = {}
        self.values: list[K] = []

    def code(self, value: K) -> int:
        """The code of ``value``, assigning the next one if new."""
        code = self.codes.get(value)
        if code is None:
            code = self.codes[value] = len(self.values)
            self.values.append(value)
        return code

    def lookup_table(self, wanted: set[int]) -> np.ndarray:
        """``bool[len(self)]``, true for the wanted codes."""
        table = np.zeros(max(len(self.values), 1), dtype=bool)
        if wanted:
            table[list(wanted)] = True
        return table

    def __len__(self) -> int:
        return len(self.values)


class _MultiValued:
    """A set of small strings per slot, as bit sets (one ``uint64`` column per 64 values)."""

    def __init__(self, capacity: int) -> None:
        self.vocabulary: Vocabulary[str] = Vocabulary()
        self.groups: list[np.ndarray] = []
        self.capacity = capacity

    def grow(self, capacity: int) -> None:
        self.groups = [_grown(group, capacity, 0) for group in self.groups]
        self.capacity = capacity

    def set_many(self, start: int, values: Sequence[Sequence[str]]) -> None:
        patterns: dict[int, list[int]] = {}
        for i, doc_values in enumerate(values):
            for value in doc_values:
                group, bit = divmod(self.vocabulary.code(value), 64)
                if group not in patterns:
                    patterns[group] = [0] * len(values)
                patterns[group][i] |= 1 << bit
        for group, bits in patterns.items():
            while group >= len(self.groups):
                self.groups.append(np.zeros(self.capacity, dtype=np.uint64))
            self.groups[group][start : start + len(values)] = np.array(bits, dtype=np.uint64)

    def mask(self, values: Sequence[str], n: int) -> np.ndarray:
        """True where a slot holds any of ``values``."""
        bits: dict[int, int] = {}
        for value in values:
            code = self.vocabulary.codes.get(value)
            if code is not None:
                group, bit = divmod(code, 64)
                bits[group] = bits.get(group, 0) | (1 << bit)
        result = np.zeros(n, dtype=bool)
        for group, pattern in bits.items():
            result |= (self.groups[group][:n] & np.uint64(pattern)) != 0
        return result

    def take(self, keep: np.ndarray, capacity: int) -> _MultiValued:
        other = _MultiValued(capacity)
        other.vocabulary = self.vocabulary
        for group in self.groups:
            column = np.zeros(capacity, dtype=np.uint64)
            column[: keep.size] = group[keep]
            other.groups.append(column)
        return other


def _grown(array: np.ndarray, capacity: int, fill: float) -> np.ndarray:
    grown = np.full(capacity, fill, dtype=array.dtype)
    grown[: array.size] = array
    return grown


class Columns:
    """One numpy column per filterable field, indexed by slot.

    Args:
        capacity: initial number of slots allocated.
    """

    _NUMERIC = {
        "workplace": (np.int16, 0),
        "employment": (np.int16, 0),
        "seniority": (np.int16, 0),
        "salary_amount": (np.float64, np.nan),
        "salary_currency": (np.int16, -1),
        "posted": (np.float64, np.nan),
        "company": (np.int32, 0),
        "company_key": (np.int32, 0),
        "location": (np.int32, 0),
    }

    def __init__(self, capacity: int = 1024) -> None:
        self.capacity = capacity
        self.arrays = {
            name: np.full(capacity, fill, dtype=dtype) for name, (dtype, fill) in self._NUMERIC.items()
        }
        self.workplaces: Vocabulary[str] = Vocabulary()
        self.employments: Vocabulary[str] = Vocabulary()
        self.seniorities: Vocabulary[str] = Vocabulary()
        self.currencies: Vocabulary[str] = Vocabulary()
        self.companies: Vocabulary[str] = Vocabulary()
        """Company names as written (facet values)."""
        self.company_keys: Vocabulary[str] = Vocabulary()
        """Case-folded company names (filter values)."""
        self.locations: Vocabulary[tuple[str, ...]] = Vocabulary()
        self.countries = _MultiValued(capacity)
        self.sources = _MultiValued(capacity)

    def ensure_capacity(self, needed: int) -> None:
        """Grow every column (copying) so ``needed`` slots fit."""
        if needed <= self.capacity:
            return
        capacity = max(needed, self.capacity * 2)
        self.arrays = {
            name: _grown(self.arrays[name], capacity, fill) for name, (_, fill) in self._NUMERIC.items()
        }
        self.countries.grow(capacity)
        self.sources.grow(capacity)
        self.capacity = capacity

    def set_many(self, start: int, fields: Sequence[DocFields]) -> None:
        """Write slots ``start, start + 1, ...`` (only slots no searcher can see yet)."""
        end = start + len(fields)
        a = self.arrays
        a["workplace"][start:end] = [self.workplaces.code(f.workplace) for f in fields]
        a["employment"][start:end] = [self.employments.code(f.employment) for f in fields]
        a["seniority"][start:end] = [self.seniorities.code(f.seniority) for f in fields]
        a["salary_amount"][start:end] = [
            np.nan if f.salary_amount is None else f.salary_amount for f in fields
        ]
        a["salary_currency"][start:end] = [
            -1 if f.salary_currency is None else self.currencies.code(f.salary_currency) for f in fields
        ]
        a["posted"][start:end] = [np.nan if f.posted is None else f.posted for f in fields]
        a["company"][start:end] = [self.companies.code(f.company) for f in fields]
        a["company_key"][start:end] = [self.company_keys.code(f.company.casefold()) for f in fields]
        a["location"][start:end] = [self.locations.code(f.location_parts) for f in fields]
        self.countries.set_many(start, [f.countries for f in fields])
        self.sources.set_many(start, [f.sources for f in fields])

    def take(self, keep: np.ndarray) -> Columns:
        """New columns holding only the slots in ``keep`` (ascending), renumbered from 0."""
        capacity = max(1024, keep.size * 2)
        other = Columns.__new__(Columns)
        other.__dict__.update(self.__dict__)
        other.capacity = capacity
        other.arrays = {}
        for name, (_, fill) in self._NUMERIC.items():
            column = np.full(capacity, fill, dtype=self.arrays[name].dtype)
            column[: keep.size] = self.arrays[name][keep]
            other.arrays[name] = column
        other.countries = self.countries.take(keep, capacity)
        other.sources = self.sources.take(keep, capacity)
        return other

    # --- filters ---------------------------------------------------------------------

    def filter_mask(self, filters: SearchFilters, n: int) -> np.ndarray | None:
        """``bool[n]`` of the slots passing every filter, or ``None`` when nothing is filtered."""
        parts = [mask for mask in self._filter_parts(filters, n) if mask is not None]
        if not parts:
            return None
        result = parts[0].copy()
        for part in parts[1:]:
            result &= part
        return result

    def _filter_parts(self, f: SearchFilters, n: int) -> list[np.ndarray | None]:
        a = self.arrays
        parts: list[np.ndarray | None] = []
        if f.workplace_types:
            parts.append(
                self._in(a["workplace"], self.workplaces, [str(w.value) for w in f.workplace_types], n)
            )
        if f.location is not None:
            needle = f.location.casefold()
            wanted = {
                code for code, parts_ in enumerate(self.locations.values) if any(needle in p for p in parts_)
            }
            parts.append(self.locations.lookup_table(wanted)[a["location"][:n]])
        if f.countries:
            parts.append(self.countries.mask([c.upper() for c in f.countries], n))
        if f.salary_currency is not None:
            code = self.currencies.codes.get(f.salary_currency.upper(), -2)
            amount = a["salary_amount"][:n]
            ok = (a["salary_currency"][:n] == code) & ~np.isnan(amount)
            if f.salary_min is not None:
                ok &= amount >= f.salary_min
            parts.append(ok)
        if f.employment_types:
            values = [str(e.value) for e in f.employment_types]
            parts.append(self._in(a["employment"], self.employments, values, n))
        if f.seniorities:
            parts.append(self._in(a["seniority"], self.seniorities, [str(s.value) for s in f.seniorities], n))
        if f.posted_after is not None:
            parts.append(a["posted"][:n] >= epoch_seconds(f.posted_after))
        if f.companies:
            parts.append(
                self._in(a["company_key"], self.company_keys, [c.casefold() for c in f.companies], n)
            )
        if f.exclude_companies:
            keys = [c.casefold() for c in f.exclude_companies]
            parts.append(~self._in(a["company_key"], self.company_keys, keys, n))
        if f.sources:
            parts.append(self.sources.mask(list(f.sources), n))
        return parts

    @staticmethod
    def _in(column: np.ndarray, vocabulary: Vocabulary[str], values: list[str], n: int) -> np.ndarray:
        codes = {vocabulary.codes[v] for v in values if v in vocabulary.codes}
        if len(codes) == 1:
            return np.asarray(column[:n] == next(iter(codes)))
        return np.asarray(vocabulary.lookup_table(codes)[column[:n]])
