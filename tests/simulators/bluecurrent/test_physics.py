"""The physical model as seen on the wire: pushes, energy, cost, grid, offline (§8 #8, #10)."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise
from typing import TYPE_CHECKING

import pytest

from simulators.bluecurrent import BlueCurrentSimulator, Scenario, SimClock, SimulatorOptions
from simulators.bluecurrent.zone import AMSTERDAM

from .helpers import open_live, validate

if TYPE_CHECKING:
    import aiohttp

    from .helpers import Live


def _statuses(frames: list[dict], evse_id: str) -> list[dict]:
    return [f["data"] for f in frames if f["object"] == "CH_STATUS" and f["evse_id"] == evse_id]


async def test_periodic_pushes_while_charging(simulator: BlueCurrentSimulator, live: Live) -> None:
    await simulator.clock.advance(60)
    frames = await live.frames_for(0.1)
    charging = _statuses(frames, "BCU101")
    assert len(charging) == 6  # every 10 s
    assert _statuses(frames, "BCU102") == []  # idle: nothing changes, nothing pushed
    energies = [s["actual_kwh"] for s in charging]
    assert energies == sorted(energies)
    assert energies[-1] > energies[0]
    grid = [f for f in frames if f["object"] == "GRID_CURRENT"]
    assert len(grid) == 2  # every 30 s
    assert set(grid[0]) == {
        "object",
        "evse_id",
        "grid_actual_p1",
        "grid_actual_p2",
        "grid_actual_p3",
    }
    assert grid[0]["evse_id"] == "BCU101"
    assert grid[0]["grid_actual_p2"] == pytest.approx(3.0 + charging[-1]["actual_p2"], abs=0.5)


async def test_energy_and_cost_grow_while_charging(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    start = (await live.request("GET_CH_STATUS", "CH_STATUS", evse_id="BCU101"))["data"]
    await simulator.clock.advance(3600)
    status = _statuses(await live.frames_for(0.2), "BCU101")
    energies = [s["actual_kwh"] for s in status]
    assert all(b >= a for a, b in pairwise(energies))
    last = status[-1]
    # 3 phases x ~16 A x ~230 V for an hour: about 11 kWh
    assert last["actual_kwh"] - start["actual_kwh"] == pytest.approx(11.0, abs=0.4)
    assert last["total_cost"] == pytest.approx(0.5 + 0.25 * last["actual_kwh"], abs=0.01)
    assert last["start_datetime"] == start["start_datetime"]
    for key in ("actual_v1", "actual_v2", "actual_v3"):
        assert all(227 <= s[key] <= 233 for s in status)


async def test_car_becomes_full_and_tapers(simulator: BlueCurrentSimulator, live: Live) -> None:
    await simulator.unplug("BCU101")
    unplugged = await live.expect("CH_STATUS", evse_id="BCU101")
    assert unplugged["data"]["vehicle_status"] == "A"
    await simulator.plug_in("BCU101", phases=3, max_current=16, energy_needed_kwh=3)
    started = await live.expect("CH_STATUS", evse_id="BCU101")
    assert started["data"]["activity"] == "charging"  # plug & charge is on for BCU101
    assert started["data"]["actual_kwh"] == 0
    await simulator.clock.advance(3 * 3600)
    status = _statuses(await live.frames_for(0.3), "BCU101")
    currents = [s["actual_p1"] for s in status]
    assert min(c for c in currents if c > 0) < 8  # tapering near the end
    assert currents[-1] == 0
    assert status[-1]["vehicle_status"] == "B"
    assert status[-1]["activity"] == "charging"  # the session still runs
    assert status[-1]["actual_kwh"] == pytest.approx(3.0, abs=0.01)
    # the previous session (ended by the unplug) stopped when this one started
    assert status[-1]["stop_datetime"] <= status[-1]["start_datetime"]


async def test_unplug_ends_the_session(simulator: BlueCurrentSimulator, live: Live) -> None:
    await simulator.clock.advance(120)
    await live.frames_for(0.1)
    await simulator.unplug("BCU101")
    push = await live.expect("CH_STATUS", evse_id="BCU101")
    data = push["data"]
    assert data["activity"] == "available"
    assert data["vehicle_status"] == "A"
    assert [data["actual_p1"], data["actual_p2"], data["actual_p3"]] == [0, 0, 0]
    assert data["stop_datetime"] > data["start_datetime"]
    assert data["actual_kwh"] > 5.2  # the finished session's energy
    await simulator.clock.advance(60)
    assert _statuses(await live.frames_for(0.1), "BCU101") == []


async def test_offline_and_online(simulator: BlueCurrentSimulator, live: Live) -> None:
    await simulator.set_offline("BCU102")
    data = (await live.expect("CH_STATUS", evse_id="BCU102"))["data"]
    assert data["activity"] == "offline"
    assert data["offline_since"] == simulator.clock.local_now(AMSTERDAM).strftime("%Y%m%d %H:%M:%S")
    await simulator.clock.advance(30)
    await simulator.set_online("BCU102")
    data = (await live.expect("CH_STATUS", evse_id="BCU102"))["data"]
    assert data["activity"] == "available"
    assert data["offline_since"] == ""


async def test_offline_point_charges_at_max_offline(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    await simulator.set_offline("BCU101")
    await simulator.clock.advance(30)
    frames = _statuses(await live.frames_for(0.1), "BCU101")
    assert len(frames) == 1  # the change; no periodic pushes while the cloud cannot see it
    assert simulator.charge_point("BCU101").currents[0] <= 10


async def test_single_phase_car_on_bcu102(simulator: BlueCurrentSimulator, live: Live) -> None:
    simulator.charge_point("BCU102").plug_and_charge = True
    await simulator.plug_in("BCU102", phases=1, max_current=32, energy_needed_kwh=10)
    data = (await live.expect("CH_STATUS", evse_id="BCU102"))["data"]
    assert data["activity"] == "charging"
    assert 19 <= data["actual_p1"] <= 20  # max_usage 20 A
    assert data["actual_p2"] == data["actual_p3"] == 0
    grid = await live.request("GET_GRID_STATUS", "GRID_STATUS", evse_id="BCU102")
    # base 2.0 + BCU101 ~16 + BCU102 ~20 on phase 1
    assert grid["data"]["grid_actual_p1"] == pytest.approx(
        2.0 + simulator.charge_point("BCU101").currents[0] + data["actual_p1"], abs=0.5
    )


async def test_pushes_only_after_hello_and_charge_points(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, token: str
) -> None:
    live = await open_live(http, simulator.url, token, charge_points=False)
    await simulator.clock.advance(20)
    frames = await live.frames_for(0.1)
    assert [f for f in frames if f["object"] == "CH_STATUS"] == []  # evse not known yet
    await live.request("GET_CHARGE_POINTS", "CHARGE_POINTS")
    await simulator.clock.advance(10)
    assert _statuses(await live.frames_for(0.1), "BCU101")
    await live.ws.close()


async def test_pushes_stay_in_their_account(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, live: Live
) -> None:
    other = await open_live(http, simulator.url, await validate(http, simulator.url, "other-token"))
    await simulator.unplug("BCU101")
    await simulator.clock.advance(30)
    frames = await other.frames_for(0.1)
    assert all(f.get("evse_id") == "BCU900" for f in frames)
    assert [f["object"] for f in frames] == ["GRID_CURRENT"]
    await other.ws.close()


async def test_push_status_and_push_grid(simulator: BlueCurrentSimulator, live: Live) -> None:
    await simulator.push_status("BCU102")
    assert (await live.recv())["evse_id"] == "BCU102"
    await simulator.push_grid("GRID-BCU101")
    assert (await live.recv())["object"] == "GRID_CURRENT"
    await simulator.push_grid("BCU102")
    assert (await live.recv())["object"] == "GRID_CURRENT"


@pytest.mark.parametrize("quirk", [False, True])
async def test_stale_start_datetime(
    socket_enabled: None, http: aiohttp.ClientSession, quirk: bool
) -> None:
    clock = SimClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    options = SimulatorOptions(stale_start_datetime=quirk)
    async with BlueCurrentSimulator(Scenario.builtin("test"), options=options, clock=clock) as sim:
        live = await open_live(http, sim.url, await validate(http, sim.url))
        previous = (await live.request("GET_CH_STATUS", "CH_STATUS", evse_id="BCU102"))["data"]
        simulator_point = sim.charge_point("BCU102")
        simulator_point.plug_and_charge = True
        await sim.plug_in("BCU102")
        first = (await live.expect("CH_STATUS", evse_id="BCU102"))["data"]
        await clock.advance(10)
        second = (await live.expect("CH_STATUS", evse_id="BCU102"))["data"]
        assert second["start_datetime"] == "20260302 10:00:00"
        if quirk:
            assert first["start_datetime"] == previous["start_datetime"]
        else:
            assert first["start_datetime"] == "20260302 10:00:00"
        await live.ws.close()


async def test_same_seed_same_numbers(socket_enabled: None) -> None:
    start = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    runs = []
    for _ in range(2):
        clock = SimClock(start)
        async with BlueCurrentSimulator(Scenario.builtin("test"), clock=clock) as sim:
            await clock.advance(600)
            point = sim.charge_point("BCU101")
            runs.append((point.session_kwh, tuple(point.voltages), tuple(point.currents)))
    assert runs[0] == runs[1]


async def test_push_intervals_are_options(
    socket_enabled: None, http: aiohttp.ClientSession
) -> None:
    options = SimulatorOptions(status_push_interval=5, grid_push_interval=15)
    async with BlueCurrentSimulator(Scenario.builtin("test"), options=options) as sim:
        live = await open_live(http, sim.url, await validate(http, sim.url))
        await sim.clock.advance(30)
        frames = await live.frames_for(0.1)
        assert len(_statuses(frames, "BCU101")) == 6
        assert len([f for f in frames if f["object"] == "GRID_CURRENT"]) == 2
        await live.ws.close()
