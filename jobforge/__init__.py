"""jobforge: a hexagonal plugin framework for job search.

Plugin authors need only ``from jobforge import hookimpl``. Platform teams
build an engine with :func:`build_engine`. Heavier names are imported on
first use so ``import jobforge`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jobforge.hookspecs import hookimpl

if TYPE_CHECKING:
    from jobforge.core.errors import ConfigError
    from jobforge.core.registry import AdapterContext, OptionSpec
    from jobforge.hosts.engine import Engine, build_engine

__all__ = ["AdapterContext", "ConfigError", "Engine", "OptionSpec", "build_engine", "hookimpl"]

_LAZY = {
    "AdapterContext": "jobforge.core.registry",
    "OptionSpec": "jobforge.core.registry",
    "ConfigError": "jobforge.core.errors",
    "Engine": "jobforge.hosts.engine",
    "build_engine": "jobforge.hosts.engine",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'jobforge' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
