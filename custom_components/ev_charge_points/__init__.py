"""EV Charge Points: charge points of several brands, each a cloud or local backend."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.const import Platform
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import issue_registry as ir

from . import brands  # noqa: F401 - registers the built-in brands
from .const import DOMAIN, LOGGER, VERSION_1_BRAND
from .history import LEDGER_STORE, HistoryManager
from .history_actions import async_setup_history_services
from .registry import CONF_BRAND, brand_of, registered_brands
from .runtime import EVChargePointsConfigEntry, EVChargePointsRuntimeData
from .services import async_setup_services
from .stores import async_remove_entry_stores

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
    for brand in registered_brands():
        if brand.setup_actions is not None:
            brand.setup_actions(hass)
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: EVChargePointsConfigEntry) -> bool:
    """Version 1 -> 2: the entry names its brand (every version 1 entry is Blue Current)."""
    if entry.version > 2:  # noqa: PLR2004 - a downgrade: this code cannot read the entry
        return False
    if entry.version == 1:
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_BRAND: VERSION_1_BRAND}, version=2
        )
        LOGGER.debug("Migrated entry %s to version 2", entry.entry_id)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: EVChargePointsConfigEntry) -> bool:
    """Connect to the account and set up its charge points."""
    brand = brand_of(entry)
    if brand is None:
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="unknown_brand",
            translation_placeholders={"brand": str(entry.data.get(CONF_BRAND))},
        )
    coordinator = brand.create_coordinator(hass, entry)
    coordinator.server_zone = brand.server_zone  # the lifetime meter reads its naive times
    await coordinator.async_config_entry_first_refresh()
    history = (
        None
        if brand.session_source is None
        else HistoryManager(
            hass, entry, coordinator, brand.session_source(hass, entry, coordinator)
        )
    )
    entry.runtime_data = EVChargePointsRuntimeData(
        brand=brand, coordinator=coordinator, history=history
    )
    if history is not None:
        entry.async_on_unload(history.async_stop)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    # After the platforms: the calendar and account sensors follow the first import.
    if history is not None:
        history.async_start()
    return True


async def async_unload_entry(hass: HomeAssistant, entry: EVChargePointsConfigEntry) -> bool:
    """Unload the platforms; the coordinator closes its connection via its on-unload hook."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: EVChargePointsConfigEntry) -> None:
    """The account is removed: its stores and its repair issues go with it."""
    brand = brand_of(entry)
    brand_stores = () if brand is None else brand.stores
    await async_remove_entry_stores(hass, entry.entry_id, (LEDGER_STORE, *brand_stores))
    # Every repair issue of an entry ends in its entry id (request limit, app login, ...).
    for domain, issue_id in list(ir.async_get(hass).issues):
        if domain == DOMAIN and issue_id.endswith(f"_{entry.entry_id}"):
            ir.async_delete_issue(hass, DOMAIN, issue_id)
