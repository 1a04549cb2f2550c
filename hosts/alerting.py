"""Host glue of the alerts: configured notifiers, the fault-injection checkpoint
and a numpy similarity for the alert matcher.

Notifiers: a saved search names one of

* ``inbox`` -- the in-app inbox, always available (the default);
* a ``[notifiers.<name>]`` section of the config (``type`` is the registered
  notifier, default the section name; the other keys are its options);
* a registered notifier that needs no options, by its registered name.

Each is built once, when first used.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jobforge.core.alerts import INBOX, AlertPolicy, InboxNotifier
from jobforge.core.registry import AdapterContext

if TYPE_CHECKING:
    from jobforge.hosts.config import Settings
    from jobforge.hosts.plugin_host import PluginHost
    from jobforge.ports import AlertStore, Clock, Notifier

__all__ = ["CRASH_ENV", "NotifierDirectory", "alert_policy", "crash_checkpoint", "numpy_cosine"]

log = logging.getLogger(__name__)

CRASH_ENV = "JOBFORGE_CRASH_AT"
"""Fault injection for tests: a comma-separated list of alert steps
(``alerts.recorded``, ``alerts.sent``) at which the process exits at once
(``os._exit(86)``), as a crash or a kill would stop it."""

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def alert_policy(settings: Settings) -> AlertPolicy:
    """The alert policy ``[alerts]`` describes."""
    a = settings.alerts
    return AlertPolicy(
        min_similarity=a.min_similarity,
        digest_hour=a.digest_hour,
        weekly_day=_WEEKDAYS.index(a.weekly_day.lower()),
        max_attempts=a.max_attempts,
        retry_seconds=a.retry_seconds,
        batch_size=a.batch_size,
        digest_max_jobs=a.digest_max_jobs,
        base_url=a.base_url,
        default_currency=settings.search.default_currency,
        timezone=a.timezone,
    )


def crash_checkpoint(step: str) -> None:
    """Exit the process at once when ``JOBFORGE_CRASH_AT`` names ``step`` (see :data:`CRASH_ENV`)."""
    wanted = os.environ.get(CRASH_ENV, "")
    if step in {s.strip() for s in wanted.split(",")}:
        sys.stderr.write(f"jobforge: {CRASH_ENV} -> exiting at {step}\n")
        sys.stderr.flush()
        os._exit(86)


def numpy_cosine(
    queries: Sequence[Sequence[float]], documents: Sequence[Sequence[float]]
) -> list[list[float]]:
    """Cosine similarity matrix (queries x documents) with numpy."""
    import numpy as np

    q = np.asarray(queries, dtype=np.float32)
    d = np.asarray(documents, dtype=np.float32)
    q /= np.maximum(np.linalg.norm(q, axis=1, keepdims=True), 1e-12)
    d /= np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-12)
    result: list[list[float]] = (q @ d.T).tolist()
    return result


class NotifierDirectory:
    """Builds and keeps the notifiers saved searches name (see the module docs)."""

    def __init__(self, settings: Settings, plugins: PluginHost, alerts: AlertStore, clock: Clock) -> None:
        self.settings = settings
        self.plugins = plugins
        self._built: dict[str, Notifier] = {INBOX: InboxNotifier(alerts, clock)}

    def names(self) -> list[str]:
        """The names a saved search may use: ``inbox`` and the configured notifiers."""
        return sorted({INBOX, *self.settings.notifiers})

    def get(self, name: str) -> Notifier | None:
        """The notifier ``name``, built on first use; ``None`` when there is none.

        Raises:
            ConfigError: Its configuration is invalid (the adapter says which key).
        """
        if name in self._built:
            return self._built[name]
        configured = self.settings.notifiers.get(name)
        registry = self.plugins.registries.notifiers
        kind, options = (configured.type, configured.options) if configured else (name, {})
        if kind not in registry:
            return None
        context = AdapterContext(
            name=kind,
            options=dict(options),
            data_dir=str(Path(self.settings.data_dir).expanduser()),
            key=f"notifiers.{name}",
        )
        notifier: Any = registry.build(kind, context)
        self._built[name] = notifier
        return notifier  # type: ignore[no-any-return]

    async def close(self) -> None:
        """Close the notifiers that can be closed."""
        for notifier in self._built.values():
            closer = getattr(notifier, "close", None)
            if closer is not None:
                result = closer()
                if hasattr(result, "__await__"):
                    await result
