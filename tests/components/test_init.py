"""Setup, unload, reload and the setup-time failure modes, against the simulator."""

from __future__ import annotations

from typing import TYPE_CHECKING
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charge_points.const import CONF_API_TOKEN, CONF_URL, DOMAIN
from custom_components.ev_charge_points.model import ChargerActivity

from .helpers import CUSTOMER_ID, coordinator_of, ha_commands, make_entry, setup_entry, wait_for

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from simulators.bluecurrent import BlueCurrentSimulator


async def test_setup_reads_the_account(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """Setup connects, asks for the points, their statuses and grids, and adds devices."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    coordinator = coordinator_of(entry)
    assert coordinator.connected
    assert set(coordinator.data.charge_points) == {"BCU101", "BCU102"}
    assert set(coordinator.data.grids) == {"GRID-BCU101"}
    driveway = coordinator.data.charge_points["BCU101"]
    assert driveway.name == "Driveway"
    assert driveway.grid_id == "GRID-BCU101"
    assert driveway.activity is ChargerActivity.CHARGING
    assert driveway.power is not None
    assert driveway.power > 0

    # One long-lived socket; statuses and grids asked for every point (not only the first).
    assert simulator.open_connections == 1
    assert len(ha_commands(simulator, "HELLO")) == 1
    assert {c["evse_id"] for c in simulator.commands("GET_CH_STATUS")} == {"BCU101", "BCU102"}
    assert {c["evse_id"] for c in simulator.commands("GET_GRID_STATUS")} == {"BCU101", "BCU102"}

    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    identifiers = {ident for device in devices for _, ident in device.identifiers}
    assert {"BCU101", "BCU102", f"{CUSTOMER_ID}_GRID-BCU101"} <= identifiers
    assert er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)


async def test_unload_and_reload(hass: HomeAssistant, simulator: BlueCurrentSimulator) -> None:
    """Unload closes the socket and leaves no task behind; reload connects again."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED
    await wait_for(hass, lambda: simulator.open_connections == 0)

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert coordinator_of(entry).connected
    assert len(ha_commands(simulator, "HELLO")) == 2
    await wait_for(hass, lambda: simulator.open_connections == 1)


async def test_home_assistant_stop_disconnects(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """Stopping Home Assistant closes the socket even though entries are not unloaded."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)

    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await hass.async_block_till_done()
    await wait_for(hass, lambda: simulator.open_connections == 0)
    assert not coordinator_of(entry).link_up


async def test_unreachable_server_is_not_ready(hass: HomeAssistant, socket_enabled: None) -> None:
    """A refused TCP connect makes setup retry later, with the reason shown."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=CUSTOMER_ID,
        data={CONF_API_TOKEN: "test-token", CONF_URL: "ws://127.0.0.1:9/haserver"},
    )
    await setup_entry(hass, entry)

    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.error_reason_translation_key == "cannot_connect"


async def test_invalid_token_at_setup_starts_reauth(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """A refused token fails setup and asks the user for a new one."""
    entry = make_entry(simulator, token="not-a-token")
    await setup_entry(hass, entry)

    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert simulator.open_connections == 0


async def test_already_connected_at_setup_is_not_ready(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """An "Already connected" rejection at setup retries instead of failing for good."""
    simulator.faults.reject_handshakes("Already connected", count=None)
    entry = make_entry(simulator)
    await setup_entry(hass, entry)

    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.error_reason_translation_key == "already_connected"


async def test_setup_times_out_when_the_server_stays_silent(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """A half-open server (no replies) ends setup after the timeout, socket closed."""
    simulator.faults.stop_answering()
    entry = make_entry(simulator)
    with patch("custom_components.ev_charge_points.push.SETUP_TIMEOUT", 0.3):
        await setup_entry(hass, entry)

    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.error_reason_translation_key == "setup_timeout"
    await wait_for(hass, lambda: simulator.open_connections == 0)
