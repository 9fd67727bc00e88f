"""What an entry keeps in `.storage` between restarts, one store per idea, gone with the entry.

The history's session ledger is one; a brand names its own in `Brand.stores` (what it
remembers so that a restart does not read it again, e.g. Blue Current's grids and cards).
Removing the config entry removes every one of them: nothing of an account outlives it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from homeassistant.helpers.storage import Store

from .const import DOMAIN

if TYPE_CHECKING:
    from collections.abc import Iterable

    from homeassistant.core import HomeAssistant

STORAGE_VERSION: Final = 1


def entry_store(hass: HomeAssistant, name: str, entry_id: str) -> Store[dict[str, Any]]:
    """The entry's store called `name` (`.storage/ev_charge_points.<name>.<entry_id>`)."""
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{name}.{entry_id}")


async def async_remove_entry_stores(
    hass: HomeAssistant, entry_id: str, names: Iterable[str]
) -> None:
    """Delete the entry's stores called `names` from `.storage`."""
    for name in names:
        await entry_store(hass, name, entry_id).async_remove()
