"""Device conditions of a charge point, read from the latest data of the simulator."""

from __future__ import annotations

from typing import TYPE_CHECKING
from unittest.mock import patch

import pytest
from homeassistant.components import automation
from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.const import Platform
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_get_device_automations,
)

from custom_components.ev_charge_points.const import DOMAIN

from .helpers import CUSTOMER_ID, make_entry, setup_entry, wait_for

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from homeassistant.core import HomeAssistant, ServiceCall

    from simulators.bluecurrent import BlueCurrentSimulator

CONDITION_TYPES = [
    "is_vehicle_connected",
    "is_vehicle_disconnected",
    "is_charging",
    "is_not_charging",
    "is_online",
    "is_offline",
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


async def _automate(hass: HomeAssistant, conditions: list[tuple[str, str]]) -> None:
    """On `test_event`, one automation per (device, condition) reports when it holds."""
    assert await async_setup_component(
        hass,
        automation.DOMAIN,
        {
            automation.DOMAIN: [
                {
                    "trigger": {"platform": "event", "event_type": "test_event"},
                    "condition": [
                        {
                            "condition": "device",
                            "domain": DOMAIN,
                            "device_id": device_id,
                            "type": condition_type,
                        }
                    ],
                    "action": {
                        "service": "test.automation",
                        "data": {"held": f"{device_id} {condition_type}"},
                    },
                }
                for device_id, condition_type in conditions
            ]
        },
    )


async def _holding(hass: HomeAssistant, calls: list[ServiceCall]) -> set[str]:
    """Which conditions hold now."""
    start = len(calls)
    hass.bus.async_fire("test_event")
    await hass.async_block_till_done()
    return {call.data["held"] for call in calls[start:] if call.domain == "test"}


async def test_conditions_listed_for_charge_points_only(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """Every condition type on a charge point device; none on the grid device."""
    device_id = _device_id(hass, "BCU101")
    conditions = [
        condition
        for condition in await async_get_device_automations(
            hass, DeviceAutomationType.CONDITION, device_id
        )
        if condition["domain"] == DOMAIN
    ]
    assert sorted(c["type"] for c in conditions) == sorted(CONDITION_TYPES)
    grid = _device_id(hass, f"{CUSTOMER_ID}_GRID-BCU101")
    assert not [
        condition
        for condition in await async_get_device_automations(
            hass, DeviceAutomationType.CONDITION, grid
        )
        if condition["domain"] == DOMAIN
    ]


async def test_conditions_follow_the_charge_points(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: BlueCurrentSimulator,
    service_calls: list[ServiceCall],
) -> None:
    """Driveway charges a connected car, garage is idle; then garage goes offline."""
    driveway, garage = _device_id(hass, "BCU101"), _device_id(hass, "BCU102")
    await _automate(
        hass,
        [(device, kind) for device in (driveway, garage) for kind in CONDITION_TYPES],
    )
    assert await _holding(hass, service_calls) == {
        f"{driveway} is_vehicle_connected",
        f"{driveway} is_charging",
        f"{driveway} is_online",
        f"{garage} is_vehicle_disconnected",
        f"{garage} is_not_charging",
        f"{garage} is_online",
    }

    await simulator.set_offline("BCU102")
    await simulator.unplug("BCU101")
    coordinator = entry.runtime_data.coordinator
    await wait_for(hass, lambda: not coordinator.data.charge_points["BCU102"].online)
    await wait_for(hass, lambda: not coordinator.data.charge_points["BCU101"].vehicle_connected)
    assert await _holding(hass, service_calls) == {
        f"{driveway} is_vehicle_disconnected",
        f"{driveway} is_not_charging",
        f"{driveway} is_online",
        f"{garage} is_vehicle_disconnected",
        f"{garage} is_not_charging",
        f"{garage} is_offline",
    }


async def test_no_condition_holds_without_the_account(
    hass: HomeAssistant, entry: MockConfigEntry, service_calls: list[ServiceCall]
) -> None:
    """Unloaded account: nothing is known, so neither a condition nor its opposite holds."""
    driveway = _device_id(hass, "BCU101")
    await _automate(hass, [(driveway, kind) for kind in CONDITION_TYPES])
    await hass.config_entries.async_unload(entry.entry_id)
    assert await _holding(hass, service_calls) == set()
