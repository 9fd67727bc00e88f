"""The go-e config flow against the simulator: local, cloud, errors, reauth, reconfigure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.config_entries import SOURCE_RECONFIGURE
from homeassistant.data_entry_flow import FlowResultType

from custom_components.ev_charge_points.const import DOMAIN
from tests.simulators.goe.helpers import CHARGER, CONTROLLER

from .conftest import (
    CLOUD_KEY,
    add_cloud,
    add_local,
    goe_coordinator,
    host_of,
    start_flow,
)

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from simulators.goe import GoeSimulator


async def reconfigure(hass: HomeAssistant, entry: ConfigEntry) -> Any:
    return await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )


async def test_local_charger(hass: HomeAssistant, goe_sim: GoeSimulator) -> None:
    """The host is enough: serial, name and kind come from the device."""
    entry = await add_local(hass, goe_sim)

    assert entry.title == "Garage"
    assert entry.unique_id == CHARGER
    assert entry.data == {
        "brand": "goe",
        "serial": CHARGER,
        "kind": "charger",
        "connection": "local",
        "host": host_of(goe_sim, CHARGER),
    }


async def test_local_controller_is_detected(hass: HomeAssistant, goe_sim: GoeSimulator) -> None:
    """A controller at the address becomes a controller entry (from the data, not a choice)."""
    entry = await add_local(hass, goe_sim, CONTROLLER)

    assert entry.data["kind"] == "controller"
    assert goe_coordinator(entry).kind == "controller"


async def test_cloud_charger(hass: HomeAssistant, goe_sim: GoeSimulator, goe_cloud: None) -> None:
    """Serial and API key: the cloud answers for the device; the key is stored, not shown."""
    entry = await add_cloud(hass)

    assert entry.unique_id == CHARGER
    assert entry.data["connection"] == "cloud"
    assert entry.data["api_key"] == CLOUD_KEY
    assert CLOUD_KEY not in entry.title


async def test_cloud_wrong_key(hass: HomeAssistant, goe_sim: GoeSimulator, goe_cloud: None) -> None:
    form = await start_flow(hass, "goe_cloud")
    result = await hass.config_entries.flow.async_configure(
        form["flow_id"], {"serial": CHARGER, "api_key": "not-the-key"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"api_key": "invalid_api_key"}

    # The user corrects the key in the same form.
    result = await hass.config_entries.flow.async_configure(
        form["flow_id"], {"serial": CHARGER, "api_key": CLOUD_KEY}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_cloud_serial_must_be_digits(hass: HomeAssistant, goe_sim: GoeSimulator) -> None:
    form = await start_flow(hass, "goe_cloud")
    result = await hass.config_entries.flow.async_configure(
        form["flow_id"], {"serial": "abc", "api_key": CLOUD_KEY}
    )
    assert result["errors"] == {"serial": "invalid_serial"}


async def test_local_api_disabled(hass: HomeAssistant, goe_sim: GoeSimulator) -> None:
    """HTTP API v2 off: the form says to switch it on."""
    goe_sim.charger(CHARGER).api_enabled = False
    form = await start_flow(hass, "goe_local")
    result = await hass.config_entries.flow.async_configure(
        form["flow_id"], {"host": host_of(goe_sim, CHARGER)}
    )
    assert result["errors"] == {"base": "api_disabled"}


async def test_local_unreachable(hass: HomeAssistant, goe_sim: GoeSimulator) -> None:
    goe_sim.charger(CHARGER).go_offline()
    form = await start_flow(hass, "goe_local")
    result = await hass.config_entries.flow.async_configure(
        form["flow_id"], {"host": host_of(goe_sim, CHARGER)}
    )
    assert result["errors"] == {"base": "goe_cannot_connect"}


async def test_same_device_twice_is_refused(hass: HomeAssistant, goe_sim: GoeSimulator) -> None:
    await add_local(hass, goe_sim)
    form = await start_flow(hass, "goe_local")
    result = await hass.config_entries.flow.async_configure(
        form["flow_id"], {"host": host_of(goe_sim, CHARGER)}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reconfigure_to_a_new_host(hass: HomeAssistant, goe_sim: GoeSimulator) -> None:
    """The device moved: the new address is checked against the serial and kept."""
    entry = await add_local(hass, goe_sim)
    # The simulator's main port also answers locally for the same charger.
    new_host = f"127.0.0.1:{goe_sim.port}"

    flow = await reconfigure(hass, entry)
    assert flow["step_id"] == "goe_reconfigure"
    result = await hass.config_entries.flow.async_configure(flow["flow_id"], {"host": new_host})

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data["host"] == new_host


async def test_reconfigure_to_another_device_is_refused(
    hass: HomeAssistant, goe_sim: GoeSimulator
) -> None:
    entry = await add_local(hass, goe_sim)
    flow = await reconfigure(hass, entry)
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"host": host_of(goe_sim, CONTROLLER)}
    )
    assert result["reason"] == "wrong_device"
    assert entry.data["host"] == host_of(goe_sim, CHARGER)


@pytest.mark.usefixtures("goe_cloud")
async def test_reauth_after_the_key_changed(hass: HomeAssistant, goe_sim: GoeSimulator) -> None:
    """A new key in the go-e app: the poll's 401 starts reauth; the new key fixes it."""
    entry = await add_cloud(hass)
    goe_sim.charger(CHARGER).cloud_key = "new-key"

    await goe_coordinator(entry).async_refresh()
    await hass.async_block_till_done()

    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    flow = flows[0]
    assert flow["step_id"] == "goe_reauth"
    result = await hass.config_entries.flow.async_configure(flow["flow_id"], {"api_key": "bad"})
    assert result["errors"] == {"api_key": "invalid_api_key"}
    result = await hass.config_entries.flow.async_configure(flow["flow_id"], {"api_key": "new-key"})
    assert result["reason"] == "reauth_successful"
    assert entry.data["api_key"] == "new-key"
