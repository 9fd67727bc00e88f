"""The charging model on the SimClock: energy, full battery, forcing, limits, phases, PV."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from simulators.goe import SimulatorOptions

from .helpers import control, get_json

if TYPE_CHECKING:
    import aiohttp

    from simulators.goe import GoeSimulator


async def read(raw: aiohttp.ClientSession, local: str, keys: str) -> dict[str, Any]:
    _, body, _ = await get_json(raw, f"{local}/api/status?filter={keys}")
    assert isinstance(body, dict)
    return body


async def test_charging_at_16a_three_phase_adds_about_11_kwh_per_hour(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, local: str
) -> None:
    start = await read(raw, local, "wh,eto,nrg,pnp,acu")
    assert start["acu"] == 16
    assert start["pnp"] == 3
    assert start["nrg"][4:7] == [16, 16, 16]
    assert start["nrg"][11] == pytest.approx(3 * 231 * 16 * 0.99, rel=0.01)
    await goe_sim.clock.advance(3600)
    end = await read(raw, local, "wh,eto,tpa,tma,cdi")
    assert end["wh"] == pytest.approx(10_960, rel=0.02)
    assert end["eto"] - start["eto"] == pytest.approx(10_960, rel=0.02)
    assert end["tpa"] == pytest.approx(start["nrg"][11], rel=0.02)
    assert end["tma"][0] > 30  # the charger warms up under load
    assert end["cdi"] == {"type": 0, "value": 3_600_000}


async def test_amp_limits_the_current(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, local: str
) -> None:
    await get_json(raw, f"{local}/api/set?amp=10")
    await goe_sim.clock.advance(1)
    body = await read(raw, local, "acu,nrg")
    assert body["acu"] == 10
    assert body["nrg"][4:7] == [10, 10, 10]


async def test_stops_when_the_battery_is_full(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, local: str
) -> None:
    await control(raw, goe_sim.control_url, action="plug_in", soc=99, capacity_kwh=10)
    await goe_sim.clock.advance(1)
    await goe_sim.clock.advance(60)
    body = await read(raw, local, "car,wh,nrg")
    assert body["car"] == 4
    assert body["wh"] == pytest.approx(100, abs=0.5)  # 1 % of 10 kWh, and no more
    assert body["nrg"][11] == 0


async def test_forced_off_stops_energy(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, local: str
) -> None:
    await get_json(raw, f"{local}/api/set?frc=1")
    await goe_sim.clock.advance(1)
    before = await read(raw, local, "wh,car,modelStatus")
    await goe_sim.clock.advance(600)
    after = await read(raw, local, "wh,car,modelStatus")
    assert after == before
    assert after["modelStatus"] == 4


async def test_energy_limit_dwo_ends_the_session(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, local: str
) -> None:
    await get_json(raw, f"{local}/api/set?dwo=1000")
    await goe_sim.clock.advance(600)
    body = await read(raw, local, "wh,alw,modelStatus,car")
    assert body["modelStatus"] == 6
    assert body["alw"] is False
    assert body["car"] == 3
    assert 1000 <= body["wh"] < 1020


async def test_no_car_no_energy_and_wh_resets_at_plug_in(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, local: str
) -> None:
    await goe_sim.clock.advance(60)
    assert (await read(raw, local, "wh"))["wh"] > 0
    await control(raw, goe_sim.control_url, action="unplug")
    await goe_sim.clock.advance(1)
    idle = await read(raw, local, "car,alw,acu,nrg,cdi")
    assert idle == {"car": 1, "alw": False, "acu": None, "nrg": idle["nrg"], "cdi": None}
    assert idle["nrg"][11] == 0
    await control(raw, goe_sim.control_url, action="plug_in")
    assert (await read(raw, local, "wh"))["wh"] == 0


async def test_phase_switch_pauses_then_changes_pnp(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, local: str
) -> None:
    await get_json(raw, f"{local}/api/set?psm=1")
    await goe_sim.clock.advance(1)
    pausing = await read(raw, local, "modelStatus,pnp,nrg")
    assert pausing["modelStatus"] == 23
    assert pausing["pnp"] == 3
    assert pausing["nrg"][11] == 0
    await goe_sim.clock.advance(6)
    single = await read(raw, local, "modelStatus,pnp,nrg")
    assert single["pnp"] == 1
    assert single["nrg"][4:7] == [16, 0, 0]


async def test_temporary_limit_lapses_after_ten_minutes(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, local: str
) -> None:
    await get_json(raw, f"{local}/api/set?tcl=8")
    await goe_sim.clock.advance(1)
    assert (await read(raw, local, "acu,amp"))["acu"] == 8
    await goe_sim.clock.advance(600)
    assert await read(raw, local, "acu,amp,tcl") == {"acu": 16, "amp": 16, "tcl": None}


@pytest.mark.parametrize("goe_options", [SimulatorOptions(ids_ttl=5.0)])
async def test_pv_surplus_charges_while_data_is_fresh(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, local: str
) -> None:
    await get_json(raw, f"{local}/api/set?lmo=4&fup=true")
    await goe_sim.clock.advance(1)
    assert (await read(raw, local, "alw,modelStatus"))["modelStatus"] == 17
    await get_json(raw, f"{local}/api/set", params={"ids": '{"pGrid":-3000,"pPv":5000}'})
    await goe_sim.clock.advance(1)
    assert await read(raw, local, "alw,modelStatus,pnp") == {
        "alw": True,
        "modelStatus": 12,
        "pnp": 1,  # 3 kW surplus is below spl3 (4.2 kW): one phase
    }
    await goe_sim.clock.advance(6)
    stale = await read(raw, local, "alw,modelStatus,pgrid")
    assert stale == {"alw": False, "modelStatus": 17, "pgrid": None}


async def test_error_stops_charging_and_keeps_its_code(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, local: str
) -> None:
    await control(raw, goe_sim.control_url, action="set_error", code=41)
    await goe_sim.clock.advance(1)
    body = await read(raw, local, "car,err,alw,modelStatus,nrg")
    assert (body["car"], body["err"], body["alw"], body["modelStatus"]) == (5, 41, False, 26)
    assert body["nrg"][11] == 0


async def test_controller_counts_energy_in_and_out(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator
) -> None:
    url = goe_sim.local_url("123456")
    await goe_sim.clock.advance(3600)
    body = await read(raw, url, "cec,ccp")
    home_in, _ = body["cec"][0]
    _, grid_out = body["cec"][1]
    assert home_in == pytest.approx(2823.99, rel=0.01)
    assert grid_out == pytest.approx(4658.055, rel=0.01)
