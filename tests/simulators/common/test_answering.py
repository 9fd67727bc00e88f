"""The reply faults on a plain aiohttp application (what an HTTP simulator reuses)."""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp import web

from simulators.common.answering import AnsweringFaults
from simulators.common.listener import RestartableListener


async def test_half_open_http_server_handles_but_does_not_answer(socket_enabled: None) -> None:
    faults = AnsweringFaults()
    handled = asyncio.Event()

    async def set_current(request: web.Request) -> web.Response:
        del request
        handled.set()
        return web.json_response({"ok": True})

    app = web.Application(middlewares=[faults.http_middleware(sparing=["/control"])])
    app.router.add_get("/api/set", set_current)
    app.router.add_get("/control", set_current)
    listener = RestartableListener(app, "127.0.0.1", 0)
    await listener.start()
    base = f"http://127.0.0.1:{listener.port}"
    try:
        async with aiohttp.ClientSession() as http:
            faults.stop_answering()
            pending = asyncio.create_task(http.get(f"{base}/api/set"))
            await handled.wait()  # the request was handled: its effect happened
            async with http.get(f"{base}/control") as spared:
                assert spared.status == 200
            assert not pending.done()
            faults.resume_answering()
            async with await pending as response:
                assert await response.json() == {"ok": True}
    finally:
        await listener.cleanup()
