"""Our client against the simulator's cloud surface (host name, Bearer token, cloud codes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.ev_charge_points.api.goe import (
    CloudEndpoint,
    CloudHost,
    DeviceKind,
    GoeAuthError,
    GoeCloudForbiddenError,
    GoeDeviceOfflineError,
    GoeKeyRejectedError,
    GoeNoRecentStatusError,
    KeyGroup,
)
from simulators.goe import SimulatorOptions
from tests.simulators.goe.helpers import CONTROLLER, CONTROLLER_KEY, control

from .conftest import CLOUD_KEY, cloud_client

if TYPE_CHECKING:
    import aiohttp

    from simulators.goe import GoeSimulator


def test_cloud_host_names() -> None:
    charger = CloudEndpoint("1", "secret-token-value")
    assert charger.url == "https://000001.api.v3.go-e.io"
    controller = CloudEndpoint("123456", "t", kind=DeviceKind.CONTROLLER)
    assert controller.url == "https://123456.api.v3.go-e.io"
    legacy = CloudEndpoint(
        "123456", "t", kind=DeviceKind.CONTROLLER, controller_host=CloudHost.CONTROLLER
    )
    assert legacy.url == "https://123456.api.controller.go-e.io"
    assert "secret-token-value" not in repr(charger)
    assert charger.headers() == {"Authorization": "Bearer secret-token-value"}


async def test_cloud_status_and_set(goe_sim: GoeSimulator, session: aiohttp.ClientSession) -> None:
    client = cloud_client(goe_sim, session, serial="1")  # zero-padded to 000001
    status = await client.get_charger_status()
    assert status.serial == "000001"
    assert status.last_modified is not None
    assert status.last_modified == goe_sim.clock.now().replace(microsecond=0)
    assert await client.set_values({"amp": 12}) == {"amp"}
    assert all(CLOUD_KEY not in line for line in goe_sim.request_log)  # header, not query
    with pytest.raises(GoeKeyRejectedError) as caught:
        await client.set_values({"alw": True})
    assert caught.value.key == "alw"


async def test_wrong_key_401(goe_sim: GoeSimulator, session: aiohttp.ClientSession) -> None:
    client = cloud_client(goe_sim, session, token="wrong")
    with pytest.raises(GoeAuthError) as caught:
        await client.get_charger_status()
    assert not isinstance(caught.value, GoeDeviceOfflineError)
    assert "wrong" not in str(caught.value)


@pytest.mark.parametrize("goe_options", [SimulatorOptions(cloud_auth_status=403)])
async def test_wrong_key_403_is_ambiguous(
    goe_sim: GoeSimulator, session: aiohttp.ClientSession
) -> None:
    with pytest.raises(GoeCloudForbiddenError) as caught:
        await cloud_client(goe_sim, session, token="wrong").get_charger_status()
    assert isinstance(caught.value, GoeAuthError)
    assert isinstance(caught.value, GoeDeviceOfflineError)


async def test_cloud_api_off(goe_sim: GoeSimulator, session: aiohttp.ClientSession) -> None:
    await control(session, goe_sim.control_url, action="set_cloud_enabled", enabled=False)
    with pytest.raises(GoeDeviceOfflineError):
        await cloud_client(goe_sim, session).get_charger_status()


async def test_offline_device_and_age(
    goe_sim: GoeSimulator, session: aiohttp.ClientSession
) -> None:
    await control(session, goe_sim.control_url, action="go_offline")
    await goe_sim.clock.advance(40)
    with pytest.raises(GoeNoRecentStatusError):
        await cloud_client(goe_sim, session).get_charger_status([KeyGroup.LIVE])
    patient = cloud_client(goe_sim, session, max_age=60)
    status = await patient.get_charger_status([KeyGroup.LIVE])
    assert status.last_modified is not None
    assert (goe_sim.clock.now() - status.last_modified).total_seconds() >= 40
    with pytest.raises(GoeNoRecentStatusError):
        await patient.set_current_limit(10)
    await goe_sim.clock.advance(200)
    with pytest.raises(GoeCloudForbiddenError):
        await patient.get_charger_status([KeyGroup.LIVE])


@pytest.mark.parametrize("host", list(CloudHost))
async def test_controller_on_either_host(
    goe_sim: GoeSimulator, session: aiohttp.ClientSession, host: CloudHost
) -> None:
    client = cloud_client(
        goe_sim,
        session,
        serial=CONTROLLER,
        token=CONTROLLER_KEY,
        kind=DeviceKind.CONTROLLER,
        controller_host=host,
    )
    status = await client.get_controller_status()
    assert status.serial == CONTROLLER
    assert (await client.detect()).kind is DeviceKind.CONTROLLER


@pytest.mark.parametrize("goe_options", [SimulatorOptions(cloud_set_body_map=False)])
async def test_cloud_set_without_a_body(
    goe_sim: GoeSimulator, session: aiohttp.ClientSession
) -> None:
    client = cloud_client(goe_sim, session)
    assert await client.set_values({"amp": 11}) == {"amp"}
    assert goe_sim.charger().amp == 11
    with pytest.raises(GoeKeyRejectedError):
        await client.set_values({"alw": True})
