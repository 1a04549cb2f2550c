"""Registers the ``static`` feature flag adapter."""

from __future__ import annotations

from typing import Any

from jobforge.core.errors import ConfigError
from jobforge.core.registry import AdapterContext, OptionSpec
from jobforge.hookspecs import hookimpl


@hookimpl
def register_feature_flags(register: Any) -> None:
    """Register ``static``: flag values from the ``[flags]`` config section."""
    register(
        "static",
        _build,
        description="Flag values from config: [flags] values, [flags.tenants.<id>], [flags.users.<id>]",
        options=[
            OptionSpec(name="values", description="table of flag key to value", default={}),
            OptionSpec(name="tenants", description="tenant id to a table of overrides", default={}),
            OptionSpec(name="users", description="user id to a table of overrides", default={}),
        ],
    )


def _build(ctx: AdapterContext) -> Any:
    from jobforge.adapters.static_flags.flags import StaticFeatureFlags

    tables = {}
    for option in ("values", "tenants", "users"):
        value = ctx.get(option, {})
        if not isinstance(value, dict):
            raise ConfigError(ctx.option_key(option), f"expected a table, got {type(value).__name__}")
        tables[option] = value
    unknown = sorted(set(ctx.options) - {"values", "tenants", "users"})
    if unknown:
        raise ConfigError(ctx.option_key(unknown[0]), "unknown option of the static flags adapter")
    return StaticFeatureFlags(tables["values"], tenants=tables["tenants"], users=tables["users"])
