"""EV Charge Points: charge points of cloud backends (Blue Current first)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.const import Platform
from homeassistant.helpers import config_validation as cv
from homeassistant.util.ssl import get_default_context

from .api.bluecurrent import DEFAULT_URL, BlueCurrentClient
from .const import CONF_API_TOKEN, CONF_URL, DOMAIN, MAX_FRAME_SIZE
from .coordinator import BlueCurrentCoordinator, BlueCurrentRuntimeData, EVChargePointsConfigEntry
from .history import HistoryManager, async_setup_history_services
from .services import async_setup_services

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.typing import ConfigType

PLATFORMS: list[Platform] = [
    Platform.SENSOR,
    Platform.BINARY_SENSOR,
    Platform.SWITCH,
    Platform.BUTTON,
    Platform.SELECT,
    Platform.NUMBER,
    Platform.EVENT,
    Platform.CALENDAR,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:  # noqa: ARG001
    """Set up the integration; actions are registered here, once, not per entry."""
    async_setup_services(hass)
    async_setup_history_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: EVChargePointsConfigEntry) -> bool:
    """Connect to the account and set up its charge points."""
    client = BlueCurrentClient(
        entry.data[CONF_API_TOKEN],
        url=entry.data.get(CONF_URL, DEFAULT_URL),
        # HA builds this context once, off the event loop; the client never loads certificates.
        ssl_context=get_default_context(),
        max_message_size=MAX_FRAME_SIZE,
    )
    coordinator = BlueCurrentCoordinator(hass, entry, client)
    await coordinator.async_config_entry_first_refresh()
    history = HistoryManager(hass, entry)
    entry.runtime_data = BlueCurrentRuntimeData(
        client=client, coordinator=coordinator, history=history
    )
    entry.async_on_unload(history.async_stop)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    # After the platforms: the calendar and account sensors follow the first import.
    history.async_start()
    return True


async def async_unload_entry(hass: HomeAssistant, entry: EVChargePointsConfigEntry) -> bool:
    """Unload the platforms; the coordinator closes the socket via its on-unload hook."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
