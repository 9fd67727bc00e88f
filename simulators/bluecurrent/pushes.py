"""What the server sends unasked: CH_STATUS on a change or periodically, CH_SETTINGS, GRID_CURRENT.

Pushes go to HELLO'd sockets of the owning account whose auth token is still current and, with
`pushes_require_charge_points`, only for charge points the socket has seen in CHARGE_POINTS
(§8 #7). Each clock step runs the physics first, then the pushes that are due.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from .schedules import apply_caps
from .wire import grid_current_push, settings_object, status_object
from .zone import AMSTERDAM

if TYPE_CHECKING:
    from collections.abc import Callable

    from simulators.common.clock import SimClock

    from .accounts import Accounts, SimAccount
    from .options import SimulatorOptions
    from .physics import SimChargePoint, SimGrid
    from .protocol import JSONObject
    from .transport import Connection, Transport

STATUS_HISTORY = 16  # CH_STATUS frames kept per charge point for `faults.frames.resend_status`


def signature(point: SimChargePoint) -> tuple[Any, ...]:
    """The discrete state; a change of it is pushed at once."""
    return (
        point.activity,
        point.vehicle_status,
        point.last_start,
        point.last_stop,
        point.offline_since,
        point.max_usage,
        point.smartcharging_max_usage,
        point.max_offline,
        point.session is not None and point.vehicle is not None and point.vehicle.full,
    )


class Pushes:
    """The push schedule of one simulator."""

    def __init__(
        self,
        *,
        accounts: Accounts,
        transport: Transport,
        options: SimulatorOptions,
        clock: SimClock,
        on_status: Callable[[SimChargePoint], None],
    ) -> None:
        """`on_status` sees every charge point whose status is pushed (session starts and ends)."""
        self._accounts = accounts
        self._transport = transport
        self._options = options
        self._clock = clock
        self._on_status = on_status
        self._signatures: dict[str, tuple[Any, ...]] = {}
        self._since_status_push: dict[str, float] = {}
        self._since_grid_push = 0.0
        self._history: dict[str, deque[JSONObject]] = {}

    def status_history(self, evse_id: str) -> list[JSONObject]:
        """The last CH_STATUS frames pushed for `evse_id` (to a socket), oldest first."""
        return list(self._history.get(evse_id, ()))

    def track(self, point: SimChargePoint) -> None:
        """Start watching a charge point (its current state counts as pushed)."""
        self._signatures[point.evse_id] = signature(point)
        self._since_status_push[point.evse_id] = 0.0

    def forget(self, evse_id: str) -> None:
        """Stop watching a removed charge point."""
        self._signatures.pop(evse_id, None)
        self._since_status_push.pop(evse_id, None)
        self._history.pop(evse_id, None)

    def subscribers(self, account: SimAccount, evse_id: str | None) -> list[Connection]:
        """The sockets that receive pushes of `account` (about `evse_id`, if given)."""
        return [
            conn
            for conn in self._transport.connections.values()
            if conn.hello
            and conn.account is account
            and conn.auth_token is not None
            and conn.auth_token == account.auth_token
            and (
                evse_id is None
                or not self._options.pushes_require_charge_points
                or evse_id in conn.known_evses
            )
        ]

    async def after_change(self, point: SimChargePoint) -> None:
        """Push CH_STATUS if the discrete state changed."""
        current = signature(point)
        if current != self._signatures.get(point.evse_id):
            self._signatures[point.evse_id] = current
            await self.push_status(point)

    async def push_status(self, point: SimChargePoint) -> None:
        """Push CH_STATUS now."""
        # Every session start and end passes here: the REST ledger records finished sessions.
        self._on_status(point)
        account = self._accounts.owner(point)
        if account is None:
            return
        self._since_status_push[point.evse_id] = 0.0
        conns = self.subscribers(account, point.evse_id)
        if not conns:
            return
        obj = status_object(point, push=True)
        self._history.setdefault(point.evse_id, deque(maxlen=STATUS_HISTORY)).append(obj)
        for conn in conns:
            await self._transport.send(conn, obj)

    async def push_settings(self, account: SimAccount, point: SimChargePoint) -> None:
        """Push CH_SETTINGS now."""
        obj = settings_object(account, point, self._options)
        for conn in self.subscribers(account, point.evse_id):
            await self._transport.send(conn, obj)

    async def push_grid(self, account: SimAccount, grid: SimGrid) -> None:
        """Push GRID_CURRENT now."""
        conns = self.subscribers(account, None)
        obj = grid_current_push(account, grid)
        if not conns or obj is None:
            return
        for conn in conns:
            await self._transport.send(conn, obj)

    async def on_tick(self, seconds: float) -> None:
        """One clock step: physics, then pushes that are due."""
        now = self._clock.now()
        for account in self._accounts:
            apply_caps(account.schedules, account.points, self._clock.local_now(AMSTERDAM))
            for point in account.points.values():
                point.step(now, seconds)
        for account in self._accounts:
            for point in list(account.points.values()):
                await self._tick_pushes(point, seconds)
        self._since_grid_push += seconds
        if self._since_grid_push >= self._options.grid_push_interval - 1e-6:
            self._since_grid_push = 0.0
            for account in self._accounts:
                for grid in account.grids.values():
                    await self.push_grid(account, grid)

    async def _tick_pushes(self, point: SimChargePoint, seconds: float) -> None:
        """Push on a state change, or every status_push_interval during a session."""
        current = signature(point)
        if current != self._signatures.get(point.evse_id):
            self._signatures[point.evse_id] = current
            await self.push_status(point)
            return
        if point.session is None or not point.online:
            return
        elapsed = self._since_status_push.get(point.evse_id, 0.0) + seconds
        self._since_status_push[point.evse_id] = elapsed
        if elapsed >= self._options.status_push_interval - 1e-6:
            await self.push_status(point)
