"""/api/set of the simulator with plain aiohttp: JSON values, the per-key map, the doc's texts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from yarl import URL

from simulators.goe import SimulatorOptions

from .helpers import get_json

if TYPE_CHECKING:
    import aiohttp

    from simulators.goe import GoeSimulator


async def test_set_several_keys_in_one_request(raw: aiohttp.ClientSession, local: str) -> None:
    status, body, _ = await get_json(raw, f"{local}/api/set?amp=10&frc=1&fna=%22Garage%22")
    assert (status, body) == (200, {"amp": True, "frc": True, "fna": True})
    _, read, _ = await get_json(raw, f"{local}/api/status?filter=amp,frc,fna")
    assert read == {"amp": 10, "frc": 1, "fna": "Garage"}


async def test_unquoted_string_is_rejected(raw: aiohttp.ClientSession, local: str) -> None:
    status, body, _ = await get_json(raw, f"{local}/api/set?fna=new_name")
    assert status == 500
    assert body == {"fna": "fna: invalid json IncompleteInput: new_name"}


async def test_read_only_key_is_rejected_with_the_doc_text(
    raw: aiohttp.ClientSession, local: str
) -> None:
    status, body, _ = await get_json(raw, f"{local}/api/set?alw=true")
    assert status == 500
    assert body == {"alw": "alw: tried to set api key without setter (true)"}


async def test_wrong_type_and_unknown_key(raw: aiohttp.ClientSession, local: str) -> None:
    _, body, _ = await get_json(raw, f"{local}/api/set?fna=0")
    assert body == {"fna": "fna: value must be string 0"}
    _, body, _ = await get_json(raw, f"{local}/api/set?nosuchkey=1")
    assert body["nosuchkey"].startswith("nosuchkey: ")


@pytest.mark.parametrize("value", ["5", "17", "16.5", "null"])
async def test_amp_outside_6_to_ama_is_rejected(
    raw: aiohttp.ClientSession, local: str, value: str
) -> None:
    status, body, _ = await get_json(raw, f"{local}/api/set?amp={value}")
    assert status == 500
    assert body["amp"].startswith("amp: ")
    _, read, _ = await get_json(raw, f"{local}/api/status?filter=amp")
    assert read == {"amp": 16}


async def test_mixed_result_is_500_by_default(raw: aiohttp.ClientSession, local: str) -> None:
    status, body, _ = await get_json(raw, f"{local}/api/set?amp=8&alw=true")
    assert status == 500
    assert body["amp"] is True
    assert isinstance(body["alw"], str)
    _, read, _ = await get_json(raw, f"{local}/api/status?filter=amp")
    assert read == {"amp": 8}  # the accepted key was applied


@pytest.mark.parametrize("goe_options", [SimulatorOptions(partial_set_status=200)])
async def test_mixed_result_can_be_200(raw: aiohttp.ClientSession, local: str) -> None:
    status, body, _ = await get_json(raw, f"{local}/api/set?amp=8&alw=true")
    assert status == 200
    assert body["amp"] is True


async def test_url_encoded_json_object_and_null(raw: aiohttp.ClientSession, local: str) -> None:
    url = f"{local}/api/set?ids=%7B%22pGrid%22%3A-1500%2C%22pPv%22%3A4200%2C%22pAkku%22%3A0%7D"
    status, body, _ = await get_json(raw, URL(url, encoded=True))
    assert (status, body) == (200, {"ids": True})
    _, read, _ = await get_json(raw, f"{local}/api/status?filter=pgrid,ppv,pakku")
    assert read == {"pgrid": -1500, "ppv": 4200, "pakku": 0}
    status, body, _ = await get_json(raw, f"{local}/api/set?dwo=null")
    assert (status, body) == (200, {"dwo": True})


async def test_ids_must_be_an_object(raw: aiohttp.ClientSession, local: str) -> None:
    _, body, _ = await get_json(raw, f"{local}/api/set", params={"ids": '"pGrid=5"'})
    assert body == {"ids": "ids: value must be null or JsonObject"}


@pytest.mark.parametrize("goe_options", [SimulatorOptions(family="pro")])
async def test_pro_refuses_fsp_and_points_to_psm(raw: aiohttp.ClientSession, local: str) -> None:
    status, body, _ = await get_json(raw, f"{local}/api/set?fsp=true")
    assert status == 500
    assert "use psm" in body["fsp"]
    assert body["fsp"].startswith("fsp: failed: this parameter is only showing")


async def test_write_takes_effect_at_the_next_logic_run(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, local: str
) -> None:
    _, before, _ = await get_json(raw, f"{local}/api/status?filter=alw,car,modelStatus")
    assert before == {"alw": True, "car": 2, "modelStatus": 15}
    await get_json(raw, f"{local}/api/set?frc=1")
    _, same, _ = await get_json(raw, f"{local}/api/status?filter=alw,frc")
    assert same == {"alw": True, "frc": 1}  # the key is stored, the logic has not run yet
    await goe_sim.clock.advance(1)
    _, after, _ = await get_json(raw, f"{local}/api/status?filter=alw,car,modelStatus,acu")
    assert after == {"alw": False, "car": 3, "modelStatus": 4, "acu": None}


async def test_cloud_key_is_regenerated_by_any_write(
    raw: aiohttp.ClientSession, local: str
) -> None:
    _, before, _ = await get_json(raw, f"{local}/api/status?filter=cak")
    await get_json(raw, f"{local}/api/set?cak=1")
    _, after, _ = await get_json(raw, f"{local}/api/status?filter=cak")
    assert before["cak"] != after["cak"]


async def test_controller_renames_a_category_with_a_null_padded_array(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator
) -> None:
    url = goe_sim.local_url("123456")
    status, body, _ = await get_json(
        raw, f"{url}/api/set", params={"ccn": '[null,null,null,null,null,null,"Fridge"]'}
    )
    assert (status, body) == (200, {"ccn": True})
    _, read, _ = await get_json(raw, f"{url}/api/status?filter=ccn")
    assert read["ccn"][:7] == ["Home", "Grid", "Car", "Relais", "Solar", "Akku", "Fridge"]
    status, body, _ = await get_json(raw, f"{url}/api/set?ccp=1")
    assert status == 500
    assert body["ccp"] == "ccp: tried to set api key without setter (1)"
