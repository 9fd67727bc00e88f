"""Buttons of a charge point: soft reset, reboot, start and stop a session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.components.button import (
    ButtonDeviceClass,
    ButtonEntity,
    ButtonEntityDescription,
)
from homeassistant.const import EntityCategory

from .api.bluecurrent import NO_CARD
from .entity import EVChargePointEntity, async_setup_charge_point_entities

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity import Entity
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .api.bluecurrent import BlueCurrentClient
    from .coordinator import BlueCurrentCoordinator, EVChargePointsConfigEntry

# One command at a time per button: each waits for the charge point's answer.
PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class EVChargePointButtonEntityDescription(ButtonEntityDescription):
    """A charge point button and the command it sends."""

    press_fn: Callable[[BlueCurrentClient, str], Awaitable[None]]


BUTTONS: tuple[EVChargePointButtonEntityDescription, ...] = (
    EVChargePointButtonEntityDescription(
        key="reset",
        translation_key="reset",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        press_fn=lambda client, evse_id: client.soft_reset(evse_id),
    ),
    EVChargePointButtonEntityDescription(
        key="reboot",
        translation_key="reboot",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        press_fn=lambda client, evse_id: client.reboot(evse_id),
    ),
    EVChargePointButtonEntityDescription(
        # Without a card for now ("BCU-APP"); choosing a card comes with a card select.
        key="start_session",
        translation_key="start_session",
        press_fn=lambda client, evse_id: client.start_session(evse_id, NO_CARD),
    ),
    EVChargePointButtonEntityDescription(
        key="stop_session",
        translation_key="stop_session",
        press_fn=lambda client, evse_id: client.stop_session(evse_id),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargePointsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add buttons for every charge point."""
    coordinator = entry.runtime_data.coordinator

    def _create(evse_id: str) -> Iterable[Entity]:
        return [EVChargePointButton(coordinator, evse_id, description) for description in BUTTONS]

    async_setup_charge_point_entities(hass, entry, _create, async_add_entities)


class EVChargePointButton(EVChargePointEntity, ButtonEntity):
    """A button on a charge point."""

    entity_description: EVChargePointButtonEntityDescription

    def __init__(
        self,
        coordinator: BlueCurrentCoordinator,
        evse_id: str,
        description: EVChargePointButtonEntityDescription,
    ) -> None:
        """Set up the button."""
        super().__init__(coordinator, evse_id, description)

    @property
    def available(self) -> bool:
        """Return whether the charge point is online to take the command."""
        return super().available and self.charge_point is not None and self.charge_point.online

    async def async_press(self) -> None:
        """Send the command; a rejection or time-out raises a translated error."""
        press_fn = self.entity_description.press_fn
        evse_id = self._evse_id
        await self.coordinator.async_execute(evse_id, lambda client: press_fn(client, evse_id))
