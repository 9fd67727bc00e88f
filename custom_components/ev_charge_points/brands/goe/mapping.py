"""go-e status -> the neutral model: same meaning, same field as every other brand."""

from __future__ import annotations

from typing import TYPE_CHECKING

from custom_components.ev_charge_points.api.goe import (
    CarState,
    ChargerError,
    ForceState,
    ModelStatus,
    PhaseSwitchMode,
)
from custom_components.ev_charge_points.model import (
    ChargePointData,
    ChargerActivity,
    MeterData,
    VehicleState,
)

from .const import MANUFACTURER

if TYPE_CHECKING:
    from enum import IntEnum

    from custom_components.ev_charge_points.api.goe import (
        GoeChargerStatus,
        GoeControllerStatus,
    )

# Enum states of a code newer than the docs (the client keeps it as a bare int).
OTHER = "other"
STATUS_REASONS = [*(reason.name.lower() for reason in ModelStatus), OTHER]
ERRORS = [*(error.name.lower() for error in ChargerError), OTHER]
FORCE_STATES = [state.name.lower() for state in ForceState]
PHASE_MODES = [mode.name.lower() for mode in PhaseSwitchMode]

_VEHICLE_STATES: dict[int, VehicleState] = {
    CarState.IDLE: VehicleState.STANDBY,
    CarState.CHARGING: VehicleState.READY,
    CarState.WAIT_CAR: VehicleState.VEHICLE_DETECTED,
    CarState.COMPLETE: VehicleState.VEHICLE_DETECTED,
    CarState.ERROR: VehicleState.VEHICLE_ERROR,
}


def _name(code: IntEnum | int | None) -> str | None:
    """An open enum's state: its member's name, "other" for a code newer than the docs."""
    if code is None:
        return None
    return code.name.lower() if hasattr(code, "name") else OTHER


def _kwh(watt_hours: float | None) -> float | None:
    return None if watt_hours is None else round(watt_hours / 1000, 3)


def _activity(status: GoeChargerStatus) -> ChargerActivity | None:
    if status.error not in (None, ChargerError.NONE) or status.car_state == CarState.ERROR:
        return ChargerActivity.ERROR
    if status.car_state is None:
        return None
    if status.car_state == CarState.CHARGING:
        return ChargerActivity.CHARGING
    return ChargerActivity.AVAILABLE


def charger_model(serial: str, live: GoeChargerStatus, slow: GoeChargerStatus) -> ChargePointData:
    """A charger from its last live read and its last configuration/statistics read."""
    energy = live.energy
    force = live.force_state
    limit = live.current_limit if live.current_limit is not None else slow.current_limit
    return ChargePointData(
        id=serial,
        name=slow.friendly_name or f"go-e {serial}",
        manufacturer=MANUFACTURER,
        model=slow.device_type,
        activity=_activity(live),
        vehicle_state=(
            None if live.car_state is None else _VEHICLE_STATES.get(int(live.car_state))
        ),
        voltage=energy.voltages if energy else (None, None, None),
        current=energy.currents if energy else (None, None, None),
        measured_power=energy.power_total if energy else None,
        phase_power=energy.powers if energy else None,
        power_factor=energy.power_factors if energy else None,
        session_energy=_kwh(live.session_energy),
        lifetime_energy=_kwh(
            live.lifetime_energy if live.lifetime_energy is not None else slow.lifetime_energy
        ),
        temperature=max((value for value in live.temperatures if value is not None), default=None),
        max_usage=None if slow.absolute_max_current is None else float(slow.absolute_max_current),
        current_limit=None if limit is None else float(limit),
        charging_enabled=None if force is None else force != ForceState.OFF,
        charging_allowed=live.allowed_to_charge,
        status_reason=_name(live.model_status),
        error=_name(live.error),
        force_state=_name(force),
        phase_mode=_name(slow.phase_switch_mode),
        pv_surplus=slow.use_pv_surplus,
        # `dwo` null is "no limit": the number shows it as 0.
        energy_limit=((_kwh(slow.energy_limit) or 0.0) if "dwo" in slow.keys else None),
    )


def controller_model(serial: str, status: GoeControllerStatus, name: str | None) -> ChargePointData:
    """A controller: one device, one meter per category in use."""
    return ChargePointData(
        id=serial,
        name=name or status.friendly_name or f"go-e Controller {serial}",
        manufacturer=MANUFACTURER,
        model=status.device_type or "go-e Controller",
        activity=ChargerActivity.AVAILABLE,
        meters=tuple(
            MeterData(
                index=category.index,
                name=category.name or f"{category.index + 1}",
                power=category.power,
                energy_in=_kwh(category.energy_in),
                energy_out=_kwh(category.energy_out),
                current=category.currents,
            )
            for category in status.used_categories
        ),
    )
