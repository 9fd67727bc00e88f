"""Device conditions of a charge point: vehicle connected, charging, online."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_CONDITION, CONF_DEVICE_ID, CONF_DOMAIN, CONF_TYPE
from homeassistant.core import callback
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr

from .const import DOMAIN

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.condition import ConditionCheckerType
    from homeassistant.helpers.typing import ConfigType, TemplateVarsType

    from .model import ChargePointData

CONDITIONS: Final[dict[str, Callable[[ChargePointData], bool]]] = {
    "is_vehicle_connected": lambda cp: cp.vehicle_connected,
    "is_vehicle_disconnected": lambda cp: cp.vehicle_state is not None and not cp.vehicle_connected,
    "is_charging": lambda cp: cp.charging,
    "is_not_charging": lambda cp: cp.activity is not None and not cp.charging,
    "is_online": lambda cp: cp.online,
    "is_offline": lambda cp: cp.activity is not None and not cp.online,
}

CONDITION_SCHEMA = cv.DEVICE_CONDITION_BASE_SCHEMA.extend(
    {vol.Required(CONF_TYPE): vol.In(list(CONDITIONS))}
)


def _evse_id(device: dr.DeviceEntry) -> str | None:
    """A charge point device carries its evse id as serial number and identifier."""
    if device.serial_number is None or (DOMAIN, device.serial_number) not in device.identifiers:
        return None
    return device.serial_number


def is_charge_point_device(hass: HomeAssistant, device_id: str) -> bool:
    """Whether the device is a charge point (not a grid) of this integration."""
    device = dr.async_get(hass).async_get(device_id)
    return device is not None and _evse_id(device) is not None


async def async_get_conditions(hass: HomeAssistant, device_id: str) -> list[dict[str, Any]]:
    """List the conditions of a charge point device (grid devices have none)."""
    if not is_charge_point_device(hass, device_id):
        return []
    return [
        {
            CONF_CONDITION: "device",
            CONF_DOMAIN: DOMAIN,
            CONF_DEVICE_ID: device_id,
            CONF_TYPE: condition_type,
        }
        for condition_type in CONDITIONS
    ]


def _charge_point(hass: HomeAssistant, device_id: str) -> ChargePointData | None:
    """The charge point's current data; None when unknown or its account is not loaded."""
    device = dr.async_get(hass).async_get(device_id)
    if device is None or (evse_id := _evse_id(device)) is None:
        return None
    for entry_id in device.config_entries:
        entry = hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN or entry.state is not ConfigEntryState.LOADED:
            continue
        if charge_point := entry.runtime_data.coordinator.data.charge_points.get(evse_id):
            return charge_point  # type: ignore[no-any-return]
    return None


@callback
def async_condition_from_config(
    hass: HomeAssistant,  # noqa: ARG001 - the protocol's signature
    config: ConfigType,
) -> ConditionCheckerType:
    """A checker that reads the charge point's latest data (false when it is unknown)."""
    device_id: str = config[CONF_DEVICE_ID]
    check = CONDITIONS[config[CONF_TYPE]]

    @callback
    def test(hass: HomeAssistant, variables: TemplateVarsType = None) -> bool:  # noqa: ARG001
        charge_point = _charge_point(hass, device_id)
        return charge_point is not None and check(charge_point)

    return test
