"""Client of the simulator's /control websocket (one JSON command, one JSON reply)."""

from __future__ import annotations

import asyncio
from typing import Any, Self

import aiohttp

from .fastloop import FastForwardLoop

type JSONObject = dict[str, Any]


class ControlError(RuntimeError):
    """The simulator refused a control command."""


class Control:
    """Serialised calls over one control socket, opened before any tracked connection."""

    def __init__(self, url: str) -> None:
        """Remember the URL; `open` connects."""
        self._url = url
        self._session: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> Self:
        """Connect (no heartbeat: a skipped clock must not time the control socket out)."""
        self._session = aiohttp.ClientSession()
        self._ws = await self._session.ws_connect(
            self._url, heartbeat=None, max_msg_size=64 << 20, timeout=aiohttp.ClientWSTimeout()
        )
        return self

    async def close(self) -> None:
        """Disconnect."""
        if self._ws is not None:
            await self._ws.close()
        if self._session is not None:
            await self._session.close()

    async def call(self, action: str, **fields: Any) -> JSONObject:
        """Run one action and return the reply (stats included); raise on failure."""
        if self._ws is None:
            raise ControlError("control socket not open")
        loop = asyncio.get_running_loop()
        # While we wait for the simulator the loop looks idle; it must not skip time then.
        fast = isinstance(loop, FastForwardLoop) and loop.fast_forward
        if isinstance(loop, FastForwardLoop):
            loop.fast_forward = False
        try:
            async with self._lock:
                await self._ws.send_json({"action": action, **fields})
                message = await self._ws.receive()
        finally:
            if isinstance(loop, FastForwardLoop):
                loop.fast_forward = fast
        if message.type is not aiohttp.WSMsgType.TEXT:
            raise ControlError(f"{action}: control socket closed ({message.type!r})")
        reply: JSONObject = message.json()
        if not reply.get("ok"):
            raise ControlError(f"{action}: {reply.get('error')}")
        return reply
