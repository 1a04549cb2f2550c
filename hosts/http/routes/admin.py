"""Admin endpoints: batch job upsert, background ingest runs and the plugin report."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, Parameter

from jobforge.core.errors import NotFoundError
from jobforge.core.models import IngestRun, Principal, RawJob, UserRole
from jobforge.hosts.http.ingest_runs import RecordsSource
from jobforge.hosts.http.routes._common import access
from jobforge.hosts.http.schemas import IngestReportOut, IngestStart, JobsUpsert, PluginList
from jobforge.hosts.http.state import HttpState

__all__ = ["get_ingest_run", "list_plugins", "start_ingest", "upsert_jobs"]


@post(
    "/api/v1/jobs",
    tags=["jobs"],
    summary="Upsert jobs (admin)",
    description="Runs up to 1000 postings through the ingest pipeline in the request: normalised, "
    "de-duplicated, embedded and indexed. Records that cannot be used are quarantined and listed "
    "in `quarantine`; they never fail the batch.",
    status_code=200,
    **access(UserRole.ADMIN, 400, 413),
)
async def upsert_jobs(data: JSONBody[JobsUpsert], jf: NamedDependency[HttpState]) -> IngestReportOut:
    """Batch upsert through the ingest pipeline."""
    records = [RawJob(source=data.source, **msgspec.structs.asdict(job)) for job in data.jobs]
    report = await jf.ingest_runner().run_now(RecordsSource(data.source, records))
    return IngestReportOut(**msgspec.structs.asdict(report))


@post(
    "/api/v1/ingest",
    tags=["ingest"],
    summary="Start an ingest run (admin)",
    description="Runs a registered source type (such as `file`) or a `[sources.NAME]` entry of the "
    "config with `options`, in the background. Answers 202 with the run; poll "
    "`GET /api/v1/ingest/{run_id}` for progress and counts.",
    status_code=202,
    **access(UserRole.ADMIN, 400, 413),
)
async def start_ingest(
    data: JSONBody[IngestStart], jf: NamedDependency[HttpState], principal: NamedDependency[Principal | None]
) -> IngestRun:
    """Start a background ingest run."""
    runner = jf.ingest_runner()
    source = runner.source(data.source, data.options)
    return await runner.start(source, tenant_id=principal.tenant_id if principal else None)


@get(
    "/api/v1/ingest/{run_id:str}",
    tags=["ingest"],
    summary="An ingest run (admin)",
    description="Status (`queued`, `running`, `completed`, `failed`), counts so far and the error of "
    "a run started by this tenant.",
    **access(UserRole.ADMIN, 404),
)
async def get_ingest_run(
    jf: NamedDependency[HttpState],
    principal: NamedDependency[Principal | None],
    run_id: Annotated[str, Parameter(max_length=200, description="The id `POST /api/v1/ingest` returned.")],
) -> IngestRun:
    """One run of the caller's tenant."""
    run: IngestRun | None = await jf.ingest_runner().store.get(run_id)
    if run is None or principal is None or run.tenant_id != principal.tenant_id:
        raise NotFoundError("ingest run", run_id)
    return run


@get(
    "/api/v1/plugins",
    tags=["operations"],
    summary="Loaded plugins (admin)",
    description="What `jobforge plugins --json` shows: loaded plugins, the adapters each registered, "
    "and plugins that failed to load.",
    **access(UserRole.ADMIN),
)
async def list_plugins(jf: NamedDependency[HttpState]) -> PluginList:
    """The plugin report."""
    return msgspec.convert(jf.container.plugins().report(), PluginList)
