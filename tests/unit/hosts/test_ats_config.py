"""ATS adapters get their options, and each tenant its own keys, from config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jobforge import hookimpl
from jobforge.core.errors import ConfigError
from jobforge.core.messages import ApplicationSubmission, AtsReceipt
from jobforge.core.registry import AdapterContext
from jobforge.hosts.config import settings_from_dict
from jobforge.hosts.container import _ats_for_source, create_container


class RecordingATS:
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options

    async def submit(self, submission: ApplicationSubmission) -> AtsReceipt:
        return AtsReceipt(ats="recording", reference=str(self.options.get("api_key")))


class AtsPlugin:
    @hookimpl
    def register_ats(self, register: Any) -> None:
        register("recording", lambda ctx: RecordingATS(dict(ctx.options)))


def _lookup(tmp_path: Path, ats: dict[str, Any]) -> Any:
    settings = settings_from_dict({"data_dir": str(tmp_path), "ats": ats})
    container = create_container(settings, extra_plugins=[("ats-test", AtsPlugin())])
    return _ats_for_source(container.plugins(), settings)


def test_each_tenant_gets_its_own_keys(tmp_path: Path) -> None:
    lookup = _lookup(
        tmp_path,
        {
            "recording": {
                "base_url": "https://ats.example",
                "api_key": "shared-key",
                "tenants": {"acme": {"api_key": "acme-key"}, "globex": {"api_key": "globex-key"}},
            }
        },
    )
    acme = lookup("recording:board", "acme")
    globex = lookup("recording", "globex")
    other = lookup("recording", "initech")
    assert acme.options == {"base_url": "https://ats.example", "api_key": "acme-key"}
    assert globex.options["api_key"] == "globex-key"
    assert other.options["api_key"] == "shared-key"
    assert lookup("recording", "acme") is acme  # built once per tenant
    assert lookup("greenhouse-unknown", "acme") is None


def test_bad_ats_tenants_table_names_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        settings_from_dict({"data_dir": str(tmp_path), "ats": {"recording": {"tenants": {"acme": "key"}}}})
    assert info.value.key == "ats.recording.tenants"


def test_ats_keys_are_masked(tmp_path: Path) -> None:
    from jobforge.hosts.config import masked

    settings = settings_from_dict(
        {"data_dir": str(tmp_path), "ats": {"recording": {"tenants": {"acme": {"api_key": "sekrit"}}}}}
    )
    assert "sekrit" not in str(masked(settings))


def test_context_key_names_the_section(tmp_path: Path) -> None:
    seen: list[AdapterContext] = []

    class Plugin:
        @hookimpl
        def register_ats(self, register: Any) -> None:
            register("strict", lambda ctx: seen.append(ctx) or RecordingATS({}))

    settings = settings_from_dict({"data_dir": str(tmp_path)})
    container = create_container(settings, extra_plugins=[("strict", Plugin())])
    _ats_for_source(container.plugins(), settings)("strict", "acme")
    assert seen[0].key == "ats.strict"
