"""Connecting, validating the token, one-shot sockets and the auth check (§1, §8 #1-6)."""

from __future__ import annotations

import json
from typing import Literal

import aiohttp
import pytest

from simulators.bluecurrent import BlueCurrentSimulator, SimulatorOptions

from .helpers import SJCL_PASSWORD, TOKEN, Live, one_shot, open_live, validate


async def test_validate_returns_auth_token_and_customer(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession
) -> None:
    reply = await one_shot(http, simulator.url, {"command": "VALIDATE_API_TOKEN", "token": TOKEN})
    assert reply["object"] == "STATUS_API_TOKEN"
    assert reply["success"] is True
    assert reply["customer_id"] == "1001"
    assert isinstance(reply["token"], str)
    assert reply["token"]
    assert reply["token"] != TOKEN
    # a second validation hands out the same auth token (reconnects reuse it)
    assert await validate(http, simulator.url) == reply["token"]
    assert simulator.auth_token(TOKEN) == reply["token"]


async def test_validate_bad_token(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession
) -> None:
    reply = await one_shot(http, simulator.url, {"command": "VALIDATE_API_TOKEN", "token": "nope"})
    assert reply == {"object": "STATUS_API_TOKEN", "success": False, "error": ""}


async def test_one_shot_reply_is_the_first_frame(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, token: str
) -> None:
    # state changes while a non-HELLO socket is open must not reach it
    async with http.ws_connect(simulator.url) as ws:
        await simulator.unplug("BCU101")
        await simulator.clock.advance(60)
        await ws.send_str(json.dumps({"command": "GET_ACCOUNT", "Authorization": f"Token {token}"}))
        first = json.loads((await ws.receive(timeout=2)).data)
        assert first["object"] == "ACCOUNT"
        assert first["login"] == "owner@example.com"
        assert first["email"] == "owner@example.com"
        assert first["full_name"] == "Test Owner"
        with pytest.raises(TimeoutError):
            await ws.receive(timeout=0.1)


@pytest.mark.parametrize(
    "authorization",
    [None, "Token not-a-token", "not-a-token", TOKEN, f"Token {TOKEN}"],
    ids=["missing", "unknown", "no-prefix", "api-token-bare", "api-token"],
)
async def test_every_command_needs_a_valid_auth_token(
    simulator: BlueCurrentSimulator,
    http: aiohttp.ClientSession,
    token: str,
    authorization: str | None,
) -> None:
    command = {"command": "GET_CHARGE_POINTS"}
    if authorization is not None:
        command["Authorization"] = authorization
    reply = await one_shot(http, simulator.url, command)
    assert reply == {"object": "ERROR", "error": 1, "message": "Invalid Auth Token"}
    reply = await one_shot(
        http, simulator.url, {"command": "GET_CHARGE_POINTS", "Authorization": f"Token {token}"}
    )
    assert reply["object"] == "CHARGE_POINTS"


async def test_hello_before_validation_is_refused(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession
) -> None:
    reply = await one_shot(http, simulator.url, {"command": "HELLO", "header": "homeassistant"})
    assert reply["object"] == "ERROR"
    assert reply["error"] == 1


async def test_revoked_token(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, live: Live
) -> None:
    simulator.revoke_token(TOKEN)
    await live.send("GET_CHARGE_POINTS")
    assert await live.expect("ERROR") == {
        "object": "ERROR",
        "error": 1,
        "message": "Invalid Auth Token",
    }
    reply = await one_shot(http, simulator.url, {"command": "VALIDATE_API_TOKEN", "token": TOKEN})
    assert reply["success"] is False


async def test_unknown_command_and_malformed_frames(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    await live.send("GET_WEATHER")
    assert await live.recv() == {"object": "ERROR", "error": 0, "message": "Unknown command"}
    await live.ws.send_str("this is not json")
    assert await live.recv() == {"object": "ERROR", "error": 9, "message": "Unknown error"}
    await live.ws.send_str("[1, 2]")
    assert (await live.recv())["error"] == 9
    await live.ws.send_str(json.dumps({"no": "command"}))
    assert (await live.recv())["error"] == 9
    await live.send("GET_CH_STATUS")  # evse_id missing
    assert (await live.recv())["error"] == 9
    assert simulator.received[-1].name == "GET_CH_STATUS"
    assert simulator.received[-3].name == ""


async def test_pings_are_answered(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession
) -> None:
    async with http.ws_connect(simulator.url, autoping=False) as ws:
        await ws.ping(b"are you there")
        msg = await ws.receive(timeout=2)
        assert msg.type is aiohttp.WSMsgType.PONG
        assert msg.data == b"are you there"


async def test_log_keeps_commands_as_received(
    simulator: BlueCurrentSimulator, live: Live, token: str
) -> None:
    await live.request("GET_CH_STATUS", "CH_STATUS", evse_id="BCU102")
    names = [rc.name for rc in simulator.received]
    assert names == ["VALIDATE_API_TOKEN", "HELLO", "GET_CHARGE_POINTS", "GET_CH_STATUS"]
    hello = simulator.commands("HELLO")[0]
    assert hello == {
        "command": "HELLO",
        "header": "homeassistant",
        "Authorization": f"Token {token}",
    }
    assert simulator.commands(evse_id="BCU102") == [
        {"command": "GET_CH_STATUS", "evse_id": "BCU102", "Authorization": f"Token {token}"}
    ]
    record = simulator.received[-1]
    assert record.path == "/haserver"
    assert record.at == simulator.clock.now()
    assert record.connection_id == simulator.received[1].connection_id
    assert record.connection_id != simulator.received[0].connection_id  # the one-shot


async def test_wait_for_command_returns_each_command_once(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    await live.request("GET_CH_STATUS", "CH_STATUS", evse_id="BCU101")
    first = await simulator.wait_for_command("GET_CH_STATUS")
    assert first["evse_id"] == "BCU101"
    with pytest.raises(TimeoutError):
        await simulator.wait_for_command("GET_CH_STATUS", timeout=0.05)
    await live.send("GET_CH_STATUS", evse_id="BCU102")
    second = await simulator.wait_for_command("GET_CH_STATUS", evse_id="BCU102", timeout=2)
    assert second["evse_id"] == "BCU102"


async def test_counters(simulator: BlueCurrentSimulator, http: aiohttp.ClientSession) -> None:
    assert simulator.connection_attempts == 0
    token = await validate(http, simulator.url)
    live = await open_live(http, simulator.url, token)
    assert simulator.connection_attempts == 2
    assert simulator.open_connections == 1
    assert simulator.requests_today == 3
    await live.ws.close()
    await simulator.clock.advance(0)  # let the server notice
    for _ in range(20):
        if simulator.open_connections == 0:
            break
        await live.frames_for(0.01)
    assert simulator.open_connections == 0


async def test_urls(simulator: BlueCurrentSimulator) -> None:
    assert simulator.url == f"ws://127.0.0.1:{simulator.port}/haserver"
    assert simulator.app_url == f"ws://127.0.0.1:{simulator.port}/appserver/2.0"
    assert simulator.rest_url == f"http://127.0.0.1:{simulator.port}/app/bc_api/api/v2.0"
    assert simulator.port > 0


async def test_app_login_then_hello(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession
) -> None:
    async with http.ws_connect(simulator.app_url) as ws:
        await ws.send_str(
            json.dumps(
                {
                    "command": "VALIDATE_PASSWORD",
                    "username": "Owner@Example.com",
                    "password": SJCL_PASSWORD,
                }
            )
        )
        login = json.loads((await ws.receive(timeout=2)).data)
        assert login["object"] == "STATUS_PASSWORD"
        assert login["accepted"] is True
        live = Live(ws, login["token"])
        assert await live.request("HELLO") == {"object": "HELLO"}
        sustainability = await live.request("GET_SUSTAINABILITY_STATUS", "SUSTAINABILITY_STATUS")
        assert isinstance(sustainability["trees"], int)
        assert isinstance(sustainability["co2"], float)
        await ws.send_str(
            json.dumps(
                {
                    "command": "VALIDATE_PASSWORD",
                    "username": "nobody@x.y",
                    "password": SJCL_PASSWORD,
                }
            )
        )
        assert json.loads((await ws.receive(timeout=2)).data) == {
            "object": "STATUS_PASSWORD",
            "accepted": False,
        }
    assert simulator.received[0].path == "/appserver/2.0"


async def test_non_websocket_request_is_refused(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"http://127.0.0.1:{simulator.port}/haserver") as response:
        assert response.status >= 400


@pytest.mark.parametrize(
    ("password_check", "password", "accepted"),
    [
        ("sjcl_envelope", SJCL_PASSWORD, True),
        ("sjcl_envelope", "hunter2", False),
        ("sjcl_envelope", json.dumps({**json.loads(SJCL_PASSWORD), "mode": "gcm"}), False),
        ("sjcl_envelope", json.dumps({**json.loads(SJCL_PASSWORD), "ct": "not base64!"}), False),
        ("non_empty", "hunter2", True),
        ("non_empty", "", False),
    ],
)
async def test_app_login_password_check(
    socket_enabled: None,
    http: aiohttp.ClientSession,
    password_check: Literal["sjcl_envelope", "non_empty"],
    password: str,
    *,
    accepted: bool,
) -> None:
    options = SimulatorOptions(password_check=password_check)
    async with BlueCurrentSimulator(options=options) as sim:
        reply = await one_shot(
            http,
            sim.app_url,
            {"command": "VALIDATE_PASSWORD", "username": "owner@example.com", "password": password},
        )
    assert reply["object"] == "STATUS_PASSWORD"
    assert reply["accepted"] is accepted
    assert ("token" in reply) is accepted
