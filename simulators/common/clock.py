"""A controllable clock that every simulator shares.

Tests move time by hand (`set`, `advance`); the standalone server lets a background task follow
wall time (`start_realtime`). Every `advance` is cut into steps of at most `max_step` seconds and
each step is handed to the subscribers (the simulator's physics and push scheduler), so a long
`advance` produces the same pushes a real server would have sent in that time.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta, tzinfo

type TickCallback = Callable[[float], Awaitable[None]]


def _aware_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("SimClock needs an aware datetime")
    return value.astimezone(UTC)


class SimClock:
    """Simulated time: an aware UTC instant that moves only when told to (or with wall time)."""

    def __init__(self, start: datetime | None = None, *, max_step: float = 5.0) -> None:
        """Start at `start` (aware) or at the current wall time, whole seconds."""
        if start is None:
            start = datetime.now(UTC).replace(microsecond=0)
        self._now = _aware_utc(start)
        self.max_step = max_step
        self._subscribers: list[TickCallback] = []
        self._lock = asyncio.Lock()
        self._realtime_task: asyncio.Task[None] | None = None

    def now(self) -> datetime:
        """Return the current simulated instant (aware, UTC)."""
        return self._now

    def local_now(self, zone: tzinfo) -> datetime:
        """Return the current simulated instant in `zone` (each brand's server has its own)."""
        return self._now.astimezone(zone)

    def set(self, value: datetime) -> None:
        """Jump to `value` without running the physical model in between."""
        self._now = _aware_utc(value)

    def subscribe(self, callback: TickCallback) -> Callable[[], None]:
        """Call `callback(step_seconds)` after every step of `advance`; returns unsubscribe."""
        self._subscribers.append(callback)

        def _unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscribers.remove(callback)

        return _unsubscribe

    async def advance(self, seconds: float, *, step: float | None = None) -> None:
        """Move time forward by `seconds`, running every subscriber once per step."""
        if seconds < 0:
            raise ValueError("time only moves forward; use set() to jump back")
        max_step = step if step is not None and step > 0 else self.max_step
        async with self._lock:
            remaining = float(seconds)
            while remaining > 1e-9:
                delta = min(max_step, remaining)
                self._now += timedelta(seconds=delta)
                remaining -= delta
                for callback in list(self._subscribers):
                    await callback(delta)

    @property
    def realtime(self) -> bool:
        """Whether a background task follows wall time."""
        return self._realtime_task is not None and not self._realtime_task.done()

    def start_realtime(self, interval: float = 0.2) -> None:
        """Follow wall time from now on, advancing about every `interval` seconds."""
        if self.realtime:
            return
        self._realtime_task = asyncio.get_running_loop().create_task(
            self._follow_wall_time(interval), name="simclock-realtime"
        )

    async def stop_realtime(self) -> None:
        """Stop following wall time."""
        task, self._realtime_task = self._realtime_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _follow_wall_time(self, interval: float) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(interval)
            current = time.monotonic()
            elapsed, last = current - last, current
            await self.advance(elapsed)
