"""The Blue Current brand: how the core builds, shows and sets up a Blue Current account."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.const import Platform
from homeassistant.util.ssl import get_default_context

from custom_components.ev_charge_points.api.bluecurrent import DEFAULT_URL, BlueCurrentClient
from custom_components.ev_charge_points.api.bluecurrent.timeutil import AMSTERDAM
from custom_components.ev_charge_points.const import CONF_API_TOKEN, CONF_URL
from custom_components.ev_charge_points.registry import Brand

from .actions import async_setup_actions
from .capacity_tariff import (
    async_setup_capacity_tariff_action,
    async_track_capacity_tariff,
    capacity_tariff_switches,
)
from .const import BRAND, CONF_APP_PASSWORD, CONF_APP_USERNAME, MANUFACTURER, MAX_FRAME_SIZE
from .coordinator import BlueCurrentCoordinator
from .flow import FLOW_STEPS, BlueCurrentOptionsFlow
from .memory import MEMORY_STORE
from .select import charge_point_selects
from .sensor import account_sensors
from .sessions import BlueCurrentSessionSource
from .sockets import async_track_socket_sensors

if TYPE_CHECKING:
    from collections.abc import Iterable

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity import Entity

    from custom_components.ev_charge_points.coordinator import EVChargePointsCoordinator


def create_coordinator(hass: HomeAssistant, entry: ConfigEntry[Any]) -> BlueCurrentCoordinator:
    """The account's client and coordinator (not connected yet)."""
    client = BlueCurrentClient(
        entry.data[CONF_API_TOKEN],
        url=entry.data.get(CONF_URL, DEFAULT_URL),
        # HA builds this context once, off the event loop; the client never loads certificates.
        ssl_context=get_default_context(),
        max_message_size=MAX_FRAME_SIZE,
    )
    coordinator = BlueCurrentCoordinator(hass, entry, client)
    async_track_socket_sensors(hass, entry, coordinator)
    async_track_capacity_tariff(hass, entry, coordinator)
    return coordinator


def _ours(coordinator: EVChargePointsCoordinator[Any]) -> BlueCurrentCoordinator:
    """Blue Current's coordinator: the registry only hands a brand its own entries."""
    assert isinstance(coordinator, BlueCurrentCoordinator)  # noqa: S101 - see above
    return coordinator


def _selects(coordinator: EVChargePointsCoordinator[Any], evse_id: str) -> Iterable[Entity]:
    return charge_point_selects(_ours(coordinator), evse_id)


def _switches(coordinator: EVChargePointsCoordinator[Any], evse_id: str) -> Iterable[Entity]:
    return capacity_tariff_switches(_ours(coordinator), evse_id)


def _setup_actions(hass: HomeAssistant) -> None:
    async_setup_actions(hass)
    async_setup_capacity_tariff_action(hass)


def _session_source(
    hass: HomeAssistant, entry: ConfigEntry[Any], coordinator: EVChargePointsCoordinator[Any]
) -> BlueCurrentSessionSource:
    return BlueCurrentSessionSource(hass, entry, _ours(coordinator))


BLUE_CURRENT = Brand(
    key=BRAND,
    name=MANUFACTURER,
    create_coordinator=create_coordinator,
    flow_steps=FLOW_STEPS,
    options_flow=BlueCurrentOptionsFlow,
    entities={Platform.SELECT: _selects, Platform.SWITCH: _switches},
    setup_actions=_setup_actions,
    account_entities={Platform.SENSOR: account_sensors},
    session_source=_session_source,
    # Status times are naive Amsterdam wall time (protocol reference).
    server_zone=AMSTERDAM,
    stores=(MEMORY_STORE,),
    redact=frozenset(
        {
            CONF_APP_USERNAME,
            CONF_APP_PASSWORD,
            "contract_id",
            "contact_email",
            "beneficiary_name",
            "iban_beneficiary",
        }
    ),
)
