"""Port contract suites: subclass one and override its fixture to test an adapter."""

from jobforge.testing.contracts.alerts import AlertStoreContract, EventStoreContract
from jobforge.testing.contracts.ats import AtsContract
from jobforge.testing.contracts.cache import CacheContract
from jobforge.testing.contracts.embedder import EmbedderContract
from jobforge.testing.contracts.notifier import NotifierContract
from jobforge.testing.contracts.repository import JobRepositoryContract
from jobforge.testing.contracts.search_index import SearchIndexContract
from jobforge.testing.contracts.source import SourceContract
from jobforge.testing.contracts.stores import AppStoreContract

__all__ = [
    "AlertStoreContract",
    "AppStoreContract",
    "AtsContract",
    "CacheContract",
    "EmbedderContract",
    "EventStoreContract",
    "JobRepositoryContract",
    "NotifierContract",
    "SearchIndexContract",
    "SourceContract",
]
