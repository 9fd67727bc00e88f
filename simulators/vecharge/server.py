"""The simulated veCharge cloud: Socket.IO (python-socketio AsyncServer, Engine.IO 4) and REST.

One `VeChargeSimulator` owns the chargers of a scenario, a `SimClock` that drives the charging
model and the `newLog` stream, the options (readings of what the protocol doc leaves open, and
faults) and an aiohttp server on 127.0.0.1 with:

- `/socket.io/`: the push socket. Handshake query `token=Bearer <TOKEN>&chargerId=<ID>` (seed).
- `PATCH /api/v1/charger/chargerDesiredState`: switch on/off (Bearer header, JSON body).
- `GET /api/v1/charger/removeChargerFromUser/<id>`: the "disconnect API" (off + close).
- `/control`: the shared control channel.

Section numbers in comments refer to /work/shared/protocols/vecharge.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import parse_qs, urlsplit

import engineio  # type: ignore[import-untyped]
import socketio  # type: ignore[import-untyped]
from aiohttp import web

from simulators.common.clock import SimClock
from simulators.common.control import CONTROL_PATH, ControlAction, ControlChannel

from .charger import OFF, ON, SimCharger
from .options import SimulatorOptions
from .payloads import encode, mongoose_document

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from .scenario import Scenario

_LOGGER = logging.getLogger(__name__)

type JSONObject = dict[str, Any]

SOCKET_PATH = "/socket.io/"
DESIRED_STATE_PATH = "/api/v1/charger/chargerDesiredState"
REMOVE_CHARGER_PATH = "/api/v1/charger/removeChargerFromUser/{charger_id}"
BEARER = "Bearer "

EVENT_CHARGER_CONNECTED = "chargerConnected"
EVENT_STATUS_CHANGED = "statusChanged"
EVENT_NEW_LOG = "newLog"
EVENT_ERROR = "error"


@dataclass(frozen=True)
class Refusal:
    """Why a handshake is refused, as an HTTP status and a message."""

    status: int
    message: str


@dataclass
class Stats:
    """Counters the control channel reports."""

    connection_attempts: int = 0
    refused: int = 0
    rest_requests: int = 0
    events_sent: int = 0
    drops: int = 0
    websocket_upgrades: int = 0
    handshake_queries: list[str] = field(default_factory=list)


class VeChargeSimulator:
    """The simulated veCharge cloud on a loopback port."""

    def __init__(
        self,
        scenario: Scenario,
        *,
        options: SimulatorOptions | None = None,
        clock: SimClock | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """Load the scenario; nothing listens until `start()`."""
        self.options = options or SimulatorOptions()
        self.clock = clock or SimClock()
        self.host = host
        self.port = port
        self.tokens = {user.token: user.user_id for user in scenario.users}
        self.chargers = {c.charger_id: SimCharger.from_spec(c) for c in scenario.chargers}
        self.stats = Stats()
        self._sessions: dict[str, str] = {}  # Socket.IO sid -> charger id
        self._transports: dict[str, set[asyncio.Transport]] = {}
        self._runner: web.AppRunner | None = None
        self._unsubscribe_clock: Callable[[], None] | None = None
        self.sio = _SocketIOServer(
            async_mode="aiohttp",
            ping_interval=self.options.ping_interval,
            ping_timeout=self.options.ping_timeout,
            cors_allowed_origins="*",
        )
        self.sio.on("connect", self._on_connect)
        self.sio.on("disconnect", self._on_disconnect)
        self.sio.on("connect_to_thing", self._on_connect_to_thing)
        self.control = ControlChannel(self._control_actions(), self.control_stats)

    # ----------------------------------------------------------------- lifecycle

    @property
    def url(self) -> str:
        """The base URL (what a client passes as the server URL)."""
        return f"http://{self.host}:{self.port}"

    @property
    def control_url(self) -> str:
        """The /control websocket URL."""
        return f"ws://{self.host}:{self.port}{CONTROL_PATH}"

    async def start(self) -> None:
        """Listen on host:port (port 0 picks a free one)."""
        app = web.Application(middlewares=[self._socket_middleware])
        self.sio.attach(app, socketio_path="socket.io")
        app.router.add_patch(DESIRED_STATE_PATH, self._rest_desired_state)
        app.router.add_get(REMOVE_CHARGER_PATH, self._rest_remove_charger)
        self.control.add_route(app)
        # Pending long-polls end at the close above; do not wait long for stragglers.
        # No access log: request lines carry the handshake token in their query.
        self._runner = web.AppRunner(
            app, handle_signals=False, shutdown_timeout=1.0, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server  # noqa: SLF001 - aiohttp keeps the bound socket private
        if self.port == 0 and server is not None:
            self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        self._unsubscribe_clock = self.clock.subscribe(self._tick)

    async def stop(self) -> None:
        """Close every socket and stop listening."""
        if self._unsubscribe_clock is not None:
            self._unsubscribe_clock()
            self._unsubscribe_clock = None
        await self.clock.stop_realtime()
        for sid in list(self._sessions):
            with contextlib.suppress(Exception):
                await self._close_socket(sid)
        await self.control.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        """Start serving."""
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        """Stop serving."""
        await self.stop()

    # ----------------------------------------------------------------- handshake

    def check_handshake(self, query: dict[str, list[str]]) -> tuple[Refusal | None, str]:
        """Check the seed's query (§2.2): the token (with "Bearer ") and a known charger id."""
        token_value = (query.get("token") or [""])[0]
        charger_id = (query.get("chargerId") or [""])[0]
        if token_value.startswith(BEARER):
            token = token_value.removeprefix(BEARER)
        elif self.options.bearer_prefix == "optional":
            token = token_value
        else:
            token = ""
        if token not in self.tokens:
            return Refusal(401, self.options.auth_error_message), charger_id
        if charger_id not in self.chargers:
            return Refusal(404, self.options.unknown_charger_message), charger_id
        return None, charger_id

    @web.middleware
    async def _socket_middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Faults and bookkeeping in front of python-socketio's handler."""
        if not request.path.startswith(SOCKET_PATH):
            return await handler(request)
        # The raw query, before aiohttp decodes it, so stats show what was on the wire.
        raw_query = urlsplit(request.raw_path).query
        query = parse_qs(raw_query, keep_blank_values=True)
        charger_id = (query.get("chargerId") or [""])[0]
        if "sid" not in query:
            # A new Engine.IO session: the handshake (§2.4 step 1).
            self.stats.connection_attempts += 1
            self.stats.handshake_queries.append(raw_query)
            if self.options.handshake_delay > 0:
                await asyncio.sleep(self.options.handshake_delay)
            refusal, _ = self.check_handshake(query)
            if refusal is not None and self.options.refusal_style == "http_status":
                self.stats.refused += 1
                return web.json_response(
                    {"status": "fail", "message": refusal.message}, status=refusal.status
                )
        elif (query.get("transport") or [""])[0] == "websocket":
            self.stats.websocket_upgrades += 1
        transport = request.transport
        transports = self._transports.setdefault(charger_id, set())
        if transport is not None:
            transports.add(transport)
        try:
            return await handler(request)
        finally:
            if transport is not None:
                transports.discard(transport)

    async def _on_connect(self, sid: str, environ: dict[str, Any], _auth: Any = None) -> None:
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        refusal, charger_id = self.check_handshake(query)
        if refusal is not None:
            self.stats.refused += 1
            if self.options.refusal_style == "error_event":
                self.sio.start_background_task(self._refuse_with_error_event, sid, refusal)
                return
            # connect_error (and http_status for a client that skipped the HTTP refusal).
            raise socketio.exceptions.ConnectionRefusedError(refusal.message)
        self._sessions[sid] = charger_id
        await self.sio.enter_room(sid, charger_id)
        charger = self.chargers[charger_id]
        charger.connected_at = self.clock.now()
        if self.options.send_document_on_connect:
            # After the CONNECT packet: python-socketio sends it once this handler returns.
            self.sio.start_background_task(self._send_document, sid, charger)

    async def _send_document(self, sid: str, charger: SimCharger) -> None:
        document = charger.document()
        if self.options.document_form == "mongoose":
            document = mongoose_document(document)
        await self._emit(EVENT_CHARGER_CONNECTED, document, to=sid)

    async def _refuse_with_error_event(self, sid: str, refusal: Refusal) -> None:
        await self.sio.emit(EVENT_ERROR, refusal.message, to=sid)
        self.stats.events_sent += 1
        await self._close_socket(sid)

    async def _on_disconnect(self, sid: str, _reason: str = "") -> None:
        self._sessions.pop(sid, None)

    async def _on_connect_to_thing(self, _sid: str, _charger_id: Any = None) -> None:
        """The app emits this after connecting (doc §3.1); the server needs nothing from it."""

    # ----------------------------------------------------------------- emitting and closing

    async def _emit(self, event: str, payload: Any, *, to: str) -> None:
        as_text = self.options.payload_encoding == "json_string"
        await self.sio.emit(event, encode(payload, as_json_string=as_text), to=to)
        self.stats.events_sent += 1

    async def emit_raw(self, charger_id: str, event: str, *args: Any) -> None:
        """Send any event with any arguments to a charger's sockets (malformed-event faults)."""
        await self.sio.emit(event, args[0] if len(args) == 1 else tuple(args), to=charger_id)
        self.stats.events_sent += 1

    def sockets_of(self, charger_id: str) -> list[str]:
        """Socket.IO sids connected for a charger."""
        return [sid for sid, charger in self._sessions.items() if charger == charger_id]

    async def _close_socket(self, sid: str) -> None:
        """Socket.IO DISCONNECT (the client then closes Engine.IO), or both from our side."""
        eio_sid = self.sio.manager.eio_sid_from_sid(sid, "/")
        await self.sio.disconnect(sid)
        self._sessions.pop(sid, None)
        if eio_sid is not None and self.options.close_transport_after_disconnect:
            with contextlib.suppress(Exception):
                await self.sio.eio.disconnect(eio_sid)

    async def close_charger_sockets(self, charger_id: str) -> None:
        """Close every socket of a charger."""
        for sid in self.sockets_of(charger_id):
            await self._close_socket(sid)

    async def drop(self, charger_id: str | None = None) -> int:
        """Cut the TCP connections of a charger's sockets (or all) without any close frame."""
        dropped = 0
        for key, transports in self._transports.items():
            if charger_id is not None and key != charger_id:
                continue
            for transport in list(transports):
                transport.abort()
                dropped += 1
        # The server side forgets those sessions as a real one would after missing pings.
        for sid, charger in list(self._sessions.items()):
            if charger_id is None or charger == charger_id:
                self._sessions.pop(sid, None)
                eio_sid = self.sio.manager.eio_sid_from_sid(sid, "/")
                if eio_sid is not None:
                    with contextlib.suppress(Exception):
                        await self.sio.eio.disconnect(eio_sid)
        self.stats.drops += 1
        return dropped

    # ----------------------------------------------------------------- the charger model

    async def switch(self, charger_id: str, status: str, *, announce: bool = True) -> None:
        """Switch a charger as the desired-state API does (§4, §5)."""
        charger = self.chargers[charger_id]
        charger.switch(status)
        if announce and self.options.announce_switch:
            await self._emit(EVENT_STATUS_CHANGED, {"status": status}, to=charger_id)
        if status == OFF and self.options.close_on_off:
            await self.close_charger_sockets(charger_id)

    async def remove_charger_from_user(self, charger_id: str) -> None:
        """The disconnect API (§1): off, released, the socket closed."""
        await self.switch(charger_id, OFF, announce=self.options.disconnect_api_emits_status)
        await self.close_charger_sockets(charger_id)

    async def _tick(self, seconds: float) -> None:
        for charger in self.chargers.values():
            due = charger.advance(seconds, self.options.log_interval)
            for _ in range(due):
                await self._emit(
                    EVENT_NEW_LOG, charger.log(self.clock.now()), to=charger.charger_id
                )

    # ----------------------------------------------------------------- REST (§4)

    def _bearer_user(self, request: web.Request) -> str | None:
        header = request.headers.get("Authorization", "")
        if not header.startswith(BEARER):
            return None
        return self.tokens.get(header.removeprefix(BEARER))

    async def _rest_prelude(self, request: web.Request) -> web.Response | None:
        self.stats.rest_requests += 1
        if self.options.rest_delay > 0:
            await asyncio.sleep(self.options.rest_delay)
        if self.options.rest_error_status is not None:
            return _fail(self.options.rest_error_status, "Internal server error")
        if self._bearer_user(request) is None:
            return _fail(401, "Unauthorized")
        return None

    async def _rest_desired_state(self, request: web.Request) -> web.Response:
        if (early := await self._rest_prelude(request)) is not None:
            return early
        try:
            body = json.loads(await request.text())
        except ValueError:
            return _fail(400, "Invalid JSON body")
        if not isinstance(body, dict) or body.get("status") not in {ON, OFF}:
            return _fail(400, "status must be ON or OFF")
        charger_id = body.get("chargerId")
        if not isinstance(charger_id, str) or charger_id not in self.chargers:
            return _fail(404, self.options.unknown_charger_message)
        await self.switch(charger_id, body["status"])
        if self.options.rest_success == "empty":
            return web.Response(status=204)
        return web.json_response({"status": "success", "data": {"status": body["status"]}})

    async def _rest_remove_charger(self, request: web.Request) -> web.Response:
        if (early := await self._rest_prelude(request)) is not None:
            return early
        charger_id = request.match_info["charger_id"]
        if charger_id not in self.chargers:
            return _fail(404, self.options.unknown_charger_message)
        await self.remove_charger_from_user(charger_id)
        return web.json_response({"status": "success"})

    # ----------------------------------------------------------------- control channel

    def control_stats(self) -> JSONObject:
        """What every control reply carries."""
        return {
            "connection_attempts": self.stats.connection_attempts,
            "refused": self.stats.refused,
            "connected": len(self._sessions),
            "rest_requests": self.stats.rest_requests,
            "events_sent": self.stats.events_sent,
            "drops": self.stats.drops,
            "websocket_upgrades": self.stats.websocket_upgrades,
            "now": self.clock.now().isoformat(),
            "chargers": {
                charger_id: {
                    "status": charger.status,
                    "plugged": charger.plugged,
                    "energy": round(charger.energy, 4),
                    "prev_energy": charger.prev_energy,
                    "sockets": len(self.sockets_of(charger_id)),
                }
                for charger_id, charger in self.chargers.items()
            },
        }

    def _control_actions(self) -> dict[str, ControlAction]:
        async def switch(command: JSONObject) -> None:
            await self.switch(str(command["charger_id"]), str(command["status"]).upper())

        async def plug(command: JSONObject) -> None:
            self.chargers[str(command["charger_id"])].plugged = True

        async def unplug(command: JSONObject) -> None:
            self.chargers[str(command["charger_id"])].plugged = False

        async def drop(command: JSONObject) -> JSONObject:
            charger_id = command.get("charger_id")
            return {"dropped": await self.drop(str(charger_id) if charger_id else None)}

        async def advance(command: JSONObject) -> None:
            await self.clock.advance(float(command["seconds"]))

        async def emit(command: JSONObject) -> None:
            await self.emit_raw(str(command["charger_id"]), str(command["event"]), command["data"])

        async def disconnect_api(command: JSONObject) -> None:
            await self.remove_charger_from_user(str(command["charger_id"]))

        async def options(command: JSONObject) -> JSONObject:
            self.options.update(dict(command.get("set", {})))
            return {"options": self.options.as_dict()}

        return {
            "switch": switch,
            "plug": plug,
            "unplug": unplug,
            "drop": drop,
            "advance": advance,
            "emit": emit,
            "disconnect_api": disconnect_api,
            "options": options,
        }


class _SocketIOServer(socketio.AsyncServer):  # type: ignore[misc]
    """python-socketio's server, answering a pending long-poll when the client closes.

    A JS engine.io server ends a waiting long-poll GET when the client sends its CLOSE;
    python-engineio leaves it waiting until ping interval + ping timeout, so a polling client's
    disconnect (and the seed's `sio.wait()`) would hang that long. A NOOP ends the poll.
    """

    async def _handle_eio_disconnect(self, eio_sid: str, reason: str) -> None:
        if reason == self.reason.CLIENT_DISCONNECT:
            eio_socket = self.eio.sockets.get(eio_sid)
            if eio_socket is not None:
                eio_socket.queue.put_nowait(engineio.packet.Packet(engineio.packet.NOOP))
        await super()._handle_eio_disconnect(eio_sid, reason)


def _fail(status: int, message: str) -> web.Response:
    """A JSend failure, like the other veCharge endpoints answer (doc §4, inferred)."""
    return web.json_response({"status": "fail", "message": message}, status=status)
