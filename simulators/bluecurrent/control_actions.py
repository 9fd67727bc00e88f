"""The Blue Current actions of the /control channel (simulators/common/control.py).

Other processes (benchmarks, the demo) drive a running simulator with them: plug a car in or
out, take a charge point offline, drop or refuse connections, advance the clock, change the
budget, make the server half-open.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from simulators.common.clock import SimClock
    from simulators.common.control import ControlAction

    from .faults import Faults
    from .protocol import JSONObject


class Controllable(Protocol):
    """What the control actions drive (the simulator's test API)."""

    @property
    def clock(self) -> SimClock:
        """The simulated clock."""

    @property
    def faults(self) -> Faults:
        """The fault hooks."""

    async def plug_in(
        self, evse_id: str, *, phases: int, max_current: float, energy_needed_kwh: float
    ) -> None:
        """Connect a car."""

    async def unplug(self, evse_id: str) -> None:
        """Disconnect the car."""

    async def set_offline(self, evse_id: str) -> None:
        """Take the charge point offline."""

    async def set_online(self, evse_id: str) -> None:
        """Bring it back."""

    async def drop_all(self, code: int | None) -> None:
        """Drop every protocol socket."""

    async def close_listener(self) -> None:
        """Refuse connections."""

    async def open_listener(self) -> None:
        """Accept connections again."""

    def set_request_limit(self, limit: int | None) -> None:
        """Change the daily budget."""

    def spawn(self, coro: Awaitable[Any]) -> asyncio.Task[None]:
        """Run a task the simulator cancels when it stops."""


def control_actions(sim: Controllable) -> dict[str, ControlAction]:
    """The actions by name."""

    async def plug_in(command: JSONObject) -> None:
        await sim.plug_in(
            str(command.get("evse_id")),
            phases=int(command.get("phases", 3)),
            max_current=float(command.get("max_current", 16.0)),
            energy_needed_kwh=float(command.get("energy_needed_kwh", 20.0)),
        )

    async def drop(command: JSONObject) -> None:
        code = command.get("code")
        await sim.drop_all(int(code) if code is not None else None)

    async def come_back_after(seconds: float) -> None:
        await asyncio.sleep(seconds)
        await sim.open_listener()

    async def go_offline(command: JSONObject) -> None:
        await sim.close_listener()
        seconds = command.get("seconds")
        if seconds is not None:
            sim.spawn(come_back_after(float(seconds)))

    async def limit(command: JSONObject) -> None:
        value = command.get("limit")
        sim.set_request_limit(int(value) if value is not None else None)

    async def answering(command: JSONObject) -> None:
        if command.get("action") == "stop_answering":
            sim.faults.stop_answering()
        else:
            sim.faults.resume_answering()

    return {
        "plug_in": plug_in,
        "unplug": lambda c: sim.unplug(str(c.get("evse_id"))),
        "set_offline": lambda c: sim.set_offline(str(c.get("evse_id"))),
        "set_online": lambda c: sim.set_online(str(c.get("evse_id"))),
        "drop_connections": drop,
        "go_offline": go_offline,
        "come_back": lambda _: sim.open_listener(),
        "advance": lambda c: sim.clock.advance(float(c.get("seconds", 0))),
        "set_request_limit": limit,
        "stop_answering": answering,
        "resume_answering": answering,
    }
