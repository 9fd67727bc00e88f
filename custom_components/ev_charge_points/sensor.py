"""Sensors of a charge point and of its grid connection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Self

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorExtraStoredData,
    SensorStateClass,
)
from homeassistant.const import (
    EntityCategory,
    Platform,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfPower,
)
from homeassistant.core import callback
from homeassistant.util import dt as dt_util

from .const import LIFETIME_ENERGY
from .entity import (
    EVChargePointEntity,
    EVEntityDescription,
    EVGridEntity,
    async_setup_charge_point_entities,
    supported,
)
from .lifetime_meter import LifetimeMeter, MeterState
from .model import Capability, ChargerActivity, VehicleState

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity import Entity
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
    from homeassistant.helpers.typing import StateType

    from .coordinator import EVChargePointsCoordinator
    from .model import ChargePointData, GridData
    from .runtime import EVChargePointsConfigEntry

# Read-only: every value arrives by push, nothing is fetched per entity.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class EVChargePointSensorEntityDescription(SensorEntityDescription, EVEntityDescription):
    """A charge point sensor: how to read its value (and unit) from the charge point data."""

    value_fn: Callable[[ChargePointData], StateType | datetime]
    unit_fn: Callable[[ChargePointData], str | None] | None = None


@dataclass(frozen=True, kw_only=True)
class EVGridSensorEntityDescription(SensorEntityDescription, EVEntityDescription):
    """A grid sensor: how to read its value from the grid data."""

    value_fn: Callable[[GridData], StateType]


def _phase_voltage(phase: int) -> EVChargePointSensorEntityDescription:
    return EVChargePointSensorEntityDescription(
        key=f"voltage_phase_{phase}",
        capability=Capability.METERING,
        translation_key=f"voltage_phase_{phase}",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        reads=("voltage",),
        value_fn=lambda cp: cp.voltage[phase - 1],
    )


def _phase_current(phase: int) -> EVChargePointSensorEntityDescription:
    return EVChargePointSensorEntityDescription(
        key=f"current_phase_{phase}",
        capability=Capability.METERING,
        translation_key=f"current_phase_{phase}",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=1,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        reads=("current",),
        value_fn=lambda cp: cp.current[phase - 1],
    )


def _grid_phase_current(phase: int) -> EVGridSensorEntityDescription:
    return EVGridSensorEntityDescription(
        key=f"grid_current_phase_{phase}",
        capability=Capability.GRID,
        translation_key=f"grid_current_phase_{phase}",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=1,
        reads=("current",),
        value_fn=lambda grid: grid.current[phase - 1],
    )


def _session_stop(cp: ChargePointData) -> datetime | None:
    """The end of the last session; None while a session runs (it started after that end).

    Both times are the shown ones (never unknown again, never earlier), so a frame without
    times or a late frame of an earlier session cannot blank or move it.
    """
    stop, start = cp.shown_session_stop, cp.shown_session_start
    if stop is None or start is None:
        return stop
    return stop if stop >= start else None


CHARGE_POINT_SENSORS: tuple[EVChargePointSensorEntityDescription, ...] = (
    EVChargePointSensorEntityDescription(
        key="activity",
        translation_key="activity",
        device_class=SensorDeviceClass.ENUM,
        options=[activity.value for activity in ChargerActivity],
        reads=("activity",),
        value_fn=lambda cp: cp.activity.value if cp.activity is not None else None,
    ),
    EVChargePointSensorEntityDescription(
        key="vehicle_status",
        capability=Capability.VEHICLE_STATE,
        translation_key="vehicle_status",
        device_class=SensorDeviceClass.ENUM,
        options=[state.value for state in VehicleState],
        reads=("vehicle_state",),
        value_fn=lambda cp: cp.vehicle_state.value if cp.vehicle_state is not None else None,
    ),
    *(_phase_voltage(phase) for phase in (1, 2, 3)),
    *(_phase_current(phase) for phase in (1, 2, 3)),
    EVChargePointSensorEntityDescription(
        key="average_current",
        capability=Capability.METERING,
        translation_key="average_current",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=1,
        reads=("current",),
        value_fn=lambda cp: cp.average_current,
    ),
    EVChargePointSensorEntityDescription(
        key="average_voltage",
        capability=Capability.METERING,
        translation_key="average_voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=0,
        reads=("voltage",),
        value_fn=lambda cp: cp.average_voltage,
    ),
    EVChargePointSensorEntityDescription(
        # Measured where the brand reports it; else the sum of voltage x current per phase,
        # not the vendor library's sqrt(3) estimate.
        key="power",
        capability=Capability.METERING,
        translation_key="power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        reads=("voltage", "current", "measured_power"),
        value_fn=lambda cp: cp.power,
    ),
    EVChargePointSensorEntityDescription(
        key="session_energy",
        capability=Capability.SESSIONS,
        translation_key="session_energy",
        device_class=SensorDeviceClass.ENERGY,
        # No state class: the Energy dashboard gets one statistic per charge point, the
        # lifetime energy (picking both would count every session twice).
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        reads=("session_energy",),
        value_fn=lambda cp: cp.session_energy,
    ),
    EVChargePointSensorEntityDescription(
        # A meter that never decreases: the coordinator's lifetime meter adds the session
        # deltas; EVLifetimeEnergySensor gives it its starting point and restores it.
        key=LIFETIME_ENERGY,
        capability=Capability.SESSIONS,
        translation_key=LIFETIME_ENERGY,
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        reads=("lifetime_total",),
        value_fn=lambda cp: cp.lifetime_total,
    ),
    EVChargePointSensorEntityDescription(
        key="session_cost",
        capability=Capability.SESSION_COST,
        translation_key="session_cost",
        device_class=SensorDeviceClass.MONETARY,
        state_class=SensorStateClass.TOTAL,
        suggested_display_precision=2,
        reads=("session_cost", "currency"),
        value_fn=lambda cp: cp.session_cost,
        # The currency of the charge point's tariff, not a fixed EUR.
        unit_fn=lambda cp: cp.currency,
    ),
    EVChargePointSensorEntityDescription(
        key="max_usage",
        capability=Capability.CURRENT_SETTINGS,
        translation_key="max_usage",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=0,
        reads=("max_usage",),
        value_fn=lambda cp: cp.max_usage,
    ),
    EVChargePointSensorEntityDescription(
        key="smart_charging_max_usage",
        capability=Capability.SMART_CHARGING,
        translation_key="smart_charging_max_usage",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        reads=("smart_charging_max_usage",),
        value_fn=lambda cp: cp.smart_charging_max_usage,
    ),
    EVChargePointSensorEntityDescription(
        key="max_offline",
        capability=Capability.CURRENT_SETTINGS,
        translation_key="max_offline",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        reads=("max_offline",),
        value_fn=lambda cp: cp.max_offline,
    ),
    EVChargePointSensorEntityDescription(
        key="current_left",
        capability=Capability.CURRENT_SETTINGS,
        translation_key="current_left",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        reads=("current", "max_usage", "smart_charging", "smart_charging_max_usage"),
        value_fn=lambda cp: cp.current_left,
    ),
    EVChargePointSensorEntityDescription(
        key="session_start",
        capability=Capability.SESSIONS,
        translation_key="session_start",
        device_class=SensorDeviceClass.TIMESTAMP,
        reads=("shown_session_start",),
        value_fn=lambda cp: cp.shown_session_start,
    ),
    EVChargePointSensorEntityDescription(
        key="session_stop",
        capability=Capability.SESSIONS,
        translation_key="session_stop",
        device_class=SensorDeviceClass.TIMESTAMP,
        # Unknown while a session runs (the backend still reports the previous session's
        # stop, which read as "stopped yesterday"); the last stop once the session ended.
        reads=("shown_session_start", "shown_session_stop"),
        value_fn=_session_stop,
    ),
    EVChargePointSensorEntityDescription(
        key="offline_since",
        capability=Capability.OFFLINE_TIME,
        translation_key="offline_since",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        reads=("offline_since",),
        value_fn=lambda cp: cp.offline_since,
    ),
)

GRID_SENSORS: tuple[EVGridSensorEntityDescription, ...] = (
    *(_grid_phase_current(phase) for phase in (1, 2, 3)),
    EVGridSensorEntityDescription(
        key="grid_total_current",
        capability=Capability.GRID,
        translation_key="grid_total_current",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=1,
        # The sum of the three phases: the phases themselves say more (a fuse is per phase).
        entity_registry_enabled_default=False,
        reads=("current",),
        value_fn=lambda grid: grid.total_current,
    ),
    EVGridSensorEntityDescription(
        key="grid_average_current",
        capability=Capability.GRID,
        translation_key="grid_average_current",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        reads=("current",),
        value_fn=lambda grid: grid.average_current,
    ),
    EVGridSensorEntityDescription(
        key="grid_max_current",
        capability=Capability.GRID,
        translation_key="grid_max_current",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=1,
        reads=("current",),
        value_fn=lambda grid: grid.max_current,
    ),
    EVGridSensorEntityDescription(
        key="grid_max_installed",
        capability=Capability.GRID,
        translation_key="grid_max_installed",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        reads=("max_installed",),
        value_fn=lambda grid: grid.max_installed,
    ),
    EVGridSensorEntityDescription(
        key="grid_max_reserved",
        capability=Capability.GRID,
        translation_key="grid_max_reserved",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        reads=("max_reserved",),
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
        for description in supported(coordinator, evse_id, CHARGE_POINT_SENSORS):
            if description.key == LIFETIME_ENERGY:
                yield EVLifetimeEnergySensor(coordinator, evse_id, description)
            elif description.unit_fn is not None:
                yield EVChargePointDataUnitSensor(coordinator, evse_id, description)
            else:
                yield EVChargePointSensor(coordinator, evse_id, description)
        grid_id = coordinator.data.charge_points[evse_id].grid_id
        # Several charge points can share a grid: its sensors are added once.
        if (
            grid_id is not None
            and grid_id not in grids_added
            and coordinator.supports(evse_id, Capability.GRID)
        ):
            grids_added.add(grid_id)
            for grid_description in GRID_SENSORS:
                sensor = EVGridSensor(coordinator, grid_id, grid_description)
                # The grid's device goes when its last charge point leaves the account.
                sensor.async_on_remove(partial(grids_added.discard, grid_id))
                yield sensor

    async_setup_charge_point_entities(
        hass, entry, _create, async_add_entities, platform=Platform.SENSOR
    )

    # Figures of the whole account, from brands that have them (on the account device).
    if account_entities := entry.runtime_data.brand.account_entities.get(Platform.SENSOR):
        async_add_entities(account_entities(entry))


class EVChargePointSensor(EVChargePointEntity, SensorEntity):
    """A sensor on a charge point."""

    entity_description: EVChargePointSensorEntityDescription

    def __init__(
        self,
        coordinator: EVChargePointsCoordinator[Any],
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

    def _visible_state(self) -> tuple[object, ...]:
        return (self.available, self.native_value, self.native_unit_of_measurement)


class EVChargePointDataUnitSensor(EVChargePointSensor):
    """A charge point sensor whose unit comes from the data (`unit_fn`).

    A class of its own: Home Assistant reads the unit several times per state write, and
    the other sensors keep its cached attribute lookup.
    """

    @property
    def native_unit_of_measurement(self) -> str | None:
        """Return the unit the charge point data gives."""
        unit_fn = self.entity_description.unit_fn
        if unit_fn is None or (charge_point := self.charge_point) is None:
            return None
        return unit_fn(charge_point)


class EVGridSensor(EVGridEntity, SensorEntity):
    """A sensor on a grid."""

    entity_description: EVGridSensorEntityDescription

    def __init__(
        self,
        coordinator: EVChargePointsCoordinator[Any],
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


@dataclass
class LifetimeEnergyData(SensorExtraStoredData):
    """What the lifetime meter restores: its reading and the meter's whole state.

    Versions before the meter module stored only the reading, the session start and the
    session energy counted (`session_start`, `session_energy`): read back, that continues
    without a jump (`MeterState.continuing`).
    """

    meter: dict[str, Any] | None = None
    session_start: datetime | None = None
    session_energy: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """Serialise (the sensor's own fields plus the meter's state)."""
        data = SensorExtraStoredData.as_dict(self)
        data["meter"] = self.meter
        return data

    @classmethod
    def from_stored(cls, restored: dict[str, Any]) -> Self | None:
        """Read back `as_dict` (or the older form); None when the data is unreadable."""
        try:
            total = float(restored["native_value"])
            start = restored.get("session_start")
            counted = restored.get("session_energy")
            meter = restored.get("meter")
            return cls(
                total,
                restored.get("native_unit_of_measurement"),
                meter if isinstance(meter, dict) else None,
                None if start is None else dt_util.as_utc(datetime.fromisoformat(start)),
                None if counted is None else float(counted),
            )
        except (KeyError, TypeError, ValueError, OverflowError):
            return None

    def meter_state(self, counted_at: datetime) -> MeterState:
        """The meter to continue: the stored one, or the older form continued."""
        if self.meter is not None and (state := MeterState.from_dict(self.meter)) is not None:
            return state
        return MeterState.continuing(
            float(self.native_value),  # type: ignore[arg-type]
            self.session_start,
            self.session_energy,
            counted_at,
        )


class EVLifetimeEnergySensor(EVChargePointSensor, RestoreSensor):
    """Energy delivered by the charge point: never goes down, never counts a kWh twice.

    The one energy statistic of a charge point (the history back-fills its past, see
    history.py). The reading is the coordinator's lifetime meter (`lifetime_total`): one
    meter per charge point, fed once per frame, whose rule (lifetime_meter.py) bounds each
    step by what the charge point could deliver at its maximum current. This sensor gives the
    meter its starting point and keeps its state: restored after a restart; a new meter
    starts from the sum of the account's past sessions where the brand has a history (after
    its first import; unknown until then), else from the session the charge point reports.
    """

    async def async_added_to_hass(self) -> None:
        """Hand the meter its starting point (restored or seeded) before the first state."""
        coordinator, evse_id = self.coordinator, self._evse_id
        restored = None
        if (extra := await self.async_get_last_extra_data()) is not None:
            restored = LifetimeEnergyData.from_stored(extra.as_dict())
        history = coordinator.config_entry.runtime_data.history
        if restored is not None:
            last = await self.async_get_last_state()
            counted_at = last.last_updated if last is not None else dt_util.utcnow()
            coordinator.async_adopt_lifetime_meter(evse_id, restored.meter_state(counted_at))
        elif history is None:
            coordinator.async_adopt_lifetime_meter(evse_id, None)
        elif history.synced.is_set():
            self._async_history_synced()
        else:
            self.async_on_remove(history.async_add_listener(self._async_history_synced))
        await super().async_added_to_hass()

    @callback
    def _async_history_synced(self) -> None:
        """The first import ran: the meter starts from the sum of the past sessions."""
        coordinator = self.coordinator
        history = coordinator.config_entry.runtime_data.history
        if history is None or coordinator.lifetime_meter_state(self._evse_id) is not None:
            return  # started already (the point came back, or a later import)
        seed = LifetimeMeter.seed(*history.meter_seed(self._evse_id))
        coordinator.async_adopt_lifetime_meter(self._evse_id, seed.state)

    @property
    def extra_restore_state_data(self) -> LifetimeEnergyData:
        """The meter's whole state: it goes on after a restart as if there was none."""
        state = self.coordinator.lifetime_meter_state(self._evse_id)
        return LifetimeEnergyData(
            None if state is None else round(state.total_kwh, 4),
            UnitOfEnergy.KILO_WATT_HOUR,
            None if state is None else state.to_dict(),
        )
