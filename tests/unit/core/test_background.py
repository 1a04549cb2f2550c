"""BackgroundTasks: tasks are held until done, and wait() covers tasks started meanwhile."""

from __future__ import annotations

import asyncio
import gc

from jobforge.core.background import BackgroundTasks


async def test_tasks_are_held_until_done_and_waited_for_with_those_they_start() -> None:
    tasks = BackgroundTasks()
    done: list[str] = []

    async def second() -> None:
        await asyncio.sleep(0.01)
        done.append("second")

    async def first() -> None:
        await asyncio.sleep(0.01)
        tasks.start(second())  # started while wait() is waiting
        done.append("first")

    tasks.start(first())
    gc.collect()  # nothing but the set keeps the task
    assert len(tasks) == 1
    await tasks.wait()
    assert done == ["first", "second"]
    assert len(tasks) == 0
