"""The python-socketio client the veCharge client drives, with one fix for early closes.

python-socketio drops a server DISCONNECT (or an Engine.IO close) that arrives while `connect()` is
still waiting for the namespace: it only reports disconnects once it counts itself connected. A
server that refuses a charger with an `error` event and an immediate close can put the CONNECT,
the event and the close in one polling payload, so this subclass remembers such a close.
"""

from __future__ import annotations

from typing import Any

import socketio  # type: ignore[import-untyped]


class SocketIOClient(socketio.AsyncClient):  # type: ignore[misc]
    """`socketio.AsyncClient` that records a close seen before `connect()` returned."""

    def __init__(self, **kwargs: Any) -> None:
        """Create the client; `closed_early` starts False."""
        super().__init__(**kwargs)
        self.closed_early = False

    async def _handle_disconnect(self, namespace: str | None) -> None:
        if not self.connected:
            self.closed_early = True
        await super()._handle_disconnect(namespace)

    async def _handle_eio_disconnect(self, reason: str) -> None:
        if not self.connected:
            self.closed_early = True
        await super()._handle_eio_disconnect(reason)
