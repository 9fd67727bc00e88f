"""The protocol websockets: admission (rejections, budget, "Already connected"), sending, closing.

Replies wait `reply_delay` and nothing at all goes out while the server is half-open (the
answering faults); pushes go out through `send`, without the delay.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import WSMsgType, web

from .protocol import ALREADY_CONNECTED_REASON, LIMIT_REASON, REJECT_HEADER

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from simulators.common.answering import AnsweringFaults

    from .accounts import SimAccount
    from .budget import RequestBudget
    from .options import SimulatorOptions
    from .protocol import JSONObject


@dataclass(eq=False, slots=True)
class Connection:
    """One open protocol websocket and what the server learnt about it."""

    id: int
    path: str
    ws: web.WebSocketResponse
    request: web.Request
    remote: str
    account: SimAccount | None = None
    auth_token: str | None = None
    hello: bool = False
    known_evses: set[str] = field(default_factory=set)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


type TextHandler = Callable[[Connection, str | None], Awaitable[None]]


def rejection(reason: str, status: int = 403) -> web.Response:
    """An upgrade refusal carrying `x-websocket-reject-reason` (§5.1)."""
    return web.Response(status=status, text=reason, headers={REJECT_HEADER: reason})


class Transport:
    """Every open protocol websocket of one simulator."""

    def __init__(
        self,
        *,
        options: SimulatorOptions,
        budget: RequestBudget,
        answering: AnsweringFaults,
        take_rejection: Callable[[], tuple[str, int] | None],
        rewrite: Callable[[JSONObject], JSONObject],
    ) -> None:
        """Admit with `options` and `budget`; reply as `answering` allows.

        `rewrite` sees every frame before it goes out (the frame-shape faults).
        """
        self._options = options
        self._budget = budget
        self._answering = answering
        self._take_rejection = take_rejection
        self._rewrite = rewrite
        self.connections: dict[int, Connection] = {}
        self.connection_attempts = 0
        self._ids = itertools.count(1)

    # ----- receiving ---------------------------------------------------------------------------

    async def serve(self, request: web.Request, on_text: TextHandler) -> web.StreamResponse:
        """Admit an upgrade request, then feed each text frame to `on_text` until it closes."""
        self.connection_attempts += 1
        remote = request.remote or ""
        refusal = self._take_rejection()
        if refusal is not None:
            return rejection(*refusal)
        if self._budget.spent():
            return rejection(LIMIT_REASON)
        if self._options.reject_second_connection and any(
            c.hello and c.remote == remote for c in self.connections.values()
        ):
            return rejection(ALREADY_CONNECTED_REASON, self._options.already_connected_status)
        ws = web.WebSocketResponse(autoping=False, timeout=1.0, max_msg_size=1 << 20)
        await ws.prepare(request)
        conn = Connection(next(self._ids), request.path, ws, request, remote)
        self.connections[conn.id] = conn
        try:
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    await on_text(conn, str(msg.data))
                elif msg.type is WSMsgType.PING:
                    # autoping is off so that a half-open server can stay silent
                    if self._answering.answering:
                        with contextlib.suppress(Exception):
                            await ws.pong(msg.data)
                elif msg.type is WSMsgType.BINARY:
                    await on_text(conn, None)
        finally:
            self.connections.pop(conn.id, None)
        return ws

    # ----- sending -----------------------------------------------------------------------------

    async def send_text(self, conn: Connection, text: str) -> None:
        """Send a raw text frame (nothing while half-open or closed)."""
        if not self._answering.answering or conn.ws.closed:
            return
        async with conn.lock:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await conn.ws.send_str(text)

    async def send(self, conn: Connection, obj: JSONObject) -> None:
        """Send a frame at once (pushes)."""
        if not obj.get("object"):
            raise AssertionError("the server never sends a frame without object")  # §1.2
        await self.send_text(conn, json.dumps(self._rewrite(obj)))

    async def reply(self, conn: Connection, obj: JSONObject) -> None:
        """Send a reply after the configured reply delay."""
        await self._answering.before_reply()
        await self.send(conn, obj)

    async def error(self, conn: Connection, error: tuple[int, str]) -> None:
        """Reply with an ERROR frame (§3.9)."""
        await self.reply(conn, {"object": "ERROR", "error": error[0], "message": error[1]})

    async def broadcast_text(self, text: str) -> None:
        """Send a raw text frame to every HELLO'd socket."""
        for conn in list(self.connections.values()):
            if conn.hello:
                await self.send_text(conn, text)

    # ----- closing -----------------------------------------------------------------------------

    async def close_all(self, code: int, message: bytes, *, hello_only: bool = False) -> None:
        """Close every socket (or every HELLO'd one) with `code`."""
        conns = [c for c in self.connections.values() if c.hello or not hello_only]
        await asyncio.gather(*(self._close(c, code, message) for c in conns))

    async def _close(self, conn: Connection, code: int, message: bytes) -> None:
        with contextlib.suppress(Exception):
            await conn.ws.close(code=code, message=message)

    def abort_all(self) -> None:
        """Abort the TCP connection of every protocol socket (no close frame)."""
        for conn in list(self.connections.values()):
            transport = conn.request.transport
            if transport is not None:
                transport.abort()

    async def drop_all(self, code: int | None) -> None:
        """Drop every protocol socket: abort TCP (None) or close with `code`."""
        if code is None:
            self.abort_all()
            return
        await self.close_all(code, b"")

    def transports(self) -> set[asyncio.BaseTransport | None]:
        """The TCP transports of the open protocol sockets."""
        return {conn.request.transport for conn in self.connections.values()}
