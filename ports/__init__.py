"""Ports: the protocols adapters implement. Depends only on the core model."""

from jobforge.ports.alerts import AlertStore
from jobforge.ports.ats import ATS
from jobforge.ports.cache import Cache
from jobforge.ports.clock import Clock
from jobforge.ports.embedder import Embedder
from jobforge.ports.events import EventStore
from jobforge.ports.flags import FeatureFlags
from jobforge.ports.lock import Lease, LockLostError, Locks, LockUnavailableError
from jobforge.ports.notifier import Notifier
from jobforge.ports.queue import DispatchQueue, QueueMessage
from jobforge.ports.rate_limit import RateLimitDecision, RateLimitStore
from jobforge.ports.repository import JobRepository
from jobforge.ports.search_index import SearchIndex
from jobforge.ports.source import JobSource
from jobforge.ports.stores import AccountStore, ApplicationStore, AppStore, IngestRunStore, SavedSearchStore

__all__ = [
    "ATS",
    "AccountStore",
    "AlertStore",
    "AppStore",
    "ApplicationStore",
    "Cache",
    "Clock",
    "DispatchQueue",
    "Embedder",
    "EventStore",
    "FeatureFlags",
    "IngestRunStore",
    "JobRepository",
    "JobSource",
    "Lease",
    "LockLostError",
    "LockUnavailableError",
    "Locks",
    "Notifier",
    "QueueMessage",
    "RateLimitDecision",
    "RateLimitStore",
    "SavedSearchStore",
    "SearchIndex",
]
