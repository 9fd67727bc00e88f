"""The /control channel: actions and the request/byte counters benchmarks read."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from simulators.goe import SimulatorOptions

from .helpers import control, get_json

if TYPE_CHECKING:
    import aiohttp

    from simulators.goe import GoeSimulator


async def test_stats_count_requests_and_bytes(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, local: str
) -> None:
    await control(raw, goe_sim.control_url, action="reset_stats")
    sizes = []
    for keys in ("car", "car,nrg,amp"):
        async with raw.get(f"{local}/api/status?filter={keys}") as resp:
            sizes.append(len(await resp.read()))
    reply = await control(raw, goe_sim.control_url, action="stats")
    assert reply["ok"] is True
    assert reply["requests"] == 2
    assert reply["bytes_served"] == sum(sizes)
    assert reply["by_kind"] == {"local /api/status": 2}


async def test_advance_moves_the_simulated_clock(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, local: str
) -> None:
    _, before, _ = await get_json(raw, f"{local}/api/status?filter=wh")
    reply = await control(raw, goe_sim.control_url, action="advance", seconds=60)
    assert reply["ok"] is True
    _, after, _ = await get_json(raw, f"{local}/api/status?filter=wh")
    assert after["wh"] > before["wh"]


async def test_plug_in_and_unplug_a_named_charger(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator
) -> None:
    url = goe_sim.local_url("000002")
    reply = await control(
        raw, goe_sim.control_url, action="plug_in", serial="000002", max_current=10, phases=1
    )
    assert reply["serial"] == "000002"
    await control(raw, goe_sim.control_url, action="advance", seconds=1)
    _, body, _ = await get_json(raw, f"{url}/api/status?filter=car,nrg")
    assert body["car"] == 2
    assert body["nrg"][4:7] == [10, 0, 0]
    await control(raw, goe_sim.control_url, action="unplug", serial="000002")
    await control(raw, goe_sim.control_url, action="advance", seconds=1)
    _, body, _ = await get_json(raw, f"{url}/api/status?filter=car")
    assert body["car"] == 1


async def test_unknown_action_is_reported(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator
) -> None:
    reply = await control(raw, goe_sim.control_url, action="explode")
    assert reply["ok"] is False


async def test_category_power_can_be_changed(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator
) -> None:
    await control(raw, goe_sim.control_url, action="set_category_power", index=2, power=7000)
    _, body, _ = await get_json(raw, f"{goe_sim.local_url('123456')}/api/status?filter=ccp,cpc")
    assert body["ccp"][2] == 7000
    assert body["cpc"][2][0] is not None


@pytest.mark.parametrize(
    ("goe_options", "code"),
    [(SimulatorOptions(), 13), (SimulatorOptions(error_list="firmware"), 16)],
)
async def test_error_by_name_follows_the_chosen_err_list(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, local: str, code: int
) -> None:
    reply = await control(raw, goe_sim.control_url, action="set_error", name="Overtemp")
    assert reply["code"] == code
    await goe_sim.clock.advance(1)
    _, body, _ = await get_json(raw, f"{local}/api/status?filter=err,car")
    assert body == {"err": code, "car": 5}


@pytest.mark.parametrize("goe_options", [SimulatorOptions(legacy_model_status=True)])
async def test_legacy_model_status_stays_within_the_old_enum(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, local: str
) -> None:
    await control(raw, goe_sim.control_url, action="set_error", code=3)
    await goe_sim.clock.advance(1)
    _, body, _ = await get_json(raw, f"{local}/api/status?filter=modelStatus")
    assert body["modelStatus"] <= 24
