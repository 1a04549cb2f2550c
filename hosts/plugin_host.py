"""Plugin discovery and the typed facade in front of ``pm.hook``.

Entry points in group ``jobforge`` are loaded one at a time: a plugin that
fails to import or to register is recorded (and shown by ``jobforge
plugins``) while the rest still load. ``strict`` turns failures into an
error, for CI.
"""

from __future__ import annotations

import importlib.metadata as importlib_metadata
import logging
import traceback
from collections.abc import Callable, Iterable, Sequence
from types import ModuleType
from typing import Any, cast

import msgspec
import pluggy

from jobforge import hookspecs
from jobforge.core.errors import JobforgeError
from jobforge.core.models import Job, RawJob
from jobforge.core.registry import PORTS, Registries
from jobforge.core.search_types import SearchHit, SearchRequest

__all__ = ["PluginFailure", "PluginHost", "PluginInfo", "PluginLoadError", "load_plugins"]

log = logging.getLogger(__name__)

_REGISTER_HOOKS = {attr: f"register_{attr}" for attr in PORTS}


class PluginLoadError(JobforgeError):
    """Raised in strict mode when any plugin failed to load or register."""


class PluginFailure(msgspec.Struct, frozen=True, kw_only=True):
    """A plugin that could not be used, and why."""

    name: str
    stage: str
    """``import``, ``validate`` or ``register``."""
    error: str
    distribution: str | None = None
    version: str | None = None
    detail: str = ""


class PluginInfo(msgspec.Struct, frozen=True, kw_only=True):
    """A loaded plugin: where it comes from and what it registered per port."""

    name: str
    module: str
    distribution: str | None = None
    version: str | None = None
    adapters: dict[str, list[str]] = msgspec.field(default_factory=dict)
    hooks: list[str] = msgspec.field(default_factory=list)


class PluginHost:
    """Owns the plugin manager and the registries; the typed hook facade.

    Each hook has one method here, so callers never touch ``pm.hook``
    directly and get types instead of ``Any``.
    """

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.registries = Registries()
        self.plugins: list[PluginInfo] = []
        self.failures: list[PluginFailure] = []

    # -- loading ---------------------------------------------------------

    def load_entry_points(
        self,
        *,
        allow: Sequence[str] = (),
        block: Sequence[str] = (),
        entry_points: Iterable[importlib_metadata.EntryPoint] | None = None,
    ) -> None:
        """Load every entry point of group ``jobforge``, each in isolation."""
        eps = entry_points if entry_points is not None else _discover()
        for ep in sorted(eps, key=lambda e: e.name):
            if ep.name in block or (allow and ep.name not in allow):
                log.debug("plugin %s skipped by allow/block list", ep.name)
                continue
            dist = getattr(ep, "dist", None)
            dist_name = dist.metadata["Name"] if dist is not None else None
            dist_version = dist.version if dist is not None else None
            try:
                module = ep.load()
            except Exception as exc:
                self._fail(ep.name, "import", exc, dist_name, dist_version)
                continue
            self.add_plugin(module, name=ep.name, distribution=dist_name, version=dist_version)

    def add_plugin(
        self,
        plugin: ModuleType | object,
        *,
        name: str,
        distribution: str | None = None,
        version: str | None = None,
    ) -> bool:
        """Register one plugin object and run its ``register_*`` hooks.

        Returns False (and records a failure) when it is invalid or its
        registration raised; what it managed to register is rolled back.
        """
        try:
            self.pm.register(plugin, name=name)
            self.pm.check_pending()
        except Exception as exc:
            if self.pm.is_registered(plugin):
                self.pm.unregister(plugin)
            self._fail(name, "validate", exc, distribution, version)
            return False
        adapters: dict[str, list[str]] = {}
        snapshot = {attr: set(getattr(self.registries, attr).names()) for attr in PORTS}
        try:
            for attr, hook_name in _REGISTER_HOOKS.items():
                registry = getattr(self.registries, attr)
                registry.current_plugin = name
                try:
                    hook = getattr(self.pm.hook, hook_name)
                    impls = [i for i in hook.get_hookimpls() if i.plugin is plugin]
                    for impl in impls:
                        impl.function(**_args(impl.argnames, register=registry))
                finally:
                    registry.current_plugin = ""
                added = sorted(set(registry.names()) - snapshot[attr])
                if added:
                    adapters[PORTS[attr]] = added
        except Exception as exc:
            for attr in PORTS:
                registry = getattr(self.registries, attr)
                for extra in set(registry.names()) - snapshot[attr]:
                    registry._specs.pop(extra, None)
            self.pm.unregister(plugin)
            self._fail(name, "register", exc, distribution, version)
            return False
        hooks = sorted(
            impl_name
            for impl_name in hookspecs.__all_hooks__
            if any(i.plugin is plugin for i in getattr(self.pm.hook, impl_name).get_hookimpls())
        )
        self.plugins.append(
            PluginInfo(
                name=name,
                module=getattr(plugin, "__name__", type(plugin).__name__),
                distribution=distribution,
                version=version,
                adapters=adapters,
                hooks=hooks,
            )
        )
        return True

    def raise_if_failed(self) -> None:
        """Strict mode: one error listing every failed plugin."""
        if self.failures:
            lines = [f"{f.name} ({f.stage}): {f.error}" for f in self.failures]
            raise PluginLoadError("plugins failed to load:\n  " + "\n  ".join(lines))

    def _fail(self, name: str, stage: str, exc: BaseException, dist: str | None, version: str | None) -> None:
        log.warning("plugin %s failed at %s: %s", name, stage, exc)
        self.failures.append(
            PluginFailure(
                name=name,
                stage=stage,
                error=f"{type(exc).__name__}: {exc}",
                distribution=dist,
                version=version,
                detail="".join(traceback.format_exception(exc)),
            )
        )

    # -- typed facade over the pipeline hooks ------------------------------

    def enrich_job(self, job: Job, raw: RawJob) -> Job:
        """Run the ``enrich_job`` chain; each implementation sees the previous result."""
        for impl in reversed(self.pm.hook.enrich_job.get_hookimpls()):
            result = impl.function(**_args(impl.argnames, job=job, raw=raw))
            if result is not None:
                job = cast(Job, result)
        return job

    def rerank(self, request: SearchRequest, hits: list[SearchHit]) -> list[SearchHit]:
        """Run the ``rerank`` chain over a page of hits."""
        for impl in reversed(self.pm.hook.rerank.get_hookimpls()):
            result = impl.function(**_args(impl.argnames, request=request, hits=hits))
            if result is not None:
                hits = list(cast(list[SearchHit], result))
        return hits

    def has_enrichers(self) -> bool:
        """True when any plugin implements ``enrich_job``."""
        return bool(self.pm.hook.enrich_job.get_hookimpls())

    def has_rerankers(self) -> bool:
        """True when any plugin implements ``rerank``."""
        return bool(self.pm.hook.rerank.get_hookimpls())

    def enricher(self) -> Callable[[Job, RawJob], Job] | None:
        """The enrich chain as a plain callable for core services, or None."""
        return self.enrich_job if self.has_enrichers() else None

    def reranker(self) -> Callable[[SearchRequest, list[SearchHit]], list[SearchHit]] | None:
        """The rerank chain as a plain callable for core services, or None."""
        return self.rerank if self.has_rerankers() else None

    def report(self) -> dict[str, Any]:
        """What ``jobforge plugins --json`` prints."""
        ports: dict[str, list[dict[str, Any]]] = {}
        for port, registry in self.registries.all().items():
            ports[port] = [
                {
                    "name": spec.name,
                    "plugin": spec.plugin,
                    "description": spec.description,
                    "options": [msgspec.to_builtins(o) for o in spec.options],
                }
                for spec in registry
            ]
        return {
            "plugins": [msgspec.to_builtins(p) for p in self.plugins],
            "failed": [
                {k: v for k, v in msgspec.to_builtins(f).items() if k != "detail"} for f in self.failures
            ],
            "adapters": ports,
        }


def _args(argnames: tuple[str, ...], **available: Any) -> dict[str, Any]:
    # Hooks only ever gain arguments: pass each implementation just what it names.
    return {name: available[name] for name in argnames}


def _discover() -> list[importlib_metadata.EntryPoint]:
    return list(importlib_metadata.entry_points(group=hookspecs.PROJECT_NAME))


def load_plugins(
    *,
    allow: Sequence[str] = (),
    block: Sequence[str] = (),
    strict: bool = False,
    extra: Iterable[tuple[str, object]] = (),
    builtin: Iterable[tuple[str, object]] = (),
) -> PluginHost:
    """Discover entry-point plugins plus ``extra`` (name, plugin) pairs;
    ``builtin`` pairs are registered before the entry points."""
    host = PluginHost()
    for name, plugin in builtin:
        host.add_plugin(plugin, name=name)
    host.load_entry_points(allow=allow, block=block)
    for name, plugin in extra:
        host.add_plugin(plugin, name=name)
    if strict:
        host.raise_if_failed()
    return host
