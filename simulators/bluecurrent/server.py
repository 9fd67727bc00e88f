"""The simulated Blue Current cloud: an aiohttp server with the HA and app websockets.

One `BlueCurrentSimulator` owns the scenario state (charge points, grids, cards, schedules), a
`SimClock`, the fault hooks and an aiohttp `AppRunner` listening on 127.0.0.1. Frames follow
/work/shared/protocols/bluecurrent.md (section numbers in comments refer to it).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal, Self

from aiohttp import WSMsgType, web

from simulators.common.clock import SimClock
from simulators.common.control import CONTROL_PATH, ControlAction, ControlChannel

from .faults import Failure, Faults
from .physics import (
    DelayedSchedule,
    SimChargePoint,
    SimGrid,
    SimVehicle,
    format_timestamp,
    parse_hhmm,
    wire_number,
)
from .rest import SimRestApi
from .scenario import (
    NO_CARD,
    AccountSpec,
    CardSpec,
    ChargePointSpec,
    GridSpec,
    Scenario,
    _charge_point,
)
from .zone import AMSTERDAM

_LOGGER = logging.getLogger(__name__)

type JSONObject = dict[str, Any]

HA_PATH = "/haserver"
APP_PATH = "/appserver/2.0"
REST_PREFIX = "/app/bc_api/api/v2.0"
REJECT_HEADER = "x-websocket-reject-reason"
LIMIT_REASON = "Request limit reached"
ALREADY_CONNECTED_REASON = "Already connected"
CLOSE_REQUEST_LIMIT = 4001
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

# LIB's error table (§3.9)
ERROR_UNKNOWN_COMMAND = (0, "Unknown command")
ERROR_INVALID_AUTH = (1, "Invalid Auth Token")
ERROR_NOT_AUTHORIZED = (2, "Not authorized")
ERROR_UNKNOWN = (9, "Unknown error")
ERROR_LIMIT = (42, LIMIT_REASON)

# Commands answered with RECEIVED_<CMD> and STATUS_<CMD> (§3.7)
SETTING_COMMANDS = {"SET_PUBLIC_CHARGING", "SET_PLUG_AND_CHARGE"}
ACTION_COMMANDS = {
    "SET_OPERATIVE",
    "SET_INOPERATIVE",
    "SOFT_RESET",
    "REBOOT",
    "UNLOCK_CONNECTOR",
    "START_SESSION",
    "STOP_SESSION",
}
SMART_COMMANDS = {
    "SET_DELAYED_CHARGING",
    "SAVE_SCHEDULE_DELAYED_CHARGING",
    "SET_PRICE_BASED_CHARGING",
    "SET_PRICE_BASED_SETTINGS",
    "PATCH_PRICE_BASED_CHARGING_SETTINGS",
    "OVERRIDE_CHARGING_PROFILES",
    "OVERRIDE_DELAYED_CHARGING_TIMEOUT",
}
TWO_STAGE_COMMANDS = (
    SETTING_COMMANDS | ACTION_COMMANDS | SMART_COMMANDS | {"SET_PLUG_AND_CHARGE_CHARGE_CARD"}
)
UNAUTHENTICATED_COMMANDS = {"VALIDATE_API_TOKEN", "VALIDATE_PASSWORD"}


class PayloadError(ValueError):
    """A command carried a field the server cannot use (answered with ERROR 9)."""


@dataclass(slots=True)
class SimulatorOptions:
    """Behaviour switches, mostly for what the protocol reference marks (unknown)/(inferred).

    The defaults and the reasons for them are described in the package docstring
    (simulators/bluecurrent/__init__.py).
    """

    request_limit: int | None = None
    smart_charging_replies: Literal["status", "none"] = "status"
    pnc_card_key: Literal["plug_and_charge_card", "plug_and_charge_charge_card", "both"] = "both"
    stale_start_datetime: bool = False
    reject_second_connection: bool = False
    result_delay: float = 0.05
    grid_push_interval: float = 30.0
    status_push_interval: float = 10.0
    realtime: bool = False
    foreign_evse_error: tuple[int, str] = ERROR_NOT_AUTHORIZED
    pushes_require_charge_points: bool = True
    push_settings_on_change: bool = False
    pnc_card_received_ack: bool = False
    clear_reply_schedule_id: bool = True
    invalid_token_error: str = ""
    already_connected_status: int = 403
    control_channel: bool = True
    rest_accepts_api_token: bool = True
    rest_page_size: int = 25
    # GET_SESSIONS / GET_STATUS: the app client calls them "does not work" (§2.1) and their
    # replies are (unknown). False: they are unknown commands (ERROR 0); True: SESSIONS with an
    # empty list and STATUS with the CH_STATUS data.
    answer_legacy_app_requests: bool = False

    def __post_init__(self) -> None:
        """Reject values the server cannot honour."""
        if self.smart_charging_replies not in ("status", "none"):
            raise ValueError("smart_charging_replies must be 'status' or 'none'")
        if self.pnc_card_key not in ("plug_and_charge_card", "plug_and_charge_charge_card", "both"):
            raise ValueError("bad pnc_card_key")
        if self.status_push_interval <= 0 or self.grid_push_interval <= 0:
            raise ValueError("push intervals must be positive")


@dataclass(frozen=True, slots=True)
class ReceivedCommand:
    """One command frame as the server received it (Authorization included)."""

    connection_id: int
    path: str
    name: str
    payload: JSONObject
    at: datetime


@dataclass(slots=True)
class OverrideSchedule:
    """A user override-current schedule (§3.8, §6.2)."""

    schedule_id: str
    charge_points: list[str]
    current: float
    start_time: time
    stop_time: time
    start_days: list[str]
    stop_days: list[str]

    def to_wire(self) -> JSONObject:
        """The schedule as LIB reads it: days as comma strings (§4.7)."""
        return {
            "schedule_id": self.schedule_id,
            "charge_points": list(self.charge_points),
            "override_current": wire_number(self.current),
            "start_time": self.start_time.strftime("%H:%M"),
            "stop_time": self.stop_time.strftime("%H:%M"),
            "override_start_days": ",".join(self.start_days),
            "override_end_days": ",".join(self.stop_days),
        }

    def active(self, local: datetime) -> bool:
        """Whether the cap applies at `local` (Europe/Amsterdam).

        Each start day opens a window at start_time that closes at the next stop day's stop_time.
        """
        naive = local.replace(tzinfo=None)
        stop_days = {DAY_CODES.index(d) for d in self.stop_days} or {
            DAY_CODES.index(d) for d in self.start_days
        }
        for code in self.start_days:
            weekday = DAY_CODES.index(code)
            back = (naive.weekday() - weekday) % 7
            start = datetime.combine(naive.date() - timedelta(days=back), self.start_time)
            if start > naive:
                start -= timedelta(days=7)
            for ahead in range(8):
                day = start.date() + timedelta(days=ahead)
                end = datetime.combine(day, self.stop_time)
                if day.weekday() in stop_days and end > start:
                    if naive < end:
                        return True
                    break
        return False


@dataclass(slots=True)
class _Account:
    spec: AccountSpec
    points: dict[str, SimChargePoint] = field(default_factory=dict)
    grids: dict[str, SimGrid] = field(default_factory=dict)
    schedules: dict[str, OverrideSchedule] = field(default_factory=dict)
    auth_token: str | None = None
    revoked: bool = False

    def card(self, uid: str) -> CardSpec | None:
        return next((c for c in self.spec.cards if c.uid == uid), None)


@dataclass(eq=False, slots=True)
class _Connection:
    id: int
    path: str
    ws: web.WebSocketResponse
    request: web.Request
    remote: str
    account: _Account | None = None
    auth_token: str | None = None
    hello: bool = False
    known_evses: set[str] = field(default_factory=set)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


type Handler = Callable[[_Connection, JSONObject, _Account], Awaitable[None]]


def _require(payload: JSONObject, key: str, kind: type | tuple[type, ...]) -> Any:
    value = payload.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _kinds(kind)):
        raise PayloadError(f"{key} missing or of the wrong type")
    return value


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _days(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(d, str) for d in value):
        raise PayloadError("days must be a list of day codes")
    days = [d.upper() for d in value]
    if any(d not in DAY_CODES for d in days):
        raise PayloadError("unknown day code")
    return sorted(set(days), key=DAY_CODES.index)


def _hhmm(value: Any) -> time:
    try:
        return parse_hhmm(value)
    except (TypeError, ValueError) as err:
        raise PayloadError(str(err)) from err


def _schedule_id(value: Any) -> str:
    # LIB sends the id as the string it was given (edit) or as an int (clear) (§2.1)
    if isinstance(value, bool):
        raise PayloadError("schedule_id")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip().isdigit():
        return str(int(value.strip()))
    raise PayloadError("schedule_id")


def _delayed_days(value: Any) -> frozenset[int]:
    # LIB 1.3.x sends "[1,4]"; the docs show "0,1,2"; accept a list too
    if isinstance(value, str):
        text = value.strip().removeprefix("[").removesuffix("]")
        try:
            numbers = [int(x) for x in text.split(",") if x.strip()]
        except ValueError as err:
            raise PayloadError("days") from err
    elif isinstance(value, list) and all(isinstance(x, int) for x in value):
        numbers = list(value)
    else:
        raise PayloadError("days")
    if not numbers or any(n < 1 or n > 7 for n in numbers):
        raise PayloadError("days must be 1..7")
    return frozenset(numbers)


class BlueCurrentSimulator:
    """A local, controllable Blue Current cloud (websockets; REST later)."""

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
        self.faults = Faults(self)
        self.received: list[ReceivedCommand] = []
        self.connection_attempts = 0
        self._accounts: list[_Account] = []
        self._by_auth: dict[str, _Account] = {}
        self._connections: dict[int, _Connection] = {}
        self._ids = itertools.count(1)
        self._schedule_ids = itertools.count(100)
        self._requests_today = 0
        self._budget_day: date = self.clock.local_now(AMSTERDAM).date()
        self._claimed: set[int] = set()
        self._waiters: list[tuple[Callable[[ReceivedCommand], bool], asyncio.Future[int]]] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._signatures: dict[str, tuple[Any, ...]] = {}
        self._since_status_push: dict[str, float] = {}
        self._since_grid_push = 0.0
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._unsubscribe_clock: Callable[[], None] | None = None
        self._owns_realtime = False
        for spec in self.scenario.accounts:
            self._accounts.append(self._build_account(spec))
        self._handlers: dict[str, Handler] = self._handler_table()
        self.control = ControlChannel(self._control_actions(), self.stats)
        self.rest = SimRestApi(
            self,
            accounts=lambda: self._accounts,
            status_data=lambda point: self._status_object(point, push=False)["data"],
        )

    # ----- construction ------------------------------------------------------------------------

    def _build_account(self, spec: AccountSpec) -> _Account:
        account = _Account(spec)
        now = self.clock.now()
        for grid in spec.grids:
            account.grids[grid.id] = SimGrid.from_spec(grid, spec.customer_id, self.scenario.seed)
        for point_spec in spec.charge_points:
            point = SimChargePoint.from_spec(
                point_spec, spec.customer_id, now, self.scenario.seed, clock=self.clock.now
            )
            account.points[point.evse_id] = point
            self._signatures[point.evse_id] = self._signature(point)
            self._since_status_push[point.evse_id] = 0.0
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
        if self._runner is not None:
            return
        app = web.Application()
        app.router.add_get(HA_PATH, self._ws_handler)
        app.router.add_get(APP_PATH, self._ws_handler)
        if self.options.control_channel:
            self.control.add_route(app)
        self._add_rest_routes(app)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=2.0)
        await self._runner.setup()
        await self.open_listener()
        self._unsubscribe_clock = self.clock.subscribe(self._on_tick)
        if self.options.realtime and not self.clock.realtime:
            self.clock.start_realtime()
            self._owns_realtime = True

    def _add_rest_routes(self, app: web.Application) -> None:
        """REST endpoints of §7 (APP) under REST_PREFIX (rest.py)."""
        self.rest.add_routes(app, REST_PREFIX)

    async def stop(self) -> None:
        """Close every socket and the listener."""
        if self._runner is None:
            return
        if self._unsubscribe_clock is not None:
            self._unsubscribe_clock()
            self._unsubscribe_clock = None
        if self._owns_realtime:
            await self.clock.stop_realtime()
            self._owns_realtime = False
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self._close_all(1001, b"Server shutdown")
        await self.control.close()
        for _, future in self._waiters:
            future.cancel()
        runner, self._runner, self._site = self._runner, None, None
        await runner.cleanup()

    async def open_listener(self) -> None:
        """(Re)open the TCP listener on the same port."""
        if self._runner is None:
            raise RuntimeError("simulator not started")
        if self._site is not None:
            return
        site = web.TCPSite(self._runner, self.host, self.port, reuse_address=True)
        await site.start()
        self._site = site
        server = site._server  # noqa: SLF001 - aiohttp does not expose the bound port otherwise
        if self.port == 0 and isinstance(server, asyncio.Server) and server.sockets:
            self.port = int(server.sockets[0].getsockname()[1])

    async def close_listener(self) -> None:
        """Stop accepting connections (refused) and abort the open protocol sockets."""
        site, self._site = self._site, None
        if site is not None:
            await site.stop()
        await self.drop_all(None)

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

    # ----- public state API ----------------------------------------------------------------------

    @property
    def open_connections(self) -> int:
        """Open protocol websockets, HELLO'd or not."""
        return len(self._connections)

    @property
    def requests_today(self) -> int:
        """Commands received since the last 00:00 Europe/Amsterdam (simulated clock)."""
        self._roll_budget_day()
        return self._requests_today

    def charge_point(self, evse_id: str) -> SimChargePoint:
        """The mutable state of a charge point."""
        for account in self._accounts:
            if evse_id in account.points:
                return account.points[evse_id]
        raise KeyError(evse_id)

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
        account = self._account_for_api_token(api_token)
        return account.auth_token if account is not None else None

    def commands(self, name: str | None = None, *, evse_id: str | None = None) -> list[JSONObject]:
        """Payloads of the received commands, in order, optionally filtered."""
        return [
            rc.payload
            for rc in self.received
            if (name is None or rc.name == name) and (evse_id is None or _mentions(rc, evse_id))
        ]

    async def wait_for_command(
        self,
        name: str,
        *,
        evse_id: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - the contract's signature
    ) -> JSONObject:
        """Return the first matching command that no earlier wait returned (past or future)."""

        def matches(rc: ReceivedCommand) -> bool:
            return rc.name == name and (evse_id is None or _mentions(rc, evse_id))

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
        await self._after_change(point)

    async def unplug(self, evse_id: str) -> None:
        """Disconnect the car; a running session ends."""
        point = self.charge_point(evse_id)
        point.unplug(self.clock.now())
        await self._after_change(point)

    async def set_offline(self, evse_id: str) -> None:
        """The charge point loses its link to the cloud (activity offline, offline_since)."""
        point = self.charge_point(evse_id)
        point.go_offline(self.clock.now())
        await self._after_change(point)

    async def set_online(self, evse_id: str) -> None:
        """The charge point is reachable again."""
        point = self.charge_point(evse_id)
        point.come_online(self.clock.now())
        await self._after_change(point)

    async def push_status(self, evse_id: str) -> None:
        """Push a CH_STATUS for `evse_id` now."""
        await self._push_status(self.charge_point(evse_id))

    async def push_grid(self, grid_id_or_evse_id: str) -> None:
        """Push a GRID_CURRENT for a grid (by grid id or by one of its charge points)."""
        for account in self._accounts:
            grid = account.grids.get(grid_id_or_evse_id)
            if grid is None and grid_id_or_evse_id in account.points:
                grid = account.grids.get(account.points[grid_id_or_evse_id].grid_id)
            if grid is not None:
                await self._push_grid(account, grid)
                return
        raise KeyError(grid_id_or_evse_id)

    def add_charge_point(
        self, api_token: str, spec: ChargePointSpec | JSONObject
    ) -> SimChargePoint:
        """Add a charge point to an account (seen on the next GET_CHARGE_POINTS)."""
        account = self._account_for_api_token(api_token)
        if account is None:
            raise KeyError("unknown API token")
        point_spec = spec if isinstance(spec, ChargePointSpec) else _charge_point(spec)
        if any(point_spec.evse_id in a.points for a in self._accounts):
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
        self._signatures[point.evse_id] = self._signature(point)
        self._since_status_push[point.evse_id] = 0.0
        return point

    def remove_charge_point(self, evse_id: str) -> None:
        """Remove a charge point from its account (and from its override schedule)."""
        for account in self._accounts:
            if evse_id in account.points:
                del account.points[evse_id]
                account.spec.charge_points = [
                    p for p in account.spec.charge_points if p.evse_id != evse_id
                ]
                self._remove_from_schedules(account, {evse_id})
                self._signatures.pop(evse_id, None)
                self._since_status_push.pop(evse_id, None)
                return
        raise KeyError(evse_id)

    def revoke_token(self, api_token: str) -> None:
        """Invalidate the API token and its auth token (ERROR 1 / failed validation after)."""
        account = self._account_for_api_token(api_token)
        if account is None:
            raise KeyError("unknown API token")
        account.revoked = True
        if account.auth_token is not None:
            self._by_auth.pop(account.auth_token, None)
        account.auth_token = None

    def set_request_limit(self, limit: int | None) -> None:
        """Change the daily budget (None: unlimited)."""
        self.options.request_limit = limit

    def reset(self) -> None:
        """Forget the command log and the request counter (not the state)."""
        self.received.clear()
        self._claimed.clear()
        self._requests_today = 0
        self.connection_attempts = 0

    # ----- connections -------------------------------------------------------------------------

    async def drop_all(self, code: int | None) -> None:
        """Drop every protocol socket: abort TCP (None) or close with `code`."""
        if code is None:
            for conn in list(self._connections.values()):
                transport = conn.request.transport
                if transport is not None:
                    transport.abort()
            return
        await self._close_all(code, b"")

    async def _close_all(self, code: int, message: bytes, *, hello_only: bool = False) -> None:
        conns = [c for c in self._connections.values() if c.hello or not hello_only]
        await asyncio.gather(*(self._close(c, code, message) for c in conns))

    async def _close(self, conn: _Connection, code: int, message: bytes) -> None:
        with contextlib.suppress(Exception):
            await conn.ws.close(code=code, message=message)

    async def broadcast_text(self, text: str) -> None:
        """Send a raw text frame to every HELLO'd socket (fault hook)."""
        for conn in list(self._connections.values()):
            if conn.hello:
                await self._send_text(conn, text)

    def _reject(self, reason: str, status: int = 403) -> web.Response:
        return web.Response(status=status, text=reason, headers={REJECT_HEADER: reason})

    async def _ws_handler(self, request: web.Request) -> web.StreamResponse:
        self.connection_attempts += 1
        remote = request.remote or ""
        rejection = self.faults.take_rejection()
        if rejection is not None:
            return self._reject(*rejection)
        if self._budget_spent():
            return self._reject(LIMIT_REASON)
        if self.options.reject_second_connection and any(
            c.hello and c.remote == remote for c in self._connections.values()
        ):
            return self._reject(ALREADY_CONNECTED_REASON, self.options.already_connected_status)
        ws = web.WebSocketResponse(autoping=False, timeout=1.0, max_msg_size=1 << 20)
        await ws.prepare(request)
        conn = _Connection(next(self._ids), request.path, ws, request, remote)
        self._connections[conn.id] = conn
        try:
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    await self._handle_text(conn, str(msg.data))
                elif msg.type is WSMsgType.PING:
                    # autoping is off so that a half-open server can stay silent
                    if self.faults.answering:
                        with contextlib.suppress(Exception):
                            await ws.pong(msg.data)
                elif msg.type is WSMsgType.BINARY:
                    await self._handle_text(conn, None)
        finally:
            self._connections.pop(conn.id, None)
        return ws

    # ----- sending -----------------------------------------------------------------------------

    async def _send_text(self, conn: _Connection, text: str) -> None:
        if not self.faults.answering or conn.ws.closed:
            return
        async with conn.lock:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await conn.ws.send_str(text)

    async def _send(self, conn: _Connection, obj: JSONObject) -> None:
        if not obj.get("object"):
            raise AssertionError("the server never sends a frame without object")  # §1.2
        await self._send_text(conn, json.dumps(obj))

    async def _reply(self, conn: _Connection, obj: JSONObject) -> None:
        if self.faults.reply_delay:
            await asyncio.sleep(self.faults.reply_delay)
        await self._send(conn, obj)

    async def _error(self, conn: _Connection, error: tuple[int, str]) -> None:
        await self._reply(conn, {"object": "ERROR", "error": error[0], "message": error[1]})

    def spawn(self, coro: Awaitable[Any]) -> asyncio.Task[None]:
        """Run `coro` as a task that `stop()` cancels (no task outlives the simulator)."""

        async def run() -> None:
            await coro

        task = asyncio.get_running_loop().create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # ----- budget ------------------------------------------------------------------------------

    def _roll_budget_day(self) -> None:
        today = self.clock.local_now(AMSTERDAM).date()
        if today != self._budget_day:
            self._budget_day = today
            self._requests_today = 0

    def _budget_spent(self) -> bool:
        limit = self.options.request_limit
        return limit is not None and self.requests_today >= limit

    def _count_request(self) -> bool:
        """Count one command; True when it is over the daily budget."""
        self._roll_budget_day()
        self._requests_today += 1
        limit = self.options.request_limit
        return limit is not None and self._requests_today > limit

    # ----- receiving ---------------------------------------------------------------------------

    def _log(self, conn: _Connection, name: str, payload: JSONObject) -> None:
        record = ReceivedCommand(conn.id, conn.path, name, payload, self.clock.now())
        self.received.append(record)
        index = len(self.received) - 1
        for matches, future in list(self._waiters):
            if not future.done() and matches(record):
                self._claimed.add(index)
                future.set_result(index)
                break

    async def _handle_text(self, conn: _Connection, text: str | None) -> None:
        over_budget = self._count_request()
        payload: Any = None
        if text is not None:
            with contextlib.suppress(ValueError):
                payload = json.loads(text)
        if not isinstance(payload, dict) or not isinstance(payload.get("command"), str):
            self._log(conn, "", {"raw": text})
            if over_budget:
                await self._over_budget(conn)
            else:
                await self._error(conn, ERROR_UNKNOWN)
            return
        name: str = payload["command"]
        self._log(conn, name, payload)
        if over_budget:
            await self._over_budget(conn)
            return
        if not self.faults.answering:
            return  # half-open: the command is logged, nothing happens
        error = self.faults.take_error(name)
        if error is not None:
            await self._error(conn, error)
            return
        try:
            await self._dispatch(conn, name, payload)
        except PayloadError:
            await self._error(conn, ERROR_UNKNOWN)
        except Exception:
            # a simulator bug must be visible, yet the socket keeps the protocol's shape
            _LOGGER.exception("simulator failed on %s", name)
            await self._error(conn, ERROR_UNKNOWN)

    async def _over_budget(self, conn: _Connection) -> None:
        # one-shots get ERROR 42, live sockets are closed with 4001 (§5.1)
        if not conn.hello:
            await self._error(conn, ERROR_LIMIT)
        await self._close_all(CLOSE_REQUEST_LIMIT, LIMIT_REASON.encode(), hello_only=True)

    async def _dispatch(self, conn: _Connection, name: str, payload: JSONObject) -> None:
        if name == "VALIDATE_API_TOKEN":
            await self._validate_api_token(conn, payload)
            return
        if name == "VALIDATE_PASSWORD":
            await self._validate_password(conn, payload)
            return
        account = self._authenticate(payload)
        if account is None:
            await self._error(conn, ERROR_INVALID_AUTH)
            return
        conn.account = account
        conn.auth_token = account.auth_token
        handler = self._handlers.get(name)
        if handler is None:
            await self._error(conn, ERROR_UNKNOWN_COMMAND)
            return
        if name not in TWO_STAGE_COMMANDS:
            failure = self.faults.take_failure(name)
            if failure is not None:
                if failure.stage != "none":
                    await self._error(conn, (ERROR_UNKNOWN[0], failure.error))
                return
        await handler(conn, payload, account)

    def _authenticate(self, payload: JSONObject) -> _Account | None:
        header = payload.get("Authorization")
        if not isinstance(header, str) or not header.startswith("Token "):
            return None
        return self._by_auth.get(header.removeprefix("Token "))

    def _account_for_api_token(self, api_token: str) -> _Account | None:
        return next((a for a in self._accounts if a.spec.api_token == api_token), None)

    def _issue_auth_token(self, account: _Account) -> str:
        # one auth token per account, stable across validations (reconnects reuse it, §1.4)
        if account.auth_token is None:
            account.auth_token = secrets.token_hex(16)
            self._by_auth[account.auth_token] = account
        return account.auth_token

    def _point(self, account: _Account, payload: JSONObject) -> SimChargePoint | None:
        evse_id = _require(payload, "evse_id", str)
        return account.points.get(evse_id)

    # ----- handlers: auth and data -------------------------------------------------------------

    def _handler_table(self) -> dict[str, Handler]:
        table: dict[str, Handler] = {
            "HELLO": self._hello,
            "GET_ACCOUNT": self._get_account,
            "GET_CHARGE_CARDS": self._get_charge_cards,
            "GET_CHARGE_POINTS": self._get_charge_points,
            "GET_CH_STATUS": self._per_point(self._get_ch_status),
            "GET_CH_SETTINGS": self._per_point(self._get_ch_settings),
            "GET_GRID_STATUS": self._per_point(self._get_grid_status),
            "GET_SUSTAINABILITY_STATUS": self._get_sustainability,
            "LIST_OVERRIDE_CURRENT": self._list_override,
            "POST_SET_OVERRIDE_CURRENT": self._post_set_override,
            "POST_EDIT_OVERRIDE_CURRENT": self._post_edit_override,
            "POST_CLEAR_OVERRIDE_CURRENT": self._post_clear_override,
            "SET_PLUG_AND_CHARGE_CHARGE_CARD": self._per_point(self._set_pnc_card),
        }
        if self.options.answer_legacy_app_requests:
            table["GET_SESSIONS"] = self._get_sessions
            table["GET_STATUS"] = self._per_point(self._get_legacy_status)
        for name in SETTING_COMMANDS:
            table[name] = self._per_point(self._setting)
        for name in ACTION_COMMANDS:
            table[name] = self._per_point(self._action)
        for name in SMART_COMMANDS:
            table[name] = self._per_point(self._smart)
        return table

    def _per_point(
        self,
        handler: Callable[[_Connection, JSONObject, _Account, SimChargePoint], Awaitable[None]],
    ) -> Handler:
        async def wrapped(conn: _Connection, payload: JSONObject, account: _Account) -> None:
            point = self._point(account, payload)
            if point is None:
                await self._error(conn, self.options.foreign_evse_error)
                return
            await handler(conn, payload, account, point)

        return wrapped

    async def _validate_api_token(self, conn: _Connection, payload: JSONObject) -> None:
        failure = self.faults.take_failure("VALIDATE_API_TOKEN")
        if failure is not None and failure.stage == "none":
            return
        token = payload.get("token")
        account = self._account_for_api_token(token) if isinstance(token, str) else None
        if failure is not None or account is None or account.revoked:
            error = failure.error if failure is not None else self.options.invalid_token_error
            await self._reply(
                conn, {"object": "STATUS_API_TOKEN", "success": False, "error": error}
            )
            return
        await self._reply(
            conn,
            {
                "object": "STATUS_API_TOKEN",
                "success": True,
                "token": self._issue_auth_token(account),
                "customer_id": account.spec.customer_id,
            },
        )

    async def _validate_password(self, conn: _Connection, payload: JSONObject) -> None:
        # the SJCL blob is not decrypted: any non-empty password of a known login is accepted
        username = payload.get("username")
        password = payload.get("password")
        account = None
        if isinstance(username, str) and isinstance(password, str) and password:
            account = next(
                (
                    a
                    for a in self._accounts
                    if not a.revoked
                    and username.lower() in (a.spec.email.lower(), a.spec.login_name.lower())
                ),
                None,
            )
        if account is None:
            await self._reply(conn, {"object": "STATUS_PASSWORD", "accepted": False})
            return
        token = self._issue_auth_token(account)
        await self._reply(conn, {"object": "STATUS_PASSWORD", "accepted": True, "token": token})

    async def _hello(self, conn: _Connection, payload: JSONObject, account: _Account) -> None:
        del payload, account
        await self._reply(conn, {"object": "HELLO"})
        conn.hello = True  # pushes start after the HELLO reply, on this socket only

    async def _get_account(self, conn: _Connection, payload: JSONObject, account: _Account) -> None:
        del payload
        spec = account.spec
        await self._reply(
            conn,
            {
                "object": "ACCOUNT",
                "full_name": spec.full_name,
                "email": spec.email,
                "login": spec.login_name,
                "should_reset_password": False,
                "developer_mode_enabled": True,
                "tel": "",
                "marketing_target": "bluecurrent",
                "first_login_app": "01-JAN-20",
                "hubspot_user_identity": f"hs-{spec.customer_id}",
            },
        )

    async def _get_charge_cards(
        self, conn: _Connection, payload: JSONObject, account: _Account
    ) -> None:
        limit = payload.get("limit")
        cards = account.spec.cards
        if isinstance(limit, int) and not isinstance(limit, bool) and limit >= 0:
            cards = cards[:limit]
        default = self._card_ref(account, account.spec.default_card)
        await self._reply(
            conn,
            {
                "object": "CHARGE_CARDS",
                "default_card": {"uid": default["uid"], "id": default["id"]},
                "cards": [dataclasses.asdict(card) for card in cards],
            },
        )

    async def _get_charge_points(
        self, conn: _Connection, payload: JSONObject, account: _Account
    ) -> None:
        del payload
        data = [self._charge_point_entry(account, p) for p in account.points.values()]
        await self._reply(conn, {"object": "CHARGE_POINTS", "data": data})
        conn.known_evses.update(account.points)

    async def _get_ch_status(
        self, conn: _Connection, payload: JSONObject, account: _Account, point: SimChargePoint
    ) -> None:
        del payload, account
        await self._reply(conn, self._status_object(point, push=False))

    async def _get_sessions(
        self, conn: _Connection, payload: JSONObject, account: _Account
    ) -> None:
        del payload, account
        await self._reply(conn, {"object": "SESSIONS", "data": []})

    async def _get_legacy_status(
        self, conn: _Connection, payload: JSONObject, account: _Account, point: SimChargePoint
    ) -> None:
        del payload, account
        status = self._status_object(point, push=False)
        await self._reply(conn, {"object": "STATUS", "data": status["data"]})

    async def _get_ch_settings(
        self, conn: _Connection, payload: JSONObject, account: _Account, point: SimChargePoint
    ) -> None:
        del payload
        await self._reply(conn, self._settings_object(account, point))

    async def _get_grid_status(
        self, conn: _Connection, payload: JSONObject, account: _Account, point: SimChargePoint
    ) -> None:
        del payload
        grid = account.grids[point.grid_id]
        p1, p2, p3 = grid.currents(self._points_on(account, grid))
        await self._reply(
            conn,
            {
                "object": "GRID_STATUS",
                "data": {
                    "id": grid.grid_id,
                    "grid_actual_p1": wire_number(p1),
                    "grid_actual_p2": wire_number(p2),
                    "grid_actual_p3": wire_number(p3),
                    "grid_max_install": wire_number(grid.max_install),
                    "grid_max_reserved": wire_number(grid.max_reserved),
                },
            },
        )

    async def _get_sustainability(
        self, conn: _Connection, payload: JSONObject, account: _Account
    ) -> None:
        del payload
        await self._reply(
            conn,
            {
                "object": "SUSTAINABILITY_STATUS",
                "trees": account.spec.trees,
                "co2": account.spec.co2,
            },
        )

    # ----- wire objects ------------------------------------------------------------------------

    def _card_ref(self, account: _Account, uid: str) -> JSONObject:
        card = account.card(uid) if uid != NO_CARD else None
        if card is None:
            return {"uid": uid, "id": uid, "name": "", "customer_name": "", "valid": 1}
        return {
            "uid": card.uid,
            "id": card.id,
            "name": card.name,
            "customer_name": card.customer_name,
            "valid": card.valid,
        }

    def _pnc_card_fields(self, account: _Account, point: SimChargePoint) -> JSONObject:
        ref = self._card_ref(account, point.plug_and_charge_card)
        key = self.options.pnc_card_key
        keys = ("plug_and_charge_card", "plug_and_charge_charge_card") if key == "both" else (key,)
        return {k: dict(ref) for k in keys}

    def _charge_point_entry(self, account: _Account, point: SimChargePoint) -> JSONObject:
        tariff = point.tariff
        entry: JSONObject = {
            "evse_id": point.evse_id,
            "name": point.name,
            "model_type": point.model_type,
            "chargepoint_type": point.chargepoint_type,
            "is_cable": point.is_cable,
            "activity": point.activity,
            "public_charging": {"value": point.public_charging, "permission": "write"},
            "plug_and_charge": {"value": point.plug_and_charge, "permission": "write"},
            "plug_and_charge_notification": point.plug_and_charge_notification,
            "smart_charging": point.smart_charging,
            "smart_charging_dynamic": point.smart_charging_dynamic,
            "delayed_charging": {"value": point.delayed_charging, "permission": "write"},
            "price_based_charging": {"value": point.price_based_charging},
            "default_card": self._card_ref(account, point.default_card),
            "preferred_card": self._card_ref(account, point.preferred_card),
            **self._pnc_card_fields(account, point),
            "tariff": {
                "tariff_id": tariff.tariff_id,
                "price_ex_vat": tariff.price_ex_vat,
                "start_price_ex_vat": tariff.start_price_ex_vat,
                "price_in_vat": tariff.price_in_vat,
                "start_price_in_vat": tariff.start_price_in_vat,
                "currency": tariff.currency,
                "vat_percentage": tariff.vat_percentage,
                "permission": "read",
            },
            "led_interaction": {"value": point.led_interaction, "permission": "read"},
            "publish_location": {"value": point.publish_location, "permission": "write"},
        }
        if point.location is not None:
            entry["location"] = dict(point.location)
        return entry

    def _status_object(self, point: SimChargePoint, *, push: bool) -> JSONObject:
        # the 17 keys of §3.3, plus the top-level evse_id LIB indexes
        start = point.start_datetime_for_push() if push else point.last_start
        v1, v2, v3 = point.voltages
        p1, p2, p3 = point.currents
        return {
            "object": "CH_STATUS",
            "evse_id": point.evse_id,
            "data": {
                "evse_id": point.evse_id,
                "actual_v1": wire_number(v1, 0),
                "actual_v2": wire_number(v2, 0),
                "actual_v3": wire_number(v3, 0),
                "actual_p1": wire_number(p1),
                "actual_p2": wire_number(p2),
                "actual_p3": wire_number(p3),
                "actual_kwh": round(point.session_kwh, 2),
                "activity": point.activity,
                "vehicle_status": point.vehicle_status,
                "max_usage": wire_number(point.max_usage),
                "smartcharging_max_usage": wire_number(point.smartcharging_max_usage),
                "max_offline": wire_number(point.max_offline),
                "offline_since": format_timestamp(point.offline_since),
                "start_datetime": format_timestamp(start),
                "stop_datetime": format_timestamp(point.last_stop),
                "total_cost": round(point.total_cost, 2),
            },
        }

    def _settings_object(self, account: _Account, point: SimChargePoint) -> JSONObject:
        return {
            "object": "CH_SETTINGS",
            "data": {
                "evse_id": point.evse_id,
                "model_type": point.model_type,
                "chargepoint_type": point.chargepoint_type,
                "is_cable": point.is_cable,
                "plug_and_charge": {"value": point.plug_and_charge, "permission": "write"},
                "public_charging": {"value": point.public_charging, "permission": "write"},
                "smart_charging": point.smart_charging,
                "smart_charging_dynamic": point.smart_charging_dynamic,
                "plug_and_charge_notification": point.plug_and_charge_notification,
                "default_card": self._card_ref(account, point.default_card),
                "preferred_card": self._card_ref(account, point.preferred_card),
                **self._pnc_card_fields(account, point),
                "led_intensity": {"value": point.led_intensity, "permission": "none"},
                "led_interaction": {"value": point.led_interaction, "permission": "none"},
            },
        }

    # ----- handlers: settings and actions (§3.7) -----------------------------------------------

    async def _two_stage(  # noqa: C901 - the fault stages are easier to read in one place
        self,
        conn: _Connection,
        name: str,
        payload: JSONObject,
        point: SimChargePoint,
        *,
        received_error: str | None = None,
        status_error: Callable[[], str | None] = lambda: None,
        apply: Callable[[], None] = lambda: None,
        result: Callable[[], JSONObject] = dict,
        replies: bool = True,
        received: bool = True,
    ) -> None:
        """RECEIVED_<name> now, then STATUS_<name> after result_delay; faults may interfere."""
        failure: Failure | None = self.faults.take_failure(name)
        if failure is not None and failure.stage == "none":
            return
        if failure is not None and failure.stage == "received":
            received_error = failure.error
        if not replies and failure is None:
            if received_error is None:
                apply()
                await self._after_change(point)
            return
        flow_id = payload.get("flow_id") if isinstance(payload.get("flow_id"), str) else ""
        if (received and replies) or received_error is not None:
            ack: JSONObject = {
                "object": f"RECEIVED_{name}",
                "success": received_error is None,
                "error": received_error or "",
                "evse_id": point.evse_id,
            }
            if flow_id:
                ack["flow_id"] = flow_id
            await self._reply(conn, ack)
            if received_error is not None:
                return

        async def finish() -> None:
            await asyncio.sleep(self.options.result_delay)
            error = failure.error if failure is not None else status_error()
            if error is None:
                apply()
            await self._reply(
                conn,
                {
                    "object": f"STATUS_{name}",
                    "success": error is None,
                    "flow_id": flow_id,
                    "evse_id": point.evse_id,
                    "result": result(),
                    "error": error or "",
                },
            )
            if error is None:
                await self._after_change(point)

        self.spawn(finish())

    def _reachable(self, point: SimChargePoint) -> str | None:
        return None if point.online else "TIMEOUT"

    async def _setting(
        self, conn: _Connection, payload: JSONObject, account: _Account, point: SimChargePoint
    ) -> None:
        name = payload["command"]
        value = _require(payload, "value", bool)
        attr = "public_charging" if name == "SET_PUBLIC_CHARGING" else "plug_and_charge"

        def apply() -> None:
            setattr(point, attr, value)

        def result() -> JSONObject:
            return {"setting": f"set {str(getattr(point, attr)).lower()}"}

        await self._two_stage(
            conn,
            name,
            payload,
            point,
            status_error=lambda: self._reachable(point),
            apply=apply,
            result=result,
        )
        if self.options.push_settings_on_change:
            self.spawn(self._push_settings_later(account, point))

    async def _push_settings_later(self, account: _Account, point: SimChargePoint) -> None:
        await asyncio.sleep(self.options.result_delay * 2)
        await self._push_settings(account, point)

    async def _set_pnc_card(
        self, conn: _Connection, payload: JSONObject, account: _Account, point: SimChargePoint
    ) -> None:
        uid = _require(payload, "token_uid", str)
        known = uid == NO_CARD or account.card(uid) is not None

        def apply() -> None:
            point.plug_and_charge_card = uid

        await self._two_stage(
            conn,
            "SET_PLUG_AND_CHARGE_CHARGE_CARD",
            payload,
            point,
            status_error=lambda: None if known else "unknown card",
            apply=apply,
            received=self.options.pnc_card_received_ack,
        )

    async def _action(  # noqa: C901 - one small closure per command
        self, conn: _Connection, payload: JSONObject, account: _Account, point: SimChargePoint
    ) -> None:
        name: str = payload["command"]
        now = self.clock.now

        def reachable() -> str | None:
            return self._reachable(point)

        def nothing() -> None:
            return None

        def unblock() -> None:
            point.operative = True
            point.update_currents(now())

        def block() -> None:
            point.stop_session(now())  # a blocked point ends its session
            point.operative = False
            point.update_currents(now())

        def stop() -> None:
            point.stop_session(now())

        received_error: str | None = None
        status_error: Callable[[], str | None] = reachable
        apply: Callable[[], None] = {
            "SET_OPERATIVE": unblock,
            "SET_INOPERATIVE": block,
            "STOP_SESSION": stop,
        }.get(name, nothing)
        if name == "START_SESSION":
            card_uid = _require(payload, "session_token", str)
            card = account.card(card_uid)
            card_ok = card_uid == NO_CARD or (card is not None and bool(card.valid))

            def start_error() -> str | None:
                if not point.online:
                    return "TIMEOUT"
                if not card_ok or not point.can_start():
                    return "REJECTED"
                return None

            def start() -> None:
                point.start_session(now(), card_uid, stale_quirk=self.options.stale_start_datetime)

            status_error, apply = start_error, start
        elif name == "STOP_SESSION" and point.session is None:
            received_error = f"no active session for chargepoint: {point.evse_id}"
        await self._two_stage(
            conn,
            name,
            payload,
            point,
            received_error=received_error,
            status_error=status_error,
            apply=apply,
        )

    async def _smart(
        self, conn: _Connection, payload: JSONObject, account: _Account, point: SimChargePoint
    ) -> None:
        name: str = payload["command"]
        apply = self._smart_change(name, payload, point)

        def result() -> JSONObject:
            value = payload.get("value")
            return {"setting": f"set {str(value).lower()}"} if isinstance(value, bool) else {}

        def apply_and_settle() -> None:
            apply()
            point.update_currents(self.clock.now())

        await self._two_stage(
            conn,
            name,
            payload,
            point,
            apply=apply_and_settle,
            result=result,
            replies=self.options.smart_charging_replies == "status",
        )
        if self.options.push_settings_on_change:
            self.spawn(self._push_settings_later(account, point))

    def _smart_change(
        self, name: str, payload: JSONObject, point: SimChargePoint
    ) -> Callable[[], None]:
        """Validate a smart-charging command and return the state change it makes (§6.1)."""
        if name in ("SET_DELAYED_CHARGING", "SET_PRICE_BASED_CHARGING"):
            return _profile_change(name, _require(payload, "value", bool), point)
        if name == "SAVE_SCHEDULE_DELAYED_CHARGING":
            schedule = DelayedSchedule(
                days=_delayed_days(payload.get("days")),
                start=_hhmm(payload.get("start_time")),
                end=_hhmm(payload.get("end_time")),
            )

            def save() -> None:
                point.delayed_schedule = schedule

            return save
        if name in ("PATCH_PRICE_BASED_CHARGING_SETTINGS", "SET_PRICE_BASED_SETTINGS"):
            changes = _price_settings_changes(payload)

            def patch() -> None:
                for key, value in changes.items():
                    setattr(point.price_settings, key, value)

            return patch
        # OVERRIDE_CHARGING_PROFILES / OVERRIDE_DELAYED_CHARGING_TIMEOUT: boost this session
        boost = _require(payload, "value", bool)
        attr = "price_boost" if name == "OVERRIDE_CHARGING_PROFILES" else "delayed_boost"

        def set_boost() -> None:
            if point.session is not None:
                setattr(point, attr, boost)

        return set_boost

    # ----- handlers: override-current schedules (§3.8, §6.2) ------------------------------------

    def _schedule_fields(self, payload: JSONObject, account: _Account) -> JSONObject | None:
        points = payload.get("chargepoints")
        if (
            not isinstance(points, list)
            or not points
            or not all(isinstance(p, str) for p in points)
        ):
            raise PayloadError("chargepoints")
        if any(p not in account.points for p in points):
            return None
        current = _require(payload, "overridevalue", (int, float))
        if current <= 0:
            raise PayloadError("overridevalue")
        return {
            "charge_points": list(dict.fromkeys(points)),
            "current": float(current),
            "start_time": _hhmm(payload.get("overridestarttime")),
            "stop_time": _hhmm(payload.get("overridestoptime")),
            "start_days": _days(payload.get("overridestartdays")),
            "stop_days": _days(payload.get("overridestopdays")),
        }

    def _remove_from_schedules(
        self, account: _Account, evse_ids: set[str], keep: str | None = None
    ) -> None:
        # a charge point belongs to one schedule at most; empty schedules disappear
        for schedule_id, schedule in list(account.schedules.items()):
            if schedule_id == keep:
                continue
            schedule.charge_points = [p for p in schedule.charge_points if p not in evse_ids]
            if not schedule.charge_points:
                del account.schedules[schedule_id]

    async def _list_override(
        self, conn: _Connection, payload: JSONObject, account: _Account
    ) -> None:
        del payload
        data = [
            s.to_wire()
            for s in sorted(account.schedules.values(), key=lambda s: int(s.schedule_id))
        ]
        await self._reply(conn, {"object": "LIST_OVERRIDE_CURRENT", "data": data})

    async def _post_set_override(
        self, conn: _Connection, payload: JSONObject, account: _Account
    ) -> None:
        fields = self._schedule_fields(payload, account)
        if fields is None:
            await self._error(conn, self.options.foreign_evse_error)
            return
        schedule = OverrideSchedule(schedule_id=str(next(self._schedule_ids)), **fields)
        self._remove_from_schedules(account, set(schedule.charge_points))
        account.schedules[schedule.schedule_id] = schedule
        await self._reply(conn, {"object": "POST_SET_OVERRIDE_CURRENT", "data": schedule.to_wire()})
        await self._refresh_caps(account)

    async def _post_edit_override(
        self, conn: _Connection, payload: JSONObject, account: _Account
    ) -> None:
        schedule_id = _schedule_id(payload.get("schedule_id"))
        fields = self._schedule_fields(payload, account)
        if fields is None:
            await self._error(conn, self.options.foreign_evse_error)
            return
        if schedule_id not in account.schedules:
            await self._error(conn, (ERROR_UNKNOWN[0], f"schedule not found: {schedule_id}"))
            return
        schedule = OverrideSchedule(schedule_id=schedule_id, **fields)
        self._remove_from_schedules(account, set(schedule.charge_points), keep=schedule_id)
        account.schedules[schedule_id] = schedule
        await self._reply(
            conn, {"object": "POST_EDIT_OVERRIDE_CURRENT", "data": schedule.to_wire()}
        )
        await self._refresh_caps(account)

    async def _post_clear_override(
        self, conn: _Connection, payload: JSONObject, account: _Account
    ) -> None:
        schedule_id = _schedule_id(payload.get("schedule_id"))
        found = account.schedules.pop(schedule_id, None) is not None
        reply: JSONObject = {
            "object": "POST_CLEAR_OVERRIDE_CURRENT",
            "success": found,
            "error": "" if found else f"schedule not found: {schedule_id}",
        }
        if self.options.clear_reply_schedule_id:
            reply["schedule_id"] = schedule_id
        await self._reply(conn, reply)
        await self._refresh_caps(account)

    async def _refresh_caps(self, account: _Account) -> None:
        self._apply_caps(account)
        for point in account.points.values():
            point.update_currents(self.clock.now())
            await self._after_change(point)

    def _apply_caps(self, account: _Account) -> None:
        local = self.clock.local_now(AMSTERDAM)
        caps: dict[str, float] = {}
        for schedule in account.schedules.values():
            if schedule.active(local):
                for evse_id in schedule.charge_points:
                    caps[evse_id] = schedule.current
        for evse_id, point in account.points.items():
            point.override_cap = caps.get(evse_id)

    # ----- pushes ------------------------------------------------------------------------------

    def _signature(self, point: SimChargePoint) -> tuple[Any, ...]:
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

    def _owner(self, point: SimChargePoint) -> _Account | None:
        return next((a for a in self._accounts if a.points.get(point.evse_id) is point), None)

    def _subscribers(self, account: _Account, evse_id: str | None) -> list[_Connection]:
        return [
            conn
            for conn in self._connections.values()
            if conn.hello
            and conn.account is account
            and conn.auth_token is not None
            and conn.auth_token == account.auth_token
            and (
                evse_id is None
                or not self.options.pushes_require_charge_points
                or evse_id in conn.known_evses
            )
        ]

    async def _after_change(self, point: SimChargePoint) -> None:
        signature = self._signature(point)
        if signature != self._signatures.get(point.evse_id):
            self._signatures[point.evse_id] = signature
            await self._push_status(point)

    async def _push_status(self, point: SimChargePoint) -> None:
        # Every session start and end passes here: the REST ledger records finished sessions.
        self.rest.observe(point)
        account = self._owner(point)
        if account is None:
            return
        self._since_status_push[point.evse_id] = 0.0
        conns = self._subscribers(account, point.evse_id)
        if not conns:
            return
        obj = self._status_object(point, push=True)
        for conn in conns:
            await self._send(conn, obj)

    async def _push_settings(self, account: _Account, point: SimChargePoint) -> None:
        obj = self._settings_object(account, point)
        for conn in self._subscribers(account, point.evse_id):
            await self._send(conn, obj)

    def _points_on(self, account: _Account, grid: SimGrid) -> list[SimChargePoint]:
        return [p for p in account.points.values() if p.grid_id == grid.grid_id]

    async def _push_grid(self, account: _Account, grid: SimGrid) -> None:
        points = self._points_on(account, grid)
        conns = self._subscribers(account, None)
        if not conns or not points:
            return
        p1, p2, p3 = grid.currents(points)
        obj = {
            "object": "GRID_CURRENT",
            "evse_id": points[0].evse_id,
            "grid_actual_p1": wire_number(p1),
            "grid_actual_p2": wire_number(p2),
            "grid_actual_p3": wire_number(p3),
        }
        for conn in conns:
            await self._send(conn, obj)

    async def _on_tick(self, seconds: float) -> None:
        """One clock step: physics, then pushes that are due."""
        now = self.clock.now()
        for account in self._accounts:
            self._apply_caps(account)
            for point in account.points.values():
                point.step(now, seconds)
        for account in self._accounts:
            for point in list(account.points.values()):
                await self._tick_pushes(point, seconds)
        self._since_grid_push += seconds
        if self._since_grid_push >= self.options.grid_push_interval - 1e-6:
            self._since_grid_push = 0.0
            for account in self._accounts:
                for grid in account.grids.values():
                    await self._push_grid(account, grid)

    async def _tick_pushes(self, point: SimChargePoint, seconds: float) -> None:
        """Push on a state change, or every status_push_interval during a session."""
        signature = self._signature(point)
        if signature != self._signatures.get(point.evse_id):
            self._signatures[point.evse_id] = signature
            await self._push_status(point)
            return
        if point.session is None or not point.online:
            return
        elapsed = self._since_status_push.get(point.evse_id, 0.0) + seconds
        self._since_status_push[point.evse_id] = elapsed
        if elapsed >= self.options.status_push_interval - 1e-6:
            await self._push_status(point)

    # ----- control channel ---------------------------------------------------------------------

    def _control_actions(self) -> dict[str, ControlAction]:
        return {
            "plug_in": self._control_plug_in,
            "unplug": lambda c: self.unplug(str(c.get("evse_id"))),
            "set_offline": lambda c: self.set_offline(str(c.get("evse_id"))),
            "set_online": lambda c: self.set_online(str(c.get("evse_id"))),
            "drop_connections": self._control_drop,
            "go_offline": self._control_go_offline,
            "come_back": lambda _: self.open_listener(),
            "advance": lambda c: self.clock.advance(float(c.get("seconds", 0))),
            "set_request_limit": self._control_limit,
            "stop_answering": self._control_faults,
            "resume_answering": self._control_faults,
        }

    async def _control_plug_in(self, command: JSONObject) -> None:
        await self.plug_in(
            str(command.get("evse_id")),
            phases=int(command.get("phases", 3)),
            max_current=float(command.get("max_current", 16.0)),
            energy_needed_kwh=float(command.get("energy_needed_kwh", 20.0)),
        )

    async def _control_drop(self, command: JSONObject) -> None:
        code = command.get("code")
        await self.drop_all(int(code) if code is not None else None)

    async def _control_go_offline(self, command: JSONObject) -> None:
        await self.close_listener()
        seconds = command.get("seconds")
        if seconds is not None:
            self.spawn(self._come_back_after(float(seconds)))

    async def _control_limit(self, command: JSONObject) -> None:
        limit = command.get("limit")
        self.set_request_limit(int(limit) if limit is not None else None)

    async def _control_faults(self, command: JSONObject) -> None:
        if command.get("action") == "stop_answering":
            self.faults.stop_answering()
        else:
            self.faults.resume_answering()

    async def _come_back_after(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        await self.open_listener()

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


def _profile_change(name: str, value: bool, point: SimChargePoint) -> Callable[[], None]:  # noqa: FBT001
    """SET_DELAYED_CHARGING / SET_PRICE_BASED_CHARGING: one profile at a time (§6.1)."""

    def change() -> None:
        if name == "SET_DELAYED_CHARGING":
            point.delayed_charging = value
            point.price_based_charging = point.price_based_charging and not value
        else:
            point.price_based_charging = value
            point.delayed_charging = point.delayed_charging and not value
        # smart charging is on while a profile is
        point.smart_charging = point.delayed_charging or point.price_based_charging

    return change


def _price_settings_changes(payload: JSONObject) -> dict[str, Any]:
    """Fields of PATCH_PRICE_BASED_CHARGING_SETTINGS (any subset) after validation."""
    changes: dict[str, Any] = {}
    if "expected_departure_time" in payload:
        _hhmm(payload["expected_departure_time"])
        changes["expected_departure_time"] = payload["expected_departure_time"]
    for key, low, high in (
        ("current_battery_pct", 0, 100),
        ("minimum_pct", 0, 100),
        ("battery_size_kwh", 1, 1000),
    ):
        if key in payload:
            number = _require(payload, key, (int, float))
            if not low <= number <= high:
                raise PayloadError(key)
            changes[key] = int(number)
    return changes


def _mentions(rc: ReceivedCommand, evse_id: str) -> bool:
    if rc.payload.get("evse_id") == evse_id:
        return True
    points = rc.payload.get("chargepoints")
    return isinstance(points, list) and evse_id in points
