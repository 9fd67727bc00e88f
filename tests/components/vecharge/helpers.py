"""Helpers of the veCharge brand tests: the entry, entity ids, switching like the app does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charge_points.brands.vecharge.const import BRAND, CONF_CHARGER_ID
from custom_components.ev_charge_points.brands.vecharge.coordinator import VeChargeCoordinator
from custom_components.ev_charge_points.const import CONF_API_TOKEN, CONF_URL, DOMAIN
from custom_components.ev_charge_points.registry import CONF_BRAND

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from simulators.vecharge import VeChargeSimulator

TOKEN = "test-token"
CHARGER_ID = "test"
# The test scenario's charger on: 230 V x 7 A x power factor 0.98.
POWER_ON = 1577.8


def make_entry(sim: VeChargeSimulator, token: str = TOKEN) -> MockConfigEntry:
    """A (version 2) entry for the simulator's test charger."""
    return MockConfigEntry(
        domain=DOMAIN,
        version=2,
        title=f"veCharge {CHARGER_ID}",
        unique_id=CHARGER_ID,
        data={
            CONF_BRAND: BRAND,
            CONF_API_TOKEN: token,
            CONF_CHARGER_ID: CHARGER_ID,
            CONF_URL: sim.url,
        },
    )


def coordinator_of(entry: MockConfigEntry) -> VeChargeCoordinator:
    """The coordinator of a loaded veCharge entry."""
    coordinator = entry.runtime_data.coordinator
    assert isinstance(coordinator, VeChargeCoordinator)
    return coordinator


def entity_id(hass: HomeAssistant, domain: str, key: str) -> str:
    """The entity id of the test charger's entity `key`."""
    found = er.async_get(hass).async_get_entity_id(
        domain, DOMAIN, f"{CHARGER_ID}_{CHARGER_ID}_{key}"
    )
    assert found is not None, f"no {domain} entity {key}"
    return found


def state(hass: HomeAssistant, domain: str, key: str) -> str:
    """The state of the test charger's entity `key`."""
    current = hass.states.get(entity_id(hass, domain, key))
    assert current is not None
    return current.state
