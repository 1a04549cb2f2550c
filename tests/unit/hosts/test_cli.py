"""The CLI end to end on the embedded default (with the fast hashing embedder)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from jobforge.hosts.cli import main


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {"JOBFORGE_DATA_DIR": str(tmp_path / "data"), "JOBFORGE_EMBEDDER": "hashing"}
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("JOBFORGE_CONFIG", raising=False)
    return values


@pytest.fixture
def postings(tmp_path: Path) -> Path:
    path = tmp_path / "postings.csv"
    path.write_text(
        "id,title,company,location,salary,description,posted_at,url\n"
        '1,Senior Data Engineer,Acme Analytics,Remote - US,$130K-$160K,"Build batch and streaming data pipelines'
        ' in Python, SQL and Airflow for analytics.",2026-11-20,https://acme.example/jobs/1\n'
        '2,Data Engineer,Globex,"Austin, TX",$90K-$110K,"Maintain ETL jobs and the warehouse; SQL and dbt.",'
        "2026-11-18,https://globex.example/jobs/2\n"
        '3,Product Designer,Initech,"Berlin, Germany","€60,000 - €75,000 a year","Design flows for our'
        ' scheduling product.",2026-11-10,https://initech.example/jobs/3\n'
        '4,,Nameless Co,Remote,,"A posting without a title.",2026-11-01,https://nameless.example/4\n',
        encoding="utf-8",
    )
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_ingest_then_search_json(env: dict[str, str], postings: Path) -> None:
    code, out = run("ingest", "file", "--option", f"path={postings}", "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["status"] == "completed"
    assert report["counts"] == {
        "seen": 4,
        "added": 3,
        "updated": 0,
        "unchanged": 0,
        "duplicates": 0,
        "quarantined": 1,
        "embedded": 3,
    }
    assert report["quarantine"][0]["reason"] == "title: missing or empty"

    code, out = run("ingest", "file", "--option", f"path={postings}", "--json")
    again = json.loads(out)["counts"]
    assert (again["added"], again["unchanged"], again["embedded"]) == (0, 3, 0)

    code, out = run(
        "search",
        "senior data engineer",
        "--filter",
        "remote=remote",
        "--filter",
        "salary_min=120000",
        "--limit",
        "10",
        "--json",
    )
    assert code == 0, out
    response = json.loads(out)
    assert response["total"] == 1
    job = response["hits"][0]["job"]
    assert job["title"] == "Senior Data Engineer"
    assert job["workplace_type"] == "remote"
    assert job["salary"]["annual_min"] == 130000
    assert set(job) >= {
        "id",
        "title",
        "company",
        "locations",
        "workplace_type",
        "employment_type",
        "salary",
        "url",
        "apply_url",
        "posted_at",
        "sources",
    }
    assert set(job["salary"]) >= {"min", "max", "currency", "period", "annual_min", "annual_max"}
    assert "data" in response["hits"][0]["explanation"]["matched_terms"]
    assert set(response["facets"]) == {"workplace_type", "employment_type", "company"}


def test_search_prints_readable_hits(env: dict[str, str], postings: Path) -> None:
    run("ingest", "file", "-o", f"path={postings}")
    code, out = run("search", "data engineer", "--limit", "2")
    assert code == 0
    assert "Senior Data Engineer — Acme Analytics" in out
    assert "why: matches" in out
    code, out = run("search", "pastry chef", "--filter", "country=JP")
    assert "No jobs match." in out


def test_bad_filter_is_a_clear_error(env: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["search", "x", "--filter", "colour=red"])
    assert result.exit_code == 2
    assert "colour: unknown filter" in result.output
    result = CliRunner().invoke(main, ["search", "x", "--filter", "no-equals-sign"])
    assert result.exit_code == 2
    assert "expected KEY=VALUE" in result.output


def test_bad_config_names_the_key(env: dict[str, str], tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[search]\ndefault_limit = 'ten'\n")
    result = CliRunner().invoke(main, ["search", "x", "--config", str(config)])
    assert result.exit_code == 2
    assert "search.default_limit" in result.output


def test_missing_file_fails_the_run_naming_the_path(env: dict[str, str], tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["ingest", "file", "-o", f"path={tmp_path / 'nope.csv'}", "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["status"] == "failed"
    assert "nope.csv" in report["error"]


def test_unknown_source_lists_the_available_ones(env: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["ingest", "nosuchsource"])
    assert result.exit_code == 2
    assert "no source adapter named 'nosuchsource'" in result.output
    assert "file" in result.output


def test_plugins_lists_builtins(env: dict[str, str]) -> None:
    _, out = run("plugins", "--json")
    report = json.loads(out)
    names = {p["name"] for p in report["plugins"]}
    assert {"sqlite", "memory", "file_source", "hashing", "static_flags"} <= names
    assert report["failed"] == []
    _, out = run("plugins")
    assert "repository: sqlite" in out


def test_config_show_masks_secrets(env: dict[str, str], tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[embedder]\nname = "hashing"\napi_key = "sk-very-secret"\n')
    code, out = run("config", "show", "--config", str(config))
    assert code == 0
    assert "sk-very-secret" not in out
    assert 'api_key = "****"' in out
    code, out = run("config", "show", "--json", "--data-dir", str(tmp_path / "elsewhere"))
    assert json.loads(out)["data_dir"] == str(tmp_path / "elsewhere")


def test_quarantine_lists_reasons(env: dict[str, str], postings: Path) -> None:
    run("ingest", "file", "-o", f"path={postings}")
    _, out = run("quarantine")
    assert "title: missing or empty" in out


def test_help_is_fast_and_imports_nothing_heavy() -> None:
    code = (
        "import sys, time; t = time.perf_counter(); from jobforge.hosts.cli import main; "
        "heavy = [m for m in ('torch', 'numpy', 'sentence_transformers', 'litestar', 'rich', 'msgspec') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    result = subprocess.run(
        [sys.executable, "-m", "jobforge.hosts.cli", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "ingest" in result.stdout


def test_sample_data_writes_into_the_data_dir_by_default(env: dict[str, str], tmp_path: Path) -> None:
    code, out = run("sample-data", "--count", "20", "--data-dir", str(tmp_path / "d"))
    assert code == 0, out
    written = tmp_path / "d" / "sample" / "postings.jsonl"
    assert len(written.read_text(encoding="utf-8").splitlines()) == 20
    code, out = run("sample-data", str(tmp_path / "x.jsonl"), "--count", "5")
    assert (tmp_path / "x.jsonl").exists()
