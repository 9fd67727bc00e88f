"""Background tasks a simulator starts and must not outlive it (delayed replies, timed faults)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Awaitable


class TaskSpawner:
    """Start tasks on the running loop and cancel every unfinished one on `cancel_all()`."""

    def __init__(self) -> None:
        """No task yet."""
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Awaitable[Any]) -> asyncio.Task[None]:
        """Run `coro` as a task that `cancel_all()` cancels."""

        async def run() -> None:
            await coro

        task = asyncio.get_running_loop().create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def cancel_all(self) -> None:
        """Cancel every unfinished task and wait until each has ended."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
