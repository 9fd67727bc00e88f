"""The veCharge brand: how the core builds, shows and sets up a veCharge charger."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.const import Platform
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from custom_components.ev_charge_points.api.vecharge import DEFAULT_BASE_URL, VeChargeClient
from custom_components.ev_charge_points.const import CONF_API_TOKEN, CONF_URL
from custom_components.ev_charge_points.registry import Brand

from .const import BRAND, CONF_CHARGER_ID, MANUFACTURER
from .coordinator import VeChargeCoordinator
from .entities import binary_sensors, sensors
from .flow import FLOW_STEPS

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant


def create_coordinator(hass: HomeAssistant, entry: ConfigEntry[Any]) -> VeChargeCoordinator:
    """The charger's client and coordinator (not connected yet).

    Home Assistant's shared HTTP session: the client never closes it, and python-socketio's
    long-polling requests use its SSL settings.
    """
    client = VeChargeClient(
        token=entry.data[CONF_API_TOKEN],
        charger_id=entry.data[CONF_CHARGER_ID],
        base_url=entry.data.get(CONF_URL, DEFAULT_BASE_URL),
        session=async_get_clientsession(hass),
    )
    return VeChargeCoordinator(hass, entry, client)


VECHARGE = Brand(
    key=BRAND,
    name=MANUFACTURER,
    create_coordinator=create_coordinator,
    flow_steps=FLOW_STEPS,
    entities={Platform.SENSOR: sensors, Platform.BINARY_SENSOR: binary_sensors},
)
