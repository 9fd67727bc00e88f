"""Device triggers of a charge point, fired by what the simulator's charge points do."""

from __future__ import annotations

from typing import TYPE_CHECKING
from unittest.mock import patch

import pytest
from homeassistant.components import automation
from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.const import Platform
from homeassistant.core import Event, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_get_device_automations,
)

from custom_components.ev_charge_points.const import DOMAIN

from .helpers import CUSTOMER_ID, make_entry, settle, setup_entry, wait_for

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

    from homeassistant.core import HomeAssistant, ServiceCall

    from simulators.bluecurrent import BlueCurrentSimulator

TRIGGER_TYPES = [
    "vehicle_connected",
    "vehicle_disconnected",
    "charging_started",
    "charging_stopped",
    "session_ended",
    "offline",
    "online",
]


@pytest.fixture
async def entry(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> AsyncIterator[MockConfigEntry]:
    """The account; the binary sensors create the devices."""
    entry = make_entry(simulator)
    with patch("custom_components.ev_charge_points.PLATFORMS", [Platform.BINARY_SENSOR]):
        await setup_entry(hass, entry)
        yield entry


def _device_id(hass: HomeAssistant, identifier: str) -> str:
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, identifier)})
    assert device is not None
    return device.id


async def _automate(hass: HomeAssistant, device_id: str, trigger_type: str) -> None:
    """One automation per trigger type; its action reports what the trigger carried."""
    assert await async_setup_component(
        hass,
        automation.DOMAIN,
        {
            automation.DOMAIN: [
                {
                    "trigger": {
                        "platform": "device",
                        "domain": DOMAIN,
                        "device_id": device_id,
                        "type": trigger_type,
                    },
                    "action": {
                        "service": "test.automation",
                        "data_template": {
                            "type": "{{ trigger.event.data.type }}",
                            "energy": "{{ trigger.event.data.energy }}",
                            "description": "{{ trigger.description }}",
                        },
                    },
                }
            ]
        },
    )


def _fired(calls: list[ServiceCall]) -> list[str]:
    return [call.data["type"] for call in calls if call.domain == "test"]


async def test_triggers_listed_for_charge_points_only(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """Every trigger type on a charge point device; none on the grid device."""
    device_id = _device_id(hass, "BCU101")
    triggers = [
        trigger
        for trigger in await async_get_device_automations(
            hass, DeviceAutomationType.TRIGGER, device_id
        )
        if trigger["domain"] == DOMAIN  # the binary sensors bring their own
    ]
    assert sorted(t["type"] for t in triggers) == sorted(TRIGGER_TYPES)
    assert all(t["device_id"] == device_id and t["platform"] == "device" for t in triggers)

    grid = _device_id(hass, f"{CUSTOMER_ID}_GRID-BCU101")
    assert not [
        trigger
        for trigger in await async_get_device_automations(hass, DeviceAutomationType.TRIGGER, grid)
        if trigger["domain"] == DOMAIN
    ]


async def _plug_in_and_start(simulator: BlueCurrentSimulator) -> None:
    await simulator.plug_in("BCU102")
    point = simulator.charge_point("BCU102")
    point.start_session(simulator.clock.now(), "BCU-APP")
    await simulator.push_status("BCU102")


async def _offline_and_back(simulator: BlueCurrentSimulator) -> None:
    await simulator.set_offline("BCU102")
    await simulator.set_online("BCU102")


ACTIONS: dict[str, tuple[str, Callable[[BlueCurrentSimulator], Awaitable[None]]]] = {
    "vehicle_connected": ("BCU102", lambda sim: sim.plug_in("BCU102")),
    "vehicle_disconnected": ("BCU101", lambda sim: sim.unplug("BCU101")),
    "charging_started": ("BCU102", _plug_in_and_start),
    "charging_stopped": ("BCU101", lambda sim: sim.unplug("BCU101")),
    "session_ended": ("BCU101", lambda sim: sim.unplug("BCU101")),
    "offline": ("BCU102", lambda sim: sim.set_offline("BCU102")),
    "online": ("BCU102", _offline_and_back),
}


@pytest.mark.parametrize("trigger_type", TRIGGER_TYPES)
async def test_trigger_fires_on_its_change(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: BlueCurrentSimulator,
    service_calls: list[ServiceCall],
    trigger_type: str,
) -> None:
    """Each trigger fires once, for its own charge point, when the change happens."""
    evse_id, action = ACTIONS[trigger_type]
    await _automate(hass, _device_id(hass, evse_id), trigger_type)
    other = "BCU101" if evse_id == "BCU102" else "BCU102"
    await _automate(hass, _device_id(hass, other), trigger_type)
    await settle(hass)
    assert _fired(service_calls) == []  # setup and the first statuses fire nothing

    await action(simulator)
    await wait_for(hass, lambda: _fired(service_calls) == [trigger_type])
    await settle(hass)
    assert _fired(service_calls) == [trigger_type]


async def test_session_ended_carries_the_energy(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: BlueCurrentSimulator,
    service_calls: list[ServiceCall],
) -> None:
    """The session-end trigger hands the session's totals to the automation."""
    await _automate(hass, _device_id(hass, "BCU101"), "session_ended")
    await simulator.unplug("BCU101")
    await wait_for(hass, lambda: _fired(service_calls) == ["session_ended"])
    (call,) = [call for call in service_calls if call.domain == "test"]
    assert float(call.data["energy"]) == pytest.approx(5.2, abs=0.1)
    assert "ev_charge_points_event" in call.data["description"]


async def test_unplugging_a_charging_car_fires_in_order(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """One unplug of a charging car: online stays, charging stops, session ends, car leaves."""
    seen: list[str] = []

    @callback
    def _record(event: Event) -> None:
        seen.append(event.data["type"])

    hass.bus.async_listen("ev_charge_points_event", _record)
    await simulator.unplug("BCU101")
    await wait_for(hass, lambda: len(seen) == 3)
    assert seen == ["charging_stopped", "vehicle_disconnected", "session_ended"]
