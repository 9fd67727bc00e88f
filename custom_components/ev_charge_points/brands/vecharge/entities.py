"""veCharge's own entities, built from the shared platforms' entity classes.

Wi-Fi connectivity, last connected and access mode are fields of the neutral model, but only
veCharge reports them so far; they are added here (not as shared descriptions behind a
capability) so that no other brand gains entities that would stay unknown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.binary_sensor import BinarySensorDeviceClass
from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.const import EntityCategory

from custom_components.ev_charge_points.binary_sensor import (
    EVChargePointBinarySensor,
    EVChargePointBinarySensorEntityDescription,
)
from custom_components.ev_charge_points.model import AccessMode
from custom_components.ev_charge_points.sensor import (
    EVChargePointSensor,
    EVChargePointSensorEntityDescription,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from homeassistant.helpers.entity import Entity

    from custom_components.ev_charge_points.coordinator import EVChargePointsCoordinator

SENSORS: tuple[EVChargePointSensorEntityDescription, ...] = (
    EVChargePointSensorEntityDescription(
        # When the charger's current user connected to it (the document's connectedTimestamp).
        key="last_connected",
        translation_key="last_connected",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        reads=("last_connected",),
        value_fn=lambda cp: cp.last_connected,
    ),
    EVChargePointSensorEntityDescription(
        key="access_mode",
        translation_key="access_mode",
        device_class=SensorDeviceClass.ENUM,
        options=[mode.value for mode in AccessMode],
        entity_category=EntityCategory.DIAGNOSTIC,
        reads=("access_mode",),
        value_fn=lambda cp: cp.access_mode.value if cp.access_mode is not None else None,
    ),
)

BINARY_SENSORS: tuple[EVChargePointBinarySensorEntityDescription, ...] = (
    EVChargePointBinarySensorEntityDescription(
        key="wifi_connected",
        translation_key="wifi_connected",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        reads=("wifi_connected",),
        value_fn=lambda cp: cp.wifi_connected,
    ),
)


def sensors(coordinator: EVChargePointsCoordinator[Any], evse_id: str) -> Iterable[Entity]:
    """The charger's own sensors."""
    return [EVChargePointSensor(coordinator, evse_id, description) for description in SENSORS]


def binary_sensors(coordinator: EVChargePointsCoordinator[Any], evse_id: str) -> Iterable[Entity]:
    """The charger's own binary sensors."""
    return [
        EVChargePointBinarySensor(coordinator, evse_id, description)
        for description in BINARY_SENSORS
    ]
