"""/api/status of the simulator read with plain aiohttp: filters, firmware families, errors."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import aiohttp
import pytest

from simulators.goe import SimulatorOptions

from .helpers import control, get_json

if TYPE_CHECKING:
    from simulators.goe import GoeSimulator


async def test_full_status_holds_the_documented_keys(
    raw: aiohttp.ClientSession, local: str
) -> None:
    status, body, _ = await get_json(raw, f"{local}/api/status")
    assert status == 200
    for key in (
        "car",
        "modelStatus",
        "err",
        "alw",
        "acu",
        "amp",
        "ama",
        "frc",
        "psm",
        "pnp",
        "nrg",
        "wh",
        "eto",
        "tma",
        "fup",
        "dwo",
        "sse",
        "typ",
        "fwv",
        "fna",
        "cbl",
    ):
        assert key in body, key
    assert body["sse"] == "000001"
    assert len(body["nrg"]) == 16
    # an empty filter means everything (inferred from the goe package)
    status, everything, _ = await get_json(raw, f"{local}/api/status?filter=")
    assert status == 200
    assert everything.keys() == body.keys()


async def test_comma_filter_returns_only_those_keys(raw: aiohttp.ClientSession, local: str) -> None:
    status, body, _ = await get_json(raw, f"{local}/api/status?filter=car,amp,nrg")
    assert status == 200
    assert set(body) == {"car", "amp", "nrg"}


async def test_legacy_json_array_filter(raw: aiohttp.ClientSession, local: str) -> None:
    status, body, _ = await get_json(
        raw, f"{local}/api/status", params={"filter": json.dumps(["car", "modelStatus"])}
    )
    assert status == 200
    assert set(body) == {"car", "modelStatus"}


async def test_filter_is_case_sensitive(raw: aiohttp.ClientSession, local: str) -> None:
    _, body, _ = await get_json(raw, f"{local}/api/status?filter=modelstatus,modelStatus")
    assert set(body) == {"modelStatus"}


async def test_v4_leaves_unknown_keys_out(raw: aiohttp.ClientSession, local: str) -> None:
    status, body, _ = await get_json(raw, f"{local}/api/status?filter=car,rfb,rst2")
    assert status == 200
    assert set(body) == {"car"}


@pytest.mark.parametrize("goe_options", [SimulatorOptions(family="pro")])
async def test_pro_answers_400_with_the_supported_keys(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator
) -> None:
    url = goe_sim.local_url("000002")
    status, body, _ = await get_json(raw, f"{url}/api/status?filter=car,cbl,amp")
    assert status == 400
    assert set(body) == {"car", "amp"}  # no `cbl` on CORE/PRO
    status, body, _ = await get_json(raw, f"{url}/api/status?filter=car,amp")
    assert status == 200


@pytest.mark.parametrize(
    "goe_options", [SimulatorOptions(family="pro", unfiltered_status_400=True)]
)
async def test_pro_603_answers_an_unfiltered_status_with_400(
    raw: aiohttp.ClientSession, local: str
) -> None:
    status, body, _ = await get_json(raw, f"{local}/api/status")
    assert status == 400
    assert "car" in body
    assert "eto" in body


@pytest.mark.parametrize(
    ("goe_options", "text"),
    [
        (SimulatorOptions(), "This URI does not exist"),
        (SimulatorOptions(family="pro"), "Nothing matches the given URI"),
    ],
)
async def test_api_switched_off_gives_404_with_the_family_text(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, local: str, text: str
) -> None:
    await control(raw, goe_sim.control_url, action="set_api_disabled", serial="000001")
    status, body, _ = await get_json(raw, f"{local}/api/status?filter=car")
    assert (status, body) == (404, text)
    status, _, _ = await get_json(raw, f"{local}/api/set?amp=10")
    assert status == 404
    await control(raw, goe_sim.control_url, action="set_api_disabled", disabled=False)
    status, _, _ = await get_json(raw, f"{local}/api/status?filter=car")
    assert status == 200


async def test_writing_hai_false_switches_the_api_off(
    raw: aiohttp.ClientSession, local: str
) -> None:
    status, body, _ = await get_json(raw, f"{local}/api/set?hai=false")
    assert (status, body) == (200, {"hai": True})
    status, _, _ = await get_json(raw, f"{local}/api/status")
    assert status == 404


async def test_busy_firmware_answers_500_with_the_lock_text(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, local: str
) -> None:
    await control(raw, goe_sim.control_url, action="set_busy", requests=1)
    status, body, _ = await get_json(raw, f"{local}/api/status?filter=car")
    assert status == 500
    assert body == "couldn't take api lock in 3s, please try again later"
    status, _, _ = await get_json(raw, f"{local}/api/status?filter=car")
    assert status == 200


async def test_offline_device_drops_the_connection(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, local: str
) -> None:
    await control(raw, goe_sim.control_url, action="go_offline")
    with pytest.raises(aiohttp.ClientError):
        await get_json(raw, f"{local}/api/status?filter=car")
    await control(raw, goe_sim.control_url, action="go_online")
    status, _, _ = await get_json(raw, f"{local}/api/status?filter=car")
    assert status == 200


async def test_controller_reports_categories_and_sensors(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator
) -> None:
    url = goe_sim.local_url("123456")
    _, body, _ = await get_json(raw, f"{url}/api/status?filter=ccn,ccp,cec,cpc,usv,isv,typ")
    assert body["typ"] == "controller"
    assert len(body["ccn"]) == 16
    assert body["ccn"][:2] == ["Home", "Grid"]
    assert body["ccp"][1] < 0  # grid export
    assert body["ccp"][2] is None  # unused category
    assert len(body["cec"][0]) == 2
    assert len(body["cpc"][0]) == 4
    assert set(body["usv"][0]) == {"u1", "u2", "u3", "uN"}
