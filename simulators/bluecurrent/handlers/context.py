"""What a command handler may use of the server, passed in (handlers never import the server)."""

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


type Handler = Callable[[ServerContext, Connection, JSONObject, SimAccount], Awaitable[None]]
type PointHandler = Callable[
    [ServerContext, Connection, JSONObject, SimAccount, SimChargePoint], Awaitable[None]
]
