"""One lazily opened MongoDB client with Beanie documents bound to its database."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from beanie import Document, init_beanie
from pymongo import AsyncMongoClient, ReturnDocument
from pymongo.errors import PyMongoError

from jobforge.adapters.mongo._options import MongoOptions

if TYPE_CHECKING:
    from pymongo.asynchronous.client_session import AsyncClientSession

__all__ = ["MongoConnection"]

T = TypeVar("T")

_TRANSACTION_ATTEMPTS = 3


class MongoConnection:
    """A client, its database and the Beanie document classes bound to it.

    Nothing connects until :meth:`open` (called by every operation): the
    driver's client belongs to the event loop that creates it, so it is made
    in the loop that uses it (the HTTP host opens it in its lifespan).
    Opening creates the indexes the documents declare.

    Args:
        options: Where and how to connect.
        documents: The document classes to bind (classes of their own: see
            :mod:`jobforge.adapters.mongo.documents`).
        sequences: The one of them that keeps named counters.
    """

    def __init__(
        self, options: MongoOptions, documents: Sequence[type[Document]], sequences: type[Document]
    ) -> None:
        self.options = options
        self._documents = list(dict.fromkeys([*documents, sequences]))
        self._sequences = sequences
        self._client: AsyncMongoClient[dict[str, Any]] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = asyncio.Lock()
        self._ready = False
        self._closed = False
        self.transactions = False
        """Whether writes that touch several documents run in one transaction (known once open)."""

    def __repr__(self) -> str:
        return f"MongoConnection(database={self.options.database!r})"

    async def open(self) -> None:
        """Connect, bind the documents and create their indexes, once.

        A failed attempt (server unreachable) is retried by the next call.

        Raises:
            RuntimeError: The connection is closed, or was opened in another event loop.
            pymongo.errors.PyMongoError: The server could not be reached or refused.
        """
        if self._closed:
            raise RuntimeError(f"{self!r} is closed")
        loop = asyncio.get_running_loop()
        if self._loop is not None and self._loop is not loop:
            raise RuntimeError(
                f"{self!r} was opened in another event loop; build the adapter in the loop that uses it"
            )
        if self._ready:
            return
        async with self._lock:
            if self._ready:
                return
            if self._client is None:
                self._client = AsyncMongoClient(self.options.url, **self.options.client_kwargs())
                self._loop = loop
            database = self._client[self.options.database]
            await init_beanie(database=database, document_models=self._documents)
            self.transactions = await self._supports_transactions()
            self._ready = True

    async def _supports_transactions(self) -> bool:
        mode = self.options.transactions
        if mode != "auto":
            return mode == "always"
        assert self._client is not None
        hello = await self._client.admin.command("hello")
        return "setName" in hello or hello.get("msg") == "isdbgrid"

    async def in_transaction(self, work: Callable[[AsyncClientSession | None], Awaitable[T]]) -> T:
        """Run ``work`` in one transaction when the server supports them, else directly.

        A transaction that fails with a transient error (a write conflict, a
        primary election) is retried a few times.
        """
        await self.open()
        if not self.transactions:
            return await work(None)
        assert self._client is not None
        async with self._client.start_session() as session:
            for attempt in range(1, _TRANSACTION_ATTEMPTS + 1):
                try:
                    async with await session.start_transaction():
                        return await work(session)
                except PyMongoError as exc:
                    if attempt == _TRANSACTION_ATTEMPTS or not exc.has_error_label(
                        "TransientTransactionError"
                    ):
                        raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def next_sequence(self, name: str, count: int = 1) -> int:
        """Reserve ``count`` numbers of the counter ``name``; returns the first of them."""
        await self.open()
        collection = self._sequences.get_pymongo_collection()
        from pymongo.errors import DuplicateKeyError

        # Two first upserts of one counter race: MongoDB answers the loser with a
        # duplicate-key error (and some wire servers with no document); retrying
        # then finds the counter and increments it.
        for _ in range(5):
            try:
                after = await collection.find_one_and_update(
                    {"_id": name},
                    {"$inc": {"value": count}},
                    upsert=True,
                    return_document=ReturnDocument.AFTER,
                )
            except DuplicateKeyError:
                continue
            if after is not None:
                return int(after["value"]) - count + 1
        raise RuntimeError(f"sequence {name!r} could not be advanced")

    async def close(self) -> None:
        """Close the client; later calls raise :class:`RuntimeError`. Closing twice is harmless."""
        self._closed = True
        client, self._client = self._client, None
        if client is not None:
            await client.close()
