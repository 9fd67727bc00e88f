"""Buttons of a charge point: reset, reboot, unlock, start and stop a session, boost."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.components.button import (
    ButtonDeviceClass,
    ButtonEntity,
    ButtonEntityDescription,
)
from homeassistant.const import EntityCategory, Platform

from .entity import (
    EVChargePointEntity,
    EVEntityDescription,
    async_setup_described_entities,
)
from .errors import validation_error
from .model import Capability

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import EVChargePointsCoordinator
    from .model import ChargePointData
    from .runtime import EVChargePointsConfigEntry

    type AnyCoordinator = EVChargePointsCoordinator[Any]


async def _async_boost(coordinator: AnyCoordinator, evse_id: str) -> None:
    """Boost, or say why there is nothing to boost."""
    charge_point = coordinator.data.charge_points.get(evse_id)
    if charge_point is None or not coordinator.boost_possible(charge_point):
        name = charge_point.name if charge_point is not None and charge_point.name else evse_id
        raise validation_error("boost_not_possible", device=name)
    await coordinator.async_boost(evse_id)


# One command at a time per button: each waits for the charge point's answer.
PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class EVChargePointButtonEntityDescription(ButtonEntityDescription, EVEntityDescription):
    """A charge point button, the command it sends and when it can be pressed.

    A button's state is only its availability: `reads` names what `available_fn` reads
    (activity for the default, online).
    """

    press_fn: Callable[[AnyCoordinator, str], Awaitable[None]]
    available_fn: Callable[[AnyCoordinator, ChargePointData], bool] = lambda _coordinator, cp: (
        cp.online
    )


BUTTONS: tuple[EVChargePointButtonEntityDescription, ...] = (
    EVChargePointButtonEntityDescription(
        key="reset",
        translation_key="reset",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        reads=("activity",),
        capability=Capability.RESTART,
        press_fn=lambda coordinator, evse_id: coordinator.async_restart(evse_id),
    ),
    EVChargePointButtonEntityDescription(
        key="reboot",
        translation_key="reboot",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        reads=("activity",),
        capability=Capability.REBOOT,
        press_fn=lambda coordinator, evse_id: coordinator.async_reboot(evse_id),
    ),
    EVChargePointButtonEntityDescription(
        # With the card chosen in the charge card select (none until one is chosen).
        key="start_session",
        translation_key="start_session",
        reads=("activity",),
        capability=Capability.START_STOP_SESSION,
        press_fn=lambda coordinator, evse_id: coordinator.async_start_session(evse_id),
    ),
    EVChargePointButtonEntityDescription(
        key="stop_session",
        translation_key="stop_session",
        reads=("activity",),
        capability=Capability.START_STOP_SESSION,
        press_fn=lambda coordinator, evse_id: coordinator.async_stop_session(evse_id),
    ),
    EVChargePointButtonEntityDescription(
        # Sent as documented (§2.1); one public client calls it untested. A refusal is
        # reported like any other.
        key="unlock_connector",
        translation_key="unlock_connector",
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=False,
        reads=("activity",),
        capability=Capability.UNLOCK_CONNECTOR,
        press_fn=lambda coordinator, evse_id: coordinator.async_unlock_connector(evse_id),
    ),
    EVChargePointButtonEntityDescription(
        # Pressable while online; when no smart-charging profile holds the session back
        # (§6.1) the press explains that, instead of a greyed-out button that says nothing.
        key="boost",
        translation_key="boost",
        capability=Capability.SMART_CHARGING,
        press_fn=_async_boost,
        reads=("activity",),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargePointsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add buttons for every charge point."""
    async_setup_described_entities(
        hass,
        entry,
        async_add_entities,
        platform=Platform.BUTTON,
        descriptions=BUTTONS,
        entity=EVChargePointButton,
    )


class EVChargePointButton(EVChargePointEntity, ButtonEntity):
    """A button on a charge point."""

    entity_description: EVChargePointButtonEntityDescription

    def __init__(
        self,
        coordinator: AnyCoordinator,
        evse_id: str,
        description: EVChargePointButtonEntityDescription,
    ) -> None:
        """Set up the button."""
        super().__init__(coordinator, evse_id, description)

    @property
    def available(self) -> bool:
        """Return whether the charge point can take the command now."""
        return (
            super().available
            and self.charge_point is not None
            and self.entity_description.available_fn(self.coordinator, self.charge_point)
        )

    async def async_press(self) -> None:
        """Send the command; a rejection or time-out raises a translated error."""
        await self.entity_description.press_fn(self.coordinator, self._evse_id)
