"""Brand-neutral data the entities read.

The coordinator converts a brand's client models into these dataclasses, so the platforms
never depend on one vendor's wire format. Nothing here imports Home Assistant.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime  # noqa: TC003 - dataclass field types are resolved at runtime
from enum import StrEnum
from operator import attrgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

type PhaseValues = tuple[float | None, float | None, float | None]

# Metadata of a field that only some brands fill: diagnostics leave it out while it is None,
# so what a brand without it shows does not change when another brand adds one.
OMIT_IF_NONE: dict[str, bool] = {"omit_if_none": True}


class Capability(StrEnum):
    """Something a charge point can do; entities and actions exist only for what it has.

    A brand states them per charge point (`coordinator.capabilities`), from its protocol and,
    where the brand tells, from the model.
    """

    STATUS = "status"  # activity: online, charging
    VEHICLE_STATE = "vehicle_state"  # IEC 61851 state: vehicle connected
    METERING = "metering"  # phase voltages and currents, power
    SESSIONS = "sessions"  # session energy, start and stop (lifetime energy, session events)
    SESSION_COST = "session_cost"  # session cost and tariff
    CURRENT_SETTINGS = "current_settings"  # the point's maximum and offline currents
    OFFLINE_TIME = "offline_time"  # since when the point is offline
    CHARGING_SWITCH = "charging_switch"  # charging on/off
    START_STOP_SESSION = "start_stop_session"
    CURRENT_LIMIT = "current_limit"  # a live current ceiling in A
    RESTART = "restart"  # soft reset
    REBOOT = "reboot"
    UNLOCK_CONNECTOR = "unlock_connector"
    BLOCK = "block"
    PLUG_AND_CHARGE = "plug_and_charge"
    LINKED_CHARGE_CARDS_ONLY = "linked_charge_cards_only"
    SMART_CHARGING = "smart_charging"  # smart-charging profiles and boost
    GRID = "grid"  # the building connection's currents
    SESSION_HISTORY = "session_history"  # completed sessions: calendar, statistics


class ChargerActivity(StrEnum):
    """What the charge point is doing, as the backend reports it."""

    AVAILABLE = "available"
    CHARGING = "charging"
    BLOCKED = "blocked"  # Blue Current sends "unavailable", a state HA reserves
    OFFLINE = "offline"
    ERROR = "error"
    DELAYED = "delayed"


class AccessMode(StrEnum):
    """Who may charge at the charge point."""

    PUBLIC = "public"
    PRIVATE = "private"


class VehicleState(StrEnum):
    """IEC 61851 control-pilot state (A-F) in words."""

    STANDBY = "standby"
    VEHICLE_DETECTED = "vehicle_detected"
    READY = "ready"
    READY_VENTILATION = "ready_ventilation"
    NO_POWER = "no_power"
    VEHICLE_ERROR = "vehicle_error"


_CONNECTED_STATES = frozenset(
    {VehicleState.VEHICLE_DETECTED, VehicleState.READY, VehicleState.READY_VENTILATION}
)


def _phase_mean(values: PhaseValues) -> float | None:
    """Mean of the phases that carry a non-zero value, 1 dp; None when nothing is known.

    Zero phases are left out on purpose: a single-phase car on a three-phase charger
    reports 0 A on two phases and the mean should describe the phase in use.
    """
    known = [value for value in values if value is not None]
    if not known:
        return None
    used = [value for value in known if value != 0]
    if not used:
        return 0.0
    return round(sum(used) / len(used), 1)


def _phase_power(voltage: PhaseValues, current: PhaseValues) -> float | None:
    products = [
        volt * amp
        for volt, amp in zip(voltage, current, strict=True)
        if volt is not None and amp is not None
    ]
    if not products:
        return None
    return round(sum(products), 1)


class _DerivedValues:
    """Values derived from a charge point's phases, computed once per instance.

    The coordinator builds a new `ChargePointData` for every change and several entities
    read the same derived value. Slots of this base, not dataclass fields: they are no data
    of their own (equality, `dataclasses.fields` and diagnostics see only the fields).
    """

    __slots__ = ("_average_current", "_average_voltage", "_power")

    def _derive(
        self, voltage: PhaseValues, current: PhaseValues, measured: float | None = None
    ) -> None:
        self._power = measured if measured is not None else _phase_power(voltage, current)
        self._average_current = _phase_mean(current)
        self._average_voltage = _phase_mean(voltage)


@dataclass(frozen=True, kw_only=True, slots=True)
class MeterData:
    """One measured circuit of a metering device (a go-e controller's category)."""

    index: int
    name: str
    power: float | None = None
    energy_in: float | None = None
    energy_out: float | None = None
    current: PhaseValues = (None, None, None)


@dataclass(kw_only=True, slots=True)
class ChargePointData(_DerivedValues):
    """One charge point: identity, live status and settings.

    Never changed after construction (the derived values would go stale): the coordinator
    replaces the whole instance.
    """

    id: str
    name: str
    manufacturer: str
    model: str | None = None
    grid_id: str | None = None
    activity: ChargerActivity | None = None
    vehicle_state: VehicleState | None = None
    voltage: PhaseValues = (None, None, None)
    current: PhaseValues = (None, None, None)
    session_energy: float | None = None
    session_cost: float | None = None
    currency: str | None = None
    max_usage: float | None = None
    smart_charging_max_usage: float | None = None
    max_offline: float | None = None
    session_start: datetime | None = None
    session_stop: datetime | None = None
    offline_since: datetime | None = None
    plug_and_charge: bool | None = None
    linked_charge_cards_only: bool | None = None
    smart_charging: bool | None = None
    delayed_charging: bool | None = None
    price_based_charging: bool | None = None
    tariff_price: float | None = None
    # Charging allowed (brands with a charging on/off switch); Blue Current has none.
    charging_enabled: bool | None = field(default=None, metadata=OMIT_IF_NONE)
    # Shown on the device page where a brand's data has them (Blue Current's has neither).
    firmware_version: str | None = field(default=None, metadata=OMIT_IF_NONE)
    configuration_url: str | None = field(default=None, metadata=OMIT_IF_NONE)
    # Active power in W as the charge point measures it (power factor included); brands that
    # report it set it, and `power` shows it instead of the V x I estimate.
    measured_power: float | None = field(default=None, metadata=OMIT_IF_NONE)
    # Fields of brands with a local meter (go-e); Blue Current leaves them None.
    phase_power: PhaseValues | None = field(default=None, metadata=OMIT_IF_NONE)
    # Power factor per phase in %.
    power_factor: PhaseValues | None = field(default=None, metadata=OMIT_IF_NONE)
    # The device's own lifetime meter in kWh.
    lifetime_energy: float | None = field(default=None, metadata=OMIT_IF_NONE)
    temperature: float | None = field(default=None, metadata=OMIT_IF_NONE)
    # Whether the point's own logic lets the car charge now.
    charging_allowed: bool | None = field(default=None, metadata=OMIT_IF_NONE)
    # The live current ceiling in A the device stores (brands that keep it on the device).
    current_limit: float | None = field(default=None, metadata=OMIT_IF_NONE)
    # Why the point charges or not, and its fault: the brand's own vocabulary (enum options).
    status_reason: str | None = field(default=None, metadata=OMIT_IF_NONE)
    error: str | None = field(default=None, metadata=OMIT_IF_NONE)
    force_state: str | None = field(default=None, metadata=OMIT_IF_NONE)
    phase_mode: str | None = field(default=None, metadata=OMIT_IF_NONE)
    pv_surplus: bool | None = field(default=None, metadata=OMIT_IF_NONE)
    # Energy after which the session stops, in kWh (0: no limit).
    energy_limit: float | None = field(default=None, metadata=OMIT_IF_NONE)
    # A metering device's circuits (no charging of its own).
    meters: tuple[MeterData, ...] | None = field(default=None, metadata=OMIT_IF_NONE)
    # The charge point's Wi-Fi link to the cloud (brands that report it).
    wifi_connected: bool | None = field(default=None, metadata=OMIT_IF_NONE)
    # When the charge point (or its current user) last connected to the backend.
    last_connected: datetime | None = field(default=None, metadata=OMIT_IF_NONE)
    access_mode: AccessMode | None = field(default=None, metadata=OMIT_IF_NONE)
    # The session start and stop as the sensors show them (set by the coordinator from the
    # session rule of lifetime_meter.py): the latest seen, never unknown again, never earlier.
    # session_start/session_stop above stay what the last frame said.
    shown_session_start: datetime | None = field(default=None, metadata=OMIT_IF_NONE)
    shown_session_stop: datetime | None = field(default=None, metadata=OMIT_IF_NONE)
    # The reading in kWh of the lifetime meter the coordinator runs on the session energy
    # (lifetime_meter.py; not `lifetime_energy`, a device's own meter). None until the
    # lifetime sensor gave the meter its starting point, and while nothing is counted.
    lifetime_total: float | None = field(default=None, metadata=OMIT_IF_NONE)

    def __post_init__(self) -> None:
        """Compute the derived values."""
        self._derive(self.voltage, self.current, self.measured_power)

    @property
    def power(self) -> float | None:
        """Active power in W: the device's measurement, else the sum of V x I over the phases.

        `measured_power` wins where a brand reports one (go-e's meter). Otherwise: per-phase
        voltages are phase-to-neutral, so this is the real three-phase power (the vendor
        library's avg V x avg I x 1.732 is off by up to a factor of sqrt 3).
        None when neither is known.
        """
        return self._power

    @property
    def average_current(self) -> float | None:
        """Mean current in A over the phases in use."""
        return self._average_current

    @property
    def average_voltage(self) -> float | None:
        """Mean voltage in V over the phases that report one."""
        return self._average_voltage

    @property
    def current_left(self) -> float | None:
        """Current in A still available: the active maximum minus the average current."""
        limit = self.smart_charging_max_usage if self.smart_charging else self.max_usage
        average = self.average_current
        if limit is None or average is None:
            return None
        return round(limit - average, 1)

    @property
    def online(self) -> bool:
        """Whether the charge point is in contact with the backend."""
        return self.activity is not None and self.activity != ChargerActivity.OFFLINE

    @property
    def vehicle_connected(self) -> bool:
        """Whether a vehicle is plugged in (IEC state B, C or D)."""
        return self.vehicle_state in _CONNECTED_STATES

    @property
    def charging(self) -> bool:
        """Whether a charging session is delivering energy."""
        return self.activity == ChargerActivity.CHARGING


@dataclass(kw_only=True, slots=True)
class GridData:
    """The building connection a group of charge points shares."""

    id: str
    current: PhaseValues = (None, None, None)
    max_installed: float | None = None
    max_reserved: float | None = None

    @property
    def average_current(self) -> float | None:
        """Mean current in A over the phases that carry load."""
        return _phase_mean(self.current)

    @property
    def max_current(self) -> float | None:
        """Current in A of the most loaded phase."""
        known = [value for value in self.current if value is not None]
        return max(known) if known else None

    @property
    def total_current(self) -> float | None:
        """Sum of the phase currents in A."""
        known = [value for value in self.current if value is not None]
        return round(sum(known), 1) if known else None


def _field_reader[T](kind: type[T]) -> tuple[tuple[str, ...], Callable[[T], tuple[object, ...]]]:
    names = tuple(item.name for item in fields(kind))  # type: ignore[arg-type]
    return names, attrgetter(*names)


_CHARGE_POINT_FIELDS = _field_reader(ChargePointData)
_GRID_FIELDS = _field_reader(GridData)


def changed_fields[T: (ChargePointData, GridData)](old: T, new: T) -> frozenset[str]:
    """Names of the dataclass fields whose values differ between two versions of one item.

    The coordinator wakes only the entities that read one of them (see `entity.py`).
    """
    names, read = _CHARGE_POINT_FIELDS if isinstance(new, ChargePointData) else _GRID_FIELDS
    before, after = read(old), read(new)
    if before == after:
        return frozenset()
    return frozenset(
        name for name, was, now in zip(names, before, after, strict=True) if was != now
    )


@dataclass(kw_only=True, slots=True)
class AccountData:
    """Everything one account (config entry) exposes, keyed by charge point and grid id."""

    charge_points: dict[str, ChargePointData]
    grids: dict[str, GridData]
