"""Connection options of the MongoDB adapters, read from their adapter context."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

from jobforge.core.errors import ConfigError

if TYPE_CHECKING:
    from jobforge.core.registry import AdapterContext

__all__ = ["TRANSACTION_MODES", "MongoOptions", "options_from_context"]

TRANSACTION_MODES = ("auto", "always", "never")


class MongoOptions(msgspec.Struct, frozen=True, kw_only=True):
    """Where and how to connect; times in seconds."""

    url: str
    database: str = "jobforge"
    pool_size: int = 100
    min_pool_size: int = 0
    connect_timeout: float = 10.0
    server_selection_timeout: float = 10.0
    socket_timeout: float = 0.0
    """0 waits for replies indefinitely."""
    transactions: str = "auto"
    """``auto``: use multi-document transactions when the server supports them
    (replica set or sharded cluster); ``always``; ``never``."""

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of ``AsyncMongoClient``."""
        kwargs: dict[str, Any] = {
            "maxPoolSize": self.pool_size,
            "minPoolSize": self.min_pool_size,
            "connectTimeoutMS": int(self.connect_timeout * 1000),
            "serverSelectionTimeoutMS": int(self.server_selection_timeout * 1000),
            "appname": "jobforge",
            "tz_aware": True,
        }
        if self.socket_timeout > 0:
            kwargs["socketTimeoutMS"] = int(self.socket_timeout * 1000)
        return kwargs


def options_from_context(ctx: AdapterContext) -> MongoOptions:
    """Validate the options of a ``mongo`` adapter section.

    Raises:
        ConfigError: A missing URL or a value out of range, naming its key.
    """
    key = ctx.option_key
    url = ctx.get("url")
    if not url or not isinstance(url, str):
        raise ConfigError(key("url"), "is required: set [mongo] url or JOBFORGE_MONGO_URL")
    if not url.startswith(("mongodb://", "mongodb+srv://")):
        raise ConfigError(key("url"), f"expected a mongodb:// or mongodb+srv:// URL, got {url!r}")
    database = str(ctx.get("database", "jobforge"))
    if not database or any(c in database for c in '/\\. "$'):
        raise ConfigError(key("database"), f"not a valid MongoDB database name: {database!r}")
    options = MongoOptions(
        url=url,
        database=database,
        pool_size=ctx.get_int("pool_size", 100),
        min_pool_size=ctx.get_int("min_pool_size", 0),
        connect_timeout=ctx.get_float("connect_timeout", 10.0),
        server_selection_timeout=ctx.get_float("server_selection_timeout", 10.0),
        socket_timeout=ctx.get_float("socket_timeout", 0.0),
        transactions=str(ctx.get("transactions", "auto")),
    )
    if options.pool_size < 1:
        raise ConfigError(key("pool_size"), "must be at least 1")
    if not 0 <= options.min_pool_size <= options.pool_size:
        raise ConfigError(key("min_pool_size"), "must be between 0 and pool_size")
    for name in ("connect_timeout", "server_selection_timeout"):
        if getattr(options, name) <= 0:
            raise ConfigError(key(name), "must be a positive number of seconds")
    if options.socket_timeout < 0:
        raise ConfigError(key("socket_timeout"), "must not be negative (0 waits indefinitely)")
    if options.transactions not in TRANSACTION_MODES:
        raise ConfigError(
            key("transactions"), f"expected auto, always or never, got {options.transactions!r}"
        )
    return options
