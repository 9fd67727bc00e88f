"""The app's commands over REST (pybluecurrent 0.4.1): smart charging on the bc API, actions on bce.

bc API, `POST /app/bc_api/api/v2.0/<path>`, JSON body, `Authorization: Token <token>`:
`setdelayedcharging`, `savescheduledelayedcharging`, `setpricebasedcharging`,
`setpricebasedsettings`, `setcapacitytariff`, `overridechargingprofiles`,
`overridedelayedchargingtimeout`. They change the charge point at once and answer
`{"success": true}` (the success body is (unknown); pybluecurrent only looks for
`"success": false`). A rejected command answers an HTTP error whose body is the websocket's
ERROR object (pybluecurrent: "the same {"object": "ERROR", ...} body that the websocket sends"):
400 + ERROR 9 for an unusable field, 403 + `foreign_evse_error` for a charge point of another
account.

bce API, `POST /app/bce_api/api/v1/chargepoints/actions/<action>`, body
`{chargepoint_id, socket_id, flow_id}`, Authorization per `SimulatorOptions.bce_auth`:
`setoperative` / `setinoperative` answer `{"success": true}` at once and confirm later with a
`STATUS_SET_OPERATIVE` / `STATUS_SET_INOPERATIVE` push carrying the `flow_id` on the account's
HELLO'd app sockets (`app_action_status_delay`; the real backend takes ~30 s); an offline
charge point confirms with success false, "TIMEOUT". `unlockconnector` has no confirmation
(the HTTP answer is the result; success false "TIMEOUT" while offline).

Each command is logged like a websocket command (`sim.commands("SET_CAPACITY_TARIFF")`), with
the request path as its path and connection id 0. `sim.faults.fail_next(<NAME>)` makes the next
one answer `{"success": false, "error": ...}` (stage "received"), confirm with success false
(stage "status", bce set_status only) or never confirm (stage "none").
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING

from .commandlog import ReceivedCommand
from .handlers.commands import capacity_tariff_change, price_kwh_change, smart_change
from .payload import PayloadError, require
from .protocol import APP_PATH, ERROR_UNKNOWN
from .rest import HTTPAnswerError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from aiohttp import web

    from .commandlog import CommandLog
    from .handlers.context import ServerContext
    from .physics import SimChargePoint
    from .protocol import JSONObject
    from .rest import AccountView, SimRestApi

type Change = Callable[[JSONObject, SimChargePoint], Callable[[], None]]
type Handler = Callable[[web.Request, AccountView], Awaitable[JSONObject]]

# bc API path -> (logged command name, the state change it makes)
SMART_PATHS: dict[str, tuple[str, Change]] = {
    "setdelayedcharging": (
        "SET_DELAYED_CHARGING",
        lambda body, point: smart_change("SET_DELAYED_CHARGING", body, point),
    ),
    "savescheduledelayedcharging": (
        "SAVE_SCHEDULE_DELAYED_CHARGING",
        lambda body, point: smart_change("SAVE_SCHEDULE_DELAYED_CHARGING", body, point),
    ),
    "setpricebasedcharging": (
        "SET_PRICE_BASED_CHARGING",
        lambda body, point: smart_change("SET_PRICE_BASED_CHARGING", body, point),
    ),
    "setpricebasedsettings": ("SET_PRICE_BASED_SETTINGS", price_kwh_change),
    "setcapacitytariff": ("SET_CAPACITY_TARIFF", capacity_tariff_change),
    "overridechargingprofiles": (
        "OVERRIDE_CHARGING_PROFILES",
        lambda body, point: smart_change(
            "OVERRIDE_CHARGING_PROFILES", {"value": require(body, "boost", bool)}, point
        ),
    ),
    "overridedelayedchargingtimeout": (
        "OVERRIDE_DELAYED_CHARGING_TIMEOUT",
        lambda _, point: smart_change("OVERRIDE_DELAYED_CHARGING_TIMEOUT", {"value": True}, point),
    ),
}
STATUS_ACTIONS = {"setoperative": "SET_OPERATIVE", "setinoperative": "SET_INOPERATIVE"}
UNLOCK_ACTION = "unlockconnector"


def error_body(error: tuple[int, str]) -> JSONObject:
    """The websocket's ERROR object (§3.9)."""
    return {"object": "ERROR", "error": error[0], "message": error[1]}


class AppCommands:
    """The REST commands of one simulator."""

    def __init__(self, ctx: ServerContext, rest: SimRestApi, log: CommandLog) -> None:
        """Change state through `ctx`, authenticate through `rest`, log into `log`."""
        self._ctx = ctx
        self._rest = rest
        self._log = log

    def add_routes(self, app: web.Application, prefix: str, bce_prefix: str) -> None:
        """Serve the bc API commands under `prefix` and the bce actions under `bce_prefix`."""
        for path, (name, change) in SMART_PATHS.items():
            app.router.add_post(f"{prefix}/{path}", self._rest.route(self._smart(name, change)))
        actions = f"{bce_prefix}/chargepoints/actions"
        for path, name in STATUS_ACTIONS.items():
            app.router.add_post(
                f"{actions}/{path}", self._rest.route(self._set_status(name), bare_token=True)
            )
        app.router.add_post(
            f"{actions}/{UNLOCK_ACTION}", self._rest.route(self._unlock, bare_token=True)
        )

    # ----- reading the request -------------------------------------------------------------------

    async def _body(self, request: web.Request, name: str) -> JSONObject:
        try:
            body = json.loads(await request.text())
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise HTTPAnswerError(400, "body must be a JSON object", error_body(ERROR_UNKNOWN))
        self._log.append(ReceivedCommand(0, request.path, name, body, self._ctx.clock.now()))
        return body

    def _point(self, account: AccountView, evse_id: object) -> SimChargePoint:
        if not isinstance(evse_id, str):
            raise HTTPAnswerError(400, "evse id missing", error_body(ERROR_UNKNOWN))
        point = account.points.get(evse_id)
        if point is None:
            error = self._ctx.options.foreign_evse_error
            raise HTTPAnswerError(403, error[1], error_body(error))
        return point

    def _socket(self, point: SimChargePoint, body: JSONObject) -> int:
        socket_id = body.get("socket_id")
        if (
            not isinstance(socket_id, int)
            or isinstance(socket_id, bool)
            or socket_id not in point.socket_ids
        ):
            raise HTTPAnswerError(400, "unknown socket", error_body(ERROR_UNKNOWN))
        return socket_id

    # ----- bc API: smart charging and capacity tariff --------------------------------------------

    def _smart(self, name: str, change: Change) -> Handler:
        async def handle(request: web.Request, account: AccountView) -> JSONObject:
            body = await self._body(request, name)
            point = self._point(account, body.get("evse_id"))
            try:
                apply = change(body, point)
            except PayloadError as err:
                raise HTTPAnswerError(400, str(err), error_body(ERROR_UNKNOWN)) from err
            failure = self._ctx.faults.take_failure(name)
            if failure is not None:
                return {"success": False, "error": failure.error}
            apply()
            point.update_currents(self._ctx.clock.now())
            await self._ctx.pushes.after_change(point)
            owner = self._ctx.accounts.owner(point)
            if self._ctx.options.push_settings_on_change and owner is not None:
                await self._ctx.pushes.push_settings(owner, point)
            return {"success": True}

        return handle

    # ----- bce API: set_status and unlock_connector ----------------------------------------------

    def _set_status(self, name: str) -> Handler:
        async def handle(request: web.Request, account: AccountView) -> JSONObject:
            body = await self._body(request, name)
            point = self._point(account, body.get("chargepoint_id"))
            socket_id = self._socket(point, body)
            flow_id = body.get("flow_id") if isinstance(body.get("flow_id"), str) else ""
            failure = self._ctx.faults.take_failure(name)
            if failure is not None and failure.stage == "received":
                return {"success": False, "error": failure.error}
            if failure is None or failure.stage == "status":
                error = failure.error if failure is not None else None
                self._ctx.spawn(self._confirm(name, point, socket_id, str(flow_id), error))
            return {"success": True}

        return handle

    async def _confirm(
        self, name: str, point: SimChargePoint, socket_id: int, flow_id: str, error: str | None
    ) -> None:
        options = self._ctx.options
        delay = options.app_action_status_delay
        await asyncio.sleep(options.result_delay if delay is None else delay)
        if error is None and not point.online:
            error = "TIMEOUT"
        if error is None:
            self._apply_status(point, socket_id, enable=name == "SET_OPERATIVE")
        account = self._ctx.accounts.owner(point)
        if account is None:
            return
        frame: JSONObject = {
            "object": f"STATUS_{name}",
            "success": error is None,
            "flow_id": flow_id,
            "evse_id": point.evse_id,
            "socket_id": socket_id,
            "result": {},
            "error": error or "",
        }
        for conn in self._ctx.pushes.subscribers(account, None):
            if conn.path == APP_PATH:
                await self._ctx.transport.send(conn, frame)
        if error is None:
            await self._ctx.pushes.after_change(point)

    def _apply_status(self, point: SimChargePoint, socket_id: int, *, enable: bool) -> None:
        now = self._ctx.clock.now()
        if socket_id != point.socket_ids[0]:
            if enable:
                point.inoperative_sockets.discard(socket_id)
            else:
                point.inoperative_sockets.add(socket_id)
            return
        if not enable:
            point.stop_session(now)  # a blocked point ends its session
        point.operative = enable
        point.update_currents(now)

    async def _unlock(self, request: web.Request, account: AccountView) -> JSONObject:
        body = await self._body(request, "UNLOCK_CONNECTOR")
        point = self._point(account, body.get("chargepoint_id"))
        self._socket(point, body)
        failure = self._ctx.faults.take_failure("UNLOCK_CONNECTOR")
        if failure is not None:
            return {"success": False, "error": failure.error}
        if not point.online:
            return {"success": False, "error": "TIMEOUT"}
        return {"success": True}
