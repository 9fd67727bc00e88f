"""The log of received commands, and waiting for one to arrive (the test API's `received`)."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from .protocol import JSONObject


@dataclass(frozen=True, slots=True)
class ReceivedCommand:
    """One command frame as the server received it (Authorization included)."""

    connection_id: int
    path: str
    name: str
    payload: JSONObject
    at: datetime


def mentions(rc: ReceivedCommand, evse_id: str) -> bool:
    """Whether a command is about `evse_id` (its evse_id or one of its chargepoints)."""
    if rc.payload.get("evse_id") == evse_id:
        return True
    points = rc.payload.get("chargepoints")
    return isinstance(points, list) and evse_id in points


class CommandLog:
    """Every received command in order; `wait_for` hands each matching one out once."""

    def __init__(self) -> None:
        """An empty log."""
        self.received: list[ReceivedCommand] = []
        self._claimed: set[int] = set()
        self._waiters: list[tuple[Callable[[ReceivedCommand], bool], asyncio.Future[int]]] = []

    def append(self, record: ReceivedCommand) -> None:
        """Log a command and wake the first waiter it matches."""
        self.received.append(record)
        index = len(self.received) - 1
        for matches, future in list(self._waiters):
            if not future.done() and matches(record):
                self._claimed.add(index)
                future.set_result(index)
                break

    def payloads(self, name: str | None = None, *, evse_id: str | None = None) -> list[JSONObject]:
        """Payloads of the received commands, in order, optionally filtered."""
        return [
            rc.payload
            for rc in self.received
            if (name is None or rc.name == name) and (evse_id is None or mentions(rc, evse_id))
        ]

    async def wait_for(self, name: str, *, evse_id: str | None, timeout: float) -> JSONObject:  # noqa: ASYNC109 - the test API's signature
        """Return the first matching command that no earlier wait returned (past or future)."""

        def matches(rc: ReceivedCommand) -> bool:
            return rc.name == name and (evse_id is None or mentions(rc, evse_id))

        for index, rc in enumerate(self.received):
            if index not in self._claimed and matches(rc):
                self._claimed.add(index)
                return rc.payload
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        waiter = (matches, future)
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(timeout):
                index = await future
        except TimeoutError:
            raise TimeoutError(f"{name} not received within {timeout} s") from None
        finally:
            with contextlib.suppress(ValueError):
                self._waiters.remove(waiter)
        return self.received[index].payload

    def clear(self) -> None:
        """Forget every command (waiters keep waiting)."""
        self.received.clear()
        self._claimed.clear()

    def cancel_waiters(self) -> None:
        """Cancel every pending wait (the simulator stops)."""
        for _, future in self._waiters:
            future.cancel()
