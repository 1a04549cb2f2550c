"""A lock that lets waiting queries go before waiting document batches."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["PriorityLock"]


class PriorityLock:
    """Mutual exclusion over the model where urgent holders (queries) jump the queue.

    A long ingest is split into batches that each take the lock; a search
    query arriving meanwhile waits for at most the batch being computed.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._busy = False
        self._urgent_waiting = 0

    @contextmanager
    def hold_if_free(self) -> Iterator[bool]:
        """Hold the lock for the ``with`` block if nobody holds it; yields whether it does."""
        with self._condition:
            free = not self._busy
            self._busy = self._busy or free
        try:
            yield free
        finally:
            if free:
                with self._condition:
                    self._busy = False
                    self._condition.notify_all()

    @contextmanager
    def hold(self, *, urgent: bool) -> Iterator[None]:
        """Hold the lock for the ``with`` block; ``urgent`` holders are served first."""
        with self._condition:
            if urgent:
                self._urgent_waiting += 1
            try:
                while self._busy or (not urgent and self._urgent_waiting):
                    self._condition.wait()
            finally:
                if urgent:
                    self._urgent_waiting -= 1
            self._busy = True
        try:
            yield
        finally:
            with self._condition:
                self._busy = False
                self._condition.notify_all()
