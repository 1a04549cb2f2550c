"""Tasks started in the background and held until they finish."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

__all__ = ["BackgroundTasks"]


class BackgroundTasks:
    """Starts tasks on the running event loop and keeps them until they finish.

    The loop holds only weak references to its tasks, so a task nobody keeps
    may be collected half-way; :meth:`wait` lets an owner finish them (at
    shutdown, before a report).
    """

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def start(self, coroutine: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run ``coroutine`` as a task of the running loop."""
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def wait(self) -> None:
        """Until every task started so far, and every one they start meanwhile, is done.

        Raises:
            Exception: The first error of a task (the others still run to their end).
        """
        while self._tasks:
            await asyncio.gather(*self._tasks)
