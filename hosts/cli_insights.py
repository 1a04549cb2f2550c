"""``jobforge recommend`` and ``jobforge analytics``.

Both use the same services as the HTTP API (``POST /api/v1/recommendations``
and ``GET /api/v1/analytics``), acting as a local principal: the operator of
the data directory.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import click

from jobforge.hosts.cli import _common_options, _engine, _handle_errors, _run

__all__ = ["analytics", "load_profile", "recommend"]

_PROFILE_KEYS = {
    "titles",
    "skills",
    "locations",
    "workplace_types",
    "salary_min",
    "salary_currency",
    "resume_text",
    "resume_file",
}


def load_profile(path: Path) -> Any:
    """A :class:`~jobforge.core.models.CandidateProfile` from a TOML file.

    Keys: ``titles``, ``skills``, ``locations``, ``workplace_types`` (lists),
    ``salary_min``, ``salary_currency``, and ``resume_text`` or
    ``resume_file`` (a text file, relative to the profile).

    Raises:
        click.BadParameter: The file is not valid TOML or a key is unknown or wrong.
    """
    import msgspec

    from jobforge.core.models import CandidateProfile

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise click.BadParameter(f"cannot read {path}: {exc}", param_hint="--profile") from None
    unknown = sorted(set(data) - _PROFILE_KEYS)
    if unknown:
        raise click.BadParameter(
            f"unknown key {unknown[0]!r}; the keys are {', '.join(sorted(_PROFILE_KEYS))}",
            param_hint="--profile",
        )
    resume_file = data.pop("resume_file", None)
    if resume_file is not None:
        resume = (path.parent / str(resume_file)).expanduser()
        try:
            data["resume_text"] = resume.read_text(encoding="utf-8")
        except OSError as exc:
            raise click.BadParameter(
                f"resume_file: cannot read {resume}: {exc}", param_hint="--profile"
            ) from None
    try:
        return msgspec.convert(data, CandidateProfile, strict=False)
    except msgspec.ValidationError as exc:
        raise click.BadParameter(str(exc), param_hint="--profile") from None


@click.command("recommend")
@click.option(
    "--profile",
    "profile_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    required=True,
    help="Candidate profile, a TOML file (titles, skills, locations, workplace_types, salary_min, "
    "salary_currency, resume_text or resume_file).",
)
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option(
    "--tenant", default="default", show_default=True, help="Tenant whose applications are excluded."
)
@click.option(
    "--user", default="cli", show_default=True, help="User whose applied and dismissed jobs are left out."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_common_options
@_handle_errors
def _recommend(
    profile_path: Path,
    limit: int,
    tenant: str,
    user: str,
    as_json: bool,
    data_dir: Path | None,
    config_path: Path | None,
) -> None:
    """Recommend jobs for a candidate profile, each with the reasons it fits."""
    from jobforge.core.models import Principal, UserRole

    profile = load_profile(profile_path)
    engine = _engine(data_dir, config_path)
    principal = Principal(tenant, user, UserRole.MEMBER)

    async def run() -> list[Any]:
        async with engine:
            found: list[Any] = await engine.container.recommendation_service().recommend(
                principal, profile, limit=limit
            )
            return found

    items = _run(run())
    if as_json:
        import msgspec

        click.echo(msgspec.json.encode({"items": items}).decode())
        return
    if not items:
        click.echo("No jobs to recommend.")
    for n, item in enumerate(items, start=1):
        job = item.job
        where = "; ".join(loc.label() for loc in job.locations) or job.workplace_type.value
        click.echo(f"{n}. {job.title} — {job.company} ({where})   score {item.score:.3f}")
        click.echo(f"   why: {'; '.join(item.reasons)}")
        if job.url:
            click.echo(f"   {job.url}")


recommend: click.Command = _recommend
"""The ``jobforge recommend`` command."""


@click.command("analytics")
@click.option("--tenant", default="default", show_default=True, help="Tenant to report on.")
@click.option(
    "--days",
    type=click.IntRange(1, 366),
    default=None,
    help="Days covered (default [analytics] window_days).",
)
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True, help="Rows per table.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_common_options
@_handle_errors
def _analytics(
    tenant: str, days: int | None, limit: int, as_json: bool, data_dir: Path | None, config_path: Path | None
) -> None:
    """Top and zero-result queries, click-through and apply rates, alert deliveries, ingest health."""
    from jobforge.core.models import Principal, UserRole

    engine = _engine(data_dir, config_path)

    async def run() -> Any:
        async with engine:
            return await engine.container.analytics_service().report(
                Principal(tenant, "cli", UserRole.ADMIN), days=days, limit=limit
            )

    report = _run(run())
    if as_json:
        import msgspec

        click.echo(msgspec.json.encode(report).decode())
        return
    _print_report(report)


analytics: click.Command = _analytics
"""The ``jobforge analytics`` command."""


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _health(h: Any) -> str:
    success = f"{h.last_success_at:%Y-%m-%d %H:%M}" if h.last_success_at else "never"
    return f"{h.source}: {h.runs}, {h.failures}, {h.last_status}, {success}, {_pct(h.quarantine_rate)}"


def _print_report(r: Any) -> None:
    out = click.echo
    out(f"Tenant {r.tenant_id}, {r.since:%Y-%m-%d} to {r.until:%Y-%m-%d}")
    out(
        f"  {r.searches} searches by {r.users} users; {r.zero_result_searches} found nothing; "
        f"latency mean {r.mean_latency_ms:.1f} ms, p95 {r.p95_latency_ms:.1f} ms"
    )
    if r.interactions:
        out("  interactions: " + ", ".join(f"{k} {v}" for k, v in r.interactions.items()))
    sections: list[tuple[str, list[str]]] = [
        (
            "Top queries (searches, click-through, apply rate)",
            [f"{q.query!r}: {q.searches}, {_pct(q.ctr)}, {_pct(q.apply_rate)}" for q in r.top_queries],
        ),
        ("Queries that found nothing", [f"{q.query!r}: {q.searches}" for q in r.zero_result_queries]),
        (
            "By source (views, apply clicks, applications, apply rate)",
            [
                f"{s.source}: {s.views}, {s.apply_clicks}, {s.applications}, {_pct(s.apply_rate)}"
                for s in r.sources
            ],
        ),
        (
            "Alerts (delivered, pending, failed, cancelled)",
            [f"{a.notifier}: {a.delivered}, {a.pending}, {a.failed}, {a.cancelled}" for a in r.alerts],
        ),
        (
            "Ingest health (runs, failures, last status, last success, quarantine rate)",
            [_health(h) for h in r.ingest],
        ),
    ]
    for title, lines in sections:
        out(f"\n{title}:")
        for line in lines or ["(none)"]:
            out(f"  {line}")
