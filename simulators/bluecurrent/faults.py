"""Fault hooks: make the simulated cloud misbehave on purpose.

Reached as `sim.faults`. Methods that act on open sockets (`drop_connections`, `send_raw`,
`send_object`, `flood`, `send_oversized`) start the work at once and return the task, so a test
may await it (to be sure the frames are out) or not.

`drop_handshakes` and `drop_on` arm a drop for a later phase of a connection: the websocket
upgrade itself, or the moment a given command arrives (HELLO, GET_CHARGE_POINTS, an action...).
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from simulators.common.answering import AnsweringFaults

from .frame_faults import FrameFaults, FrameHooks

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Awaitable, Callable, Iterable

type FailStage = Literal["received", "status", "none"]


@dataclass(frozen=True, slots=True)
class Failure:
    """How the next command of one name fails."""

    error: str
    stage: FailStage


@dataclass(frozen=True, slots=True)
class FaultHooks:
    """What the fault hooks may do to the server: all they reach, and nothing more."""

    spawn: Callable[[Awaitable[Any]], asyncio.Task[None]]
    drop_all: Callable[[int | None], Awaitable[None]]
    broadcast_text: Callable[[str], Awaitable[None]]
    close_listener: Callable[[], Awaitable[None]]
    open_listener: Callable[[], Awaitable[None]]
    # abort every protocol socket's TCP connection
    abort_protocol_sockets: Callable[[], None]
    # abort every HTTP connection that is not an open protocol or control websocket
    abort_upgrades: Callable[[], None]


@dataclass(slots=True)
class _Rejection:
    reason: str
    status: int
    remaining: int | None  # None: until cleared


class Faults(AnsweringFaults):
    """Fault injection for one simulator (the reply faults come from AnsweringFaults)."""

    def __init__(self, hooks: FaultHooks, frame_hooks: FrameHooks) -> None:
        """Act on the server through `hooks` only (odd frame shapes: `frames`)."""
        super().__init__()
        self._hooks = hooks
        self.frames = FrameFaults(frame_hooks)
        self._rejection: _Rejection | None = None
        self._failures: dict[str, deque[Failure]] = {}
        self._errors: dict[str, deque[tuple[int, str]]] = {}
        self._handshake_drops = 0
        self._command_drops: dict[str, int] = {}

    # ----- connections -----------------------------------------------------------------------

    def drop_connections(self, *, code: int | None = None) -> asyncio.Task[None]:
        """Drop every open protocol socket: abort TCP (code None) or close with `code`."""
        return self._hooks.spawn(self._hooks.drop_all(code))

    def reject_handshakes(self, reason: str, *, status: int = 403, count: int | None = 1) -> None:
        """Refuse the next `count` upgrades (None: all until `count=0` or `clear()`).

        The refusal carries the header `x-websocket-reject-reason: <reason>`.
        """
        if count is not None and count <= 0:
            self._rejection = None
            return
        self._rejection = _Rejection(reason, status, count)

    def drop_handshakes(self, count: int = 1) -> None:
        """Abort the TCP connection of the next `count` websocket upgrades (no HTTP answer)."""
        self._handshake_drops = max(0, count)

    def drop_on(self, command: str, *, count: int = 1) -> None:
        """Abort the TCP connections when the next `count` commands `command` arrive.

        The command is logged, then every protocol socket is dropped without a close frame
        before any reply goes out: HELLO drops a session before it is subscribed, a data
        request drops it mid-fetch, an action drops it while the caller awaits the result.
        """
        self._command_drops[command] = max(0, count)

    def take_rejection(self) -> tuple[str, int] | None:
        """Consume one handshake rejection, if any is pending (used by the server).

        An armed `drop_handshakes` aborts the upgrade in progress here instead; the
        rejection returned for it is written to a closed transport, which aiohttp ignores.
        """
        if self._handshake_drops > 0:
            self._handshake_drops -= 1
            self._hooks.abort_upgrades()
            return "Dropped", 500
        rejection = self._rejection
        if rejection is None:
            return None
        if rejection.remaining is not None:
            rejection.remaining -= 1
            if rejection.remaining <= 0:
                self._rejection = None
        return rejection.reason, rejection.status

    async def go_offline(self) -> None:
        """Close the listener (connection refused) and abort every protocol socket."""
        await self._hooks.close_listener()

    async def come_back(self) -> None:
        """Listen again on the same port."""
        await self._hooks.open_listener()

    # ----- replies ---------------------------------------------------------------------------

    def send_raw(self, text: str) -> asyncio.Task[None]:
        """Send `text` as is to every HELLO'd socket (malformed frames etc.)."""
        return self._hooks.spawn(self._hooks.broadcast_text(text))

    def send_object(self, obj: dict[str, Any]) -> asyncio.Task[None]:
        """Send any JSON object to every HELLO'd socket (even one without `object`)."""
        return self.send_raw(json.dumps(obj))

    def fail_next(
        self, command: str, error: str = "REJECTED", *, stage: FailStage = "status"
    ) -> None:
        """Make the next `command` fail.

        stage "received": RECEIVED_<CMD> success false with `error`, no STATUS_.
        stage "status": RECEIVED_ succeeds, STATUS_<CMD> carries success false and `error`.
        stage "none": no reply at all.
        Commands without a RECEIVED_/STATUS_ pair (data requests, override schedules) get
        `ERROR 9 <error>` for "received"/"status" and nothing for "none".
        """
        if stage not in ("received", "status", "none"):
            raise ValueError(f"unknown stage {stage!r}")
        self._failures.setdefault(command, deque()).append(Failure(error, stage))

    def take_failure(self, command: str) -> Failure | None:
        """Consume the pending failure for `command` (used by the server)."""
        queue = self._failures.get(command)
        return queue.popleft() if queue else None

    def error_next(self, command: str, code: int, message: str) -> None:
        """Answer the next `command` with `{"object": "ERROR", "error": code, "message": ...}`."""
        self._errors.setdefault(command, deque()).append((code, message))

    def take_error(self, command: str) -> tuple[int, str] | None:
        """Consume the pending ERROR for `command` (used by the server).

        An armed `drop_on(command)` aborts every protocol socket here; the server's reply
        then goes nowhere.
        """
        if self._command_drops.get(command, 0) > 0:
            self._command_drops[command] -= 1
            self._hooks.abort_protocol_sockets()
            return None
        queue = self._errors.get(command)
        return queue.popleft() if queue else None

    def flood(self, frames: Iterable[str | dict[str, Any]]) -> asyncio.Task[None]:
        """Send every frame, back to back, to every HELLO'd socket (texts as is, dicts as JSON)."""
        texts = [frame if isinstance(frame, str) else json.dumps(frame) for frame in frames]

        async def send_all() -> None:
            for text in texts:
                await self._hooks.broadcast_text(text)

        return self._hooks.spawn(send_all())

    def send_oversized(self, size: int) -> asyncio.Task[None]:
        """Send one well-formed HELLO object padded to at least `size` bytes."""
        return self.send_raw(json.dumps({"object": "HELLO", "padding": "x" * max(0, size)}))

    def clear(self) -> None:
        """Forget every pending fault and answer normally again."""
        self._rejection = None
        self.clear_answering()
        self.frames.clear()
        self._failures.clear()
        self._errors.clear()
        self._handshake_drops = 0
        self._command_drops.clear()
