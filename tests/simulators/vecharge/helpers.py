"""A plain python-socketio client that records what arrives, for the simulator self-tests."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

import socketio  # type: ignore[import-untyped]

TOKEN = "test-token"
CHARGER_ID = "test"
WAIT = 5.0  # an upper bound for a frame to arrive, not a speed requirement


def handshake_url(base: str, token: str = TOKEN, charger_id: str = CHARGER_ID) -> str:
    """The seed's URL: `?token=Bearer <TOKEN>&chargerId=<ID>` (encoded)."""
    return f"{base}?token={quote('Bearer ' + token)}&chargerId={quote(charger_id)}"


class RawClient:
    """python-socketio's AsyncClient with a queue of (event, data) for every event."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False, handle_sigint=False)
        self.frames: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self.connect_error: Any = None
        self.disconnect_reason: str | None = None
        self.closed = asyncio.Event()

        async def on_any(event: str, data: Any = None) -> None:
            await self.frames.put((event, data))

        async def on_connect_error(data: Any) -> None:
            self.connect_error = data

        async def on_disconnect(reason: str) -> None:
            self.disconnect_reason = reason
            self.closed.set()

        self.sio.on("*", on_any)
        self.sio.on("connect_error", on_connect_error)
        self.sio.on("disconnect", on_disconnect)

    async def expect(self, event: str) -> Any:
        async with asyncio.timeout(WAIT):
            while True:
                name, data = await self.frames.get()
                if name == event:
                    return data

    async def wait_closed(self) -> str | None:
        async with asyncio.timeout(WAIT):
            await self.closed.wait()
        return self.disconnect_reason
