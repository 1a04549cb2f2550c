"""Every route handler of the HTTP host."""

from __future__ import annotations

from typing import Any

from jobforge.hosts.http.routes.admin import get_ingest_run, list_plugins, start_ingest, upsert_jobs
from jobforge.hosts.http.routes.insights import analytics_report, list_inbox, read_inbox, record_event
from jobforge.hosts.http.routes.keys import create_key, list_keys, revoke_key
from jobforge.hosts.http.routes.operations import health, metrics, ready
from jobforge.hosts.http.routes.page import page, static_files
from jobforge.hosts.http.routes.search import get_job, search_get, search_post
from jobforge.hosts.http.routes.user_data import (
    create_application,
    create_saved_search,
    delete_saved_search,
    get_application,
    get_saved_search,
    list_applications,
    list_saved_searches,
    recommend,
    update_application,
    update_saved_search,
)

__all__ = ["ROUTE_HANDLERS"]

ROUTE_HANDLERS: list[Any] = [
    health,
    ready,
    metrics,
    search_get,
    search_post,
    get_job,
    upsert_jobs,
    start_ingest,
    get_ingest_run,
    list_plugins,
    recommend,
    create_saved_search,
    list_saved_searches,
    get_saved_search,
    update_saved_search,
    delete_saved_search,
    create_application,
    list_applications,
    get_application,
    update_application,
    create_key,
    list_keys,
    revoke_key,
    analytics_report,
    record_event,
    list_inbox,
    read_inbox,
    page,
    static_files,
]
"""Route handlers in the order the OpenAPI document lists them."""
