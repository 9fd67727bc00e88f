"""Sensors of a charge point and of its grid connection."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    EntityCategory,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfPower,
)

from .entity import EVChargePointEntity, EVGridEntity, async_setup_charge_point_entities
from .model import ChargerActivity, VehicleState

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import datetime

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity import Entity
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
    from homeassistant.helpers.typing import StateType

    from .coordinator import BlueCurrentCoordinator, EVChargePointsConfigEntry
    from .model import ChargePointData, GridData

# Read-only: every value arrives by push, nothing is fetched per entity.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class EVChargePointSensorEntityDescription(SensorEntityDescription):
    """A charge point sensor: how to read its value (and unit) from the charge point data."""

    value_fn: Callable[[ChargePointData], StateType | datetime]
    unit_fn: Callable[[ChargePointData], str | None] | None = None


@dataclass(frozen=True, kw_only=True)
class EVGridSensorEntityDescription(SensorEntityDescription):
    """A grid sensor: how to read its value from the grid data."""

    value_fn: Callable[[GridData], StateType]


def _phase_voltage(phase: int) -> EVChargePointSensorEntityDescription:
    return EVChargePointSensorEntityDescription(
        key=f"voltage_phase_{phase}",
        translation_key=f"voltage_phase_{phase}",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda cp: cp.voltage[phase - 1],
    )


def _phase_current(phase: int) -> EVChargePointSensorEntityDescription:
    return EVChargePointSensorEntityDescription(
        key=f"current_phase_{phase}",
        translation_key=f"current_phase_{phase}",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=1,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda cp: cp.current[phase - 1],
    )


def _grid_phase_current(phase: int) -> EVGridSensorEntityDescription:
    return EVGridSensorEntityDescription(
        key=f"grid_current_phase_{phase}",
        translation_key=f"grid_current_phase_{phase}",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        value_fn=lambda grid: grid.current[phase - 1],
    )


CHARGE_POINT_SENSORS: tuple[EVChargePointSensorEntityDescription, ...] = (
    EVChargePointSensorEntityDescription(
        key="activity",
        translation_key="activity",
        device_class=SensorDeviceClass.ENUM,
        options=[activity.value for activity in ChargerActivity],
        value_fn=lambda cp: cp.activity.value if cp.activity is not None else None,
    ),
    EVChargePointSensorEntityDescription(
        key="vehicle_status",
        translation_key="vehicle_status",
        device_class=SensorDeviceClass.ENUM,
        options=[state.value for state in VehicleState],
        value_fn=lambda cp: cp.vehicle_state.value if cp.vehicle_state is not None else None,
    ),
    *(_phase_voltage(phase) for phase in (1, 2, 3)),
    *(_phase_current(phase) for phase in (1, 2, 3)),
    EVChargePointSensorEntityDescription(
        key="average_current",
        translation_key="average_current",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=1,
        value_fn=lambda cp: cp.average_current,
    ),
    EVChargePointSensorEntityDescription(
        key="average_voltage",
        translation_key="average_voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=0,
        value_fn=lambda cp: cp.average_voltage,
    ),
    EVChargePointSensorEntityDescription(
        # Sum of voltage x current per phase, not the vendor library's sqrt(3) estimate.
        key="power",
        translation_key="power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        value_fn=lambda cp: cp.power,
    ),
    EVChargePointSensorEntityDescription(
        key="session_energy",
        translation_key="session_energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda cp: cp.session_energy,
    ),
    EVChargePointSensorEntityDescription(
        key="session_cost",
        translation_key="session_cost",
        device_class=SensorDeviceClass.MONETARY,
        state_class=SensorStateClass.TOTAL,
        suggested_display_precision=2,
        value_fn=lambda cp: cp.session_cost,
        # The currency of the charge point's tariff, not a fixed EUR.
        unit_fn=lambda cp: cp.currency,
    ),
    EVChargePointSensorEntityDescription(
        key="max_usage",
        translation_key="max_usage",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=0,
        value_fn=lambda cp: cp.max_usage,
    ),
    EVChargePointSensorEntityDescription(
        key="smart_charging_max_usage",
        translation_key="smart_charging_max_usage",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda cp: cp.smart_charging_max_usage,
    ),
    EVChargePointSensorEntityDescription(
        key="max_offline",
        translation_key="max_offline",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda cp: cp.max_offline,
    ),
    EVChargePointSensorEntityDescription(
        key="current_left",
        translation_key="current_left",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        value_fn=lambda cp: cp.current_left,
    ),
    EVChargePointSensorEntityDescription(
        key="session_start",
        translation_key="session_start",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda cp: cp.session_start,
    ),
    EVChargePointSensorEntityDescription(
        key="session_stop",
        translation_key="session_stop",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda cp: cp.session_stop,
    ),
    EVChargePointSensorEntityDescription(
        key="offline_since",
        translation_key="offline_since",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda cp: cp.offline_since,
    ),
)

GRID_SENSORS: tuple[EVGridSensorEntityDescription, ...] = (
    *(_grid_phase_current(phase) for phase in (1, 2, 3)),
    EVGridSensorEntityDescription(
        key="grid_total_current",
        translation_key="grid_total_current",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=1,
        value_fn=lambda grid: grid.total_current,
    ),
    EVGridSensorEntityDescription(
        key="grid_average_current",
        translation_key="grid_average_current",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=1,
        value_fn=lambda grid: grid.average_current,
    ),
    EVGridSensorEntityDescription(
        key="grid_max_current",
        translation_key="grid_max_current",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=1,
        value_fn=lambda grid: grid.max_current,
    ),
    EVGridSensorEntityDescription(
        key="grid_max_installed",
        translation_key="grid_max_installed",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda grid: grid.max_installed,
    ),
    EVGridSensorEntityDescription(
        key="grid_max_reserved",
        translation_key="grid_max_reserved",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda grid: grid.max_reserved,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargePointsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add sensors for every charge point and for every grid they hang off."""
    coordinator = entry.runtime_data.coordinator
    grids_added: set[str] = set()

    def _create(evse_id: str) -> Iterable[Entity]:
        yield from (
            EVChargePointSensor(coordinator, evse_id, description)
            for description in CHARGE_POINT_SENSORS
        )
        grid_id = coordinator.data.charge_points[evse_id].grid_id
        # Several charge points can share a grid: its sensors are added once.
        if grid_id is not None and grid_id not in grids_added:
            grids_added.add(grid_id)
            for description in GRID_SENSORS:
                sensor = EVGridSensor(coordinator, grid_id, description)
                # The grid's device goes when its last charge point leaves the account.
                sensor.async_on_remove(partial(grids_added.discard, grid_id))
                yield sensor

    async_setup_charge_point_entities(hass, entry, _create, async_add_entities)


class EVChargePointSensor(EVChargePointEntity, SensorEntity):
    """A sensor on a charge point."""

    entity_description: EVChargePointSensorEntityDescription

    def __init__(
        self,
        coordinator: BlueCurrentCoordinator,
        evse_id: str,
        description: EVChargePointSensorEntityDescription,
    ) -> None:
        """Set up the sensor."""
        super().__init__(coordinator, evse_id, description)

    @property
    def native_value(self) -> StateType | datetime:
        """Return the value from the latest charge point data."""
        if (charge_point := self.charge_point) is None:
            return None
        return self.entity_description.value_fn(charge_point)

    @property
    def native_unit_of_measurement(self) -> str | None:
        """Return the unit, from the data when it depends on the charge point."""
        unit_fn = self.entity_description.unit_fn
        if unit_fn is None:
            return super().native_unit_of_measurement
        if (charge_point := self.charge_point) is None:
            return None
        return unit_fn(charge_point)

    def _visible_state(self) -> tuple[object, ...]:
        return (self.available, self.native_value, self.native_unit_of_measurement)


class EVGridSensor(EVGridEntity, SensorEntity):
    """A sensor on a grid."""

    entity_description: EVGridSensorEntityDescription

    def __init__(
        self,
        coordinator: BlueCurrentCoordinator,
        grid_id: str,
        description: EVGridSensorEntityDescription,
    ) -> None:
        """Set up the sensor."""
        super().__init__(coordinator, grid_id, description)

    @property
    def native_value(self) -> StateType:
        """Return the value from the latest grid data."""
        if (grid := self.grid) is None:
            return None
        return self.entity_description.value_fn(grid)

    def _visible_state(self) -> tuple[object, ...]:
        return (self.available, self.native_value)
