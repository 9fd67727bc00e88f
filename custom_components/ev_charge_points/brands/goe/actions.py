"""go-e's own actions: `set_pv_data` (PV data for the surplus logic) and `restart`.

Registered once by the brand; a device of another brand gets a translated error.
"""

from __future__ import annotations

from typing import Final

import voluptuous as vol
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.helpers import config_validation as cv

from custom_components.ev_charge_points.const import DOMAIN
from custom_components.ev_charge_points.errors import validation_error
from custom_components.ev_charge_points.model import Capability
from custom_components.ev_charge_points.targets import resolve_charge_point

from .coordinator import GoeCoordinator

SERVICE_SET_PV_DATA: Final = "set_pv_data"
SERVICE_RESTART: Final = "restart"
ATTR_GRID_POWER: Final = "grid_power"
ATTR_PV_POWER: Final = "pv_power"
ATTR_BATTERY_POWER: Final = "battery_power"
# Plausible powers of a home in W (import > 0, export < 0): a typo in kW or mW is refused.
MAX_POWER: Final = 1_000_000.0

_POWER = vol.Coerce(float)
SET_PV_DATA_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_GRID_POWER): _POWER,
        vol.Optional(ATTR_PV_POWER): _POWER,
        vol.Optional(ATTR_BATTERY_POWER): _POWER,
    }
)
DEVICE_SCHEMA = vol.Schema({vol.Required(ATTR_DEVICE_ID): cv.string})


def _check_power(field: str, value: float | None) -> None:
    if value is not None and not -MAX_POWER <= value <= MAX_POWER:
        raise validation_error(
            "value_out_of_range",
            value=f"{value:g}",
            field=field,
            min=f"{-MAX_POWER:g}",
            max=f"{MAX_POWER:g}",
        )


async def _async_set_pv_data(call: ServiceCall) -> None:
    point = resolve_charge_point(call.hass, call.data[ATTR_DEVICE_ID])
    coordinator = point.coordinator
    if not isinstance(coordinator, GoeCoordinator) or not coordinator.has_key("fup"):
        raise validation_error("action_not_supported", device=point.name)
    grid = call.data[ATTR_GRID_POWER]
    pv = call.data.get(ATTR_PV_POWER)
    battery = call.data.get(ATTR_BATTERY_POWER)
    for field, value in (
        (ATTR_GRID_POWER, grid),
        (ATTR_PV_POWER, pv),
        (ATTR_BATTERY_POWER, battery),
    ):
        _check_power(field, value)
    await coordinator.async_push_pv_data(grid, pv, battery)


async def _async_restart(call: ServiceCall) -> None:
    point = resolve_charge_point(call.hass, call.data[ATTR_DEVICE_ID])
    if not point.coordinator.supports(point.evse_id, Capability.REBOOT):
        raise validation_error("action_not_supported", device=point.name)
    await point.coordinator.async_reboot(point.evse_id)


@callback
def async_setup_actions(hass: HomeAssistant) -> None:
    """Register go-e's actions (once, from the integration's async_setup)."""
    hass.services.async_register(
        DOMAIN, SERVICE_SET_PV_DATA, _async_set_pv_data, schema=SET_PV_DATA_SCHEMA
    )
    hass.services.async_register(DOMAIN, SERVICE_RESTART, _async_restart, schema=DEVICE_SCHEMA)
