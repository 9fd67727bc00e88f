"""Selects of a charge point: the brand adds its own (see `registry.Brand.entities`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.const import Platform

from .entity import async_setup_charge_point_entities

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .runtime import EVChargePointsConfigEntry

# One command at a time per select: a change waits for the device's answer.
PARALLEL_UPDATES = 1


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargePointsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the selects of every charge point (no neutral one yet: all come from the brand)."""
    async_setup_charge_point_entities(
        hass, entry, lambda _evse_id: (), async_add_entities, platform=Platform.SELECT
    )
