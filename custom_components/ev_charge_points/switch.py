"""Switches of a charge point: charging, plug and charge, linked charge cards only, block."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory, Platform

from .entity import (
    EVChargePointEntity,
    EVEntityDescription,
    async_setup_described_entities,
)
from .model import Capability, ChargerActivity

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import EVChargePointsCoordinator
    from .model import ChargePointData
    from .runtime import EVChargePointsConfigEntry

# One command at a time per switch: each waits for the charge point's confirmation.
PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class EVChargePointSwitchEntityDescription(SwitchEntityDescription, EVEntityDescription):
    """A charge point switch: its state from the data, and the command that sets it.

    `reads` includes activity: a switch is available only while its point is online.
    """

    value_fn: Callable[[ChargePointData], bool | None]
    set_fn: Callable[[EVChargePointsCoordinator[Any], str, bool], Awaitable[None]]


SWITCHES: tuple[EVChargePointSwitchEntityDescription, ...] = (
    EVChargePointSwitchEntityDescription(
        # Charging allowed (on) or stopped (off): the same key for every brand that has it.
        key="charging",
        translation_key="charging",
        capability=Capability.CHARGING_SWITCH,
        reads=("activity", "charging_enabled"),
        value_fn=lambda cp: cp.charging_enabled,
        set_fn=lambda coordinator, evse_id, value: coordinator.async_set_charging(evse_id, value),
    ),
    EVChargePointSwitchEntityDescription(
        key="plug_and_charge",
        translation_key="plug_and_charge",
        entity_category=EntityCategory.CONFIG,
        reads=("activity", "plug_and_charge"),
        value_fn=lambda cp: cp.plug_and_charge,
        capability=Capability.PLUG_AND_CHARGE,
        set_fn=lambda coordinator, evse_id, value: coordinator.async_set_plug_and_charge(
            evse_id, value
        ),
    ),
    EVChargePointSwitchEntityDescription(
        key="linked_charge_cards_only",
        translation_key="linked_charge_cards_only",
        entity_category=EntityCategory.CONFIG,
        reads=("activity", "linked_charge_cards_only"),
        value_fn=lambda cp: cp.linked_charge_cards_only,
        capability=Capability.LINKED_CHARGE_CARDS_ONLY,
        set_fn=lambda coordinator, evse_id, value: coordinator.async_set_linked_charge_cards_only(
            evse_id, value
        ),
    ),
    EVChargePointSwitchEntityDescription(
        key="block",
        translation_key="block",
        reads=("activity",),
        value_fn=lambda cp: (
            cp.activity == ChargerActivity.BLOCKED if cp.activity is not None else None
        ),
        capability=Capability.BLOCK,
        set_fn=lambda coordinator, evse_id, value: coordinator.async_set_blocked(evse_id, value),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargePointsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add switches for every charge point."""
    async_setup_described_entities(
        hass,
        entry,
        async_add_entities,
        platform=Platform.SWITCH,
        descriptions=SWITCHES,
        entity=EVChargePointSwitch,
    )


class EVChargePointSwitch(EVChargePointEntity, SwitchEntity):
    """A switch on a charge point.

    The state is never set optimistically: it changes when the charge point's confirmation
    (or the CH_STATUS that follows a block) reaches the coordinator.
    """

    entity_description: EVChargePointSwitchEntityDescription
    # Unlike the core integration this stays available while a car charges: the charge
    # point accepts these settings in any online state.
    _requires_online = True

    def __init__(
        self,
        coordinator: EVChargePointsCoordinator[Any],
        evse_id: str,
        description: EVChargePointSwitchEntityDescription,
    ) -> None:
        """Set up the switch."""
        super().__init__(coordinator, evse_id, description)

    @property
    def is_on(self) -> bool | None:
        """Return the confirmed state from the latest charge point data."""
        if (charge_point := self.charge_point) is None:
            return None
        return self.entity_description.value_fn(charge_point)

    def _visible_state(self) -> tuple[object, ...]:
        return (self.available, self.is_on)

    async def async_turn_on(self, **kwargs: Any) -> None:  # noqa: ARG002 - no options
        """Switch on, once the charge point confirms."""
        await self._async_set(value=True)

    async def async_turn_off(self, **kwargs: Any) -> None:  # noqa: ARG002 - no options
        """Switch off, once the charge point confirms."""
        await self._async_set(value=False)

    async def _async_set(self, *, value: bool) -> None:
        await self.entity_description.set_fn(self.coordinator, self._evse_id, value)
