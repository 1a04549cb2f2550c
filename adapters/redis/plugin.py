"""Registers the ``redis`` cache (``[cache] name = "redis"``, ``JOBFORGE_CACHE=redis``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jobforge.core.errors import ConfigError
from jobforge.core.registry import OptionSpec
from jobforge.hookspecs import hookimpl

if TYPE_CHECKING:
    from jobforge.core.registry import AdapterContext, Registry
    from jobforge.ports import Cache

__all__ = ["register_caches"]

_OPTIONS = ("url", "prefix", "max_entries", "socket_timeout", "connect_timeout", "retry_interval")


def _build_cache(ctx: AdapterContext) -> Cache:
    from jobforge.adapters.redis.cache import RedisCache

    unknown = sorted(set(ctx.options) - set(_OPTIONS))
    if unknown:
        raise ConfigError(
            ctx.option_key(unknown[0]), f"unknown option of the redis cache (known: {', '.join(_OPTIONS)})"
        )
    url = str(ctx.require("url"))
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(ctx.option_key("url"), "expected redis://host:port/db, rediss://... or unix://...")
    max_entries = ctx.get("max_entries")
    if max_entries is not None:
        max_entries = ctx.get_int("max_entries", 0)
        if max_entries < 1:
            raise ConfigError(ctx.option_key("max_entries"), "must be at least 1")
    timings = {}
    for option, default in (("socket_timeout", 0.5), ("connect_timeout", 0.5), ("retry_interval", 2.0)):
        timings[option] = ctx.get_float(option, default)
        if not timings[option] > 0:
            raise ConfigError(ctx.option_key(option), "must be a positive number of seconds")
    return RedisCache(
        url,
        prefix=str(ctx.get("prefix", "jobforge:cache:")),
        max_entries=max_entries,
        socket_timeout=timings["socket_timeout"],
        connect_timeout=timings["connect_timeout"],
        retry_interval=timings["retry_interval"],
    )


@hookimpl
def register_caches(register: Registry[Any]) -> None:
    """Register ``redis``: a cache shared by every replica; degrades to no cache when Redis is down."""
    register(
        "redis",
        _build_cache,
        description="Redis cache shared by all replicas (TTL per entry; bounded by maxmemory or max_entries).",
        options=[
            OptionSpec(
                name="url",
                description="redis://host:port/db (JOBFORGE_REDIS_URL)",
                required=True,
                secret=True,
            ),
            OptionSpec(name="prefix", description="Put before every key.", default="jobforge:cache:"),
            OptionSpec(
                name="max_entries",
                description="Explicit LRU bound (single node); unset: rely on maxmemory-policy allkeys-lru.",
            ),
            OptionSpec(name="socket_timeout", description="Seconds a command may take.", default=0.5),
            OptionSpec(
                name="connect_timeout", description="Seconds a connection attempt may take.", default=0.5
            ),
            OptionSpec(
                name="retry_interval", description="Seconds to skip Redis after a failure.", default=2.0
            ),
        ],
    )
