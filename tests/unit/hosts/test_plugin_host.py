"""Plugin loading: fault isolation, duplicates, strict mode, allow/block lists, hook chains."""

from __future__ import annotations

import importlib.metadata as md
import sys
import textwrap
from pathlib import Path

import msgspec
import pytest

from jobforge import hookimpl
from jobforge.core.models import Job, RawJob
from jobforge.core.search_types import SearchHit, SearchRequest
from jobforge.hosts.plugin_host import PluginHost, PluginLoadError, load_plugins
from jobforge.testing.factories import make_job


def _entry_point(name: str, module: str) -> md.EntryPoint:
    return md.EntryPoint(name=name, value=module, group="jobforge")


@pytest.fixture
def plugin_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder on sys.path holding small plugin modules written by the tests."""
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in list(sys.modules):
        if name.startswith("jf_test_"):
            del sys.modules[name]


def _write(folder: Path, name: str, body: str) -> None:
    (folder / f"{name}.py").write_text(textwrap.dedent(body))


GOOD = """
from jobforge import hookimpl

@hookimpl
def register_sources(register):
    register("good-source", lambda ctx: None, description="a source")

@hookimpl
def register_notifiers(register):
    register("good-notifier", lambda ctx: None)
"""


def test_builtin_plugins_load_from_entry_points() -> None:
    host = load_plugins(strict=True)
    names = {p.name for p in host.plugins}
    assert {"sqlite", "memory", "file_source", "static_flags", "hashing"} <= names
    assert "sqlite" in host.registries.repositories
    assert "file" in host.registries.sources
    assert host.failures == []


def test_a_plugin_that_fails_to_import_is_recorded_and_others_still_load(plugin_modules: Path) -> None:
    _write(plugin_modules, "jf_test_good", GOOD)
    _write(plugin_modules, "jf_test_broken", "raise RuntimeError('boom at import')\n")
    host = PluginHost()
    host.load_entry_points(
        entry_points=[_entry_point("broken", "jf_test_broken"), _entry_point("good", "jf_test_good")]
    )
    assert [p.name for p in host.plugins] == ["good"]
    assert host.plugins[0].adapters == {"source": ["good-source"], "notifier": ["good-notifier"]}
    (failure,) = host.failures
    assert failure.name == "broken"
    assert failure.stage == "import"
    assert "boom at import" in failure.error
    with pytest.raises(PluginLoadError, match="broken"):
        host.raise_if_failed()


def test_a_hook_with_a_wrong_signature_is_rejected(plugin_modules: Path) -> None:
    _write(
        plugin_modules,
        "jf_test_badsig",
        """
        from jobforge import hookimpl

        @hookimpl
        def register_sources(register, unexpected_argument):
            pass
        """,
    )
    host = PluginHost()
    host.load_entry_points(entry_points=[_entry_point("badsig", "jf_test_badsig")])
    assert host.plugins == []
    assert host.failures[0].stage == "validate"
    assert "unexpected_argument" in host.failures[0].error


def test_an_unknown_hook_name_is_rejected_by_check_pending(plugin_modules: Path) -> None:
    _write(
        plugin_modules,
        "jf_test_typo",
        """
        from jobforge import hookimpl

        @hookimpl
        def register_sorces(register):
            pass
        """,
    )
    host = PluginHost()
    host.load_entry_points(entry_points=[_entry_point("typo", "jf_test_typo")])
    assert host.failures[0].stage == "validate"
    assert "register_sorces" in host.failures[0].error


def test_duplicate_adapter_names_are_rejected_and_rolled_back(plugin_modules: Path) -> None:
    _write(plugin_modules, "jf_test_first", GOOD)
    _write(
        plugin_modules,
        "jf_test_second",
        """
        from jobforge import hookimpl

        @hookimpl
        def register_sources(register):
            register("another-source", lambda ctx: None)
            register("good-source", lambda ctx: None)
        """,
    )
    host = PluginHost()
    host.load_entry_points(
        entry_points=[_entry_point("a_first", "jf_test_first"), _entry_point("b_second", "jf_test_second")]
    )
    assert [p.name for p in host.plugins] == ["a_first"]
    assert host.failures[0].stage == "register"
    assert "already registered by a_first" in host.failures[0].error
    # Nothing of the failed plugin stays registered.
    assert "another-source" not in host.registries.sources
    assert host.registries.sources.get("good-source").plugin == "a_first"


def test_allow_and_block_lists(plugin_modules: Path) -> None:
    _write(plugin_modules, "jf_test_good", GOOD)
    eps = [_entry_point("good", "jf_test_good"), _entry_point("other", "jf_test_missing")]
    blocked = PluginHost()
    blocked.load_entry_points(entry_points=eps, block=["good", "other"])
    assert blocked.plugins == [] and blocked.failures == []
    allowed = PluginHost()
    allowed.load_entry_points(entry_points=eps, allow=["good"])
    assert [p.name for p in allowed.plugins] == ["good"]
    assert allowed.failures == []


def test_plugin_report_lists_distribution_adapters_and_failures() -> None:
    host = load_plugins()
    report = host.report()
    sqlite = next(p for p in report["plugins"] if p["name"] == "sqlite")
    assert sqlite["distribution"] == "jobforge"
    assert sqlite["version"]
    assert sqlite["adapters"]["repository"] == ["sqlite"]
    file_source = next(a for a in report["adapters"]["source"] if a["name"] == "file")
    assert any(o["name"] == "path" and o["required"] for o in file_source["options"])
    msgspec.json.encode(report)  # the report is plain data


class _Upper:
    @hookimpl
    def enrich_job(self, job: Job) -> Job:
        return msgspec.structs.replace(job, title=job.title.upper())


class _Suffix:
    @hookimpl
    def enrich_job(self, job: Job, raw: RawJob) -> Job | None:
        return msgspec.structs.replace(job, title=f"{job.title} ({raw.source})")


class _Keep:
    @hookimpl
    def enrich_job(self, job: Job) -> None:
        return None


def test_enrich_chain_passes_each_result_on_and_only_named_arguments() -> None:
    host = PluginHost()
    for name, plugin in [("upper", _Upper()), ("keep", _Keep()), ("suffix", _Suffix())]:
        assert host.add_plugin(plugin, name=name)
    job = make_job(title="Data Engineer")
    result = host.enrich_job(job, RawJob(source="board"))
    # pluggy order: the last registered runs first (tryfirst/trylast respected).
    assert result.title == "DATA ENGINEER (BOARD)"


class _Reverse:
    @hookimpl
    def rerank(self, hits: list[SearchHit]) -> list[SearchHit]:
        return list(reversed(hits))


def test_rerank_chain() -> None:
    host = PluginHost()
    assert host.reranker() is None
    host.add_plugin(_Reverse(), name="reverse")
    hits = [SearchHit(score=1.0 / i, explanation={}, job=make_job()) for i in range(1, 4)]
    reranked = host.rerank(SearchRequest(query="x"), hits)
    assert [h.score for h in reranked] == [h.score for h in reversed(hits)]


REGISTER_HOOKS = {
    "register_sources": "sources",
    "register_search_indexes": "search_indexes",
    "register_embedders": "embedders",
    "register_repositories": "repositories",
    "register_ats": "ats",
    "register_notifiers": "notifiers",
    "register_caches": "caches",
    "register_feature_flags": "feature_flags",
    "register_stores": "stores",
}


@pytest.mark.parametrize(("hook", "registry"), sorted(REGISTER_HOOKS.items()))
def test_every_register_hook_reaches_its_registry(hook: str, registry: str) -> None:
    built = object()

    class OnePlugin:
        pass

    def implementation(register):  # type: ignore[no-untyped-def]
        register(f"via-{hook}", lambda ctx: built, description=hook)

    setattr(OnePlugin, hook, staticmethod(hookimpl(implementation)))
    host = PluginHost()
    assert host.add_plugin(OnePlugin(), name="one"), host.failures
    target = getattr(host.registries, registry)
    spec = target.get(f"via-{hook}")
    assert spec.plugin == "one" and spec.description == hook
    from jobforge.core.registry import AdapterContext

    assert target.build(f"via-{hook}", AdapterContext(name="x")) is built
    others = [r for attr, r in vars(host.registries).items() if attr != registry]
    assert all(f"via-{hook}" not in r for r in others)
