"""The contract every :class:`~jobforge.ports.Cache` adapter passes.

Subclass :class:`CacheContract` and override the ``cache`` fixture to yield
a fresh, empty cache. Expiry is tested through the ``advance`` fixture,
which by default really sleeps; an adapter with an injectable clock
overrides it to move its fake clock instead, making the tests instant and
deterministic::

    class TestMyCache(CacheContract):
        @pytest.fixture
        async def cache(self):
            cache = MyCache(...)
            yield cache
            await cache.close()
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from jobforge.ports import Cache
from jobforge.testing.fakes import SecondsClock

__all__ = ["Advance", "CacheContract", "advancing"]

Advance = Callable[[float], Awaitable[None]]
"""Moves the cache's notion of time forward by some seconds."""


def advancing(clock: SecondsClock) -> Advance:
    """An ``advance`` that moves a :class:`~jobforge.testing.fakes.SecondsClock` instead of sleeping."""

    async def move(seconds: float) -> None:
        clock.now += seconds

    return move


class CacheContract:
    """Behaviour shared by every cache; subclass and override ``cache`` (and optionally ``advance``)."""

    pytestmark = [pytest.mark.asyncio]

    @pytest.fixture
    async def cache(self) -> AsyncIterator[Cache]:
        """Yield a fresh, empty cache and close it afterwards (override this)."""
        raise NotImplementedError("override the `cache` fixture to yield an empty Cache")
        yield  # pragma: no cover  # noqa: PT022  (makes this an async generator fixture like its overrides)

    @pytest.fixture
    def advance(self) -> Advance:
        """Let time pass for the cache; the default sleeps for real."""

        async def sleep(seconds: float) -> None:
            await asyncio.sleep(seconds)

        return sleep

    async def test_implements_the_port(self, cache: Cache) -> None:
        """The adapter satisfies the runtime-checkable ``Cache`` protocol."""
        assert isinstance(cache, Cache)

    async def test_missing_keys_are_absent(self, cache: Cache) -> None:
        """Missing keys are absent."""
        assert await cache.get_many(["nope", "also-nope"]) == {}
        assert await cache.get_many([]) == {}

    async def test_set_then_get_many(self, cache: Cache) -> None:
        """Stored values come back; keys never stored are absent."""
        await cache.set_many({"a": b"1", "b": b"2", "c": b"3"})
        assert await cache.get_many(["a", "missing", "c"]) == {"a": b"1", "c": b"3"}
        assert await cache.get_many(["b"]) == {"b": b"2"}

    async def test_set_many_with_nothing_is_a_no_op(self, cache: Cache) -> None:
        """Storing an empty mapping stores nothing."""
        await cache.set_many({})
        assert await cache.get_many(["a"]) == {}

    async def test_overwrite(self, cache: Cache) -> None:
        """Setting a key again replaces its value."""
        await cache.set_many({"k": b"old"})
        await cache.set_many({"k": b"new"})
        assert await cache.get_many(["k"]) == {"k": b"new"}

    async def test_delete(self, cache: Cache) -> None:
        """Deleted keys are absent; deleting unknown keys is harmless."""
        await cache.set_many({"a": b"1", "b": b"2"})
        await cache.delete(["a", "never-set"])
        assert await cache.get_many(["a", "b"]) == {"b": b"2"}
        await cache.delete([])
        assert await cache.get_many(["b"]) == {"b": b"2"}

    async def test_binary_round_trip(self, cache: Cache) -> None:
        """Every byte value, empty values and large values round-trip as ``bytes``."""
        every_byte = bytes(range(256))
        await cache.set_many({"all": every_byte, "empty": b"", "nul": b"\x00\x00", "big": every_byte * 4096})
        got = await cache.get_many(["all", "empty", "nul", "big"])
        assert got == {"all": every_byte, "empty": b"", "nul": b"\x00\x00", "big": every_byte * 4096}
        assert all(isinstance(value, bytes) for value in got.values())

    async def test_unicode_keys(self, cache: Cache) -> None:
        """Keys with non-ASCII characters, spaces and punctuation work."""
        keys = ["emb:all-MiniLM:ünï", "日本語", "with space", "a:b:c/d?e=f"]
        await cache.set_many({key: key.encode() for key in keys})
        assert await cache.get_many(keys) == {key: key.encode() for key in keys}

    async def test_ttl_expiry(self, cache: Cache, advance: Advance) -> None:
        """Entries expire after their ttl; others stay."""
        await cache.set_many({"short": b"s"}, ttl=0.3)
        await cache.set_many({"long": b"l"}, ttl=60)
        await cache.set_many({"forever": b"f"})
        assert await cache.get_many(["short", "long", "forever"]) == {
            "short": b"s",
            "long": b"l",
            "forever": b"f",
        }
        await advance(0.6)
        assert await cache.get_many(["short", "long", "forever"]) == {"long": b"l", "forever": b"f"}

    async def test_overwrite_without_ttl_clears_the_expiry(self, cache: Cache, advance: Advance) -> None:
        """Rewriting a key without ttl removes its earlier expiry."""
        await cache.set_many({"k": b"v1"}, ttl=0.3)
        await cache.set_many({"k": b"v2"})
        await advance(0.6)
        assert await cache.get_many(["k"]) == {"k": b"v2"}
