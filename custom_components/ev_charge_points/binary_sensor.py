"""Binary sensors of a charge point: online, vehicle connected, charging."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import Platform

from .entity import (
    EVChargePointEntity,
    EVEntityDescription,
    async_setup_described_entities,
)
from .model import Capability

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import EVChargePointsCoordinator
    from .model import ChargePointData
    from .runtime import EVChargePointsConfigEntry

# Read-only: every value arrives by push.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class EVChargePointBinarySensorEntityDescription(
    BinarySensorEntityDescription, EVEntityDescription
):
    """A charge point binary sensor: how to read it from the charge point data."""

    value_fn: Callable[[ChargePointData], bool | None]


BINARY_SENSORS: tuple[EVChargePointBinarySensorEntityDescription, ...] = (
    EVChargePointBinarySensorEntityDescription(
        # Not diagnostic: users build alerts on a charge point going offline.
        key="online",
        translation_key="online",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        reads=("activity",),
        value_fn=lambda cp: cp.online if cp.activity is not None else None,
    ),
    EVChargePointBinarySensorEntityDescription(
        key="vehicle_connected",
        capability=Capability.VEHICLE_STATE,
        translation_key="vehicle_connected",
        device_class=BinarySensorDeviceClass.PLUG,
        reads=("vehicle_state",),
        value_fn=lambda cp: cp.vehicle_connected if cp.vehicle_state is not None else None,
    ),
    EVChargePointBinarySensorEntityDescription(
        key="charging",
        translation_key="charging",
        device_class=BinarySensorDeviceClass.BATTERY_CHARGING,
        reads=("activity",),
        value_fn=lambda cp: cp.charging if cp.activity is not None else None,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargePointsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add binary sensors for every charge point."""
    async_setup_described_entities(
        hass,
        entry,
        async_add_entities,
        platform=Platform.BINARY_SENSOR,
        descriptions=BINARY_SENSORS,
        entity=EVChargePointBinarySensor,
    )


class EVChargePointBinarySensor(EVChargePointEntity, BinarySensorEntity):
    """A binary sensor on a charge point."""

    entity_description: EVChargePointBinarySensorEntityDescription

    def __init__(
        self,
        coordinator: EVChargePointsCoordinator[Any],
        evse_id: str,
        description: EVChargePointBinarySensorEntityDescription,
    ) -> None:
        """Set up the binary sensor."""
        super().__init__(coordinator, evse_id, description)

    @property
    def is_on(self) -> bool | None:
        """Return the value from the latest charge point data."""
        if (charge_point := self.charge_point) is None:
            return None
        return self.entity_description.value_fn(charge_point)

    def _visible_state(self) -> tuple[object, ...]:
        return (self.available, self.is_on)
