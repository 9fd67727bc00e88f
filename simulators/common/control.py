"""The control channel every simulator offers: a websocket at /control taking JSON commands.

Tests, benchmarks and the demo drive a running simulator through it from another process:
each text frame is one JSON object `{"action": NAME, ...}`; the reply is
`{"ok": true, "action": NAME, **stats}` or `{"ok": false, "error": "..."}`. The action `stats`
only reports. A simulator supplies its own actions and its stats.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

if TYPE_CHECKING:
    import asyncio

CONTROL_PATH = "/control"

type JSONObject = dict[str, Any]
# An action may return extra fields for its reply (a benchmark's measurements, say).
type ControlAction = Callable[[JSONObject], Awaitable[JSONObject | None]]


class ControlChannel:
    """Serve `actions` on a websocket; reply to each with the simulator's `stats()`."""

    def __init__(self, actions: dict[str, ControlAction], stats: Callable[[], JSONObject]) -> None:
        """Keep the simulator's actions and its stats reader."""
        self._actions = actions
        self._stats = stats
        self._sockets: set[web.WebSocketResponse] = set()

    def add_route(self, app: web.Application) -> None:
        """Serve the channel at CONTROL_PATH on `app`."""
        app.router.add_get(CONTROL_PATH, self.handle)

    def transports(self) -> set[asyncio.Transport | None]:
        """Transports of the open control sockets (fault hooks that cut connections spare them)."""
        return {
            socket._req.transport  # noqa: SLF001 - aiohttp keeps the request private
            for socket in self._sockets
            if socket._req is not None  # noqa: SLF001
        }

    async def close(self) -> None:
        """Close every open control socket (the simulator stops)."""
        for socket in list(self._sockets):
            await socket.close()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Answer one control socket until it closes."""
        ws = web.WebSocketResponse(timeout=1.0)
        await ws.prepare(request)
        self._sockets.add(ws)
        try:
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                try:
                    reply = await self.run(json.loads(str(msg.data)))
                except Exception as err:  # noqa: BLE001 - reported back to the caller
                    reply = {"ok": False, "error": f"{type(err).__name__}: {err}"}
                await ws.send_str(json.dumps(reply))
        finally:
            self._sockets.discard(ws)
        return ws

    async def run(self, command: Any) -> JSONObject:
        """Run one command object and return the reply."""
        if not isinstance(command, dict):
            raise TypeError("expected a JSON object")
        action = command.get("action")
        extra: JSONObject | None = None
        if action != "stats":
            run = self._actions.get(str(action))
            if run is None:
                raise ValueError(f"unknown action {action!r}")
            extra = await run(command)
        return {"ok": True, "action": action, **(extra or {}), **self._stats()}
