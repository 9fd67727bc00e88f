"""Action targets: a device or a config entry -> its coordinator and charge point.

Shared by the neutral actions and every brand's own; a bad target raises a translated
ServiceValidationError before anything is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from homeassistant.config_entries import ConfigEntryState
from homeassistant.helpers import device_registry as dr

from .const import DOMAIN
from .errors import validation_error

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .coordinator import EVChargePointsCoordinator
    from .runtime import EVChargePointsConfigEntry

ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"


@dataclass(frozen=True, slots=True)
class ChargePointTarget:
    """A charge point an action was given, resolved to its account."""

    entry: EVChargePointsConfigEntry
    coordinator: EVChargePointsCoordinator[Any]
    evse_id: str
    name: str


def loaded_coordinator(entry: EVChargePointsConfigEntry) -> EVChargePointsCoordinator[Any]:
    """The entry's coordinator, or a validation error while the entry is not loaded."""
    if entry.state is not ConfigEntryState.LOADED:
        # No title in the message: it is the account e-mail, and the error gets logged.
        raise validation_error("entry_not_loaded")
    return entry.runtime_data.coordinator


def resolve_charge_point(hass: HomeAssistant, device_id: str) -> ChargePointTarget:
    """The charge point behind a device id, or a translated validation error."""
    device = dr.async_get(hass).async_get(device_id)
    if device is None:
        raise validation_error("invalid_device", device_id=device_id)
    name = device.name_by_user or device.name or device_id
    entry: EVChargePointsConfigEntry | None = next(
        (
            candidate
            for entry_id in device.config_entries
            if (candidate := hass.config_entries.async_get_entry(entry_id)) is not None
            and candidate.domain == DOMAIN
        ),
        None,
    )
    idents = [ident for domain, ident in device.identifiers if domain == DOMAIN]
    if entry is None or not idents:
        raise validation_error("not_a_charge_point", device=name)
    coordinator = loaded_coordinator(entry)
    # A grid device belongs to the integration too, but is no charge point.
    evse_id = next((ident for ident in idents if ident in coordinator.data.charge_points), None)
    if evse_id is None:
        raise validation_error("not_a_charge_point", device=name)
    return ChargePointTarget(entry, coordinator, evse_id, name)


def resolve_charge_points(hass: HomeAssistant, device_ids: list[str]) -> list[ChargePointTarget]:
    """Several charge points of one account (one schedule cannot span accounts)."""
    points = [resolve_charge_point(hass, device_id) for device_id in dict.fromkeys(device_ids)]
    if len({point.entry.entry_id for point in points}) > 1:
        raise validation_error("different_accounts")
    return points


def resolve_account(hass: HomeAssistant, entry_id: str) -> EVChargePointsCoordinator[Any]:
    """The coordinator of a loaded account of this integration, or a validation error."""
    entry = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise validation_error("invalid_config_entry", config_entry_id=entry_id)
    return loaded_coordinator(entry)
