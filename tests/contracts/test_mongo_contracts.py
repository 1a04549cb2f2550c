"""The job repository and app-store contracts, unchanged, against the ``mongo``
adapters on a real MongoDB wire-protocol server (``secantusdb``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from jobforge.adapters.mongo._options import MongoOptions
from jobforge.adapters.mongo.repository import MongoJobRepository
from jobforge.adapters.mongo.store import MongoAppStore
from jobforge.testing.contracts import (
    AlertStoreContract,
    AppStoreContract,
    EventStoreContract,
    JobRepositoryContract,
)


def _options(mongo_url: tuple[str, str], **overrides: object) -> MongoOptions:
    url, database = mongo_url
    return MongoOptions(url=url, database=database, server_selection_timeout=5.0, **overrides)  # type: ignore[arg-type]


class TestMongoJobRepository(JobRepositoryContract):
    @pytest.fixture
    async def repository(self, mongo_url: tuple[str, str]) -> AsyncIterator[MongoJobRepository]:
        repo = MongoJobRepository(_options(mongo_url))
        yield repo
        await repo.close()


class TestMongoJobRepositoryWithoutTransactions(JobRepositoryContract):
    """The same contract on the path a standalone server takes (no multi-document transactions)."""

    @pytest.fixture
    async def repository(self, mongo_url: tuple[str, str]) -> AsyncIterator[MongoJobRepository]:
        repo = MongoJobRepository(_options(mongo_url, transactions="never"))
        yield repo
        await repo.close()


class TestMongoAppStore(AppStoreContract):
    @pytest.fixture
    async def store(self, mongo_url: tuple[str, str]) -> AsyncIterator[MongoAppStore]:
        store = MongoAppStore(_options(mongo_url))
        yield store
        await store.close()


class TestMongoAlertsAndEvents(AlertStoreContract, EventStoreContract):
    @pytest.fixture
    async def store(self, mongo_url: tuple[str, str]) -> AsyncIterator[MongoAppStore]:
        store = MongoAppStore(_options(mongo_url))
        yield store
        await store.close()
