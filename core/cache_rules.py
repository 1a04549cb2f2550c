"""The input rules every :class:`~jobforge.ports.Cache` adapter enforces."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["check_cache_write"]


def check_cache_write(items: Mapping[str, bytes], ttl: float | None) -> None:
    """Reject a ``set_many`` before anything is stored.

    Raises:
        ValueError: ``ttl`` is not positive.
        TypeError: A key is not a string or a value is not bytes.
    """
    if ttl is not None and not ttl > 0:
        raise ValueError(f"ttl must be a positive number of seconds, got {ttl!r}")
    for key, value in items.items():
        if not isinstance(key, str):
            raise TypeError(f"cache keys must be str, got {type(key).__name__} {key!r}")
        if not isinstance(value, bytes | bytearray | memoryview):
            raise TypeError(f"cache value of {key!r} must be bytes, got {type(value).__name__}")
