"""A status sensor per socket, for Blue Current charge points with more than one socket.

Against the simulator over real sockets: the per-socket status comes through pybluecurrent
(REST v2.1 `chargepointstatus`), read with the app's charge point list at each history import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er

from custom_components.ev_charge_points.const import DOMAIN

from .helpers import make_entry, setup_entry, state_of, wait_for

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from simulators.bluecurrent import BlueCurrentSimulator

SOCKET_1 = "sensor.carport_socket_1_status"
SOCKET_2 = "sensor.carport_socket_2_status"


async def two_socket_entry(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, *, plug_and_charge: bool = False
) -> MockConfigEntry:
    simulator.add_charge_point(
        "test-token",
        {
            "evse_id": "BCU103",
            "name": "Carport",
            "socket_ids": [1, 2],
            "plug_and_charge": plug_and_charge,
        },
    )
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    await hass.async_block_till_done()
    return entry


async def reimport(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Run a history import (what a session end schedules) and wait for it."""
    history = entry.runtime_data.history
    history.synced.clear()
    history.async_schedule_import(0)
    await wait_for(hass, history.synced.is_set)
    await hass.async_block_till_done()


async def test_two_sockets_get_a_status_sensor_each(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    await two_socket_entry(hass, simulator)

    assert state_of(hass, SOCKET_1) == "available"
    assert state_of(hass, SOCKET_2) == "available"
    state = hass.states.get(SOCKET_2)
    assert state is not None
    assert state.attributes["friendly_name"] == "Carport Socket 2 status"
    assert "vehicle_detected" in state.attributes["options"]
    # On the charge point's device: one device per charge point, entities per socket.
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, "BCU103")})
    assert device is not None
    registry = er.async_get(hass)
    for entity_id in (SOCKET_1, SOCKET_2):
        registered = registry.async_get(entity_id)
        assert registered is not None
        assert registered.device_id == device.id
        assert registered.translation_key == "socket_status"


async def test_socket_status_follows_the_next_read(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    entry = await two_socket_entry(hass, simulator)

    # A car on the first socket (no session yet): shown once the app side is read again.
    await simulator.plug_in("BCU103")
    assert state_of(hass, SOCKET_1) == "available"  # no extra polling
    await reimport(hass, entry)
    assert state_of(hass, SOCKET_1) == "vehicle_detected"  # on the cable, not charging
    assert state_of(hass, SOCKET_2) == "available"

    await simulator.set_offline("BCU103")
    await reimport(hass, entry)
    assert state_of(hass, SOCKET_2) == "offline"


async def test_a_session_on_one_socket_shows_as_charging_there(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    entry = await two_socket_entry(hass, simulator, plug_and_charge=True)

    await simulator.plug_in("BCU103")  # plug and charge: the session starts on socket 1
    await reimport(hass, entry)
    assert state_of(hass, SOCKET_1) == "charging"
    assert state_of(hass, SOCKET_2) == "available"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # unlock: disabled by default
async def test_unlock_reads_the_socket_status_too(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    await two_socket_entry(hass, simulator)
    await simulator.plug_in("BCU103")

    # Unlock reads the per-socket status to pick the socket: the sensors take it along.
    await hass.services.async_call(
        "button", "press", {"entity_id": "button.carport_unlock_connector"}, blocking=True
    )
    await hass.async_block_till_done()
    assert state_of(hass, SOCKET_1) == "vehicle_detected"


async def test_socket_sensors_come_back_once_after_a_reload(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    entry = await two_socket_entry(hass, simulator)
    assert state_of(hass, SOCKET_1) == "available"

    await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, SOCKET_1) == STATE_UNAVAILABLE

    # Set up again: the sensors come back with the first import, not twice.
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await wait_for(hass, lambda: state_of(hass, SOCKET_1) == "available")
    socket_sensors = [
        e.entity_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.translation_key == "socket_status"
    ]
    assert sorted(socket_sensors) == [SOCKET_1, SOCKET_2]


async def test_single_socket_points_get_no_socket_sensors(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    await hass.async_block_till_done()

    source = entry.runtime_data.history.source
    sockets = {
        evse_id: point["sockets"]
        for evse_id, point in source.diagnostics()["app_charge_points"].items()
    }
    assert sockets  # the app's list was read
    assert all(ids == [1] for ids in sockets.values())
    registry = er.async_get(hass)
    assert not [
        e
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.translation_key == "socket_status"
    ]
