"""``jobforge keys``: create, list and revoke API keys.

Only ``click`` is imported at start (plus the CLI helpers, which import
nothing heavier); the services are imported when a command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from jobforge.core.models import ApiKey

__all__ = ["keys"]


@click.group()
def keys() -> None:
    """Create, list and revoke API keys of a tenant."""


# Imported after the group exists: ``jobforge.hosts.cli`` imports this module
# at its end, so either module may be imported first.
from jobforge.hosts.cli import _common_options, _engine, _handle_errors, _run  # noqa: E402


@keys.command("create")
@click.option("--tenant", required=True, help="Tenant id (created when missing).")
@click.option("--user", required=True, help="User id within the tenant (created when missing).")
@click.option(
    "--role", type=click.Choice(["admin", "member", "viewer"]), required=True, help="The key's role."
)
@click.option("--name", required=True, help="What the key is for, e.g. 'ci' or 'ann laptop'.")
@click.option("--expires-days", type=click.IntRange(1, 3650), default=None, help="Expire after N days.")
@click.option("--json", "as_json", is_flag=True, help="Print the key and its record as JSON.")
@_common_options
@_handle_errors
def create(
    *,
    tenant: str,
    user: str,
    role: str,
    name: str,
    expires_days: int | None,
    as_json: bool,
    data_dir: Path | None,
    config_path: Path | None,
) -> None:
    """Create an API key; the key itself is printed once and never again."""
    from datetime import timedelta

    from jobforge.core.models import UserRole

    engine = _engine(data_dir, config_path)

    async def run() -> tuple[ApiKey, str]:
        async with engine:
            access = engine.container.access_service()
            expires_at = access.clock.now() + timedelta(days=expires_days) if expires_days else None
            return await access.create_api_key(
                tenant_id=tenant, user_id=user, role=UserRole(role), name=name, expires_at=expires_at
            )

    stored, key = _run(run())
    click.echo("Store this key now: it is shown only once and cannot be recovered.", err=True)
    if as_json:
        import json

        click.echo(json.dumps({**_public(stored), "key": key}))
        return
    expiry = f", expires {stored.expires_at:%Y-%m-%d %H:%M} UTC" if stored.expires_at else ""
    click.echo(
        f"Created key {stored.id} ({stored.name!r}) for {stored.user_id} in {stored.tenant_id}, "
        f"role {stored.role.value}{expiry}."
    )
    click.echo(key)


@keys.command("list")
@click.option("--tenant", required=True, help="Tenant id.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_common_options
@_handle_errors
def list_keys(tenant: str, as_json: bool, data_dir: Path | None, config_path: Path | None) -> None:
    """List a tenant's keys, newest first (prefixes only: keys are never stored)."""
    engine = _engine(data_dir, config_path)

    async def run() -> tuple[list[ApiKey], Any]:
        async with engine:
            access = engine.container.access_service()
            return await access.list_api_keys(tenant), access.clock.now()

    found, now = _run(run())
    rows = [{**_public(key), "status": _status(key, now)} for key in found]
    if as_json:
        import json

        click.echo(json.dumps(rows))
        return
    if not rows:
        click.echo(f"No API keys in tenant {tenant!r}.")
        return
    for row in rows:
        click.echo(
            f"{row['id']}  {row['prefix']}...  {row['status']:<7}  {row['role']:<6}  "
            f"{row['user_id']}  {row['name']!r}  created {row['created_at'][:16]}"
        )


@keys.command("revoke")
@click.argument("key_id")
@click.option("--tenant", required=True, help="Tenant id the key belongs to.")
@_common_options
@_handle_errors
def revoke(key_id: str, tenant: str, data_dir: Path | None, config_path: Path | None) -> None:
    """Revoke the key KEY_ID of a tenant; it stops working at once."""
    engine = _engine(data_dir, config_path)

    async def run() -> None:
        async with engine:
            await engine.container.access_service().revoke_api_key(tenant, key_id)

    _run(run())
    click.echo(f"Revoked key {key_id}.")


def _public(key: ApiKey) -> dict[str, Any]:
    """A key's record without its hash."""
    import msgspec

    data: dict[str, Any] = msgspec.to_builtins(key)
    data.pop("key_hash", None)
    return data


def _status(key: ApiKey, now: Any) -> str:
    if key.revoked_at is not None:
        return "revoked"
    if key.expires_at is not None and key.expires_at <= now:
        return "expired"
    return "active"
