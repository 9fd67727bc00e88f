"""The simulated Blue Current cloud: the assembly of the parts, and the test API.

One `BlueCurrentSimulator` owns the scenario state (accounts.py), a `SimClock`, the fault hooks
(faults.py), the REST API (rest.py) and an aiohttp application on 127.0.0.1 serving `/haserver`,
`/appserver/2.0`, `/control` and the REST paths. Where each idea lives:

- options.py: the behaviour switches; protocol.py: paths, error table, command groups
- transport.py: admission and sending on the websockets; budget.py: the daily request budget
- dispatch.py: frame -> handler; handlers/: login, queries, commands, override schedules
- wire.py: the JSON objects sent; payload.py: reading the fields received
- pushes.py: CH_STATUS / CH_SETTINGS / GRID_CURRENT pushes and the clock step
- schedules.py: override-current schedules; commandlog.py: what was received
- control_actions.py: the /control actions
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any, Self

from aiohttp import web

from simulators.common.clock import SimClock
from simulators.common.control import CONTROL_PATH, ControlAction, ControlChannel
from simulators.common.listener import RestartableListener
from simulators.common.tasks import TaskSpawner

from .accounts import Accounts, SimAccount
from .app_commands import AppCommands
from .budget import RequestBudget
from .commandlog import CommandLog, ReceivedCommand
from .control_actions import control_actions
from .dispatch import Dispatcher
from .faults import FaultHooks, Faults
from .frame_faults import FrameHooks
from .handlers.context import ServerContext
from .options import SimulatorOptions
from .physics import SimChargePoint, SimGrid, SimVehicle
from .protocol import APP_PATH, BCE_PREFIX, HA_PATH, REST_PREFIX, REST_STATUS_V21_PREFIX
from .pushes import Pushes
from .rest import SimRestApi
from .scenario import ChargePointSpec, GridSpec, Scenario, _charge_point
from .schedules import OverrideSchedule, remove_from_schedules
from .transport import Transport
from .wire import status_object
from .zone import AMSTERDAM

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Awaitable, Callable

    from .protocol import JSONObject
    from .scenario import AccountSpec

__all__ = ["BlueCurrentSimulator", "OverrideSchedule", "ReceivedCommand", "SimulatorOptions"]


class BlueCurrentSimulator:
    """A local, controllable Blue Current cloud (websockets and REST)."""

    def __init__(
        self,
        scenario: Scenario | None = None,
        *,
        options: SimulatorOptions | None = None,
        clock: SimClock | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """Build the state from `scenario` (default: the bundled test scenario)."""
        self.scenario = scenario if scenario is not None else Scenario.builtin("test")
        self.options = options if options is not None else SimulatorOptions()
        self.clock = clock if clock is not None else SimClock()
        self.host = host
        self.port = port
        self._tasks = TaskSpawner()
        self._listener: RestartableListener | None = None
        self._unsubscribe_clock: Callable[[], None] | None = None
        self._owns_realtime = False
        self._log = CommandLog()
        self._budget = RequestBudget(self.clock, self.options)
        self.faults = Faults(
            FaultHooks(
                spawn=self.spawn,
                drop_all=self.drop_all,
                broadcast_text=self.broadcast_text,
                close_listener=self.close_listener,
                open_listener=self.open_listener,
                abort_protocol_sockets=self._abort_protocol_sockets,
                abort_upgrades=self._abort_upgrades,
            ),
            FrameHooks(
                spawn=self.spawn,
                broadcast_text=self.broadcast_text,
                status_frame=self._status_frame,
                status_history=self._status_history,
            ),
        )
        self._transport = Transport(
            options=self.options,
            budget=self._budget,
            answering=self.faults,
            take_rejection=self.faults.take_rejection,
            rewrite=self.faults.frames.rewrite,
        )
        self._accounts = Accounts()
        self._pushes = Pushes(
            accounts=self._accounts,
            transport=self._transport,
            options=self.options,
            clock=self.clock,
            on_status=self._observe_status,
        )
        for spec in self.scenario.accounts:
            self._accounts.add(self._build_account(spec))
        self.rest = SimRestApi(
            clock=self.clock,
            seed=self.scenario.seed,
            options=self.options,
            accounts=lambda: self._accounts,
            status_data=lambda point: status_object(point, push=False)["data"],
            received=lambda: self._log.received,
        )
        context = ServerContext(
            options=self.options,
            clock=self.clock,
            accounts=self._accounts,
            transport=self._transport,
            pushes=self._pushes,
            faults=self.faults,
            spawn=self.spawn,
            schedule_ids=itertools.count(100),
        )
        self._dispatcher = Dispatcher(context, self._log, self._budget)
        self._app_commands = AppCommands(context, self.rest, self._log)
        self.control = ControlChannel(self._control_actions(), self.stats)

    def _build_account(self, spec: AccountSpec) -> SimAccount:
        account = SimAccount(spec)
        now = self.clock.now()
        for grid in spec.grids:
            account.grids[grid.id] = SimGrid.from_spec(grid, spec.customer_id, self.scenario.seed)
        for point_spec in spec.charge_points:
            point = SimChargePoint.from_spec(
                point_spec, spec.customer_id, now, self.scenario.seed, clock=self.clock.now
            )
            account.points[point.evse_id] = point
            self._pushes.track(point)
        return account

    # ----- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        """Start serving."""
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Stop serving."""
        await self.stop()

    async def start(self) -> None:
        """Listen on host:port (port 0 picks a free one) and start the clock hooks."""
        if self._listener is not None:
            return
        app = web.Application()
        app.router.add_get(HA_PATH, self._ws_handler)
        app.router.add_get(APP_PATH, self._ws_handler)
        if self.options.control_channel:
            self.control.add_route(app)
        self.rest.add_routes(app, REST_PREFIX, REST_STATUS_V21_PREFIX)
        self._app_commands.add_routes(app, REST_PREFIX, BCE_PREFIX)
        self._listener = RestartableListener(app, self.host, self.port)
        await self._listener.start()
        self.port = self._listener.port
        self._unsubscribe_clock = self.clock.subscribe(self._pushes.on_tick)
        if self.options.realtime and not self.clock.realtime:
            self.clock.start_realtime()
            self._owns_realtime = True

    async def stop(self) -> None:
        """Close every socket and the listener."""
        if self._listener is None:
            return
        if self._unsubscribe_clock is not None:
            self._unsubscribe_clock()
            self._unsubscribe_clock = None
        if self._owns_realtime:
            await self.clock.stop_realtime()
            self._owns_realtime = False
        await self._tasks.cancel_all()
        await self._transport.close_all(1001, b"Server shutdown")
        await self.control.close()
        self._log.cancel_waiters()
        listener, self._listener = self._listener, None
        await listener.cleanup()

    async def open_listener(self) -> None:
        """(Re)open the TCP listener on the same port."""
        if self._listener is None:
            raise RuntimeError("simulator not started")
        await self._listener.open()

    async def close_listener(self) -> None:
        """Stop accepting connections (refused) and abort the open protocol sockets."""
        if self._listener is not None:
            await self._listener.close()
        await self.drop_all(None)

    def _observe_status(self, point: SimChargePoint) -> None:
        # every session start and end passes a status push: the REST ledger records it
        self.rest.observe(point)

    def _status_frame(self, evse_id: str) -> JSONObject:
        return status_object(self.charge_point(evse_id), push=False)

    def _status_history(self, evse_id: str) -> list[JSONObject]:
        return self._pushes.status_history(evse_id)

    def _abort_protocol_sockets(self) -> None:
        self._transport.abort_all()

    def _abort_upgrades(self) -> None:
        # open protocol and control sockets are spared: only upgrades in progress go
        if self._listener is not None:
            self._listener.abort_connections(
                sparing=self._transport.transports() | self.control.transports()
            )

    def spawn(self, coro: Awaitable[Any]) -> asyncio.Task[None]:
        """Run `coro` as a task that `stop()` cancels (no task outlives the simulator)."""
        return self._tasks.spawn(coro)

    async def _ws_handler(self, request: web.Request) -> web.StreamResponse:
        return await self._transport.serve(request, self._dispatcher.handle_text)

    # ----- addresses ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The HA websocket URL."""
        return f"ws://{self.host}:{self.port}{HA_PATH}"

    @property
    def app_url(self) -> str:
        """The app websocket URL."""
        return f"ws://{self.host}:{self.port}{APP_PATH}"

    @property
    def rest_url(self) -> str:
        """The REST base URL (§7 endpoints, see rest.py)."""
        return f"http://{self.host}:{self.port}{REST_PREFIX}"

    @property
    def control_url(self) -> str:
        """The control websocket URL (for other processes)."""
        return f"ws://{self.host}:{self.port}{CONTROL_PATH}"

    # ----- test API: what happened -------------------------------------------------------------

    @property
    def received(self) -> list[ReceivedCommand]:
        """Every command received, in order."""
        return self._log.received

    @property
    def connection_attempts(self) -> int:
        """Websocket upgrade requests so far (refused ones included)."""
        return self._transport.connection_attempts

    @property
    def open_connections(self) -> int:
        """Open protocol websockets, HELLO'd or not."""
        return len(self._transport.connections)

    @property
    def requests_today(self) -> int:
        """Commands received since the last 00:00 Europe/Amsterdam (simulated clock)."""
        return self._budget.requests_today

    def commands(self, name: str | None = None, *, evse_id: str | None = None) -> list[JSONObject]:
        """Payloads of the received commands, in order, optionally filtered."""
        return self._log.payloads(name, evse_id=evse_id)

    async def wait_for_command(
        self,
        name: str,
        *,
        evse_id: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - the contract's signature
    ) -> JSONObject:
        """Return the first matching command that no earlier wait returned (past or future)."""
        return await self._log.wait_for(name, evse_id=evse_id, timeout=timeout)

    def reset(self) -> None:
        """Forget the command log and the request counter (not the state)."""
        self._log.clear()
        self._budget.reset()
        self._transport.connection_attempts = 0

    def stats(self) -> JSONObject:
        """Counters for benchmarks."""
        return {
            "connection_attempts": self.connection_attempts,
            "requests_today": self.requests_today,
            "received": len(self.received),
            "open_connections": self.open_connections,
            "now": self.clock.now().isoformat(),
            "local_now": self.clock.now().astimezone(AMSTERDAM).isoformat(),
        }

    # ----- test API: state ---------------------------------------------------------------------

    def charge_point(self, evse_id: str) -> SimChargePoint:
        """The mutable state of a charge point."""
        account = self._accounts.with_point(evse_id)
        if account is None:
            raise KeyError(evse_id)
        return account.points[evse_id]

    def grid(self, grid_id: str) -> SimGrid:
        """The mutable state of a grid."""
        for account in self._accounts:
            if grid_id in account.grids:
                return account.grids[grid_id]
        raise KeyError(grid_id)

    def schedules(self, api_token: str | None = None) -> list[OverrideSchedule]:
        """Override-current schedules (of one account, or all)."""
        return [
            schedule
            for account in self._accounts
            if api_token is None or account.spec.api_token == api_token
            for schedule in account.schedules.values()
        ]

    def auth_token(self, api_token: str) -> str | None:
        """The auth token VALIDATE_API_TOKEN handed out for `api_token` (None before)."""
        account = self._accounts.for_api_token(api_token)
        return account.auth_token if account is not None else None

    def _status_object(self, point: SimChargePoint, *, push: bool) -> JSONObject:
        """The CH_STATUS frame of `point` (tests compare it with what a client parsed)."""
        return status_object(point, push=push)

    # ----- test API: what the world does -------------------------------------------------------

    async def plug_in(
        self,
        evse_id: str,
        *,
        phases: int = 3,
        max_current: float = 16.0,
        energy_needed_kwh: float = 20.0,
    ) -> None:
        """Connect a car (vehicle B); plug & charge starts a session."""
        if phases not in (1, 3):
            raise ValueError("phases must be 1 or 3")
        point = self.charge_point(evse_id)
        vehicle = SimVehicle(phases, max_current, energy_needed_kwh)
        point.plug_in(self.clock.now(), vehicle, stale_quirk=self.options.stale_start_datetime)
        await self._pushes.after_change(point)

    async def unplug(self, evse_id: str) -> None:
        """Disconnect the car; a running session ends."""
        point = self.charge_point(evse_id)
        point.unplug(self.clock.now())
        await self._pushes.after_change(point)

    async def set_offline(self, evse_id: str) -> None:
        """The charge point loses its link to the cloud (activity offline, offline_since)."""
        point = self.charge_point(evse_id)
        point.go_offline(self.clock.now())
        await self._pushes.after_change(point)

    async def set_online(self, evse_id: str) -> None:
        """The charge point is reachable again."""
        point = self.charge_point(evse_id)
        point.come_online(self.clock.now())
        await self._pushes.after_change(point)

    async def push_status(self, evse_id: str) -> None:
        """Push a CH_STATUS for `evse_id` now."""
        await self._pushes.push_status(self.charge_point(evse_id))

    async def push_grid(self, grid_id_or_evse_id: str) -> None:
        """Push a GRID_CURRENT for a grid (by grid id or by one of its charge points)."""
        for account in self._accounts:
            grid = account.grids.get(grid_id_or_evse_id)
            if grid is None and grid_id_or_evse_id in account.points:
                grid = account.grids.get(account.points[grid_id_or_evse_id].grid_id)
            if grid is not None:
                await self._pushes.push_grid(account, grid)
                return
        raise KeyError(grid_id_or_evse_id)

    def add_charge_point(
        self, api_token: str, spec: ChargePointSpec | JSONObject
    ) -> SimChargePoint:
        """Add a charge point to an account (seen on the next GET_CHARGE_POINTS)."""
        account = self._accounts.for_api_token(api_token)
        if account is None:
            raise KeyError("unknown API token")
        point_spec = spec if isinstance(spec, ChargePointSpec) else _charge_point(spec)
        if self._accounts.with_point(point_spec.evse_id) is not None:
            raise ValueError(f"{point_spec.evse_id} exists")
        if point_spec.grid_id is None:
            point_spec.grid_id = f"GRID-{point_spec.evse_id}"
        if point_spec.grid_id not in account.grids:
            grid_spec = GridSpec(id=point_spec.grid_id)
            account.spec.grids.append(grid_spec)
            account.grids[grid_spec.id] = SimGrid.from_spec(
                grid_spec, account.spec.customer_id, self.scenario.seed
            )
        account.spec.charge_points.append(point_spec)
        point = SimChargePoint.from_spec(
            point_spec,
            account.spec.customer_id,
            self.clock.now(),
            self.scenario.seed,
            clock=self.clock.now,
        )
        account.points[point.evse_id] = point
        self._pushes.track(point)
        return point

    def remove_charge_point(self, evse_id: str) -> None:
        """Remove a charge point from its account (and from its override schedule)."""
        account = self._accounts.with_point(evse_id)
        if account is None:
            raise KeyError(evse_id)
        del account.points[evse_id]
        account.spec.charge_points = [p for p in account.spec.charge_points if p.evse_id != evse_id]
        remove_from_schedules(account.schedules, {evse_id})
        self._pushes.forget(evse_id)

    def revoke_token(self, api_token: str) -> None:
        """Invalidate the API token and its auth token (ERROR 1 / failed validation after)."""
        account = self._accounts.for_api_token(api_token)
        if account is None:
            raise KeyError("unknown API token")
        self._accounts.revoke(account)

    def set_request_limit(self, limit: int | None) -> None:
        """Change the daily budget (None: unlimited)."""
        self.options.request_limit = limit

    # ----- test API: connections ---------------------------------------------------------------

    async def drop_all(self, code: int | None) -> None:
        """Drop every protocol socket: abort TCP (None) or close with `code`."""
        await self._transport.drop_all(code)

    async def broadcast_text(self, text: str) -> None:
        """Send a raw text frame to every HELLO'd socket (fault hook)."""
        await self._transport.broadcast_text(text)

    # ----- control channel ---------------------------------------------------------------------

    def _control_actions(self) -> dict[str, ControlAction]:
        """The /control actions (a subclass may add its own, see bench/simproc.py)."""
        return control_actions(self)
