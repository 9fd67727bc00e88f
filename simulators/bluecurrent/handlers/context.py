"""What a command handler is given: the server's parts it may use, and the request it answers.

The server's parts are passed in: handlers never import the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Awaitable, Callable, Iterator

    from simulators.bluecurrent.accounts import Accounts, SimAccount
    from simulators.bluecurrent.faults import Faults
    from simulators.bluecurrent.options import SimulatorOptions
    from simulators.bluecurrent.physics import SimChargePoint
    from simulators.bluecurrent.protocol import JSONObject
    from simulators.bluecurrent.pushes import Pushes
    from simulators.bluecurrent.transport import Connection, Transport
    from simulators.common.clock import SimClock


@dataclass(frozen=True, slots=True)
class ServerContext:
    """The parts of one simulator the handlers work with."""

    options: SimulatorOptions
    clock: SimClock
    accounts: Accounts
    transport: Transport
    pushes: Pushes
    faults: Faults
    spawn: Callable[[Awaitable[Any]], asyncio.Task[None]]
    schedule_ids: Iterator[int]


@dataclass(frozen=True, slots=True)
class Request:
    """One authorised command: the socket it came on, its payload and the caller's account."""

    conn: Connection
    payload: JSONObject
    account: SimAccount


@dataclass(frozen=True, slots=True)
class PointRequest(Request):
    """A command for one of the account's charge points (its `evse_id`)."""

    point: SimChargePoint


type Handler = Callable[[ServerContext, Request], Awaitable[None]]
type PointHandler = Callable[[ServerContext, PointRequest], Awaitable[None]]
