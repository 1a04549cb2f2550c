"""Registers the ``launchdarkly`` feature flags (``[flags] name = "launchdarkly"``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jobforge.core.errors import ConfigError
from jobforge.core.registry import OptionSpec
from jobforge.hookspecs import hookimpl

if TYPE_CHECKING:
    from jobforge.core.registry import AdapterContext, Registry
    from jobforge.ports import FeatureFlags

__all__ = ["register_feature_flags"]

_OPTIONS = (
    OptionSpec(
        name="sdk_key", description="Server-side SDK key (JOBFORGE_LAUNCHDARKLY_SDK_KEY).", secret=True
    ),
    OptionSpec(
        name="data_file", description="Flag file (JSON/YAML) for the SDK's file data source; no network."
    ),
    OptionSpec(name="send_events", description="Send analytics events (never with data_file).", default=True),
    OptionSpec(name="start_wait", description="Seconds to wait for flag data at start-up.", default=5.0),
    OptionSpec(
        name="offline", description="Never contact LaunchDarkly; every flag gives its default.", default=False
    ),
)


def _build(ctx: AdapterContext) -> FeatureFlags:
    from jobforge.adapters.launchdarkly.flags import LaunchDarklyFlags

    known = {option.name for option in _OPTIONS}
    unknown = sorted(set(ctx.options) - known)
    if unknown:
        raise ConfigError(
            ctx.option_key(unknown[0]),
            f"unknown option of the launchdarkly flags (known: {', '.join(sorted(known))})",
        )
    data_file = ctx.get("data_file") or None
    offline = ctx.get_bool("offline", False)
    sdk_key = str(ctx.get("sdk_key") or "")
    if not sdk_key and data_file is None and not offline:
        raise ConfigError(ctx.option_key("sdk_key"), "is required (or set data_file, or offline = true)")
    start_wait = ctx.get_float("start_wait", 5.0)
    if start_wait < 0:
        raise ConfigError(ctx.option_key("start_wait"), "must not be negative")
    return LaunchDarklyFlags(
        sdk_key,
        data_file=str(data_file) if data_file is not None else None,
        send_events=ctx.get_bool("send_events", True),
        start_wait=start_wait,
        offline=offline,
    )


@hookimpl
def register_feature_flags(register: Registry[Any]) -> None:
    """Register ``launchdarkly``: flags from LaunchDarkly, with user and tenant contexts."""
    register(
        "launchdarkly",
        _build,
        description="LaunchDarkly flags (multi-context: user + tenant); a flag file works offline.",
        options=list(_OPTIONS),
    )
