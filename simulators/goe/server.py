"""The aiohttp server: local and cloud `/api/status` and `/api/set`, and `/control`.

Local: each device listens on its own loopback port (`local_url(serial)`); the main port also
answers locally for the first device. Cloud: a request to the main port whose Host header is
`{serial}.api.v3.go-e.io` (or `.api.controller.` for a controller) is a cloud request, so a
client needs only a resolver that maps those names to 127.0.0.1 to talk to it unmodified.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import deque
from datetime import UTC
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any, Self

from aiohttp import web

from simulators.common.clock import SimClock
from simulators.common.control import CONTROL_PATH, ControlChannel, JSONObject

from .charger import SimCar, SimCharger
from .controller import ControllerSpec, SimController
from .errors import error_code
from .options import TEXT_BUSY, SimulatorOptions

if TYPE_CHECKING:
    import ssl
    from collections.abc import Awaitable, Callable
    from types import TracebackType

    from .device import SimDevice
    from .scenario import Scenario

CLOUD_HOST = re.compile(
    r"^(?P<serial>\d{6})\.(?P<pattern>api\.v3|api\.controller)\.(?P<domain>.+)$"
)
DEFAULT_CLOUD_AGE = 30
HTTP_OK = 200


def _json(data: Any, status: int = HTTP_OK, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        body=json.dumps(data, separators=(",", ":")).encode(),
        status=status,
        content_type="application/json",
        headers=headers,
    )


class GoeSimulator:
    """Hosts the scenario's go-e devices on 127.0.0.1."""

    def __init__(
        self,
        scenario: Scenario,
        *,
        options: SimulatorOptions | None = None,
        clock: SimClock | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        """Build the devices; nothing listens before `start()`.

        With `ssl_context` the main port (cloud, /control) speaks TLS, like the real cloud.
        """
        self.options = options or SimulatorOptions()
        self.clock = clock or SimClock()
        self.host = host
        self._port = port
        self._ssl_context = ssl_context
        self.devices: dict[str, SimDevice] = {}
        for entry in scenario.devices:
            device: SimDevice
            if isinstance(entry.spec, ControllerSpec):
                device = SimController(entry.spec, clock=self.clock, options=self.options)
            else:
                device = SimCharger(entry.spec, clock=self.clock, options=self.options)
                if entry.car is not None:
                    device.plug_in(entry.car)
            for key, value in entry.settings.items():
                result = device.write(key, value)
                if result is not True:
                    raise ValueError(f"scenario setting rejected: {result}")
            if isinstance(device, SimCharger):
                device.run_logic()
            self.devices[device.serial] = device
        if not self.devices:
            raise ValueError("a scenario needs at least one device")
        self.first = next(iter(self.devices.values()))
        self.requests = 0
        self.bytes_served = 0
        self.by_kind: dict[str, int] = {}
        # The last requests' path and query (tests check what a client asked for).
        self.request_log: deque[str] = deque(maxlen=200)
        self._hang_released = asyncio.Event()
        self.control = ControlChannel(self._actions(), self.stats)
        self._runner: web.AppRunner | None = None
        self._ports: dict[int, SimDevice] = {}
        self.port = 0
        self._local_ports: dict[str, int] = {}
        self._unsubscribe: list[Callable[[], None]] = []

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on the main port and one port per device."""
        app = web.Application(middlewares=[self._count])
        app.router.add_get("/api/status", self._status)
        app.router.add_get("/api/set", self._set)
        if self.options.control_channel:
            self.control.add_route(app)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        main = web.TCPSite(self._runner, self.host, self._port, ssl_context=self._ssl_context)
        await main.start()
        self.port = _bound_port(main)
        for serial, device in self.devices.items():
            site = web.TCPSite(self._runner, self.host, 0)
            await site.start()
            port = _bound_port(site)
            self._ports[port] = device
            self._local_ports[serial] = port
        self._unsubscribe = [self.clock.subscribe(device.tick) for device in self.devices.values()]
        if self.options.realtime:
            self.clock.start_realtime()

    async def stop(self) -> None:
        """Stop serving."""
        self._hang_released.set()
        await self.clock.stop_realtime()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        await self.control.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        """Start."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop."""
        await self.stop()

    # --- addresses -----------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The main port: cloud (by Host header), /control, and the first device locally."""
        scheme = "https" if self._ssl_context else "http"
        return f"{scheme}://{self.host}:{self.port}"

    @property
    def control_url(self) -> str:
        """The /control websocket."""
        scheme = "wss" if self._ssl_context else "ws"
        return f"{scheme}://{self.host}:{self.port}{CONTROL_PATH}"

    def local_url(self, serial: str) -> str:
        """The device's own local API base URL."""
        return f"http://{self.host}:{self._local_ports[serial]}"

    def cloud_host(self, serial: str, pattern: str = "api.v3") -> str:
        """The cloud host name of a device (resolve it to 127.0.0.1, port `self.port`)."""
        return f"{serial}.{pattern}.{self.options.cloud_domain}"

    def charger(self, serial: str | None = None) -> SimCharger:
        """A charger by serial (default: the first device)."""
        device = self.devices[serial] if serial else self.first
        if not isinstance(device, SimCharger):
            raise TypeError(f"{device.serial} is not a charger")
        return device

    def controller(self, serial: str | None = None) -> SimController:
        """A controller by serial (default: the first controller)."""
        if serial is None:
            serial = next(s for s, d in self.devices.items() if isinstance(d, SimController))
        device = self.devices[serial]
        if not isinstance(device, SimController):
            raise TypeError(f"{device.serial} is not a controller")
        return device

    # --- stats ---------------------------------------------------------------------------

    def stats(self) -> JSONObject:
        """Requests and body bytes served (benchmarks count them per hour)."""
        return {
            "requests": self.requests,
            "bytes_served": self.bytes_served,
            "by_kind": dict(self.by_kind),
            "now": self.clock.now().isoformat(),
        }

    @web.middleware
    async def _count(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if request.path != CONTROL_PATH:
            self.request_log.append(str(request.rel_url))
        response = await handler(request)
        if request.path != CONTROL_PATH:
            self.requests += 1
            kind = ("cloud " if _cloud_match(request) else "local ") + request.path
            self.by_kind[kind] = self.by_kind.get(kind, 0) + 1
            body = getattr(response, "body", None)
            if isinstance(body, bytes):
                self.bytes_served += len(body)
        return response

    # --- routing -------------------------------------------------------------------------

    def _local_device(self, request: web.Request) -> SimDevice:
        sockname = request.transport.get_extra_info("sockname") if request.transport else None
        port = sockname[1] if sockname else None
        return self._ports.get(port, self.first) if port is not None else self.first

    def _cloud_device(self, match: re.Match[str]) -> SimDevice | None:
        device = self.devices.get(match["serial"])
        if device is None or match["domain"] != self.options.cloud_domain:
            return None
        pattern = match["pattern"]
        if isinstance(device, SimController):
            allowed = self.options.controller_cloud_hosts
        else:
            allowed = (
                ("api.v3", "api.controller")
                if self.options.charger_on_controller_host
                else ("api.v3",)
            )
        return device if pattern in allowed else None

    async def _guard(self, request: web.Request) -> tuple[SimDevice, bool] | web.Response:
        """The device a request is for, or the error answer (offline, off, busy, auth)."""
        match = _cloud_match(request)
        if match is None:
            return await self._guard_local(request)
        return self._guard_cloud(request, match)

    async def _guard_local(self, request: web.Request) -> tuple[SimDevice, bool] | web.Response:
        device = self._local_device(request)
        if device.hanging:
            # A device that accepts the connection and never answers (until released).
            await self._hang_released.wait()
        if not device.online:
            # An unreachable device: the connection just dies.
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=503)
        if device.busy_requests > 0:
            device.busy_requests -= 1
            return web.Response(status=500, text=TEXT_BUSY)
        if not device.api_enabled:
            return web.Response(
                status=self.options.api_disabled_status, text=self.options.api_off_text
            )
        return device, False

    def _guard_cloud(
        self, request: web.Request, match: re.Match[str]
    ) -> tuple[SimDevice, bool] | web.Response:
        device = self._cloud_device(match)
        if device is None:
            # No such device behind this host name (the real cloud's answer is unknown).
            return web.Response(status=404, text="Not Found")
        if _token(request) != device.cloud_key:
            return web.Response(status=self.options.cloud_auth_status, text="Unauthorized")
        if not device.cloud_enabled:
            return web.Response(status=403, text="Forbidden")
        if not device.online:
            unavailable = self._offline_answer(request, device)
            if unavailable is not None:
                return unavailable
        if device.busy_requests > 0:
            device.busy_requests -= 1
            return web.Response(status=500, text=TEXT_BUSY)
        return device, True

    def _offline_answer(self, request: web.Request, device: SimDevice) -> web.Response | None:
        """403 once long gone; 404 when the cached status is older than `age` (or a set)."""
        now = self.clock.now()
        if (now - device.last_seen).total_seconds() > self.options.cloud_offline_after:
            return web.Response(status=403, text="Forbidden")
        stale = (now - device.cloud_snapshot_at).total_seconds() > _age(request)
        if stale or request.path.endswith("/set"):
            return web.Response(status=404, text="Not Found")
        return None

    # --- /api/status ---------------------------------------------------------------------

    async def _status(self, request: web.Request) -> web.Response:
        guarded = await self._guard(request)
        if isinstance(guarded, web.Response):
            return guarded
        device, cloud = guarded
        headers: dict[str, str] | None = None
        if cloud and not device.online:
            data = device.cloud_snapshot
            modified = device.cloud_snapshot_at
        else:
            data = device.status()
            modified = self.clock.now()
        if cloud:
            headers = {"Last-Modified": format_datetime(modified.astimezone(UTC), usegmt=True)}
        raw = request.query.get("filter")
        if raw is None or raw == "":
            status = 400 if self.options.unfiltered_status_400 and not cloud else HTTP_OK
            return _json(data, status, headers)
        keys = _filter_keys(raw)
        if keys is None:
            return web.Response(status=400, text="invalid filter")
        if self.options.filter_case_sensitive:
            found = {key: data[key] for key in keys if key in data}
        else:
            lowered = {key.lower(): key for key in data}
            found = {
                lowered[key.lower()]: data[lowered[key.lower()]]
                for key in keys
                if key.lower() in lowered
            }
        unknown = len(found) < len(set(keys))
        if unknown and self.options.family == "pro":
            if not self.options.bad_request_body:
                return web.Response(status=400, text="Bad Request")
            return _json(found, 400, headers)
        return _json(found, HTTP_OK, headers)

    # --- /api/set ------------------------------------------------------------------------

    async def _set(self, request: web.Request) -> web.Response:
        guarded = await self._guard(request)
        if isinstance(guarded, web.Response):
            return guarded
        device, cloud = guarded
        pairs = [(key, raw) for key, raw in request.query.items() if not (cloud and key == "token")]
        if not pairs:
            return web.Response(status=400, text="no key to set")
        results: dict[str, bool | str] = {}
        for key, raw in pairs:
            try:
                value = json.loads(raw)
            except ValueError:
                results[key] = f"{key}: invalid json IncompleteInput: {raw}"
                continue
            results[key] = device.write(key, value)
        accepted = any(result is True for result in results.values())
        rejected = any(result is not True for result in results.values())
        if cloud:
            status = 202 if accepted else 422
            if not self.options.cloud_set_body_map:
                return web.Response(status=status)
        elif not rejected or (accepted and self.options.partial_set_status == HTTP_OK):
            status = HTTP_OK
        else:
            status = 500
        return _json(results, status)

    # --- /control ------------------------------------------------------------------------

    def _actions(self) -> dict[str, Callable[[JSONObject], Awaitable[JSONObject | None]]]:
        return {
            "plug_in": self._plug_in,
            "unplug": self._unplug,
            "set_error": self._set_error,
            "go_offline": self._go_offline,
            "go_online": self._go_online,
            "advance": self._advance,
            "set_api_disabled": self._set_api_disabled,
            "set_cloud_enabled": self._set_cloud_enabled,
            "set_busy": self._set_busy,
            "set_category_power": self._set_category_power,
            "status": self._device_status,
            "reset_stats": self._reset_stats,
            "set_hanging": self._set_hanging,
        }

    def _device(self, command: JSONObject) -> SimDevice:
        serial = command.get("serial")
        return self.devices[str(serial)] if serial else self.first

    async def _plug_in(self, command: JSONObject) -> JSONObject:
        charger = self.charger(command.get("serial"))
        charger.plug_in(
            SimCar(
                capacity_wh=float(command.get("capacity_kwh", 60)) * 1000.0,
                soc=float(command.get("soc", 40)),
                max_current=int(command.get("max_current", 32)),
                phases=int(command.get("phases", 3)),
            )
        )
        return {"serial": charger.serial}

    async def _unplug(self, command: JSONObject) -> JSONObject:
        charger = self.charger(command.get("serial"))
        charger.unplug()
        return {"serial": charger.serial}

    async def _set_error(self, command: JSONObject) -> JSONObject:
        charger = self.charger(command.get("serial"))
        name = command.get("name")
        code = (
            error_code(str(name), self.options.error_list)
            if name is not None
            else int(command.get("code", 1))
        )
        charger.set_error(code)
        return {"serial": charger.serial, "code": code}

    async def _go_offline(self, command: JSONObject) -> JSONObject:
        device = self._device(command)
        device.go_offline()
        return {"serial": device.serial}

    async def _go_online(self, command: JSONObject) -> JSONObject:
        device = self._device(command)
        device.go_online()
        return {"serial": device.serial}

    async def _advance(self, command: JSONObject) -> None:
        await self.clock.advance(float(command.get("seconds", 1)))

    async def _set_api_disabled(self, command: JSONObject) -> JSONObject:
        device = self._device(command)
        device.api_enabled = not bool(command.get("disabled", True))
        return {"serial": device.serial}

    async def _set_cloud_enabled(self, command: JSONObject) -> JSONObject:
        device = self._device(command)
        device.cloud_enabled = bool(command.get("enabled", True))
        return {"serial": device.serial}

    async def _set_busy(self, command: JSONObject) -> JSONObject:
        device = self._device(command)
        device.busy_requests = int(command.get("requests", 1))
        return {"serial": device.serial}

    async def _set_category_power(self, command: JSONObject) -> JSONObject:
        controller = self.controller(command.get("serial"))
        power = command.get("power")
        controller.set_power(int(command["index"]), None if power is None else float(power))
        return {"serial": controller.serial}

    async def _device_status(self, command: JSONObject) -> JSONObject:
        return {"device": self._device(command).status()}

    async def _set_hanging(self, command: JSONObject) -> JSONObject:
        device = self._device(command)
        device.hanging = bool(command.get("hanging", True))
        if device.hanging:
            self._hang_released.clear()
        else:
            self._hang_released.set()
        return {"serial": device.serial}

    async def _reset_stats(self, _command: JSONObject) -> None:
        self.requests = 0
        self.bytes_served = 0
        self.by_kind.clear()


def _bound_port(site: web.TCPSite) -> int:
    server = site._server  # noqa: SLF001 - aiohttp exposes the bound port only here
    sockets = getattr(server, "sockets", None) or []
    return int(sockets[0].getsockname()[1])


def _cloud_match(request: web.Request) -> re.Match[str] | None:
    host = request.headers.get("Host", "").rsplit(":", 1)[0].lower()
    return CLOUD_HOST.match(host)


def _token(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header.removeprefix("Bearer ").strip()
    return request.query.get("token")


def _age(request: web.Request) -> float:
    try:
        return float(request.query.get("age", DEFAULT_CLOUD_AGE))
    except ValueError:
        return float(DEFAULT_CLOUD_AGE)


def _filter_keys(raw: str) -> list[str] | None:
    """Comma form, or the legacy JSON-array form (fw <= 051.3); None if unreadable."""
    if raw.startswith("["):
        try:
            keys = json.loads(raw)
        except ValueError:
            return None
        if not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
            return None
        return keys
    return [key for key in raw.split(",") if key]
