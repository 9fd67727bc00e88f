"""The daily request budget and "Already connected" (§5.1, §8 #18-19)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import aiohttp
import pytest

from simulators.bluecurrent import BlueCurrentSimulator, Scenario, SimClock, SimulatorOptions

from .helpers import TOKEN, open_live, validate

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

# 23:59:00 in Amsterdam on a winter day (CET, UTC+1)
BEFORE_MIDNIGHT = datetime(2026, 1, 14, 22, 59, tzinfo=UTC)


@pytest.fixture
async def limited(socket_enabled: None) -> AsyncIterator[BlueCurrentSimulator]:
    clock = SimClock(BEFORE_MIDNIGHT)
    options = SimulatorOptions(request_limit=4)
    async with BlueCurrentSimulator(Scenario.builtin("test"), options=options, clock=clock) as sim:
        yield sim


async def _upgrade_refused(http: aiohttp.ClientSession, url: str) -> aiohttp.WSServerHandshakeError:
    with pytest.raises(aiohttp.WSServerHandshakeError) as info:
        await http.ws_connect(url)
    return info.value


async def test_limit_reached(limited: BlueCurrentSimulator, http: aiohttp.ClientSession) -> None:
    token = await validate(http, limited.url)  # 1
    live = await open_live(http, limited.url, token)  # 2, 3
    # a one-shot opened before the budget ran out gets ERROR 42
    async with http.ws_connect(limited.url) as ws:
        await live.request("GET_CH_STATUS", "CH_STATUS", evse_id="BCU101")  # 4: the last one
        assert limited.requests_today == 4
        await live.send("GET_CH_STATUS", evse_id="BCU101")  # 5: over the limit
        msg = await live.ws.receive(timeout=2)
        assert msg.type is aiohttp.WSMsgType.CLOSE
        assert msg.data == 4001
        assert msg.extra == "Request limit reached"
        await ws.send_json({"command": "GET_ACCOUNT", "Authorization": f"Token {token}"})
        assert (await ws.receive_json(timeout=2)) == {
            "object": "ERROR",
            "error": 42,
            "message": "Request limit reached",
        }

    refused = await _upgrade_refused(http, limited.url)
    assert refused.status == 403
    assert refused.headers is not None
    assert refused.headers["x-websocket-reject-reason"] == "Request limit reached"
    assert limited.requests_today == 6
    assert limited.connection_attempts == 4


async def test_one_shot_over_limit_closes_live_sockets(
    limited: BlueCurrentSimulator, http: aiohttp.ClientSession
) -> None:
    token = await validate(http, limited.url)
    live = await open_live(http, limited.url, token, charge_points=False)
    async with http.ws_connect(limited.url) as ws:
        await validate(http, limited.url)
        await validate(http, limited.url)  # 4
        await ws.send_json({"command": "VALIDATE_API_TOKEN", "token": TOKEN})
        assert (await ws.receive_json(timeout=2))["error"] == 42
    msg = await live.ws.receive(timeout=2)
    assert msg.type is aiohttp.WSMsgType.CLOSE
    assert msg.data == 4001


async def test_budget_resets_at_amsterdam_midnight(
    limited: BlueCurrentSimulator, http: aiohttp.ClientSession
) -> None:
    for _ in range(4):
        await validate(http, limited.url)
    await _upgrade_refused(http, limited.url)
    await limited.clock.advance(59)  # 23:59:59 local
    await _upgrade_refused(http, limited.url)
    await limited.clock.advance(1)  # 00:00:00 local = 23:00 UTC
    assert limited.requests_today == 0
    await validate(http, limited.url)
    assert limited.requests_today == 1


async def test_budget_day_follows_dst(socket_enabled: None, http: aiohttp.ClientSession) -> None:
    # summer: midnight in Amsterdam is 22:00 UTC
    clock = SimClock(datetime(2026, 7, 1, 21, 59, 50, tzinfo=UTC))
    options = SimulatorOptions(request_limit=1)
    async with BlueCurrentSimulator(Scenario.builtin("test"), options=options, clock=clock) as sim:
        await validate(http, sim.url)
        await _upgrade_refused(http, sim.url)
        await clock.advance(10)
        await validate(http, sim.url)


async def test_limit_can_change_at_runtime(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession
) -> None:
    await validate(http, simulator.url)
    simulator.set_request_limit(1)
    await _upgrade_refused(http, simulator.url)
    simulator.set_request_limit(None)
    await validate(http, simulator.url)


async def test_already_connected(socket_enabled: None, http: aiohttp.ClientSession) -> None:
    options = SimulatorOptions(reject_second_connection=True)
    async with BlueCurrentSimulator(Scenario.builtin("test"), options=options) as sim:
        token = await validate(http, sim.url)
        # one-shots are fine while nothing is HELLO'd
        assert await validate(http, sim.url) == token
        live = await open_live(http, sim.url, token)
        refused = await _upgrade_refused(http, sim.url)
        assert refused.status == 403
        assert refused.headers is not None
        assert refused.headers["x-websocket-reject-reason"] == "Already connected"
        await live.ws.close()
        for _ in range(50):
            if sim.open_connections == 0:
                break
            await live.frames_for(0.01)
        await validate(http, sim.url)


async def test_second_connection_allowed_by_default(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, token: str
) -> None:
    first = await open_live(http, simulator.url, token)
    second = await open_live(http, simulator.url, token)
    assert simulator.open_connections == 2
    await first.ws.close()
    await second.ws.close()
