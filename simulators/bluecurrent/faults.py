"""Fault hooks: make the simulated cloud misbehave on purpose.

Reached as `sim.faults`. Methods that act on open sockets (`drop_connections`, `send_raw`,
`send_object`) start the work at once and return the task, so a test may await it (to be sure the
frames are out) or not.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import asyncio

    from .server import BlueCurrentSimulator

type FailStage = Literal["received", "status", "none"]


@dataclass(frozen=True, slots=True)
class Failure:
    """How the next command of one name fails."""

    error: str
    stage: FailStage


@dataclass(slots=True)
class _Rejection:
    reason: str
    status: int
    remaining: int | None  # None: until cleared


class Faults:
    """Fault injection for one simulator."""

    def __init__(self, sim: BlueCurrentSimulator) -> None:
        """Attach to `sim`."""
        self._sim = sim
        self._rejection: _Rejection | None = None
        self.reply_delay = 0.0
        self.answering = True
        self._failures: dict[str, deque[Failure]] = {}
        self._errors: dict[str, deque[tuple[int, str]]] = {}

    # ----- connections -----------------------------------------------------------------------

    def drop_connections(self, *, code: int | None = None) -> asyncio.Task[None]:
        """Drop every open protocol socket: abort TCP (code None) or close with `code`."""
        return self._sim.spawn(self._sim.drop_all(code))

    def reject_handshakes(self, reason: str, *, status: int = 403, count: int | None = 1) -> None:
        """Refuse the next `count` upgrades (None: all until `count=0` or `clear()`).

        The refusal carries the header `x-websocket-reject-reason: <reason>`.
        """
        if count is not None and count <= 0:
            self._rejection = None
            return
        self._rejection = _Rejection(reason, status, count)

    def take_rejection(self) -> tuple[str, int] | None:
        """Consume one handshake rejection, if any is pending (used by the server)."""
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
        await self._sim.close_listener()

    async def come_back(self) -> None:
        """Listen again on the same port."""
        await self._sim.open_listener()

    # ----- replies ---------------------------------------------------------------------------

    def delay_replies(self, seconds: float) -> None:
        """Wait `seconds` (wall time) before every reply; 0 to clear. Pushes are not delayed."""
        self.reply_delay = max(0.0, seconds)

    def stop_answering(self) -> None:
        """Half-open: commands are still logged, but no replies, pushes or pongs go out."""
        self.answering = False

    def resume_answering(self) -> None:
        """Undo `stop_answering` (what was swallowed meanwhile stays lost)."""
        self.answering = True

    def send_raw(self, text: str) -> asyncio.Task[None]:
        """Send `text` as is to every HELLO'd socket (malformed frames etc.)."""
        return self._sim.spawn(self._sim.broadcast_text(text))

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
        """Consume the pending ERROR for `command` (used by the server)."""
        queue = self._errors.get(command)
        return queue.popleft() if queue else None

    def clear(self) -> None:
        """Forget every pending fault and answer normally again."""
        self._rejection = None
        self.reply_delay = 0.0
        self.answering = True
        self._failures.clear()
        self._errors.clear()
