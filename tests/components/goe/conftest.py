"""Fixtures for the go-e integration tests: the go-e simulator on loopback, real HTTP.

Local entries talk to the simulator's per-device port as they would to a charger on the LAN.
Cloud entries use the real cloud host names (`000001.api.v3.go-e.io`); DNS and the cloud's
TLS port are the two things a loopback simulator cannot provide, so (only) for cloud tests
the integration's session resolves every name to 127.0.0.1 (the resolver of the simulator
tests) and the cloud endpoint speaks plain HTTP on the simulator's port.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.data_entry_flow import FlowResultType

from custom_components.ev_charge_points.brands.goe import connect
from custom_components.ev_charge_points.const import DOMAIN
from tests.simulators.goe.helpers import (
    CHARGER,
    CLOUD_KEY,
    loopback_session,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from custom_components.ev_charge_points.brands.goe.coordinator import GoeCoordinator
    from simulators.goe import GoeSimulator


@pytest.fixture
async def goe_cloud(goe_sim: GoeSimulator) -> AsyncIterator[None]:
    """Reach the simulator's cloud under the real host names (see the module docstring)."""
    async with loopback_session() as session:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(connect, "async_get_clientsession", lambda _hass: session)
            patch.setattr(
                connect, "CLOUD_ENDPOINT_OPTIONS", {"scheme": "http", "port": goe_sim.port}
            )
            yield


def host_of(sim: GoeSimulator, serial: str) -> str:
    """What a user types as the host: address and port of the device's local API."""
    return sim.local_url(serial).removeprefix("http://").rstrip("/")


async def add_local(hass: HomeAssistant, sim: GoeSimulator, serial: str = CHARGER) -> ConfigEntry:
    """Add a device through the brand menu, go-e, local; return the loaded entry."""
    result = await start_flow(hass, "goe_local")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"host": host_of(sim, serial)}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    return entry


async def add_cloud(
    hass: HomeAssistant, serial: str = CHARGER, key: str = CLOUD_KEY
) -> ConfigEntry:
    """Add a device through the brand menu, go-e, cloud; return the loaded entry."""
    result = await start_flow(hass, "goe_cloud")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"serial": serial, "api_key": key}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    return entry


async def start_flow(hass: HomeAssistant, how: str) -> Any:
    """Open the brand menu, choose go-e, then local or cloud: the form."""
    menu = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    menu = await hass.config_entries.flow.async_configure(menu["flow_id"], {"next_step_id": "goe"})
    assert menu["type"] is FlowResultType.MENU
    assert menu["menu_options"] == ["goe_local", "goe_cloud"]
    form = await hass.config_entries.flow.async_configure(menu["flow_id"], {"next_step_id": how})
    assert form["type"] is FlowResultType.FORM
    return form


def goe_coordinator(entry: ConfigEntry) -> GoeCoordinator:
    """The loaded entry's coordinator."""
    coordinator: GoeCoordinator = entry.runtime_data.coordinator
    return coordinator
