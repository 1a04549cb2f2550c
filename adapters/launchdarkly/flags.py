"""LaunchDarkly flags: evaluated in memory by the SDK for a user and tenant context.

Contexts: a multi-context of kind ``user`` (keyed by the user id) and kind
``tenant`` (keyed by the tenant id), so flags target either or both; with
only one of the ids it is a single context of that kind, and with neither
an anonymous user ``anonymous``.

Flags never break a request: an evaluation error (unknown flag, wrong
type, SDK not initialised) returns the caller's default and is logged,
once per flag and error kind.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, TypeVar

__all__ = ["LaunchDarklyFlags"]

log = logging.getLogger("jobforge.adapters.launchdarkly")

T = TypeVar("T")


class LaunchDarklyFlags:
    """A :class:`~jobforge.ports.FeatureFlags` backed by the LaunchDarkly server SDK.

    Args:
        sdk_key: The environment's server-side SDK key (never logged).
        data_source: An SDK data source to use instead of LaunchDarkly's service, such as
            ``ldclient.integrations.test_data.TestData.data_source()`` in tests.
        data_file: A JSON or YAML flag file (the SDK's file data source); no network.
        send_events: Send analytics events to LaunchDarkly (off for tests and file data).
        start_wait: Seconds to wait for the first flag data at start-up.
        offline: Evaluate nothing remotely; every flag gives its default.
        client: An ``ldclient.LDClient`` to use instead of making one (it is closed by the caller).

    Raises:
        ValueError: Both ``data_source`` and ``data_file`` are given.
    """

    def __init__(
        self,
        sdk_key: str = "",
        *,
        data_source: Any = None,
        data_file: str | None = None,
        send_events: bool = True,
        start_wait: float = 5.0,
        offline: bool = False,
        client: Any = None,
    ) -> None:
        if data_source is not None and data_file is not None:
            raise ValueError("give data_source or data_file, not both")
        self._owns_client = client is None
        if client is None:
            client = _make_client(
                sdk_key,
                data_source=data_source,
                data_file=data_file,
                send_events=send_events,
                start_wait=start_wait,
                offline=offline,
            )
        self._client = client
        self._reported: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"LaunchDarklyFlags(initialized={self.initialized})"

    @property
    def initialized(self) -> bool:
        """Whether the SDK has flag data."""
        return bool(self._client.is_initialized())

    def get(self, key: str, default: T, *, tenant_id: str | None = None, user_id: str | None = None) -> T:
        """The flag's value for this tenant and user, or ``default`` (logged) on any evaluation error."""
        try:
            detail = self._client.variation_detail(key, _context(tenant_id, user_id), default)
        except Exception as exc:
            self._report(key, type(exc).__name__, "evaluating flag %r failed, using the default: %s", exc)
            return default
        reason = detail.reason or {}
        if reason.get("kind") == "ERROR":
            error = str(reason.get("errorKind", "UNKNOWN"))
            self._report(key, error, "flag %r could not be evaluated (%s), using the default", error)
            return default
        value = detail.value
        if not _same_kind(value, default):
            self._report(
                key,
                "WRONG_TYPE",
                "flag %r is %s, expected %s; using the default",
                type(value).__name__,
                type(default).__name__,
            )
            return default
        if isinstance(default, float) and isinstance(value, int):
            value = float(value)
        return value  # type: ignore[no-any-return]

    def close(self) -> None:
        """Flush events and stop the SDK's background threads."""
        if self._owns_client:
            self._client.close()

    def _report(self, key: str, kind: str, message: str, *args: Any) -> None:
        with self._lock:
            first = (key, kind) not in self._reported
            self._reported.add((key, kind))
        (log.warning if first else log.debug)(message, key, *args)


def _make_client(
    sdk_key: str,
    *,
    data_source: Any,
    data_file: str | None,
    send_events: bool,
    start_wait: float,
    offline: bool,
) -> Any:
    from ldclient.client import LDClient
    from ldclient.config import Config

    if data_file is not None:
        from ldclient.integrations import Files

        data_source = Files.new_data_source(paths=[data_file], auto_update=False)
    local = data_source is not None
    config = Config(
        sdk_key or "local",
        update_processor_class=data_source,
        send_events=send_events and not local and not offline,
        offline=offline,
        diagnostic_opt_out=local,
    )
    return LDClient(config=config, start_wait=start_wait)


def _context(tenant_id: str | None, user_id: str | None) -> Any:
    from ldclient import Context

    parts = []
    if user_id:
        parts.append(Context.builder(user_id).kind("user").build())
    if tenant_id:
        parts.append(Context.builder(tenant_id).kind("tenant").build())
    if not parts:
        return Context.builder("anonymous").kind("user").anonymous(True).build()
    return parts[0] if len(parts) == 1 else Context.create_multi(*parts)


def _same_kind(value: Any, default: Any) -> bool:
    if default is None:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, int | float):
        return isinstance(value, int | float)
    if isinstance(default, str):
        return isinstance(value, str)
    if isinstance(default, list | tuple):
        return isinstance(value, list)
    if isinstance(default, dict):
        return isinstance(value, dict)
    return True
