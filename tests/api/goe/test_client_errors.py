"""Every documented error answer becomes a clear exception of ours."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pytest

from custom_components.ev_charge_points.api.goe import (
    GoeApiDisabledError,
    GoeBusyError,
    GoeClient,
    GoeConnectionError,
    GoeKeyRejectedError,
    GoeTimeoutError,
    GoeValueError,
    LocalEndpoint,
)
from simulators.goe import SimulatorOptions
from tests.simulators.goe.helpers import control

if TYPE_CHECKING:
    import aiohttp

    from simulators.goe import GoeSimulator


async def test_read_only_key(charger: GoeClient) -> None:
    with pytest.raises(GoeKeyRejectedError) as caught:
        await charger.set_values({"alw": True})
    assert caught.value.key == "alw"
    assert caught.value.text == "alw: tried to set api key without setter (true)"
    assert "alw" in str(caught.value)


async def test_out_of_range_current(charger: GoeClient) -> None:
    with pytest.raises(GoeKeyRejectedError) as caught:
        await charger.set_current_limit(40)
    assert caught.value.key == "amp"


@pytest.mark.parametrize(
    "goe_options", [SimulatorOptions(), SimulatorOptions(partial_set_status=200)]
)
async def test_partly_rejected_set_names_the_refused_key(charger: GoeClient) -> None:
    with pytest.raises(GoeKeyRejectedError) as caught:
        await charger.set_values({"amp": 10, "car": 1, "nope": 2})
    assert caught.value.key == "car"
    assert set(caught.value.rejected) == {"car", "nope"}
    assert caught.value.accepted == {"amp"}
    assert (await charger.get_charger_status()).current_limit == 10


async def test_api_switched_off(
    charger: GoeClient, goe_sim: GoeSimulator, session: aiohttp.ClientSession
) -> None:
    await control(session, goe_sim.control_url, action="set_api_disabled")
    with pytest.raises(GoeApiDisabledError, match="switch on HTTP API v2 in the go-e app"):
        await charger.get_charger_status()
    with pytest.raises(GoeApiDisabledError):
        await charger.set_current_limit(10)


async def test_busy(
    charger: GoeClient, goe_sim: GoeSimulator, session: aiohttp.ClientSession
) -> None:
    await control(session, goe_sim.control_url, action="set_busy", requests=2)
    with pytest.raises(GoeBusyError):
        await charger.get_charger_status()
    with pytest.raises(GoeBusyError):
        await charger.set_current_limit(10)
    await charger.set_current_limit(10)


async def test_offline_device(
    charger: GoeClient, goe_sim: GoeSimulator, session: aiohttp.ClientSession
) -> None:
    await control(session, goe_sim.control_url, action="go_offline")
    with pytest.raises(GoeConnectionError):
        await charger.get_charger_status()


async def test_nothing_listening(session: aiohttp.ClientSession, goe_sim: GoeSimulator) -> None:
    port = goe_sim.port
    await goe_sim.stop()
    client = GoeClient(LocalEndpoint("127.0.0.1", port=port), session)
    with pytest.raises(GoeConnectionError):
        await client.detect()


async def test_hung_device_times_out(goe_sim: GoeSimulator, session: aiohttp.ClientSession) -> None:
    await control(session, goe_sim.control_url, action="set_hanging")
    client = GoeClient(
        LocalEndpoint("x", base_url=goe_sim.local_url("000001")), session, request_timeout=0.05
    )
    with pytest.raises(GoeTimeoutError):
        await client.get_charger_status()
    await control(session, goe_sim.control_url, action="set_hanging", hanging=False)


@pytest.mark.parametrize("value", [math.nan, math.inf, {1, 2}])
async def test_values_json_cannot_carry_are_refused_before_sending(
    charger: GoeClient, goe_sim: GoeSimulator, value: object
) -> None:
    with pytest.raises(GoeValueError):
        await charger.set_values({"dwo": value})  # type: ignore[dict-item]
    assert not goe_sim.request_log
