"""An ``int8`` copy of the unit vectors, for scanning filtered subsets of large indexes.

Gathering the rows of a filtered subset dominates an exact scan (a 5% subset
of a million 384-dimensional ``float32`` vectors is 75 MB of scattered reads).
The ``int8`` copy moves a quarter of the bytes; the best candidates are then
rescored with the ``float32`` vectors, so the returned similarities are exact
and only the choice of candidates is approximate (the rescored pool is about
twice as large as asked for). Used only where approximate search is allowed:
indexes above ``ann_threshold``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["QuantizedVectors"]

_CHUNK = 2048
"""Rows gathered at a time: small enough to stay in cache while their dot products run."""


def _chunks(vectors: np.ndarray) -> list[np.ndarray]:
    """Row blocks small enough for their temporaries to stay in cache."""
    return [vectors[start : start + _CHUNK] for start in range(0, vectors.shape[0], _CHUNK)]


class QuantizedVectors:
    """``int8`` rows aligned with slots; ``codes[i] ~= vector[i] * scale``.

    Args:
        codes: ``int8[capacity, dimensions]``.
        scale: the factor mapping the largest absolute component seen at build time to 127.
    """

    def __init__(self, codes: np.ndarray, scale: float) -> None:
        self.codes = codes
        self.scale = scale

    @classmethod
    def build(cls, vectors: np.ndarray, capacity: int) -> QuantizedVectors:
        """Quantise ``vectors`` (``float32[n, d]``) into an array of ``capacity`` rows."""
        largest = max((float(np.abs(part).max()) for part in _chunks(vectors) if part.size), default=1.0)
        quantized = cls(np.zeros((capacity, vectors.shape[1]), dtype=np.int8), 127.0 / (largest or 1.0))
        quantized.set(0, vectors)
        return quantized

    def set(self, start: int, vectors: np.ndarray) -> None:
        """Write rows ``start...`` (values beyond the build-time range are clipped)."""
        for offset, part in enumerate(_chunks(vectors)):
            scaled = np.clip(np.rint(part * self.scale), -127, 127)
            first = start + offset * _CHUNK
            self.codes[first : first + part.shape[0]] = scaled.astype(np.int8)

    def grow(self, capacity: int) -> None:
        """Make room for ``capacity`` rows (a new array: readers keep the old one)."""
        if capacity > self.codes.shape[0]:
            grown = np.zeros((capacity, self.codes.shape[1]), dtype=np.int8)
            grown[: self.codes.shape[0]] = self.codes
            self.codes = grown

    def take(self, keep: np.ndarray, capacity: int) -> QuantizedVectors:
        """A new copy holding only the rows in ``keep``, renumbered from 0."""
        codes = np.zeros((capacity, self.codes.shape[1]), dtype=np.int8)
        codes[: keep.size] = self.codes[keep]
        return QuantizedVectors(codes, self.scale)

    def scores(self, slots: np.ndarray, unit: np.ndarray) -> np.ndarray:
        """Approximate dot products of the rows ``slots`` with ``unit`` (up to a constant factor)."""
        codes = self.codes
        query = np.clip(np.rint(unit * 127.0 / (float(np.abs(unit).max()) or 1.0)), -127, 127).astype(np.int8)
        out = np.empty(slots.size, dtype=np.int32)
        buffer = np.empty((min(_CHUNK, slots.size), codes.shape[1]), dtype=np.int8)
        for start in range(0, slots.size, _CHUNK):
            chunk = slots[start : start + _CHUNK]
            rows = buffer[: chunk.size]
            np.take(codes, chunk, axis=0, out=rows)
            out[start : start + chunk.size] = np.einsum("ij,j->i", rows, query, dtype=np.int32)
        return out
