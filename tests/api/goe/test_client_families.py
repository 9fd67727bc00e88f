"""Both firmware families' answers to an unknown filter key: no update is lost to one."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.ev_charge_points.api.goe import (
    CarState,
    GoeKeyRejectedError,
    KeyGroup,
    keys_of,
    needs_legacy_filter,
)
from simulators.goe import SimulatorOptions
from tests.simulators.goe.helpers import PRO_CHARGER

from .conftest import local_client

if TYPE_CHECKING:
    import aiohttp

    from custom_components.ev_charge_points.api.goe import GoeClient
    from simulators.goe import GoeSimulator


async def test_v4_missing_key_is_learned_and_not_asked_again(
    charger: GoeClient, goe_sim: GoeSimulator
) -> None:
    status = await charger.get_charger_status([KeyGroup.LIVE], extra_keys=["rfb", "lse"])
    assert status.car_state is CarState.CHARGING
    assert charger.unsupported_keys == {"rfb", "lse"}
    await charger.get_charger_status([KeyGroup.LIVE], extra_keys=["rfb", "lse"])
    assert "rfb" not in goe_sim.request_log[-1]
    charger.forget_unsupported_keys()
    await charger.get_charger_status([KeyGroup.LIVE], extra_keys=["rfb"])
    assert "rfb" in goe_sim.request_log[-1]


@pytest.mark.parametrize("goe_options", [SimulatorOptions(family="pro")])
async def test_pro_400_keeps_the_update_and_drops_the_key(
    goe_sim: GoeSimulator, session: aiohttp.ClientSession
) -> None:
    client = local_client(goe_sim, session, PRO_CHARGER)
    status = await client.get_charger_status()
    assert status.serial == PRO_CHARGER
    assert status.car_state is CarState.IDLE
    assert status.absolute_max_current == 32
    assert status.cable_current is None
    assert client.unsupported_keys == {"cbl"}
    requests = goe_sim.requests
    await client.get_charger_status()
    assert goe_sim.requests == requests + 1  # no retry needed any more
    assert "cbl" not in goe_sim.request_log[-1]


@pytest.mark.parametrize(
    "goe_options", [SimulatorOptions(family="pro", unfiltered_status_400=True)]
)
async def test_pro_603_full_status_with_400_still_detects(
    goe_sim: GoeSimulator, session: aiohttp.ClientSession
) -> None:
    info = await local_client(goe_sim, session, PRO_CHARGER).detect()
    assert info.serial == PRO_CHARGER
    assert info.device_type == "go-eCharger_Phoenix"
    assert "cbl" not in info.keys


@pytest.mark.parametrize("goe_options", [SimulatorOptions(family="pro")])
async def test_pro_refuses_fsp_with_a_clear_error(
    goe_sim: GoeSimulator, session: aiohttp.ClientSession
) -> None:
    client = local_client(goe_sim, session, PRO_CHARGER)
    with pytest.raises(GoeKeyRejectedError, match="use psm"):
        await client.set_values({"fsp": True})


@pytest.mark.parametrize("goe_options", [SimulatorOptions(family="pro", bad_request_body=False)])
async def test_pro_400_without_a_body_falls_back_to_one_full_read(
    goe_sim: GoeSimulator, session: aiohttp.ClientSession
) -> None:
    client = local_client(goe_sim, session, PRO_CHARGER)
    status = await client.get_charger_status()
    assert status.serial == PRO_CHARGER
    assert status.absolute_max_current == 32
    assert client.unsupported_keys == {"cbl"}
    assert goe_sim.request_log[-1] == "/api/status?filter="
    await client.get_charger_status()
    assert goe_sim.request_log[-1] != "/api/status?filter="


@pytest.mark.parametrize(
    ("firmware", "legacy"),
    [("051.3", True), ("050.1", True), ("051.4", False), ("055.7", False), ("60.4", False),
     ("", False), (None, False), ("garbage", False)],
)  # fmt: skip
def test_needs_legacy_filter(firmware: str | None, legacy: bool) -> None:
    assert needs_legacy_filter(firmware) is legacy


async def test_legacy_array_filter_asks_in_slices_of_ten(
    goe_sim: GoeSimulator, session: aiohttp.ClientSession
) -> None:
    client = local_client(goe_sim, session, "000001")
    client.legacy_filter = True
    status = await client.get_charger_status()
    keys = len(
        keys_of([KeyGroup.LIVE, KeyGroup.CONFIGURATION, KeyGroup.IDENTITY, KeyGroup.STATISTICS])
    )
    assert len(goe_sim.request_log) == -(-keys // 10)
    assert all(line.startswith("/api/status?filter=%5B%22") for line in goe_sim.request_log)
    assert status.serial == "000001"
    assert status.car_state is CarState.CHARGING
    assert status.lifetime_energy == 1_234_567
