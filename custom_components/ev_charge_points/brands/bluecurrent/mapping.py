"""Blue Current's client models -> the neutral model (`model.py`).

`PointState` collects everything the client said about one charge point (the account list,
live status, settings, confirmed settings), latest value wins; `to_model` builds the neutral
`ChargePointData` the entities read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from custom_components.ev_charge_points.api.bluecurrent import (
    Activity,
    ChargePoint,
    ChargePointSettings,
    ChargePointStatus,
    GridStatus,
    SettingResult,
    VehicleStatus,
)
from custom_components.ev_charge_points.api.bluecurrent.const import (
    SETTING_LINKED_CHARGE_CARDS_ONLY,
    SETTING_PLUG_AND_CHARGE,
)
from custom_components.ev_charge_points.lifetime_meter import ABSURD_SESSION_KWH
from custom_components.ev_charge_points.model import (
    ChargePointData,
    ChargerActivity,
    GridData,
    VehicleState,
)

from .const import BILLING_CURRENCY, MANUFACTURER

if TYPE_CHECKING:
    from enum import StrEnum

    from custom_components.ev_charge_points.model import PhaseValues


def _enum_map[E: StrEnum](source: type[StrEnum], target: type[E]) -> dict[StrEnum, E]:
    """Client enum member -> the model's member of the same value (values it lacks: absent)."""
    targets = {member.value: member for member in target}
    return {member: targets[member.value] for member in source if member.value in targets}


# Looked up on every push: a dict is much cheaper than calling the enum by value.
_ACTIVITIES = {
    **_enum_map(Activity, ChargerActivity),
    Activity.UNAVAILABLE: ChargerActivity.BLOCKED,
}
_VEHICLE_STATES = _enum_map(VehicleStatus, VehicleState)


@dataclass(slots=True)
class PointState:
    """Everything the client told us about one charge point, latest value wins."""

    info: ChargePoint
    status: ChargePointStatus | None = None
    activity: Activity | None = None
    plug_and_charge: bool | None = None
    linked_charge_cards_only: bool | None = None
    smart_charging: bool | None = None

    def apply_info(self, info: ChargePoint) -> None:
        """Take the account's view of the point (CHARGE_POINTS)."""
        self.info = info
        if info.activity is not None:
            self.activity = info.activity
        if info.plug_and_charge.value is not None:
            self.plug_and_charge = info.plug_and_charge.value
        if (linked := info.linked_charge_cards_only) is not None:
            self.linked_charge_cards_only = linked
        self.smart_charging = info.smart_charging

    def apply_status(self, status: ChargePointStatus) -> None:
        """Merge a CH_STATUS; keys the frame did not carry keep their value."""
        if "activity" in status.present:
            self.activity = status.activity
        self.status = status.merged_onto(self.status)

    def apply_settings(self, settings: ChargePointSettings) -> None:
        """Merge a CH_SETTINGS."""
        if "plug_and_charge" in settings.present and settings.plug_and_charge.value is not None:
            self.plug_and_charge = settings.plug_and_charge.value
        if "public_charging" in settings.present:
            linked = settings.linked_charge_cards_only
            if linked is not None:
                self.linked_charge_cards_only = linked
        if "smart_charging" in settings.present and settings.smart_charging is not None:
            self.smart_charging = settings.smart_charging

    def apply_setting_result(self, result: SettingResult) -> None:
        """Take a setting the server confirmed."""
        if result.setting == SETTING_PLUG_AND_CHARGE:
            self.plug_and_charge = result.value
        elif result.setting == SETTING_LINKED_CHARGE_CARDS_ONLY:
            self.linked_charge_cards_only = result.value

    def to_model(self, grid_id: str | None) -> ChargePointData:
        """Convert to the brand-neutral model."""
        info = self.info
        status = self.status
        tariff = info.tariff
        activity = None if self.activity is None else _ACTIVITIES.get(self.activity)
        # Offline, the last currents are no live values: unknown (0 would claim a reading).
        live = status if activity is not ChargerActivity.OFFLINE else None
        return ChargePointData(
            id=info.evse_id,
            name=info.name or info.evse_id,
            manufacturer=MANUFACTURER,
            model=info.model_type,
            grid_id=grid_id,
            activity=activity,
            vehicle_state=(
                None
                if status is None or status.vehicle_status is None
                else _VEHICLE_STATES.get(status.vehicle_status)
            ),
            voltage=_plausible_phases(live.voltages, MAX_VOLTAGE) if live else _NO_PHASES,
            current=_plausible_phases(live.currents, MAX_CURRENT) if live else _NO_PHASES,
            session_energy=_plausible(status.session_energy_kwh, ABSURD_SESSION_KWH)
            if status
            else None,
            session_cost=_plausible(status.total_cost, MAX_SESSION_COST) if status else None,
            # Blue Current bills in euros only: a point without a tariff still has a unit.
            currency=(tariff.currency if tariff and tariff.currency else BILLING_CURRENCY),
            max_usage=status.max_usage if status else None,
            smart_charging_max_usage=status.smart_charging_max_usage if status else None,
            max_offline=status.max_offline if status else None,
            session_start=status.session_start if status else None,
            session_stop=status.session_stop if status else None,
            offline_since=status.offline_since if status else None,
            plug_and_charge=self.plug_and_charge,
            linked_charge_cards_only=self.linked_charge_cards_only,
            smart_charging=self.smart_charging,
            delayed_charging=info.delayed_charging.value,
            price_based_charging=info.price_based_charging.value,
            tariff_price=tariff.price_in_vat if tariff else None,
        )


# Bounds of what a reading can be; beyond them (or negative) a frame is broken: unknown.
MAX_VOLTAGE: Final = 500.0  # V phase to neutral (nominal 230)
MAX_CURRENT: Final = 100.0  # A per phase (charge points go to 32 A, grids higher)
MAX_SESSION_COST: Final = 100_000.0
MAX_GRID_CURRENT: Final = 10_000.0  # A per phase of a building connection
_NO_PHASES: Final = (None, None, None)


def _plausible(value: float | None, high: float) -> float | None:
    return value if value is not None and 0 <= value <= high else None


def _plausible_phases(values: PhaseValues, high: float) -> PhaseValues:
    return (_plausible(values[0], high), _plausible(values[1], high), _plausible(values[2], high))


def grid_model(grid_id: str, grid: GridStatus) -> GridData:
    """The neutral model of a grid (`grid_id`: the grid's id, also when the reply had none)."""
    return GridData(
        id=grid_id,
        current=_plausible_phases(grid.currents, MAX_GRID_CURRENT),
        max_installed=grid.max_installed,
        max_reserved=grid.max_reserved,
    )
