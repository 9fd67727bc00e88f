"""Binary sensors (online, vehicle connected, charging) and charge points joining later."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from unittest.mock import patch

import pytest
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, Platform
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    snapshot_platform,
)

from custom_components.ev_charge_points.brands.bluecurrent.const import (
    CHARGE_POINTS_REFRESH_INTERVAL,
)

from .helpers import TOKEN, coordinator_of, make_entry, setup_entry, wait_for

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from homeassistant.core import HomeAssistant
    from syrupy.assertion import SnapshotAssertion

    from simulators.bluecurrent import BlueCurrentSimulator

TEST_SCENARIO = Path(__file__).parents[2] / "simulators" / "bluecurrent" / "scenarios" / "test.json"


@pytest.fixture
async def entry(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> AsyncIterator[MockConfigEntry]:
    """The simulator's account, set up with only the binary sensor platform."""
    entry = make_entry(simulator)
    with patch("custom_components.ev_charge_points.PLATFORMS", [Platform.BINARY_SENSOR]):
        await setup_entry(hass, entry)
        yield entry


def _state(hass: HomeAssistant, entity_id: str) -> str | None:
    state = hass.states.get(entity_id)
    return state.state if state is not None else None


async def test_binary_sensors(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every binary sensor of both charge points, as the user sees them."""
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


async def test_vehicle_plugged_in_and_out(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """A plugged-in car shows as connected (not charging without P&C); unplugging ends both."""
    assert _state(hass, "binary_sensor.garage_vehicle_connected") == STATE_OFF
    await simulator.plug_in("BCU102")
    await wait_for(hass, lambda: _state(hass, "binary_sensor.garage_vehicle_connected") == STATE_ON)
    assert _state(hass, "binary_sensor.garage_charging") == STATE_OFF

    assert _state(hass, "binary_sensor.driveway_charging") == STATE_ON
    await simulator.unplug("BCU101")
    await wait_for(hass, lambda: _state(hass, "binary_sensor.driveway_charging") == STATE_OFF)
    assert _state(hass, "binary_sensor.driveway_vehicle_connected") == STATE_OFF


async def test_online_goes_off_not_unavailable(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """An offline charge point is a clear "off" users can alert on, not "unavailable"."""
    assert _state(hass, "binary_sensor.garage_online") == STATE_ON
    await simulator.set_offline("BCU102")
    await wait_for(hass, lambda: _state(hass, "binary_sensor.garage_online") == STATE_OFF)
    assert _state(hass, "binary_sensor.driveway_online") == STATE_ON

    await simulator.set_online("BCU102")
    await wait_for(hass, lambda: _state(hass, "binary_sensor.garage_online") == STATE_ON)


async def test_charge_points_joining_get_entities_on_every_platform(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """A charge point added to the account gets its entities; leaving and rejoining too."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)  # every platform
    coordinator = coordinator_of(entry)
    entities = er.async_get(hass)
    expected = {
        "binary_sensor.carport_online",
        "sensor.carport_activity",
        "sensor.grid_bcu103_current_phase_1",
        "switch.carport_block",
        "button.carport_reboot",
    }

    def refresh() -> None:
        """Run the coordinator's periodic re-read of the charge point list."""
        async_fire_time_changed(
            hass, dt_util.utcnow() + CHARGE_POINTS_REFRESH_INTERVAL + timedelta(seconds=1)
        )

    for _round in range(2):
        simulator.add_charge_point(TOKEN, {"evse_id": "BCU103", "name": "Carport"})
        refresh()
        await wait_for(hass, lambda: expected <= set(hass.states.async_entity_ids()))
        for entity_id in expected:
            assert _state(hass, entity_id) not in (None, STATE_UNAVAILABLE)
        assert _state(hass, "binary_sensor.carport_online") == STATE_ON

        simulator.remove_charge_point("BCU103")
        refresh()
        await wait_for(hass, lambda: "BCU103" not in coordinator.data.charge_points)
        await wait_for(hass, lambda: entities.async_get("switch.carport_block") is None)
        assert not expected & set(hass.states.async_entity_ids())
