"""Odd frame shapes a client must survive (issue 14): refusals, missing keys, odd CH_STATUS."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from simulators.bluecurrent import BlueCurrentSimulator, SimulatorOptions

from .helpers import Live, open_live, validate

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    import aiohttp


@pytest.fixture
async def strict_live(
    socket_enabled: None, http: aiohttp.ClientSession
) -> AsyncIterator[tuple[BlueCurrentSimulator, Live]]:
    """A simulator whose HA server refuses app-only commands, and a live HA socket on it."""
    options = SimulatorOptions(haserver_refuses_app_only=True, failed_setting_names_requested=True)
    async with BlueCurrentSimulator(options=options) as sim:
        token = await validate(http, sim.url)
        live = await open_live(http, sim.url, token)
        yield sim, live
        await live.ws.close()


@pytest.mark.parametrize(
    ("command", "fields"),
    [
        ("UNLOCK_CONNECTOR", {"evse_id": "BCU101"}),
        ("SET_PLUG_AND_CHARGE_CHARGE_CARD", {"evse_id": "BCU101", "token_uid": "BCU-APP"}),
        ("SET_PRICE_BASED_SETTINGS", {"evse_id": "BCU101", "minimum_pct": 20}),
    ],
)
async def test_haserver_refuses_app_only_commands(
    strict_live: tuple[BlueCurrentSimulator, Live],
    http: aiohttp.ClientSession,
    command: str,
    fields: dict[str, str | int],
) -> None:
    sim, live = strict_live
    assert await live.request(command, "ERROR", **fields) == {
        "object": "ERROR",
        "error": 0,
        "message": "Unknown command",
    }
    # the app socket still serves them
    app = await open_live(http, sim.app_url, live.token)
    await app.send(command, **fields)
    reply = await app.expect(f"STATUS_{command}", timeout=2)
    assert reply["evse_id"] == "BCU101"
    await app.ws.close()


async def test_haserver_serves_app_only_commands_by_default(live: Live) -> None:
    ack = await live.request("UNLOCK_CONNECTOR", "RECEIVED_UNLOCK_CONNECTOR", evse_id="BCU101")
    assert ack["success"] is True


async def test_grid_status_without_id_once(simulator: BlueCurrentSimulator, live: Live) -> None:
    simulator.faults.frames.rewrite_next("GRID_STATUS", remove=["data.id"])
    first = await live.request("GET_GRID_STATUS", "GRID_STATUS", evse_id="BCU101")
    assert "id" not in first["data"]
    assert "grid_actual_p1" in first["data"]
    second = await live.request("GET_GRID_STATUS", "GRID_STATUS", evse_id="BCU101")
    assert second["data"]["id"] == "GRID-BCU101"


async def test_grid_current_push_without_evse_id(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    simulator.faults.frames.rewrite_next("GRID_CURRENT", remove=["evse_id"])
    await simulator.push_grid("BCU101")
    push = await live.expect("GRID_CURRENT")
    assert "evse_id" not in push
    assert {"grid_actual_p1", "grid_actual_p2", "grid_actual_p3"} <= set(push)


@pytest.mark.parametrize("command", ["SET_PLUG_AND_CHARGE", "SET_PUBLIC_CHARGING"])
async def test_setting_result_without_evse_id(
    simulator: BlueCurrentSimulator, live: Live, command: str
) -> None:
    simulator.faults.frames.rewrite_next(f"STATUS_{command}", remove=["evse_id"])
    ack = await live.request(command, f"RECEIVED_{command}", evse_id="BCU101", value=True)
    assert ack["evse_id"] == "BCU101"
    result = await live.expect(f"STATUS_{command}")
    assert "evse_id" not in result
    assert result["success"] is True


async def test_failed_setting_names_the_requested_value(
    strict_live: tuple[BlueCurrentSimulator, Live],
) -> None:
    sim, live = strict_live
    current = sim.charge_point("BCU101").public_charging
    sim.faults.fail_next("SET_PUBLIC_CHARGING", "TIMEOUT")
    await live.send("SET_PUBLIC_CHARGING", evse_id="BCU101", value=not current)
    result = await live.expect("STATUS_SET_PUBLIC_CHARGING")
    assert result["success"] is False
    # the requested value, not the current one
    assert result["result"] == {"setting": f"set {str(not current).lower()}"}
    assert sim.charge_point("BCU101").public_charging is current


async def test_one_empty_charge_points_reply(simulator: BlueCurrentSimulator, live: Live) -> None:
    simulator.faults.frames.rewrite_next("CHARGE_POINTS", values={"data": []})
    empty = await live.request("GET_CHARGE_POINTS", "CHARGE_POINTS")
    assert empty["data"] == []
    again = await live.request("GET_CHARGE_POINTS", "CHARGE_POINTS")
    assert [p["evse_id"] for p in again["data"]] == ["BCU101", "BCU102"]


async def test_one_charge_point_status_always_fails(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    simulator.faults.frames.error_always("GET_CH_STATUS", evse_id="BCU102")
    for _ in range(2):
        error = await live.request("GET_CH_STATUS", "ERROR", evse_id="BCU102")
        assert error == {"object": "ERROR", "error": 9, "message": "Unknown error"}
    healthy = await live.request("GET_CH_STATUS", "CH_STATUS", evse_id="BCU101")
    assert healthy["evse_id"] == "BCU101"
    simulator.faults.frames.stop_erroring("GET_CH_STATUS")
    recovered = await live.request("GET_CH_STATUS", "CH_STATUS", evse_id="BCU102")
    assert recovered["data"]["evse_id"] == "BCU102"


async def test_ch_status_with_odd_values(simulator: BlueCurrentSimulator, live: Live) -> None:
    current = simulator.charge_point("BCU101").session_kwh
    odd = {
        "start_datetime": None,
        "stop_datetime": "",
        "offline_since": None,
        "actual_kwh": round(current - 3.0, 2),  # an energy dip
        "actual_v1": -230,
        "actual_p1": 1e308,
        "actual_p2": -1e308,
        "actual_p3": -6.0,
        "total_cost": 1e200,
    }
    await simulator.faults.frames.send_status("BCU101", **odd)
    frame = await live.expect("CH_STATUS", evse_id="BCU101")
    assert {key: frame["data"][key] for key in odd} == odd
    assert frame["data"]["activity"] == "charging"  # the rest is the real state


async def test_late_frame_of_the_previous_session(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    await simulator.unplug("BCU101")
    ended = await live.expect("CH_STATUS", evse_id="BCU101")
    await simulator.plug_in("BCU101")
    started = await live.expect("CH_STATUS", evse_id="BCU101")
    assert started["data"]["start_datetime"] != ended["data"]["start_datetime"]
    await simulator.faults.frames.resend_status("BCU101", frames_back=1)
    late = await live.expect("CH_STATUS", evse_id="BCU101")
    assert late == ended
    with pytest.raises(IndexError):
        simulator.faults.frames.resend_status("BCU101", frames_back=99)
