"""An event loop whose clock can skip idle waits, for the one-hour outage of S3.

`loop.time()` is the monotonic clock plus a skew. While `fast_forward` is on, whenever the loop has
had nothing to do for `IDLE_WINDOW` real seconds and no tracked connection to the simulator is
open, the skew jumps to the next scheduled timer. Every timer of the process sees the same
accelerated clock: `asyncio.sleep` (the core integration's 5 s reconnect delay),
`async_call_later` (our backoff and grace period), `asyncio.timeout`, Home Assistant's own timers.
Work is never compressed: while a connection to the simulator is open (a handshake, a fetch)
time runs at wall speed, so "time to full data" is reconnect wait plus real processing.

The loop also counts connection attempts to the simulator's port (`connect_attempts`), refused
ones included, since the simulator cannot count a connection it refused. Only connections made
with host and port count (websockets); idle HTTP keep-alive connections (aiohttp's, httpx's)
do not hold the clock.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from aiohttp.client_proto import ResponseHandler
from homeassistant.runner import HassEventLoopPolicy

if TYPE_CHECKING:
    import selectors
    from collections.abc import Callable

IDLE_WINDOW = 0.002


class FastForwardLoop(asyncio.SelectorEventLoop):
    """Selector loop with a skippable clock and a connection counter."""

    def __init__(self, selector: selectors.BaseSelector | None = None) -> None:
        """Create the loop; fast forward starts switched off."""
        super().__init__(selector)
        self.skew = 0.0
        self.fast_forward = False
        self.skipped = 0.0
        self.watch_port: int | None = None
        self.connect_attempts = 0
        self._watched: list[asyncio.BaseTransport] = []
        selector_object: Any = self._selector  # type: ignore[attr-defined]
        self._real_select: Callable[[float | None], list[Any]] = selector_object.select
        selector_object.select = self._select

    def time(self) -> float:
        """Monotonic time plus the skipped idle time."""
        return super().time() + self.skew

    def _busy(self) -> bool:
        self._watched = [t for t in self._watched if not t.is_closing()]
        return bool(self._watched)

    def _select(self, timeout: float | None = None) -> list[Any]:
        if not self.fast_forward or (timeout is not None and timeout <= IDLE_WINDOW):
            return self._real_select(timeout)
        events = self._real_select(IDLE_WINDOW)
        scheduled: list[asyncio.TimerHandle] = self._scheduled  # type: ignore[attr-defined]
        if events or self._busy() or not scheduled:
            return events
        gap = scheduled[0].when() - self.time()
        if gap > 0:
            self.skew += gap
            self.skipped += gap
        return events

    async def create_connection(  # type: ignore[override]
        self, protocol_factory: Any, host: Any = None, port: Any = None, **kwargs: Any
    ) -> tuple[asyncio.Transport, asyncio.BaseProtocol]:
        """Count and track connections to the simulator's port."""
        watched = self.watch_port is not None and port == self.watch_port
        if watched:
            self.connect_attempts += 1
        transport, protocol = await super().create_connection(
            protocol_factory, host, port, **kwargs
        )
        # An idle keep-alive HTTP connection (aiohttp's, or httpx's through anyio, which the
        # app API's REST calls use) must not stop the clock; websockets must.
        if watched and not _http_keep_alive(protocol):
            self._watched.append(transport)
        return transport, protocol


def _http_keep_alive(protocol: asyncio.BaseProtocol) -> bool:
    return isinstance(protocol, ResponseHandler) or type(protocol).__module__.startswith("anyio")


class BenchEventLoopPolicy(HassEventLoopPolicy):
    """Home Assistant's policy (executor, exception handler) with the fast-forward loop."""

    _loop_factory = FastForwardLoop

    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        """Home Assistant's loop setup, keeping our skewed `time()`."""
        loop = super().new_event_loop()
        # HA binds time.monotonic as an instance attribute for speed; that would hide the skew.
        if "time" in vars(loop):
            del loop.time
        return loop
