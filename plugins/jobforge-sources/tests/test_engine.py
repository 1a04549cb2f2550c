"""The installed plugin through the host: registration, options, and ingest by configuration only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jobforge import build_engine
from jobforge.hosts.plugin_host import PluginHost
from jobforge.testing.http_server import LocalHttpServer
from jobforge_sources import plugin

SOURCES = sorted(plugin.SOURCES)


def test_every_source_is_registered_with_its_options() -> None:
    host = PluginHost()
    assert host.add_plugin(plugin, name="sources")
    registry = host.registries.sources
    for name in SOURCES:
        options = {o.name: o for o in registry.get(name).options}
        assert {"user_agent", "timeout", "max_retries", "rate_limit", "proxy", "respect_robots"} <= set(
            options
        )
        assert "base_url" in options or name == "careers_page"
    assert {o.name for o in registry.get("greenhouse").options if o.required} == {"board"}
    assert {o.name for o in registry.get("workday").options if o.required} == {"tenant", "site"}


async def test_engine_ingests_greenhouse_by_configuration_only(
    server: LocalHttpServer, shared: Path, tmp_path: Path
) -> None:
    server.file("/v1/boards/acme/jobs", shared / "greenhouse-2.json")
    overrides = {"data_dir": str(tmp_path), "embedder": {"name": "hashing"}}
    async with build_engine(overrides=overrides) as engine:
        report = await engine.ingest("greenhouse", {"board": "acme", "base_url": server.url})
        assert report.status == "completed", report.error
        assert report.source == "greenhouse:acme"
        assert (report.counts.seen, report.counts.added, report.counts.quarantined) == (2, 2, 0)
        again = await engine.ingest("greenhouse", {"board": "acme", "base_url": server.url})
        assert (again.counts.added, again.counts.unchanged) == (0, 2)
        response = await engine.search("clinical coding")
        assert response.hits[0].job.title == "Clinical Coding Specialist"
        assert response.hits[0].job.company == "SmarterDx"


async def test_a_malformed_posting_is_quarantined_and_counted(
    server: LocalHttpServer, shared: Path, tmp_path: Path
) -> None:
    data = json.loads((shared / "greenhouse.json").read_text())
    data["jobs"].append({"id": 1, "title": {"oops": True}})
    server.json("/v1/boards/acme/jobs", data)
    async with build_engine(overrides={"data_dir": str(tmp_path), "embedder": {"name": "hashing"}}) as engine:
        report = await engine.ingest("greenhouse", {"board": "acme", "base_url": server.url})
    assert report.status == "completed"
    assert (report.counts.added, report.counts.quarantined) == (2, 1)
    assert report.quarantine[0].reason == "greenhouse: field 'title' should be text, got an object"


def _cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JOBFORGE_DATA_DIR": str(data_dir), "JOBFORGE_EMBEDDER": "hashing"}
    command = [sys.executable, "-c", "from jobforge.hosts.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)


def test_cli_lists_the_sources_and_their_options(tmp_path: Path) -> None:
    result = _cli("plugins", "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    listing = json.loads(result.stdout)
    ours = next(p for p in listing["plugins"] if p["name"] == "sources")
    assert ours["distribution"] == "jobforge-sources"
    assert sorted(ours["adapters"]["source"]) == SOURCES
    greenhouse = next(a for a in listing["adapters"]["source"] if a["name"] == "greenhouse")
    assert {"board", "base_url", "rate_limit"} <= {o["name"] for o in greenhouse["options"]}


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_cli_ingests_with_options(server: LocalHttpServer, shared: Path, tmp_path: Path, fmt: str) -> None:
    server.file("/v0/postings/spotify", shared / "lever.json")
    args = [
        "ingest",
        "lever",
        "--option",
        "site=spotify",
        "--option",
        f"base_url={server.url}",
        "--option",
        "company=Spotify",
        "--no-progress",
    ]
    result = _cli(*args, *(["--json"] if fmt == "json" else []), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    if fmt == "json":
        assert json.loads(result.stdout)["counts"]["added"] == 2
    else:
        assert "Ingested lever:spotify" in result.stdout
        assert "added 2" in result.stdout
    assert server.requests_to("/v0/postings/spotify")


async def test_a_configured_source_from_toml(server: LocalHttpServer, shared: Path, tmp_path: Path) -> None:
    server.file("/v1/boards/acme/jobs", shared / "greenhouse.json")
    config = tmp_path / "jobforge.toml"
    config.write_text(
        f'data_dir = "{tmp_path / "data"}"\n'
        '[embedder]\nname = "hashing"\n'
        f'[sources.acme]\ntype = "greenhouse"\noptions = {{ board = "acme", base_url = "{server.url}" }}\n'
    )
    async with build_engine(config=config) as engine:
        report = await engine.ingest("acme")
    assert report.status == "completed", report.error
    assert report.counts.added == 2
