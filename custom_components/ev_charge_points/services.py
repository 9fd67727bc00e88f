"""Neutral actions of EV Charge Points: start and stop a charging session, for every brand.

Registered once in `async_setup`, not per entry. A brand registers its own extra actions
(`registry.Brand.setup_actions`). Every action names its charge point by device; bad input
raises a translated ServiceValidationError before anything is sent, and a refusal raises the
coordinator's translated HomeAssistantError.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import voluptuous as vol
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.helpers import config_validation as cv

from .const import DOMAIN
from .targets import resolve_charge_point

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

SERVICE_START_CHARGE_SESSION: Final = "start_charge_session"
SERVICE_STOP_CHARGE_SESSION: Final = "stop_charge_session"

ATTR_CHARGE_CARD: Final = "charge_card"

START_SESSION_SCHEMA = vol.Schema(
    {vol.Required(ATTR_DEVICE_ID): cv.string, vol.Optional(ATTR_CHARGE_CARD): cv.string}
)
DEVICE_SCHEMA = vol.Schema({vol.Required(ATTR_DEVICE_ID): cv.string})


async def _async_start_charge_session(call: ServiceCall) -> None:
    point = resolve_charge_point(call.hass, call.data[ATTR_DEVICE_ID])
    card: str | None = call.data.get(ATTR_CHARGE_CARD)
    uid = None if card is None else await point.coordinator.async_card_uid(card)
    await point.coordinator.async_start_session(point.evse_id, uid)


async def _async_stop_charge_session(call: ServiceCall) -> None:
    point = resolve_charge_point(call.hass, call.data[ATTR_DEVICE_ID])
    await point.coordinator.async_stop_session(point.evse_id)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the neutral actions (once, from async_setup)."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_START_CHARGE_SESSION,
        _async_start_charge_session,
        schema=START_SESSION_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN, SERVICE_STOP_CHARGE_SESSION, _async_stop_charge_session, schema=DEVICE_SCHEMA
    )
