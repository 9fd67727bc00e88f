"""Smart-charging commands (§6.1, §8 #16) and override-current schedules (§3.8, §6.2, §8 #15)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from simulators.bluecurrent import (
    BlueCurrentSimulator,
    OverrideSchedule,
    Scenario,
    SimulatorOptions,
)

from .helpers import open_live, validate

if TYPE_CHECKING:
    import aiohttp

    from .helpers import Live

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Wednesday 2026-01-14 12:00 in Amsterdam (CET)
NOON_WEDNESDAY = datetime(2026, 1, 14, 11, 0, tzinfo=UTC)


async def _point(live: Live, evse_id: str) -> dict:
    points = (await live.request("GET_CHARGE_POINTS", "CHARGE_POINTS"))["data"]
    return next(p for p in points if p["evse_id"] == evse_id)


async def _two_replies(live: Live, command: str, **fields: object) -> tuple[dict, dict]:
    await live.send(command, **fields)
    received = await live.expect(f"RECEIVED_{command}")
    status = await live.expect(f"STATUS_{command}")
    return received, status


async def test_delayed_charging_holds_the_session_until_boost(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    received, status = await _two_replies(
        live, "SET_DELAYED_CHARGING", evse_id="BCU101", value=True
    )
    assert received["success"] is True
    assert status["success"] is True
    assert status["error"] == ""
    push = await live.expect("CH_STATUS", evse_id="BCU101")
    assert push["data"]["activity"] == "delayed"
    assert push["data"]["actual_p1"] == 0
    assert push["data"]["vehicle_status"] == "B"
    point = await _point(live, "BCU101")
    assert point["smart_charging"] is True
    assert point["delayed_charging"]["value"] is True
    assert point["price_based_charging"]["value"] is False
    assert point["activity"] == "delayed"

    await _two_replies(live, "OVERRIDE_DELAYED_CHARGING_TIMEOUT", evse_id="BCU101", value=True)
    push = await live.expect("CH_STATUS", evse_id="BCU101")
    assert push["data"]["activity"] == "charging"
    # smart charging caps the current at smartcharging_max_usage (6 A)
    assert 5 <= push["data"]["actual_p1"] <= 6


async def test_delayed_window(simulator: BlueCurrentSimulator, live: Live) -> None:
    simulator.clock.set(NOON_WEDNESDAY)
    await _two_replies(
        live,
        "SAVE_SCHEDULE_DELAYED_CHARGING",
        evse_id="BCU101",
        days="[1,4]",  # Monday and Thursday only
        start_time="20:00",
        end_time="10:00",
    )
    await _two_replies(live, "SET_DELAYED_CHARGING", evse_id="BCU101", value=True)
    await simulator.clock.advance(1)
    assert simulator.charge_point("BCU101").activity == "charging"
    # Thursday 2026-01-15 21:00 local lies inside the window
    simulator.clock.set(datetime(2026, 1, 15, 20, 0, tzinfo=UTC))
    await simulator.clock.advance(1)
    push = await live.expect("CH_STATUS", evse_id="BCU101")
    assert push["data"]["activity"] == "delayed"
    # ... and Friday 09:00 too (the window runs overnight), Friday 10:30 not
    simulator.clock.set(datetime(2026, 1, 16, 8, 0, tzinfo=UTC))
    await simulator.clock.advance(1)
    assert simulator.charge_point("BCU101").activity == "delayed"
    simulator.clock.set(datetime(2026, 1, 16, 9, 30, tzinfo=UTC))
    await simulator.clock.advance(1)
    assert simulator.charge_point("BCU101").activity == "charging"


async def test_price_based_profile_and_boost(simulator: BlueCurrentSimulator, live: Live) -> None:
    await _two_replies(live, "SET_DELAYED_CHARGING", evse_id="BCU101", value=True)
    _, status = await _two_replies(live, "SET_PRICE_BASED_CHARGING", evse_id="BCU101", value=True)
    assert status["result"] == {"setting": "set true"}
    point = await _point(live, "BCU101")
    assert point["price_based_charging"]["value"] is True
    assert point["delayed_charging"]["value"] is False  # one profile at a time
    assert point["smart_charging"] is True
    assert point["activity"] == "charging"
    await simulator.clock.advance(5)
    assert simulator.charge_point("BCU101").currents[0] <= 6

    await _two_replies(live, "OVERRIDE_CHARGING_PROFILES", evse_id="BCU101", value=True)
    await simulator.clock.advance(5)
    assert simulator.charge_point("BCU101").currents[0] > 15

    await _two_replies(live, "SET_PRICE_BASED_CHARGING", evse_id="BCU101", value=False)
    point = await _point(live, "BCU101")
    assert point["smart_charging"] is False
    assert point["price_based_charging"]["value"] is False


async def test_price_based_settings_patch(simulator: BlueCurrentSimulator, live: Live) -> None:
    _, status = await _two_replies(
        live,
        "PATCH_PRICE_BASED_CHARGING_SETTINGS",
        evse_id="BCU101",
        expected_departure_time="14:00",
        current_battery_pct=20,
    )
    assert status["success"] is True
    settings = simulator.charge_point("BCU101").price_settings
    assert settings.expected_departure_time == "14:00"
    assert settings.current_battery_pct == 20
    await _two_replies(
        live, "PATCH_PRICE_BASED_CHARGING_SETTINGS", evse_id="BCU101", battery_size_kwh=60
    )
    assert settings.battery_size_kwh == 60
    assert settings.expected_departure_time == "14:00"  # partial update
    await live.send("PATCH_PRICE_BASED_CHARGING_SETTINGS", evse_id="BCU101", minimum_pct=400)
    assert (await live.recv())["error"] == 9


async def test_bad_delayed_schedule(live: Live) -> None:
    await live.send(
        "SAVE_SCHEDULE_DELAYED_CHARGING",
        evse_id="BCU101",
        days="[0,8]",
        start_time="20:00",
        end_time="10:00",
    )
    assert (await live.recv())["object"] == "ERROR"


async def test_smart_charging_replies_none(
    socket_enabled: None, http: aiohttp.ClientSession
) -> None:
    options = SimulatorOptions(smart_charging_replies="none")
    async with BlueCurrentSimulator(Scenario.builtin("test"), options=options) as sim:
        live = await open_live(http, sim.url, await validate(http, sim.url))
        await live.send("SET_DELAYED_CHARGING", evse_id="BCU102", value=True)
        await live.no_frame(0.15)
        point = await _point(live, "BCU102")
        assert point["delayed_charging"]["value"] is True
        assert point["smart_charging"] is True
        # a fault may still make the server answer with an error
        sim.faults.fail_next("SET_PRICE_BASED_CHARGING", "REJECTED")
        await live.send("SET_PRICE_BASED_CHARGING", evse_id="BCU102", value=True)
        status = await live.recv()
        assert status["object"] == "STATUS_SET_PRICE_BASED_CHARGING"
        assert status["error"] == "REJECTED"
        assert (await _point(live, "BCU102"))["price_based_charging"]["value"] is False
        await live.ws.close()


# ----- override-current schedules ---------------------------------------------------------------

SCHEDULE_FIELDS = {
    "overridestarttime": "08:00",
    "overridestartdays": ["MO", "TU"],
    "overridestoptime": "18:00",
    "overridestopdays": ["MO", "TU"],
    "overridevalue": 10.0,
}


async def test_override_schedule_lifecycle(simulator: BlueCurrentSimulator, live: Live) -> None:
    assert await live.request("LIST_OVERRIDE_CURRENT") == {
        "object": "LIST_OVERRIDE_CURRENT",
        "data": [],
    }
    created = await live.request(
        "POST_SET_OVERRIDE_CURRENT", chargepoints=["BCU101", "BCU102"], **SCHEDULE_FIELDS
    )
    schedule = created["data"]
    assert schedule["schedule_id"].isdigit()
    assert schedule == {
        "schedule_id": schedule["schedule_id"],
        "charge_points": ["BCU101", "BCU102"],
        "override_current": 10,
        "start_time": "08:00",
        "stop_time": "18:00",
        "override_start_days": "MO,TU",
        "override_end_days": "MO,TU",
    }
    listed = await live.request("LIST_OVERRIDE_CURRENT")
    assert listed["data"] == [schedule]

    edited = await live.request(
        "POST_EDIT_OVERRIDE_CURRENT",
        schedule_id=schedule["schedule_id"],  # a string, as LIB sends it
        chargepoints=["BCU102"],
        overridestarttime="07:00",
        overridestartdays=["WE"],
        overridestoptime="19:00",
        overridestopdays=["TH"],
        overridevalue=8,
    )
    assert edited["data"]["schedule_id"] == schedule["schedule_id"]
    assert edited["data"]["charge_points"] == ["BCU102"]
    assert edited["data"]["override_start_days"] == "WE"
    assert edited["data"]["override_end_days"] == "TH"
    assert edited["data"]["override_current"] == 8

    cleared = await live.request(
        "POST_CLEAR_OVERRIDE_CURRENT",
        schedule_id=int(schedule["schedule_id"]),  # an int
    )
    assert cleared == {
        "object": "POST_CLEAR_OVERRIDE_CURRENT",
        "success": True,
        "error": "",
        "schedule_id": schedule["schedule_id"],
    }
    assert (await live.request("LIST_OVERRIDE_CURRENT"))["data"] == []


async def test_one_schedule_per_charge_point(simulator: BlueCurrentSimulator, live: Live) -> None:
    first = (
        await live.request(
            "POST_SET_OVERRIDE_CURRENT", chargepoints=["BCU101", "BCU102"], **SCHEDULE_FIELDS
        )
    )["data"]
    second = (
        await live.request("POST_SET_OVERRIDE_CURRENT", chargepoints=["BCU101"], **SCHEDULE_FIELDS)
    )["data"]
    assert second["schedule_id"] != first["schedule_id"]
    listed = {
        s["schedule_id"]: s["charge_points"]
        for s in (await live.request("LIST_OVERRIDE_CURRENT"))["data"]
    }
    assert listed == {first["schedule_id"]: ["BCU102"], second["schedule_id"]: ["BCU101"]}
    # moving the last point out of a schedule deletes it
    await live.request("POST_SET_OVERRIDE_CURRENT", chargepoints=["BCU102"], **SCHEDULE_FIELDS)
    ids = [s["schedule_id"] for s in (await live.request("LIST_OVERRIDE_CURRENT"))["data"]]
    assert first["schedule_id"] not in ids
    assert len(ids) == 2


async def test_override_unknown_ids_still_get_replies(live: Live) -> None:
    await live.send(
        "POST_EDIT_OVERRIDE_CURRENT", schedule_id="999", chargepoints=["BCU101"], **SCHEDULE_FIELDS
    )
    assert (await live.recv())["object"] == "ERROR"
    cleared = await live.request("POST_CLEAR_OVERRIDE_CURRENT", schedule_id=999)
    assert cleared["success"] is False
    assert cleared["error"]


async def test_override_for_a_foreign_point(live: Live) -> None:
    await live.send("POST_SET_OVERRIDE_CURRENT", chargepoints=["BCU900"], **SCHEDULE_FIELDS)
    assert await live.recv() == {"object": "ERROR", "error": 2, "message": "Not authorized"}


async def test_override_caps_the_current_inside_its_window(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    simulator.clock.set(NOON_WEDNESDAY)
    await live.request(
        "POST_SET_OVERRIDE_CURRENT",
        chargepoints=["BCU101"],
        overridestarttime="11:00",
        overridestartdays=["WE"],
        overridestoptime="13:00",
        overridestopdays=["WE"],
        overridevalue=8,
    )
    await simulator.clock.advance(5)
    assert 7.5 <= simulator.charge_point("BCU101").currents[0] <= 8
    simulator.clock.set(datetime(2026, 1, 14, 12, 30, tzinfo=UTC))  # 13:30 local
    await simulator.clock.advance(5)
    assert simulator.charge_point("BCU101").currents[0] > 15


@pytest.mark.parametrize(
    ("local", "active"),
    [
        (
            datetime(2026, 1, 12, 22, 0, tzinfo=AMSTERDAM),
            True,
        ),  # Monday 22:00, window MO 21:00 -> TU 07:00
        (datetime(2026, 1, 13, 6, 59, tzinfo=AMSTERDAM), True),
        (datetime(2026, 1, 13, 7, 0, tzinfo=AMSTERDAM), False),
        (datetime(2026, 1, 12, 20, 59, tzinfo=AMSTERDAM), False),
        (datetime(2026, 1, 14, 22, 0, tzinfo=AMSTERDAM), False),  # Wednesday
    ],
)
def test_override_window_across_midnight(local: datetime, active: bool) -> None:
    schedule = OverrideSchedule("1", ["BCU101"], 6, time(21), time(7), ["MO"], ["TU"])
    assert schedule.active(local) is active
