"""Data requests and their reply shapes (§3.2-3.6, §8 #7-9, #17)."""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from simulators.bluecurrent import BlueCurrentSimulator, Scenario, SimulatorOptions

from .helpers import OTHER_TOKEN, TOKEN, Live, open_live, validate

if TYPE_CHECKING:
    import aiohttp

TIMESTAMP = re.compile(r"^\d{8} \d{2}:\d{2}:\d{2}$")
STATUS_KEYS = {
    "evse_id",
    "actual_v1",
    "actual_v2",
    "actual_v3",
    "actual_p1",
    "actual_p2",
    "actual_p3",
    "actual_kwh",
    "activity",
    "vehicle_status",
    "max_usage",
    "smartcharging_max_usage",
    "max_offline",
    "offline_since",
    "start_datetime",
    "stop_datetime",
    "total_cost",
}
SETTING = {"value", "permission"}
CARD_REF = {"uid", "id", "name", "customer_name", "valid"}


async def test_charge_points_entries(live: Live) -> None:
    reply = await live.request("GET_CHARGE_POINTS", "CHARGE_POINTS")
    assert [p["evse_id"] for p in reply["data"]] == ["BCU101", "BCU102"]
    first, second = reply["data"]
    assert first["name"] == "Driveway"
    assert first["model_type"] == "H:MOVE-C32T2"
    assert first["chargepoint_type"] == "HIDDEN"
    assert first["is_cable"] is True
    assert first["activity"] == "charging"
    assert second["activity"] == "available"
    for key in ("public_charging", "plug_and_charge", "delayed_charging", "led_interaction"):
        assert set(first[key]) == SETTING
        assert isinstance(first[key]["value"], bool)
    assert first["plug_and_charge"]["value"] is True
    assert first["public_charging"]["value"] is False
    assert isinstance(first["price_based_charging"]["value"], bool)
    assert first["smart_charging"] is False
    assert isinstance(first["smart_charging_dynamic"], bool)
    assert isinstance(first["plug_and_charge_notification"], bool)
    for key in ("default_card", "preferred_card", "plug_and_charge_card"):
        assert set(first[key]) == CARD_REF
    assert first["default_card"]["uid"] == "BCU-APP"
    assert second["default_card"]["uid"] == "04A1B2C3D4E5F6"
    assert second["default_card"]["id"] == "NL-BCU-123456-7"
    assert first["tariff"]["price_in_vat"] == 0.25
    assert first["tariff"]["currency"] == "EUR"
    assert {"tariff_id", "price_ex_vat", "start_price_ex_vat", "start_price_in_vat"} <= set(
        first["tariff"]
    )
    assert set(first["location"]) == {
        "x_coord",
        "y_coord",
        "street",
        "housenumber",
        "zipcode",
        "city",
        "country",
    }


async def test_ch_status_shape(live: Live) -> None:
    reply = await live.request("GET_CH_STATUS", "CH_STATUS", evse_id="BCU101")
    assert reply["evse_id"] == "BCU101"
    data = reply["data"]
    assert set(data) == STATUS_KEYS
    assert data["evse_id"] == "BCU101"
    assert data["activity"] == "charging"
    assert data["vehicle_status"] == "C"
    for key in ("actual_v1", "actual_v2", "actual_v3"):
        assert 225 <= data[key] <= 235
    for key in ("actual_p1", "actual_p2", "actual_p3"):
        assert 15 <= data[key] <= 16
    assert data["max_usage"] == 16
    assert data["smartcharging_max_usage"] == 6
    assert data["max_offline"] == 10
    assert data["offline_since"] == ""
    assert TIMESTAMP.match(data["start_datetime"])
    assert TIMESTAMP.match(data["stop_datetime"])
    assert data["stop_datetime"] < data["start_datetime"]  # the previous session's stop
    assert data["actual_kwh"] == pytest.approx(5.2)
    assert data["total_cost"] == pytest.approx(0.5 + 5.2 * 0.25, abs=0.01)

    idle = (await live.request("GET_CH_STATUS", "CH_STATUS", evse_id="BCU102"))["data"]
    assert set(idle) == STATUS_KEYS
    assert idle["activity"] == "available"
    assert idle["vehicle_status"] == "A"
    assert [idle[f"actual_p{i}"] for i in (1, 2, 3)] == [0, 0, 0]
    assert idle["actual_kwh"] == pytest.approx(8.0)


async def test_ch_status_timestamps_are_amsterdam_local(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    point = simulator.charge_point("BCU101")
    assert point.last_start is not None
    data = (await live.request("GET_CH_STATUS", "CH_STATUS", evse_id="BCU101"))["data"]
    local = point.last_start.astimezone(ZoneInfo("Europe/Amsterdam"))
    assert data["start_datetime"] == local.strftime("%Y%m%d %H:%M:%S")


async def test_ch_settings_shape(live: Live) -> None:
    reply = await live.request("GET_CH_SETTINGS", "CH_SETTINGS", evse_id="BCU102")
    data = reply["data"]
    assert data["evse_id"] == "BCU102"
    assert set(data) == {
        "evse_id",
        "plug_and_charge",
        "public_charging",
        "default_card",
        "preferred_card",
        "plug_and_charge_card",
        "plug_and_charge_charge_card",
        "smart_charging",
        "smart_charging_dynamic",
        "model_type",
        "is_cable",
        "chargepoint_type",
        "plug_and_charge_notification",
        "led_intensity",
        "led_interaction",
    }
    assert data["plug_and_charge"] == {"value": False, "permission": "write"}
    assert data["public_charging"]["value"] is True
    assert data["plug_and_charge_card"] == data["plug_and_charge_charge_card"]


@pytest.mark.parametrize("key", ["plug_and_charge_card", "plug_and_charge_charge_card"])
async def test_pnc_card_key_option(
    socket_enabled: None, http: aiohttp.ClientSession, key: str
) -> None:
    other = ({"plug_and_charge_card", "plug_and_charge_charge_card"} - {key}).pop()
    async with BlueCurrentSimulator(
        Scenario.builtin("test"),
        options=SimulatorOptions(pnc_card_key=key),  # type: ignore[arg-type]
    ) as sim:
        live = await open_live(http, sim.url, await validate(http, sim.url))
        settings = (await live.request("GET_CH_SETTINGS", "CH_SETTINGS", evse_id="BCU101"))["data"]
        assert key in settings
        assert other not in settings
        points = (await live.request("GET_CHARGE_POINTS", "CHARGE_POINTS"))["data"]
        assert key in points[0]
        assert other not in points[0]
        await live.ws.close()


async def test_grid_status_and_shared_grid(simulator: BlueCurrentSimulator, live: Live) -> None:
    first = await live.request("GET_GRID_STATUS", "GRID_STATUS", evse_id="BCU101")
    second = await live.request("GET_GRID_STATUS", "GRID_STATUS", evse_id="BCU102")
    assert first["data"]["id"] == second["data"]["id"] == "GRID-BCU101"
    data = first["data"]
    assert set(data) == {
        "id",
        "grid_actual_p1",
        "grid_actual_p2",
        "grid_actual_p3",
        "grid_max_install",
        "grid_max_reserved",
    }
    assert data["grid_max_install"] == 40
    assert data["grid_max_reserved"] == 25
    # base load 2.0/3.0/1.5 A plus BCU101's ~16 A on every phase
    point = simulator.charge_point("BCU101")
    for phase, base in enumerate((2.0, 3.0, 1.5), start=1):
        assert isinstance(data[f"grid_actual_p{phase}"], int | float)
        assert data[f"grid_actual_p{phase}"] == pytest.approx(
            base + point.currents[phase - 1], abs=0.5
        )


async def test_charge_cards(live: Live) -> None:
    reply = await live.request("GET_CHARGE_CARDS", "CHARGE_CARDS", limit=100)
    assert reply["default_card"] == {"uid": "BCU-APP", "id": "BCU-APP"}
    assert [c["uid"] for c in reply["cards"]] == ["04A1B2C3D4E5F6", "0499887766554433"]
    card = reply["cards"][0]
    assert set(card) == {
        "uid",
        "id",
        "name",
        "customer_name",
        "valid",
        "date_created",
        "date_modified",
        "date_became_invalid",
    }
    assert card["valid"] == 1
    limited = await live.request("GET_CHARGE_CARDS", "CHARGE_CARDS", limit=1)
    assert len(limited["cards"]) == 1


async def test_pipelined_requests(live: Live) -> None:
    requests = [
        ("GET_CH_STATUS", {"evse_id": "BCU101"}),
        ("GET_CH_STATUS", {"evse_id": "BCU102"}),
        ("GET_GRID_STATUS", {"evse_id": "BCU101"}),
        ("GET_CH_SETTINGS", {"evse_id": "BCU101"}),
        ("GET_CHARGE_CARDS", {"limit": 100}),
    ]
    await asyncio.gather(*(live.send(name, **fields) for name, fields in requests))
    frames = [await live.recv() for _ in requests]
    objects = sorted(f["object"] for f in frames)
    assert objects == sorted(
        ["CH_STATUS", "CH_STATUS", "GRID_STATUS", "CH_SETTINGS", "CHARGE_CARDS"]
    )
    assert {f["evse_id"] for f in frames if f["object"] == "CH_STATUS"} == {"BCU101", "BCU102"}


@pytest.mark.parametrize("evse_id", ["BCU900", "BCU999999"], ids=["foreign", "unknown"])
@pytest.mark.parametrize(
    "command", ["GET_CH_STATUS", "GET_CH_SETTINGS", "GET_GRID_STATUS", "SET_INOPERATIVE"]
)
async def test_foreign_evse_is_not_authorized(live: Live, evse_id: str, command: str) -> None:
    await live.send(command, evse_id=evse_id)
    assert await live.recv() == {"object": "ERROR", "error": 2, "message": "Not authorized"}


async def test_foreign_evse_error_option(socket_enabled: None, http: aiohttp.ClientSession) -> None:
    options = SimulatorOptions(foreign_evse_error=(403, "forbidden"))
    async with BlueCurrentSimulator(Scenario.builtin("test"), options=options) as sim:
        live = await open_live(http, sim.url, await validate(http, sim.url))
        await live.send("SET_OPERATIVE", evse_id="BCU900")
        assert await live.recv() == {"object": "ERROR", "error": 403, "message": "forbidden"}
        await live.ws.close()


async def test_accounts_see_only_their_points(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession
) -> None:
    other = await open_live(http, simulator.url, await validate(http, simulator.url, OTHER_TOKEN))
    points = (await other.request("GET_CHARGE_POINTS", "CHARGE_POINTS"))["data"]
    assert [p["evse_id"] for p in points] == ["BCU900"]
    await other.send("GET_CH_STATUS", evse_id="BCU101")
    assert (await other.recv())["error"] == 2
    await other.ws.close()


async def test_added_and_removed_charge_points(simulator: BlueCurrentSimulator, live: Live) -> None:
    simulator.add_charge_point(TOKEN, {"evse_id": "BCU103", "name": "Barn"})
    points = (await live.request("GET_CHARGE_POINTS", "CHARGE_POINTS"))["data"]
    assert [p["evse_id"] for p in points] == ["BCU101", "BCU102", "BCU103"]
    grid = await live.request("GET_GRID_STATUS", "GRID_STATUS", evse_id="BCU103")
    assert grid["data"]["id"] == "GRID-BCU103"
    simulator.remove_charge_point("BCU102")
    points = (await live.request("GET_CHARGE_POINTS", "CHARGE_POINTS"))["data"]
    assert [p["evse_id"] for p in points] == ["BCU101", "BCU103"]
    await live.send("GET_CH_STATUS", evse_id="BCU102")
    assert (await live.recv())["error"] == 2
    with pytest.raises(ValueError, match="exists"):
        simulator.add_charge_point(TOKEN, {"evse_id": "BCU101"})
