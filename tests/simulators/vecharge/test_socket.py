"""The simulator's Socket.IO side, seen by a plain python-socketio client: handshake, the three
events in the seed's shapes, refusals in each style, close-on-off and drops."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import aiohttp
import pytest
import socketio  # type: ignore[import-untyped]

from .helpers import CHARGER_ID, TOKEN, RawClient, handshake_url

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from simulators.vecharge import VeChargeSimulator

SEED_TOP_KEYS = ["$_", "isNew", "$locals", "$op", "_doc", "$init", "energy"]
SEED_DOC_KEYS = [
    "location", "status", "power", "voltage", "current", "energy", "prev_energy", "currentUser",
    "isActive", "partnerId", "desiredDgStatus", "reportedDgStatus", "chargerMode",
    "chargerPrivateUsers", "_id", "detail", "operator", "address", "_v", "wifiConnectivity",
    "connectedTimestamp",
]  # fmt: skip
SEED_LOG_KEYS = [
    "deviceId", "voltage", "current", "power", "energy", "createdAt", "userId", "chargerId",
]  # fmt: skip


@pytest.fixture
async def raw(vecharge_sim: VeChargeSimulator) -> AsyncIterator[RawClient]:
    client = RawClient()
    await client.sio.connect(handshake_url(vecharge_sim.url))
    yield client
    await client.sio.disconnect()


async def _patch(sim: VeChargeSimulator, status: str, token: str = TOKEN) -> int:
    async with (
        aiohttp.ClientSession() as http,
        http.patch(
            sim.url + "/api/v1/charger/chargerDesiredState",
            json={"status": status, "chargerId": CHARGER_ID},
            headers={"Authorization": f"Bearer {token}"},
        ) as response,
    ):
        return response.status


async def test_connect_sends_the_seed_document_as_json_text(raw: RawClient) -> None:
    data = await raw.expect("chargerConnected")
    assert isinstance(data, str)  # double-encoded, as the seed's server does
    document = json.loads(data)
    assert list(document) == SEED_TOP_KEYS
    assert list(document["_doc"]) == SEED_DOC_KEYS
    assert document["$_"]["selected"] == {
        "certificate": 0, "privateKey": 0, "regularPrice": 0, "specialPrice": 0, "specialUsers": 0,
    }  # fmt: skip
    assert document["_doc"]["_id"] == CHARGER_ID
    assert document["_doc"]["status"] == "OFF"
    assert document["_doc"]["prev_energy"] == 36.44
    assert document["_doc"]["location"] == {"type": "Point", "coordinates": [77.0608, 28.7186]}


async def test_on_then_logs_with_numbers_as_strings(
    raw: RawClient, vecharge_sim: VeChargeSimulator
) -> None:
    await raw.expect("chargerConnected")
    assert await _patch(vecharge_sim, "ON") == 200
    assert await raw.expect("statusChanged") == '{"status":"ON"}'
    await vecharge_sim.clock.advance(5)
    log = json.loads(await raw.expect("newLog"))
    assert list(log) == SEED_LOG_KEYS
    assert (log["voltage"], log["current"], log["power"]) == ("230.00", "7.00", "1577.80")
    assert isinstance(log["energy"], float | int)
    assert log["createdAt"].endswith("Z")
    assert log["chargerId"] == CHARGER_ID
    assert log["deviceId"] == "veChargePoint0125896"


async def test_payloads_as_objects_when_asked(
    raw: RawClient, vecharge_sim: VeChargeSimulator
) -> None:
    await raw.expect("chargerConnected")
    vecharge_sim.options.payload_encoding = "object"
    vecharge_sim.options.document_form = "flat"
    await _patch(vecharge_sim, "ON")
    assert await raw.expect("statusChanged") == {"status": "ON"}
    other = RawClient()
    await other.sio.connect(handshake_url(vecharge_sim.url))
    document = await other.expect("chargerConnected")
    assert document["status"] == "ON"
    assert "_doc" not in document
    await other.sio.disconnect()


async def test_off_announces_then_closes_the_socket(
    raw: RawClient, vecharge_sim: VeChargeSimulator
) -> None:
    await raw.expect("chargerConnected")
    await _patch(vecharge_sim, "ON")
    assert await raw.expect("statusChanged") == '{"status":"ON"}'
    await vecharge_sim.clock.advance(60)
    await _patch(vecharge_sim, "OFF")
    assert await raw.expect("statusChanged") == '{"status":"OFF"}'
    assert await raw.wait_closed() == socketio.AsyncClient.reason.SERVER_DISCONNECT
    assert vecharge_sim.sockets_of(CHARGER_ID) == []


async def test_a_drop_is_a_transport_error(raw: RawClient, vecharge_sim: VeChargeSimulator) -> None:
    await raw.expect("chargerConnected")
    assert await vecharge_sim.drop() >= 1
    assert await raw.wait_closed() == socketio.AsyncClient.reason.TRANSPORT_ERROR


@pytest.mark.parametrize(
    ("token", "charger_id", "message", "status"),
    [
        ("wrong", CHARGER_ID, "Authentication error", 401),
        (TOKEN, "nope", "Charger not found", 404),
    ],
)
async def test_refusal_styles(
    vecharge_sim: VeChargeSimulator, token: str, charger_id: str, message: str, status: int
) -> None:
    url = handshake_url(vecharge_sim.url, token, charger_id)

    vecharge_sim.options.refusal_style = "connect_error"
    client = RawClient()
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.sio.connect(url)
    assert client.connect_error == {"message": message}

    vecharge_sim.options.refusal_style = "http_status"
    client = RawClient()
    with pytest.raises(socketio.exceptions.ConnectionError, match=f"status code {status}"):
        await client.sio.connect(url)
    assert client.connect_error == {"status": "fail", "message": message}

    vecharge_sim.options.refusal_style = "error_event"
    client = RawClient()
    await client.sio.connect(url)
    assert await client.expect("error") == message
    assert await client.wait_closed() is not None
    assert vecharge_sim.stats.refused == 3


async def test_engine_io_3_clients_are_turned_away(vecharge_sim: VeChargeSimulator) -> None:
    # What python-socketio 4.6.1 (the seed's pinned install) sends first; the server moved on.
    query = f"token=Bearer%20{TOKEN}&chargerId={CHARGER_ID}&transport=polling&EIO=3"
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{vecharge_sim.url}/socket.io/?{query}") as response,
    ):
        assert response.status == 400
    assert vecharge_sim.sockets_of(CHARGER_ID) == []


async def test_the_app_s_connect_to_thing_is_accepted(
    raw: RawClient, vecharge_sim: VeChargeSimulator
) -> None:
    await raw.expect("chargerConnected")
    await raw.sio.emit("connect_to_thing", CHARGER_ID)
    await _patch(vecharge_sim, "ON")
    assert await raw.expect("statusChanged") == '{"status":"ON"}'
