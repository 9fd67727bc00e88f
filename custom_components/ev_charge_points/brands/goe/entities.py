"""go-e's own entities, each only where the device reports the status key it reads.

Session and lifetime energy (the device's meter), per-phase power and power factor,
temperature, charging reason and error, charging allowed, force state, phase mode, PV
surplus, energy limit, and the controller's meters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.components.number import NumberDeviceClass, NumberEntity, NumberMode
from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.components.sensor import RestoreSensor, SensorDeviceClass, SensorStateClass
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    UnitOfElectricCurrent,
    UnitOfEnergy,
    UnitOfPower,
    UnitOfTemperature,
)
from homeassistant.core import callback

from custom_components.ev_charge_points.api.goe import ForceState, PhaseSwitchMode
from custom_components.ev_charge_points.binary_sensor import (
    EVChargePointBinarySensor,
    EVChargePointBinarySensorEntityDescription,
)
from custom_components.ev_charge_points.entity import EVChargePointEntity, EVEntityDescription
from custom_components.ev_charge_points.number import EVNumberEntityDescription
from custom_components.ev_charge_points.sensor import (
    EVChargePointSensor,
    EVChargePointSensorEntityDescription,
)
from custom_components.ev_charge_points.switch import (
    EVChargePointSwitch,
    EVChargePointSwitchEntityDescription,
)

from .coordinator import GoeCoordinator
from .mapping import ERRORS, FORCE_STATES, PHASE_MODES, STATUS_REASONS

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable

    from homeassistant.helpers.entity import Entity

    from custom_components.ev_charge_points.coordinator import EVChargePointsCoordinator
    from custom_components.ev_charge_points.model import ChargePointData, MeterData

    type AnyCoordinator = EVChargePointsCoordinator[Any]


def ours(coordinator: AnyCoordinator) -> GoeCoordinator:
    """go-e's coordinator: the registry only hands a brand its own entries."""
    assert isinstance(coordinator, GoeCoordinator)  # noqa: S101 - see above
    return coordinator


# --- sensors -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class GoeSensorEntityDescription(EVChargePointSensorEntityDescription):
    """A go-e sensor and the status key the device must report for it to exist."""

    needs: str


def _phase_power(phase: int) -> GoeSensorEntityDescription:
    return GoeSensorEntityDescription(
        key=f"power_phase_{phase}",
        needs="nrg",
        translation_key=f"power_phase_{phase}",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        reads=("phase_power",),
        value_fn=lambda cp: None if cp.phase_power is None else cp.phase_power[phase - 1],
    )


def _power_factor(phase: int) -> GoeSensorEntityDescription:
    return GoeSensorEntityDescription(
        key=f"power_factor_phase_{phase}",
        needs="nrg",
        translation_key=f"power_factor_phase_{phase}",
        device_class=SensorDeviceClass.POWER_FACTOR,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        reads=("power_factor",),
        value_fn=lambda cp: None if cp.power_factor is None else cp.power_factor[phase - 1],
    )


_ENERGY = {
    "device_class": SensorDeviceClass.ENERGY,
    "state_class": SensorStateClass.TOTAL_INCREASING,
    "native_unit_of_measurement": UnitOfEnergy.KILO_WATT_HOUR,
    "suggested_display_precision": 2,
}
LIFETIME_ENERGY = "lifetime_energy"

SENSORS: tuple[GoeSensorEntityDescription, ...] = (
    # Same keys, names and meaning as Blue Current's session and lifetime energy.
    GoeSensorEntityDescription(
        key="session_energy",
        needs="wh",
        translation_key="session_energy",
        reads=("session_energy",),
        value_fn=lambda cp: cp.session_energy,
        **_ENERGY,  # type: ignore[arg-type]
    ),
    GoeSensorEntityDescription(
        key=LIFETIME_ENERGY,
        needs="eto",
        translation_key=LIFETIME_ENERGY,
        reads=("lifetime_energy",),
        value_fn=lambda cp: cp.lifetime_energy,
        **_ENERGY,  # type: ignore[arg-type]
    ),
    *(_phase_power(phase) for phase in (1, 2, 3)),
    *(_power_factor(phase) for phase in (1, 2, 3)),
    GoeSensorEntityDescription(
        key="temperature",
        needs="tma",
        translation_key="temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        suggested_display_precision=1,
        entity_category=EntityCategory.DIAGNOSTIC,
        reads=("temperature",),
        value_fn=lambda cp: cp.temperature,
    ),
    GoeSensorEntityDescription(
        key="charging_reason",
        needs="modelStatus",
        translation_key="charging_reason",
        device_class=SensorDeviceClass.ENUM,
        options=STATUS_REASONS,
        reads=("status_reason",),
        value_fn=lambda cp: cp.status_reason,
    ),
    GoeSensorEntityDescription(
        key="error",
        needs="err",
        translation_key="error",
        device_class=SensorDeviceClass.ENUM,
        options=ERRORS,
        reads=("error",),
        value_fn=lambda cp: cp.error,
    ),
)


class GoeMeterEnergySensor(EVChargePointSensor, RestoreSensor):
    """The device's own lifetime meter (kWh, `eto`): shown as read, but it never goes down.

    A reading below the highest one (a glitch, a replaced or reset device) is held until the
    meter passes it again, so the Energy dashboard never counts anything twice; the highest
    reading is restored after a restart for the same reason.
    """

    _highest: float | None = None

    async def async_added_to_hass(self) -> None:
        """Restore the highest reading before the first state is written."""
        if (data := await self.async_get_last_sensor_data()) is not None:
            try:
                self._highest = float(data.native_value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                self._highest = None
        self._take()
        await super().async_added_to_hass()

    @callback
    def _handle_update(self) -> None:
        self._take()
        super()._handle_update()

    def _take(self) -> None:
        point = self.charge_point
        if point is None or (reading := point.lifetime_energy) is None:
            return
        if self._highest is None or reading > self._highest:
            self._highest = reading

    @property
    def native_value(self) -> float | None:
        """The highest reading in kWh."""
        return self._highest


def _meter(meter_id: int, cp: ChargePointData) -> MeterData | None:
    return next((meter for meter in cp.meters or () if meter.index == meter_id), None)


def meter_descriptions(meter: MeterData) -> list[GoeSensorEntityDescription]:
    """Power, energy in and out, and phase currents of one controller category."""
    index = meter.index
    placeholders = {"name": meter.name}

    def read(attribute: str) -> Callable[[ChargePointData], float | None]:
        def _value(cp: ChargePointData) -> float | None:
            found = _meter(index, cp)
            return None if found is None else getattr(found, attribute)

        return _value

    def current(phase: int) -> Callable[[ChargePointData], float | None]:
        def _value(cp: ChargePointData) -> float | None:
            found = _meter(index, cp)
            return None if found is None else found.current[phase - 1]

        return _value

    return [
        GoeSensorEntityDescription(
            key=f"meter_{index}_power",
            needs="ccp",
            translation_key="meter_power",
            translation_placeholders=placeholders,
            device_class=SensorDeviceClass.POWER,
            state_class=SensorStateClass.MEASUREMENT,
            native_unit_of_measurement=UnitOfPower.WATT,
            suggested_display_precision=0,
            reads=("meters",),
            value_fn=read("power"),
        ),
        GoeSensorEntityDescription(
            key=f"meter_{index}_energy_in",
            needs="cec",
            translation_key="meter_energy_in",
            translation_placeholders=placeholders,
            reads=("meters",),
            value_fn=read("energy_in"),
            **_ENERGY,  # type: ignore[arg-type]
        ),
        GoeSensorEntityDescription(
            key=f"meter_{index}_energy_out",
            needs="cec",
            translation_key="meter_energy_out",
            translation_placeholders=placeholders,
            reads=("meters",),
            value_fn=read("energy_out"),
            **_ENERGY,  # type: ignore[arg-type]
        ),
        *(
            GoeSensorEntityDescription(
                key=f"meter_{index}_current_phase_{phase}",
                needs="cpc",
                translation_key=f"meter_current_phase_{phase}",
                translation_placeholders=placeholders,
                device_class=SensorDeviceClass.CURRENT,
                state_class=SensorStateClass.MEASUREMENT,
                native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
                suggested_display_precision=1,
                entity_registry_enabled_default=False,
                reads=("meters",),
                value_fn=current(phase),
            )
            for phase in (1, 2, 3)
        ),
    ]


def sensors(coordinator: AnyCoordinator, evse_id: str) -> Iterable[Entity]:
    """A charger's sensors of its own; a controller's meters (the categories it reports)."""
    goe = ours(coordinator)
    point = coordinator.data.charge_points[evse_id]
    described = [*SENSORS]
    for meter in point.meters or ():
        described.extend(meter_descriptions(meter))
    return [
        (GoeMeterEnergySensor if description.key == LIFETIME_ENERGY else EVChargePointSensor)(
            coordinator, evse_id, description
        )
        for description in described
        if goe.has_key(description.needs)
    ]


# --- binary sensors ------------------------------------------------------------------------

CHARGING_ALLOWED = EVChargePointBinarySensorEntityDescription(
    key="charging_allowed",
    translation_key="charging_allowed",
    reads=("charging_allowed",),
    value_fn=lambda cp: cp.charging_allowed,
)


def binary_sensors(coordinator: AnyCoordinator, evse_id: str) -> Iterable[Entity]:
    """Charging allowed (`alw`)."""
    if not ours(coordinator).has_key("alw"):
        return []
    return [EVChargePointBinarySensor(coordinator, evse_id, CHARGING_ALLOWED)]


# --- switches ------------------------------------------------------------------------------

SWITCHES: tuple[EVChargePointSwitchEntityDescription, ...] = (
    EVChargePointSwitchEntityDescription(
        key="pv_surplus",
        translation_key="pv_surplus",
        entity_category=EntityCategory.CONFIG,
        reads=("activity", "pv_surplus"),
        value_fn=lambda cp: cp.pv_surplus,
        set_fn=lambda coordinator, _evse_id, value: ours(coordinator).async_set_pv_surplus(
            on=value
        ),
    ),
)


def switches(coordinator: AnyCoordinator, evse_id: str) -> Iterable[Entity]:
    """Use PV surplus."""
    return [
        EVChargePointSwitch(coordinator, evse_id, description)
        for description in SWITCHES
        if ours(coordinator).has_key("fup")
    ]


# --- selects -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class GoeSelectEntityDescription(SelectEntityDescription, EVEntityDescription):
    """A go-e select: its state from the data, and the command that sets an option."""

    needs: str
    value_fn: Callable[[ChargePointData], str | None]
    select_fn: Callable[[GoeCoordinator, str], Awaitable[None]]


SELECTS: tuple[GoeSelectEntityDescription, ...] = (
    GoeSelectEntityDescription(
        key="force_state",
        translation_key="force_state",
        needs="frc",
        options=FORCE_STATES,
        reads=("activity", "force_state"),
        value_fn=lambda cp: cp.force_state,
        select_fn=lambda coordinator, option: coordinator.async_set_force_state(
            ForceState[option.upper()]
        ),
    ),
    GoeSelectEntityDescription(
        key="phase_mode",
        translation_key="phase_mode",
        needs="psm",
        entity_category=EntityCategory.CONFIG,
        options=PHASE_MODES,
        reads=("activity", "phase_mode"),
        value_fn=lambda cp: cp.phase_mode,
        select_fn=lambda coordinator, option: coordinator.async_set_phase_mode(
            PhaseSwitchMode[option.upper()]
        ),
    ),
)


class GoeSelect(EVChargePointEntity, SelectEntity):
    """A select on a go-e charger; its state changes only when the device confirms."""

    entity_description: GoeSelectEntityDescription
    _requires_online = True

    @property
    def current_option(self) -> str | None:
        """The option the device reports."""
        if (charge_point := self.charge_point) is None:
            return None
        value = self.entity_description.value_fn(charge_point)
        return value if value in self.options else None

    def _visible_state(self) -> tuple[object, ...]:
        return (self.available, self.current_option)

    async def async_select_option(self, option: str) -> None:
        """Write the option; the confirming read sets the state."""
        await self.entity_description.select_fn(ours(self.coordinator), option)


def selects(coordinator: AnyCoordinator, evse_id: str) -> Iterable[Entity]:
    """Force state and phase mode."""
    return [
        GoeSelect(coordinator, evse_id, description)
        for description in SELECTS
        if ours(coordinator).has_key(description.needs)
    ]


# --- numbers -------------------------------------------------------------------------------

ENERGY_LIMIT = EVNumberEntityDescription(
    key="energy_limit",
    translation_key="energy_limit",
    device_class=NumberDeviceClass.ENERGY,
    native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
    native_min_value=0,
    native_max_value=100,
    native_step=0.5,
    mode=NumberMode.BOX,
    entity_category=EntityCategory.CONFIG,
    reads=("activity", "energy_limit"),
)


class GoeEnergyLimitNumber(EVChargePointEntity, NumberEntity):
    """Stop the session after this many kWh; 0 means no limit."""

    _requires_online = True

    @property
    def native_value(self) -> float | None:
        """The limit the device stores (0: none)."""
        return None if (point := self.charge_point) is None else point.energy_limit

    def _visible_state(self) -> tuple[object, ...]:
        return (self.available, self.native_value)

    async def async_set_native_value(self, value: float) -> None:
        """Write the limit; the confirming read sets the state."""
        await ours(self.coordinator).async_set_energy_limit(value)


def numbers(coordinator: AnyCoordinator, evse_id: str) -> Iterable[Entity]:
    """The energy limit."""
    if not ours(coordinator).has_key("dwo"):
        return []
    return [GoeEnergyLimitNumber(coordinator, evse_id, ENERGY_LIMIT)]
