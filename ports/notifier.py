"""The notifier port: email, chat and webhook delivery."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from jobforge.core.messages import Notification

__all__ = ["Notifier"]


@runtime_checkable
class Notifier(Protocol):
    """Delivers notifications; raises when delivery failed so callers may retry."""

    async def send(self, notification: Notification) -> None:
        """Deliver one notification."""
        ...
