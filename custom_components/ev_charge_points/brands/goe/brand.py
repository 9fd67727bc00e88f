"""The go-e brand: how the core builds, shows and sets up a go-e charger or controller."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.const import Platform

from custom_components.ev_charge_points.registry import Brand

from .actions import async_setup_actions
from .connect import entry_client
from .const import BRAND, CLOUD_MAX_AGE, CONF_API_KEY, MANUFACTURER
from .coordinator import GoeCoordinator
from .entities import binary_sensors, numbers, selects, sensors, switches
from .flow import FLOW_STEPS

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant


def create_coordinator(hass: HomeAssistant, entry: ConfigEntry[Any]) -> GoeCoordinator:
    """The device's client and coordinator (nothing read yet)."""
    return GoeCoordinator(hass, entry, entry_client(hass, entry.data, max_age=CLOUD_MAX_AGE))


GOE = Brand(
    key=BRAND,
    name=MANUFACTURER,
    create_coordinator=create_coordinator,
    flow_steps=FLOW_STEPS,
    entities={
        Platform.SENSOR: sensors,
        Platform.BINARY_SENSOR: binary_sensors,
        Platform.SWITCH: switches,
        Platform.SELECT: selects,
        Platform.NUMBER: numbers,
    },
    setup_actions=async_setup_actions,
    redact=frozenset({CONF_API_KEY}),
)
