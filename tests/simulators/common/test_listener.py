"""The restartable listener and the task spawner every simulator reuses."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from aiohttp import web

from simulators.common.listener import RestartableListener
from simulators.common.tasks import TaskSpawner


async def _hello(request: web.Request) -> web.Response:
    del request
    return web.Response(text="hello")


@pytest.fixture
async def listener(socket_enabled: None) -> RestartableListener:
    """A listener on a free loopback port serving GET / (stopped after the test)."""
    app = web.Application()
    app.router.add_get("/", _hello)
    served = RestartableListener(app, "127.0.0.1", 0)
    await served.start()
    yield served  # type: ignore[misc]
    await served.cleanup()


async def test_closed_listener_refuses_then_reopens_on_the_same_port(
    listener: RestartableListener,
) -> None:
    port = listener.port
    url = f"http://127.0.0.1:{port}/"
    # a new TCP connection per request: a kept-alive one would outlive close() (as it should)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as http:
        async with http.get(url) as response:
            assert await response.text() == "hello"
        await listener.close()
        with pytest.raises(aiohttp.ClientConnectorError):
            await http.get(url)
        await listener.open()
        assert listener.port == port
        async with http.get(url) as response:
            assert await response.text() == "hello"


async def test_abort_connections_spares_the_listed_ones(socket_enabled: None) -> None:
    app_sockets: list[web.WebSocketResponse] = []

    async def ws(request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        app_sockets.append(socket)
        async for _ in socket:
            pass
        return socket

    other = web.Application()
    other.router.add_get("/ws", ws)
    served = RestartableListener(other, "127.0.0.1", 0)
    await served.start()
    url = f"ws://127.0.0.1:{served.port}/ws"
    try:
        async with aiohttp.ClientSession() as http:
            kept = await http.ws_connect(url)
            cut = await http.ws_connect(url)
            while len(app_sockets) < 2:  # noqa: ASYNC110 - the server side registers itself
                await asyncio.sleep(0)
            spared = app_sockets[0]._req.transport
            served.abort_connections(sparing={spared})
            closed = await cut.receive(timeout=2)
            assert closed.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)
            await kept.send_str("still here")
            assert not kept.closed
            await kept.close()
    finally:
        await served.cleanup()


async def test_cancel_all_ends_every_unfinished_task() -> None:
    spawner = TaskSpawner()
    started = asyncio.Event()

    async def forever() -> None:
        started.set()
        await asyncio.Event().wait()

    task = spawner.spawn(forever())
    done = spawner.spawn(asyncio.sleep(0))
    await started.wait()
    await done
    await spawner.cancel_all()
    assert task.cancelled()
