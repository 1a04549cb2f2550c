"""``jobforge keys``: create, authenticate, list and revoke through the CLI."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from jobforge.adapters.sqlite.store import SqliteAppStore
from jobforge.core.auth import AccessService, AuthError
from jobforge.core.clock import SystemClock
from jobforge.core.models import Principal, UserRole
from jobforge.hosts.cli import main


def _authenticate(data_dir: Path, key: str) -> Principal:
    async def run() -> Principal:
        store = SqliteAppStore(data_dir / "app.sqlite3")
        try:
            return await AccessService(store.accounts, SystemClock()).authenticate_api_key(key)
        finally:
            await store.close()

    return asyncio.run(run())


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_create_authenticate_list_revoke(tmp_path: Path) -> None:
    code, out, err = _invoke(
        "keys",
        "create",
        "--tenant",
        "acme",
        "--user",
        "ann",
        "--role",
        "member",
        "--name",
        "ci",
        "--expires-days",
        "30",
        "--json",
        "--data-dir",
        str(tmp_path),
    )
    assert code == 0, err
    assert "shown only once" in err
    created = json.loads(out)
    key = created["key"]
    assert key.startswith("jf_")
    assert "key_hash" not in created
    assert (created["tenant_id"], created["user_id"], created["role"], created["name"]) == (
        "acme",
        "ann",
        "member",
        "ci",
    )
    assert created["expires_at"] is not None

    principal = _authenticate(tmp_path, key)
    assert principal == Principal("acme", "ann", UserRole.MEMBER, key_id=created["id"])

    code, out, _ = _invoke("keys", "list", "--tenant", "acme", "--json", "--data-dir", str(tmp_path))
    assert code == 0
    (listed,) = json.loads(out)
    assert listed["id"] == created["id"]
    assert listed["status"] == "active"
    assert key not in out
    assert "key_hash" not in listed

    code, out, _ = _invoke("keys", "revoke", created["id"], "--tenant", "acme", "--data-dir", str(tmp_path))
    assert code == 0
    assert created["id"] in out
    with pytest.raises(AuthError, match="revoked"):
        _authenticate(tmp_path, key)

    code, out, _ = _invoke("keys", "list", "--tenant", "acme", "--data-dir", str(tmp_path))
    assert code == 0
    assert "revoked" in out
    assert key not in out


def test_plain_create_prints_the_key_once(tmp_path: Path) -> None:
    code, out, _ = _invoke(
        "keys",
        "create",
        "--tenant",
        "acme",
        "--user",
        "root",
        "--role",
        "admin",
        "--name",
        "bootstrap",
        "--data-dir",
        str(tmp_path),
    )
    assert code == 0
    key = out.strip().splitlines()[-1]
    assert out.count(key) == 1
    assert _authenticate(tmp_path, key).role is UserRole.ADMIN


def test_revoking_another_tenants_key_fails(tmp_path: Path) -> None:
    code, out, _ = _invoke(
        "keys",
        "create",
        "--tenant",
        "acme",
        "--user",
        "ann",
        "--role",
        "viewer",
        "--name",
        "k",
        "--json",
        "--data-dir",
        str(tmp_path),
    )
    created = json.loads(out)
    code, _, err = _invoke("keys", "revoke", created["id"], "--tenant", "globex", "--data-dir", str(tmp_path))
    assert code == 2
    assert f"API key '{created['id']}' not found" in err
    assert _authenticate(tmp_path, created["key"]).tenant_id == "acme"
    code, out, _ = _invoke("keys", "list", "--tenant", "globex", "--data-dir", str(tmp_path))
    assert out.strip() == "No API keys in tenant 'globex'."


def test_bad_role_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = _invoke(
        "keys",
        "create",
        "--tenant",
        "acme",
        "--user",
        "ann",
        "--role",
        "owner",
        "--name",
        "k",
        "--data-dir",
        str(tmp_path),
    )
    assert code == 2
    assert "owner" in err
