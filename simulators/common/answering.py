"""The reply faults every simulator offers: slow replies and a half-open server.

`delay_replies(seconds)` makes each reply wait; `stop_answering()` makes the server keep the
connections open and read what arrives, yet send nothing (a half-open peer), until
`resume_answering()`. A websocket simulator consults `reply_delay` / `answering` where it
replies; an HTTP simulator installs `http_middleware()` on its aiohttp application, which
handles each request (state changes and logs happen) and holds the response back as told.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Collection

type Middleware = Callable[
    [web.Request, Callable[[web.Request], Awaitable[web.StreamResponse]]],
    Awaitable[web.StreamResponse],
]


class AnsweringFaults:
    """Reply delay and the half-open switch."""

    def __init__(self) -> None:
        """Answer at once."""
        self.reply_delay = 0.0
        self.answering = True
        self._resumed = asyncio.Event()
        self._resumed.set()

    def delay_replies(self, seconds: float) -> None:
        """Wait `seconds` (wall time) before every reply; 0 to clear. Pushes are not delayed."""
        self.reply_delay = max(0.0, seconds)

    def stop_answering(self) -> None:
        """Half-open: requests are still read and logged, but nothing is answered."""
        self.answering = False
        self._resumed.clear()

    def resume_answering(self) -> None:
        """Undo `stop_answering` (websocket replies swallowed meanwhile stay lost)."""
        self.answering = True
        self._resumed.set()

    async def before_reply(self) -> None:
        """Wait the configured reply delay."""
        if self.reply_delay:
            await asyncio.sleep(self.reply_delay)

    def clear_answering(self) -> None:
        """Answer at once and normally again."""
        self.reply_delay = 0.0
        self.resume_answering()

    def http_middleware(self, *, sparing: Collection[str] = ()) -> Middleware:
        """An aiohttp middleware applying the faults to every request but those under `sparing`.

        The handler runs at once; its response waits the reply delay and, while the server is
        half-open, until `resume_answering()` (or until the client gives up).
        """

        @web.middleware
        async def answer(
            request: web.Request,
            handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
        ) -> web.StreamResponse:
            if any(request.path.startswith(prefix) for prefix in sparing):
                return await handler(request)
            response = await handler(request)
            await self._resumed.wait()
            await self.before_reply()
            return response

        return answer
