"""Fault hooks (contract: sim.faults) and dropped connections (§8 #20)."""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING

import aiohttp
import pytest

from .helpers import Live, open_live, validate

if TYPE_CHECKING:
    from simulators.bluecurrent import BlueCurrentSimulator


async def _wait_closed(live: Live) -> aiohttp.WSMessage:
    msg = await live.ws.receive(timeout=2)
    while msg.type is aiohttp.WSMsgType.TEXT:
        msg = await live.ws.receive(timeout=2)
    return msg


async def test_drop_without_close_frame(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, live: Live
) -> None:
    await simulator.faults.drop_connections()
    msg = await _wait_closed(live)
    assert msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)
    assert live.ws.close_code == 1006  # abnormal: no close frame
    # the listener stays up
    await validate(http, simulator.url)


@pytest.mark.parametrize("code", [1011, 4000, 1000])
async def test_drop_with_close_code(simulator: BlueCurrentSimulator, live: Live, code: int) -> None:
    task = simulator.faults.drop_connections(code=code)
    msg = await _wait_closed(live)
    await task
    assert msg.type is aiohttp.WSMsgType.CLOSE
    assert msg.data == code


async def test_drop_reaches_every_socket(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, token: str
) -> None:
    first = await open_live(http, simulator.url, token)
    second = await open_live(http, simulator.url, token, charge_points=False)
    await simulator.faults.drop_connections(code=4000)
    assert (await _wait_closed(first)).data == 4000
    assert (await _wait_closed(second)).data == 4000


async def test_reject_handshakes(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession
) -> None:
    simulator.faults.reject_handshakes("Request limit reached", count=2)
    for _ in range(2):
        with pytest.raises(aiohttp.WSServerHandshakeError) as info:
            await http.ws_connect(simulator.url)
        assert info.value.status == 403
        assert info.value.headers is not None
        assert info.value.headers["x-websocket-reject-reason"] == "Request limit reached"
    await validate(http, simulator.url)
    simulator.faults.reject_handshakes("Already connected", status=409, count=None)
    for _ in range(3):
        with pytest.raises(aiohttp.WSServerHandshakeError) as info:
            await http.ws_connect(simulator.url)
        assert info.value.status == 409
    simulator.faults.reject_handshakes("", count=0)
    await validate(http, simulator.url)
    assert simulator.connection_attempts == 7


async def test_delay_replies(simulator: BlueCurrentSimulator, live: Live) -> None:
    simulator.faults.delay_replies(0.15)
    await live.send("GET_CH_STATUS", evse_id="BCU101")
    assert await live.frames_for(0.08) == []
    assert (await live.recv())["object"] == "CH_STATUS"
    simulator.faults.delay_replies(0)
    await live.send("GET_CH_STATUS", evse_id="BCU101")
    assert len(await live.frames_for(0.05)) == 1


async def test_stop_answering_is_half_open(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, token: str
) -> None:
    ws = await http.ws_connect(simulator.url, autoping=False)
    live = Live(ws, token)
    await live.request("HELLO")
    await live.request("GET_CHARGE_POINTS", "CHARGE_POINTS")
    simulator.faults.stop_answering()
    await live.send("GET_CH_STATUS", evse_id="BCU101")
    await ws.ping(b"hello?")
    await simulator.unplug("BCU101")  # would push a CH_STATUS
    await simulator.clock.advance(60)  # would push GRID_CURRENT
    await live.no_frame(0.15)
    assert await simulator.wait_for_command("GET_CH_STATUS", timeout=1)  # still logged
    simulator.faults.resume_answering()
    await ws.ping(b"hello?")
    msg = await ws.receive(timeout=2)
    assert msg.type is aiohttp.WSMsgType.PONG
    assert (await live.request("GET_CH_STATUS", "CH_STATUS", evse_id="BCU101"))["evse_id"]
    await ws.close()


async def test_send_raw_and_send_object(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, live: Live, token: str
) -> None:
    # a socket without HELLO gets nothing
    async with http.ws_connect(simulator.url) as quiet:
        await simulator.faults.send_raw("{not json")
        await simulator.faults.send_object({"no_object": True})
        assert (await live.ws.receive(timeout=2)).data == "{not json"
        assert json.loads((await live.ws.receive(timeout=2)).data) == {"no_object": True}
        with pytest.raises(TimeoutError):
            await quiet.receive(timeout=0.1)


async def test_go_offline_and_come_back_on_the_same_port(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, live: Live
) -> None:
    port = simulator.port
    await simulator.faults.go_offline()
    msg = await _wait_closed(live)
    assert msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)
    with pytest.raises(aiohttp.ClientConnectorError):
        await http.ws_connect(simulator.url)
    await simulator.faults.come_back()
    assert simulator.port == port
    token = await validate(http, simulator.url)
    again = await open_live(http, simulator.url, token)
    assert (await again.request("GET_CH_STATUS", "CH_STATUS", evse_id="BCU101"))["evse_id"]
    await again.ws.close()


async def test_clear_forgets_pending_faults(simulator: BlueCurrentSimulator, live: Live) -> None:
    simulator.faults.fail_next("REBOOT", stage="none")
    simulator.faults.error_next("GET_CH_STATUS", 9, "x")
    simulator.faults.delay_replies(5)
    simulator.faults.clear()
    await live.send("GET_CH_STATUS", evse_id="BCU101")
    assert (await live.recv(timeout=1))["object"] == "CH_STATUS"
    await live.send("REBOOT", evse_id="BCU101")
    assert (await live.recv(timeout=1))["object"] == "RECEIVED_REBOOT"


async def test_bad_fail_stage(simulator: BlueCurrentSimulator) -> None:
    with pytest.raises(ValueError, match="stage"):
        simulator.faults.fail_next("REBOOT", stage="later")  # type: ignore[arg-type]


async def test_stop_is_clean_with_open_sockets(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, live: Live
) -> None:
    simulator.options.result_delay = 5  # a STATUS_ still pending at stop
    await live.send("REBOOT", evse_id="BCU101")
    await live.expect("RECEIVED_REBOOT")
    await asyncio.wait_for(simulator.stop(), 3)
    msg = await _wait_closed(live)
    assert msg.type is aiohttp.WSMsgType.CLOSE
    assert msg.data == 1001
    with pytest.raises(aiohttp.ClientConnectorError):
        await http.ws_connect(simulator.url)
