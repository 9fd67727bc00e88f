"""The `get_charging_sessions` action: completed sessions of an account or a charge point."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final, cast

import voluptuous as vol
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util

from .const import DOMAIN, NO_CARD_OPTION
from .errors import validation_error
from .targets import ATTR_CONFIG_ENTRY_ID, resolve_account, resolve_charge_point

if TYPE_CHECKING:
    from .runtime import EVChargePointsConfigEntry

SERVICE_GET_CHARGING_SESSIONS: Final = "get_charging_sessions"
ATTR_START: Final = "start"
ATTR_END: Final = "end"
ATTR_CARD: Final = "card"
# No charging history lies outside these years (and date arithmetic stays in range).
EARLIEST: Final = datetime(2000, 1, 1, tzinfo=UTC)
LATEST: Final = datetime(2100, 1, 1, tzinfo=UTC)

# --- the action -----------------------------------------------------------------------------

SERVICE_SCHEMA: Final = vol.Schema(
    {
        vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Optional(ATTR_DEVICE_ID): cv.string,
        vol.Optional(ATTR_START): cv.datetime,
        vol.Optional(ATTR_END): cv.datetime,
        vol.Optional(ATTR_CARD): cv.string,
    }
)


def _aware(value: datetime | None) -> datetime | None:
    """A naive date-time from the action is Home Assistant's local time; a sane year only."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt_util.get_default_time_zone())
    try:
        moment = dt_util.as_utc(value)
    except OverflowError:  # year 1 east of UTC, year 9999 west of it
        moment = None
    if moment is None or not EARLIEST <= moment < LATEST:
        raise validation_error(
            "date_out_of_range",
            date=value.isoformat(),
            earliest=str(EARLIEST.year),
            latest=str(LATEST.year - 1),
        )
    return moment


def _target(hass: HomeAssistant, call: ServiceCall) -> tuple[EVChargePointsConfigEntry, list[str]]:
    """The loaded account and the charge points the call is about (the same keys as services.py)."""
    entry: EVChargePointsConfigEntry | None = None
    if (entry_id := call.data.get(ATTR_CONFIG_ENTRY_ID)) is not None:
        entry = resolve_account(hass, entry_id).config_entry
    if (device_id := call.data.get(ATTR_DEVICE_ID)) is None:
        if entry is None:
            loaded = hass.config_entries.async_loaded_entries(DOMAIN)
            if len(loaded) != 1:
                raise validation_error("account_required")
            entry = cast("EVChargePointsConfigEntry", loaded[0])
        return entry, sorted(entry.runtime_data.coordinator.data.charge_points)
    point = resolve_charge_point(hass, device_id)
    if entry is not None and point.entry.entry_id != entry.entry_id:
        raise validation_error("different_accounts")
    return point.entry, [point.evse_id]


async def _async_get_charging_sessions(call: ServiceCall) -> ServiceResponse:
    hass = call.hass
    entry, evse_ids = _target(hass, call)
    start, end = _aware(call.data.get(ATTR_START)), _aware(call.data.get(ATTR_END))
    if start is not None and end is not None and end <= start:
        raise validation_error("invalid_period")
    manager = entry.runtime_data.history
    if manager is None:
        raise validation_error("no_session_history")
    card = call.data.get(ATTR_CARD)
    if card is not None and card.strip().casefold() == NO_CARD_OPTION:
        # The form's "No card" (the same spelling as start_charge_session): the source's id.
        card = manager.source.no_card_id or card
    try:
        sessions = await manager.async_fetch_sessions(evse_ids, start=start, end=end, card=card)
    except manager.source.errors as err:
        raise manager.source.action_error(err) from err
    return {"sessions": [session.as_dict() for session in sessions]}


@callback
def async_setup_history_services(hass: HomeAssistant) -> None:
    """Register the `get_charging_sessions` action (once, from async_setup)."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_CHARGING_SESSIONS,
        _async_get_charging_sessions,
        schema=SERVICE_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
