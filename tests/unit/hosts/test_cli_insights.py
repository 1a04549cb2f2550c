"""``jobforge recommend``, ``jobforge analytics`` and ``jobforge alerts`` on the embedded default."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from jobforge.core.models import EventKind, Principal, UserRole
from jobforge.hosts.cli import main
from jobforge.hosts.engine import build_engine

ANN = Principal("default", "cli", UserRole.MEMBER)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JOBFORGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("JOBFORGE_EMBEDDER", "hashing")
    monkeypatch.delenv("JOBFORGE_CONFIG", raising=False)
    postings = tmp_path / "postings.jsonl"
    rows = [
        ("1", "Senior Data Engineer", "Acme", "Remote - US", "$150K-$180K", ["Python", "SQL", "Airflow"]),
        ("2", "Data Engineer", "Acme", "Remote - US", "$140K-$170K", ["Python", "Spark"]),
        ("3", "Data Engineer", "Acme", "Remote - US", "$140K-$170K", ["Python", "Spark"]),
        ("4", "Data Engineer", "Globex", "Austin, TX", "$120K-$140K", ["Python", "dbt", "Postgres"]),
        ("5", "Registered Nurse", "Mercy", "Boston, MA", "$90K", ["BLS"]),
    ]
    postings.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": i,
                    "url": f"https://jobs.example/{i}",
                    "title": t,
                    "company": c,
                    "location": loc,
                    "salary": s,
                    "skills": sk,
                    "description": f"{t} at {c}: {', '.join(sk)}. Posting {i}.",
                }
            )
            for i, t, c, loc, s, sk in rows
        ),
        encoding="utf-8",
    )
    code, out = run("ingest", "file", "-o", f"path={postings}", "-o", "name=board")
    assert code == 0, out
    return tmp_path / "data"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_recommend_from_a_profile_file(data_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "resume.txt").write_text("Ten years of JS, Postgres and Python pipelines.", encoding="utf-8")
    profile = tmp_path / "profile.toml"
    profile.write_text(
        'titles = ["Data Engineer"]\nworkplace_types = ["remote"]\nresume_file = "resume.txt"\n',
        encoding="utf-8",
    )
    code, out = run("recommend", "--profile", str(profile), "--json", "--limit", "3")
    assert code == 0, out
    items = json.loads(out)["items"]
    assert [i["job"]["title"] for i in items][:1] in (["Senior Data Engineer"], ["Data Engineer"])
    assert all(i["job"]["workplace_type"] == "remote" for i in items)
    assert any(r.startswith("matches 1 of your résumé's 3 skills (Python)") for r in items[0]["reasons"])
    code, out = run("recommend", "--profile", str(profile))
    assert code == 0
    assert "why: title matches 'Data Engineer'" in out


def test_recommend_rejects_a_bad_profile(data_dir: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profile.toml"
    profile.write_text('titles = ["x"]\nhobbies = ["chess"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["recommend", "--profile", str(profile)])
    assert result.exit_code == 2
    assert "unknown key 'hobbies'" in result.output
    profile.write_text("salary_min = -5\n", encoding="utf-8")
    code, out = run("recommend", "--profile", str(profile))
    assert code == 2
    assert "profile" in out


def test_alerts_run_once_and_inbox(data_dir: Path, tmp_path: Path) -> None:
    async def save() -> None:
        async with build_engine() as engine:
            await engine.container.saved_search_service().create(ANN, name="nurses", query="registered nurse")

    asyncio.run(save())
    code, out = run("alerts", "run-once")
    assert code == 0, out
    # The five postings were journaled before the saved search existed: no alert for them.
    assert "matched 5 new or changed jobs against 1 saved searches: 0 new alerts" in out
    code, out = run("alerts", "inbox", "--tenant", "default", "--user", "cli")
    assert (code, out.strip()) == (0, "The inbox is empty.")
    later = tmp_path / "later.jsonl"
    later.write_text(
        json.dumps(
            {"id": "9", "url": "https://jobs.example/9", "title": "Registered Nurse", "company": "Mercy"}
        ),
        encoding="utf-8",
    )
    assert run("ingest", "file", "-o", f"path={later}", "-o", "name=board")[0] == 0
    code, out = run("alerts", "run-once")
    assert "1 new alerts" in out
    assert "sent 1 notifications (1 alerts)" in out
    code, out = run("alerts", "inbox", "--tenant", "default", "--user", "cli")
    assert out.strip().endswith("New job for 'nurses': Registered Nurse at Mercy")
    code, out = run("alerts", "list", "--tenant", "default")
    assert " delivered inbox      immediate" in out


def test_analytics_report(data_dir: Path) -> None:
    async def activity() -> None:
        async with build_engine() as engine:
            analytics = engine.container.analytics_service()
            search_id = await analytics.record_search(
                tenant_id="default",
                user_id="u1",
                query="Data  Engineer",
                filters={},
                mode="hybrid",
                result_count=3,
                latency_ms=12.0,
            )
            await analytics.record_search(
                tenant_id="default",
                user_id="u2",
                query="underwater welder",
                filters={},
                mode="hybrid",
                result_count=0,
                latency_ms=8.0,
            )
            job = (await engine.search("data engineer", limit=1)).hits[0].job
            await analytics.record_interaction(
                EventKind.JOB_VIEWED,
                tenant_id="default",
                user_id="u1",
                job_id=job.id,
                source=job.source,
                search_id=search_id,
            )

    asyncio.run(activity())
    code, out = run("analytics", "--json")
    assert code == 0, out
    report = json.loads(out)
    assert (report["searches"], report["users"], report["zero_result_searches"]) == (2, 2, 1)
    assert report["top_queries"][0] == {
        "query": "data engineer",
        "searches": 1,
        "clicked": 1,
        "applied": 0,
        "ctr": 1.0,
        "apply_rate": 0.0,
        "mean_results": 3.0,
    }
    assert [q["query"] for q in report["zero_result_queries"]] == ["underwater welder"]
    assert report["sources"] == [
        {"source": "board", "views": 1, "apply_clicks": 0, "applications": 0, "apply_rate": 0.0}
    ]
    code, out = run("analytics")
    assert code == 0
    assert "'data engineer': 1, 100.0%, 0.0%" in out
