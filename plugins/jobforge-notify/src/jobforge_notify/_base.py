"""What the notifiers share: at-most-once delivery per notification key."""

from __future__ import annotations

import abc
import logging
from pathlib import Path
from typing import ClassVar

from jobforge.core.messages import Notification
from jobforge.core.registry import AdapterContext
from jobforge_notify._sent_log import SentLog

__all__ = ["DedupingNotifier", "DeliveryError", "sent_log_for"]

logger = logging.getLogger(__name__)

SENT_LOG_FILE = "notify-sent.sqlite3"


class DeliveryError(Exception):
    """Delivery failed for good (after retries); the caller may try again later."""


class DedupingNotifier(abc.ABC):
    """Base of the notifiers: a notification with a ``key`` is sent at most once.

    Args:
        name: The notifier's name in the sent log (default: its kind).
        sent_log: Where claims are kept; ``None`` disables de-duplication.
    """

    kind: ClassVar[str]

    def __init__(self, *, name: str | None = None, sent_log: SentLog | None = None) -> None:
        self.name = name or self.kind
        self.sent_log = sent_log
        self.skipped = 0
        """Notifications not sent because their key was sent before."""

    async def send(self, notification: Notification) -> None:
        """Deliver ``notification`` unless its key was delivered before.

        Raises:
            DeliveryError: Delivery failed after the retries (the key is released).
        """
        key = notification.key
        if key is None or self.sent_log is None:
            await self._deliver(notification)
            return
        if not await self.sent_log.claim(self.name, key):
            self.skipped += 1
            logger.info("%s: notification %s was sent before; skipped", self.name, key)
            return
        try:
            await self._deliver(notification)
        except BaseException:
            await self.sent_log.release(self.name, key)
            raise
        await self.sent_log.delivered(self.name, key)

    @abc.abstractmethod
    async def _deliver(self, notification: Notification) -> None:
        """Send one message; raise :class:`DeliveryError` when it cannot be delivered."""


def sent_log_for(context: AdapterContext) -> SentLog | None:
    """The sent log in the adapter's data folder, unless the ``dedupe`` option is false."""
    if not context.get_bool("dedupe", True):
        return None
    return SentLog(Path(context.data_dir).expanduser() / SENT_LOG_FILE)
