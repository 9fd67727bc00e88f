"""An aiohttp server that can stop listening and listen again on the same port.

Simulators use it for the fault "the cloud is down": `close()` refuses new connections,
`open()` serves again on the port picked at the first start, so clients reconnect to the
address they know. `abort_connections()` cuts TCP connections without any HTTP or websocket
goodbye.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from collections.abc import Collection


class RestartableListener:
    """One `web.Application` served on host:port (port 0 picks a free one, kept afterwards)."""

    def __init__(self, app: web.Application, host: str, port: int) -> None:
        """Serve `app` once `start()` runs."""
        self._app = app
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None

    @property
    def started(self) -> bool:
        """Whether `start()` ran and `cleanup()` did not."""
        return self._runner is not None

    async def start(self) -> None:
        """Set the application up and listen."""
        if self._runner is not None:
            return
        self._runner = web.AppRunner(self._app, handle_signals=False, shutdown_timeout=2.0)
        await self._runner.setup()
        await self.open()

    async def open(self) -> None:
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

    async def close(self) -> None:
        """Stop accepting connections (they are refused); open connections stay."""
        site, self._site = self._site, None
        if site is not None:
            await site.stop()

    async def cleanup(self) -> None:
        """Stop listening and release the application."""
        runner, self._runner, self._site = self._runner, None, None
        if runner is not None:
            await runner.cleanup()

    def abort_connections(self, *, sparing: Collection[asyncio.BaseTransport | None] = ()) -> None:
        """Abort every open HTTP connection whose transport is not in `sparing`."""
        runner = self._runner
        if runner is None or runner.server is None:
            return
        for handler in runner.server.connections:
            transport = handler.transport
            if transport is not None and transport not in sparing:
                transport.abort()
