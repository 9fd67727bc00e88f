"""Diagnostics for EV Charge Points: the account, its connection and each device."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time
from enum import Enum
from typing import TYPE_CHECKING, Any

from homeassistant.components.diagnostics import async_redact_data

from .const import CONF_API_TOKEN, DOMAIN

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.device_registry import DeviceEntry

    from .coordinator import EVChargePointsCoordinator
    from .runtime import EVChargePointsConfigEntry

# Secrets and personal data: tokens, e-mail, card ids and names, people, address, position,
# bank; a brand adds its own keys (`Brand.redact`).
TO_REDACT = {
    CONF_API_TOKEN,
    "token",
    "auth_token",
    "email",
    "login",
    "title",
    "full_name",
    "customer_name",
    "tel",
    "hubspot_user_identity",
    "uid",
    "card_uid",
    "iban",
    "street",
    "housenumber",
    "zipcode",
    "city",
    "latitude",
    "longitude",
    "x_coord",
    "y_coord",
}
# Inside a card reference the card's own id and name identify a person as well.
_CARD_KEYS = {"default_card", "preferred_card", "plug_and_charge_card"}
_CARD_REDACT = {"id", "name"}


def _plain(value: Any) -> Any:  # noqa: PLR0911 - one branch per kind of value
    """Turn models into JSON-friendly structures (dataclasses, enums, sets, times)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        result: dict[str, Any] = {}
        for item in dataclasses.fields(value):
            if item.metadata.get("omit_if_none") and getattr(value, item.name) is None:
                continue
            plain = _plain(getattr(value, item.name))
            if item.name in _CARD_KEYS and isinstance(plain, dict):
                plain = async_redact_data(plain, _CARD_REDACT)
            result[item.name] = plain
        return result
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (frozenset, set)):
        return sorted(_plain(item) for item in value)
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return value


def _charge_point(coordinator: EVChargePointsCoordinator[Any], evse_id: str) -> dict[str, Any]:
    model = coordinator.data.charge_points.get(evse_id)
    return {
        "model": _plain(model),
        "derived": None
        if model is None
        else {
            "power": model.power,
            "average_current": model.average_current,
            "average_voltage": model.average_voltage,
            "current_left": model.current_left,
            "online": model.online,
            "vehicle_connected": model.vehicle_connected,
            "charging": model.charging,
        },
        "client": _plain(coordinator.raw_charge_point(evse_id)),
    }


def _grid(coordinator: EVChargePointsCoordinator[Any], grid_id: str) -> dict[str, Any]:
    model = coordinator.data.grids.get(grid_id)
    return {
        "model": _plain(model),
        "derived": None
        if model is None
        else {
            "average_current": model.average_current,
            "max_current": model.max_current,
            "total_current": model.total_current,
        },
    }


def _connection(coordinator: EVChargePointsCoordinator[Any]) -> dict[str, Any]:
    connection: dict[str, Any] = _plain(coordinator.connection_diagnostics())
    return connection


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant,  # noqa: ARG001 - Home Assistant's signature
    entry: EVChargePointsConfigEntry,
) -> dict[str, Any]:
    """Diagnostics for one account."""
    coordinator = entry.runtime_data.coordinator
    data = {
        "entry": {
            "title": entry.title,
            "version": entry.version,
            "data": dict(entry.data),
            "options": dict(entry.options),
        },
        "connection": _connection(coordinator),
        "charge_points": {
            evse_id: _charge_point(coordinator, evse_id)
            for evse_id in sorted(coordinator.data.charge_points)
        },
        "grids": {
            grid_id: _grid(coordinator, grid_id) for grid_id in sorted(coordinator.data.grids)
        },
    }
    if (history := entry.runtime_data.history) is not None:
        data["history"] = await history.async_diagnostics()
    return async_redact_data(data, TO_REDACT | entry.runtime_data.brand.redact)


async def async_get_device_diagnostics(
    hass: HomeAssistant,  # noqa: ARG001
    entry: EVChargePointsConfigEntry,
    device: DeviceEntry,
) -> dict[str, Any]:
    """Diagnostics for one charge point or grid device."""
    coordinator = entry.runtime_data.coordinator
    data: dict[str, Any] = {"connection": _connection(coordinator)}
    for domain, identifier in device.identifiers:
        if domain != DOMAIN:
            continue
        if identifier in coordinator.data.charge_points:
            data["charge_point"] = _charge_point(coordinator, identifier)
        for grid_id in coordinator.data.grids:
            if coordinator.grid_device_identifier(grid_id) == identifier:
                data["grid"] = _grid(coordinator, grid_id)
    return async_redact_data(data, TO_REDACT | entry.runtime_data.brand.redact)
