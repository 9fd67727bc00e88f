"""Typed, frozen models of a go-e charger's and a go-e controller's status.

Every field is None when the key is missing (older firmware, a filter that left it out) or
null on the wire (the docs allow null for `car`, `err`, `acu`, `tcl`, `dwo`, `pgrid` ...).
Parsers never raise on odd values; only a reply that is not a JSON object at all raises
`GoeInvalidResponseError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .const import (
    CAR_CONNECTED_STATES,
    CHARGER_TYPE_PREFIX,
    CONTROLLER_TYPE,
    ERROR_NAMES_CURATED,
    ERROR_NAMES_FIRMWARE,
    NRG_LENGTH,
    CableLockStatus,
    CarState,
    ChargerError,
    DeviceKind,
    ForceState,
    LogicMode,
    ModelStatus,
    PhaseSwitchMode,
)
from .exceptions import GoeInvalidResponseError, GoeUnsupportedDeviceError
from .parsing import as_bool, as_code, as_float, as_int, as_list, as_str, float_tuple

if TYPE_CHECKING:
    from datetime import datetime

type Phases = tuple[float | None, float | None, float | None]


def require_object(data: Any) -> Mapping[str, Any]:
    """The status must be a JSON object; anything else is an invalid response."""
    if not isinstance(data, Mapping):
        raise GoeInvalidResponseError(f"go-e status is not a JSON object but {type(data).__name__}")
    return data


def error_names(code: int) -> tuple[str, ...]:
    """Best-effort names of an `err` code: one name for 0-10, both lists' names above (§6)."""
    try:
        return (ChargerError(code).name,)
    except ValueError:
        pass
    names = [ERROR_NAMES_CURATED.get(code), ERROR_NAMES_FIRMWARE.get(code)]
    return tuple(dict.fromkeys(name for name in names if name))


@dataclass(frozen=True, slots=True)
class EnergyReading:
    """The 16-slot `nrg` array (§4.1): V, A, W and power factor in % per phase and N."""

    voltages: Phases
    voltage_n: float | None
    currents: Phases
    powers: Phases
    power_n: float | None
    power_total: float | None
    power_factors: Phases
    power_factor_n: float | None

    @classmethod
    def from_wire(cls, value: Any) -> EnergyReading | None:
        """Decode `nrg`; None unless it is an array (short arrays leave the tail None)."""
        if not isinstance(value, list):
            return None
        slots = list(float_tuple(value)[:NRG_LENGTH])
        slots += [None] * (NRG_LENGTH - len(slots))
        return cls(
            voltages=(slots[0], slots[1], slots[2]),
            voltage_n=slots[3],
            currents=(slots[4], slots[5], slots[6]),
            powers=(slots[7], slots[8], slots[9]),
            power_n=slots[10],
            power_total=slots[11],
            power_factors=(slots[12], slots[13], slots[14]),
            power_factor_n=slots[15],
        )


@dataclass(frozen=True, slots=True)
class InverterData:
    """The last PV data pushed with `ids`, read back as `pgrid`/`ppv`/`pakku` (null once stale)."""

    grid_power: float | None
    pv_power: float | None
    battery_power: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class GoeChargerStatus:
    """What a go-e charger reports; any field may be None (see module docstring)."""

    keys: frozenset[str] = frozenset()
    # identity
    serial: str | None = None
    friendly_name: str | None = None
    firmware: str | None = None
    device_type: str | None = None
    variant: int | None = None
    manufacturer: str | None = None
    # live
    car_state: CarState | int | None = None
    model_status: ModelStatus | int | None = None
    error: ChargerError | int | None = None
    allowed_to_charge: bool | None = None
    allowed_current: int | None = None
    current_limit: int | None = None
    temporary_current_limit: int | None = None
    force_state: ForceState | int | None = None
    phases_in_use: int | None = None
    energy: EnergyReading | None = None
    session_energy: float | None = None
    power_average_30s: float | None = None
    temperatures: tuple[float | None, ...] = ()
    cable_lock_status: CableLockStatus | int | None = None
    charging_duration_ms: float | None = None
    inverter: InverterData | None = None
    # configuration
    absolute_max_current: int | None = None
    min_current: int | None = None
    phase_switch_mode: PhaseSwitchMode | int | None = None
    logic_mode: LogicMode | int | None = None
    use_pv_surplus: bool | None = None
    energy_limit: float | None = None
    cable_unlock_mode: int | None = None
    access_control: int | None = None
    transaction: int | None = None
    pv_start_power: float | None = None
    three_phase_switch_power: float | None = None
    cable_current: int | None = None
    adapter_in_use: bool | None = None
    current_presets: tuple[int, ...] = ()
    # statistics
    lifetime_energy: float | None = None
    reboot_count: int | None = None
    uptime_ms: int | None = None
    grid_frequency: float | None = None
    wifi_rssi: int | None = None
    temperature_current_limit: int | None = None
    phases_present: tuple[bool | None, ...] = ()
    # when the cloud says the data was taken (`Last-Modified`); None for local reads
    last_modified: datetime | None = None

    @property
    def car_connected(self) -> bool | None:
        """`car` in 2..4 (marq24 uses car >= 2); None when `car` is unknown."""
        if self.car_state is None:
            return None
        return self.car_state in CAR_CONNECTED_STATES

    @property
    def supports_phase_switching(self) -> bool:
        """Whether the device reported `psm` (dropped from the docs, missing on some firmware)."""
        return "psm" in self.keys

    @classmethod
    def from_wire(cls, data: Any, *, last_modified: datetime | None = None) -> GoeChargerStatus:
        """Build from a (filtered) `/api/status` object."""
        raw = require_object(data)
        get = raw.get
        ids_keys = {"pgrid", "ppv", "pakku"} & raw.keys()
        cdi = get("cdi")
        return cls(
            keys=frozenset(str(key) for key in raw),
            serial=as_str(get("sse")),
            friendly_name=as_str(get("fna")),
            firmware=as_str(get("fwv")),
            device_type=as_str(get("typ")),
            variant=as_int(get("var")),
            manufacturer=as_str(get("oem")),
            car_state=as_code(CarState, get("car")),
            model_status=as_code(ModelStatus, get("modelStatus")),
            error=as_code(ChargerError, get("err")),
            allowed_to_charge=as_bool(get("alw")),
            allowed_current=as_int(get("acu")),
            current_limit=as_int(get("amp")),
            temporary_current_limit=as_int(get("tcl")),
            force_state=as_code(ForceState, get("frc")),
            phases_in_use=as_int(get("pnp")),
            energy=EnergyReading.from_wire(get("nrg")),
            session_energy=as_float(get("wh")),
            power_average_30s=as_float(get("tpa")),
            temperatures=float_tuple(get("tma")),
            cable_lock_status=as_code(CableLockStatus, get("cus")),
            charging_duration_ms=(as_float(cdi.get("value")) if isinstance(cdi, Mapping) else None),
            inverter=(
                InverterData(
                    grid_power=as_float(get("pgrid")),
                    pv_power=as_float(get("ppv")),
                    battery_power=as_float(get("pakku")),
                )
                if ids_keys
                else None
            ),
            absolute_max_current=as_int(get("ama")),
            min_current=as_int(get("mca")),
            phase_switch_mode=as_code(PhaseSwitchMode, get("psm")),
            logic_mode=as_code(LogicMode, get("lmo")),
            use_pv_surplus=as_bool(get("fup")),
            energy_limit=as_float(get("dwo")),
            cable_unlock_mode=as_int(get("ust")),
            access_control=as_int(get("acs")),
            transaction=as_int(get("trx")),
            pv_start_power=as_float(get("fst")),
            three_phase_switch_power=as_float(get("spl3")),
            cable_current=as_int(get("cbl")),
            adapter_in_use=as_bool(get("adi")),
            current_presets=tuple(
                value for value in (as_int(item) for item in as_list(get("clp"))) if value
            ),
            lifetime_energy=as_float(get("eto")),
            reboot_count=as_int(get("rbc")),
            uptime_ms=as_int(get("rbt")),
            grid_frequency=as_float(get("fhz")),
            wifi_rssi=as_int(get("rssi")),
            temperature_current_limit=as_int(get("amt")),
            phases_present=tuple(as_bool(item) for item in as_list(get("pha"))),
            last_modified=last_modified,
        )


@dataclass(frozen=True, slots=True)
class ControllerCategory:
    """One of the controller's 16 categories (`ccn`/`ccp`/`cec`/`cpc` at the same index)."""

    index: int
    name: str | None
    power: float | None
    energy_in: float | None
    energy_out: float | None
    currents: Phases
    current_n: float | None


@dataclass(frozen=True, slots=True)
class VoltageSensor:
    """A controller voltage sensor (`usn`/`usv`)."""

    name: str | None
    voltages: Phases
    voltage_n: float | None


@dataclass(frozen=True, slots=True)
class CurrentSensor:
    """A controller current sensor (`isn`/`isv`/`ips`/`iim`); `power_factor` is a -1..1 fraction."""

    name: str | None
    current: float | None
    power: float | None
    power_factor: float | None
    phase: int | None
    inverted: bool | None


def _pair(value: Any) -> tuple[float | None, float | None]:
    numbers = (*float_tuple(value), None, None)
    return numbers[0], numbers[1]


def _four(value: Any) -> tuple[float | None, float | None, float | None, float | None]:
    numbers = (*float_tuple(value), None, None, None, None)
    return numbers[0], numbers[1], numbers[2], numbers[3]


def _categories(raw: Mapping[str, Any]) -> tuple[ControllerCategory, ...]:
    names, powers = as_list(raw.get("ccn")), as_list(raw.get("ccp"))
    energies, currents = as_list(raw.get("cec")), as_list(raw.get("cpc"))
    count = max(len(names), len(powers), len(energies), len(currents))
    result = []
    for index in range(count):
        energy_in, energy_out = _pair(energies[index] if index < len(energies) else None)
        l1, l2, l3, n = _four(currents[index] if index < len(currents) else None)
        result.append(
            ControllerCategory(
                index=index,
                name=as_str(names[index]) if index < len(names) else None,
                power=as_float(powers[index]) if index < len(powers) else None,
                energy_in=energy_in,
                energy_out=energy_out,
                currents=(l1, l2, l3),
                current_n=n,
            )
        )
    return tuple(result)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _voltage_sensors(raw: Mapping[str, Any]) -> tuple[VoltageSensor, ...]:
    names, values = as_list(raw.get("usn")), as_list(raw.get("usv"))
    result = []
    for index in range(max(len(names), len(values))):
        value = _mapping(values[index] if index < len(values) else None)
        result.append(
            VoltageSensor(
                name=as_str(names[index]) if index < len(names) else None,
                voltages=(
                    as_float(value.get("u1")),
                    as_float(value.get("u2")),
                    as_float(value.get("u3")),
                ),
                voltage_n=as_float(value.get("uN")),
            )
        )
    return tuple(result)


def _current_sensors(raw: Mapping[str, Any]) -> tuple[CurrentSensor, ...]:
    names, values = as_list(raw.get("isn")), as_list(raw.get("isv"))
    phases, inverted = as_list(raw.get("ips")), as_list(raw.get("iim"))
    result = []
    for index in range(max(len(names), len(values))):
        value = _mapping(values[index] if index < len(values) else None)
        result.append(
            CurrentSensor(
                name=as_str(names[index]) if index < len(names) else None,
                current=as_float(value.get("i")),
                power=as_float(value.get("p")),
                power_factor=as_float(value.get("f")),
                phase=as_int(phases[index]) if index < len(phases) else None,
                inverted=as_bool(inverted[index]) if index < len(inverted) else None,
            )
        )
    return tuple(result)


@dataclass(frozen=True, slots=True, kw_only=True)
class GoeControllerStatus:
    """What a go-e controller reports: categories and voltage/current sensors."""

    keys: frozenset[str] = frozenset()
    serial: str | None = None
    friendly_name: str | None = None
    firmware: str | None = None
    device_type: str | None = None
    manufacturer: str | None = None
    categories: tuple[ControllerCategory, ...] = ()
    voltage_sensors: tuple[VoltageSensor, ...] = ()
    current_sensors: tuple[CurrentSensor, ...] = ()
    last_modified: datetime | None = None

    @property
    def used_categories(self) -> tuple[ControllerCategory, ...]:
        """Categories with a power reading (the controller reports null for unused ones)."""
        return tuple(category for category in self.categories if category.power is not None)

    @classmethod
    def from_wire(cls, data: Any, *, last_modified: datetime | None = None) -> GoeControllerStatus:
        """Build from a (filtered) `/api/status` object of a controller."""
        raw = require_object(data)
        return cls(
            keys=frozenset(str(key) for key in raw),
            serial=as_str(raw.get("sse")),
            friendly_name=as_str(raw.get("fna")),
            firmware=as_str(raw.get("fwv")),
            device_type=as_str(raw.get("typ")),
            manufacturer=as_str(raw.get("oem")),
            categories=_categories(raw),
            voltage_sensors=_voltage_sensors(raw),
            current_sensors=_current_sensors(raw),
            last_modified=last_modified,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class GoeDeviceInfo:
    """What the config flow needs to know about a device (from one unfiltered status)."""

    kind: DeviceKind
    serial: str | None
    friendly_name: str | None
    firmware: str | None
    device_type: str | None
    variant: int | None = None
    manufacturer: str | None = None
    keys: frozenset[str] = field(default_factory=frozenset)


_CHARGER_ONLY_KEYS = frozenset({"car", "amp", "nrg", "frc", "modelStatus", "alw"})
_CONTROLLER_ONLY_KEYS = frozenset({"ccn", "ccp", "cec", "cpc", "usv", "isv"})


def detect_device_kind(data: Any) -> DeviceKind:
    """Charger or controller, from `typ` or else from the keys only one of them has."""
    raw = require_object(data)
    device_type = as_str(raw.get("typ"))
    if device_type is not None:
        if device_type.lower() == CONTROLLER_TYPE:
            return DeviceKind.CONTROLLER
        if device_type.lower().startswith(CHARGER_TYPE_PREFIX.lower()):
            return DeviceKind.CHARGER
    keys = raw.keys()
    if _CONTROLLER_ONLY_KEYS & keys and not _CHARGER_ONLY_KEYS & keys:
        return DeviceKind.CONTROLLER
    if _CHARGER_ONLY_KEYS & keys:
        return DeviceKind.CHARGER
    raise GoeUnsupportedDeviceError("the status is neither a go-e charger's nor a controller's")


def device_info(data: Any) -> GoeDeviceInfo:
    """Kind and identity of the device behind a full status."""
    raw = require_object(data)
    return GoeDeviceInfo(
        kind=detect_device_kind(raw),
        serial=as_str(raw.get("sse")),
        friendly_name=as_str(raw.get("fna")),
        firmware=as_str(raw.get("fwv")),
        device_type=as_str(raw.get("typ")),
        variant=as_int(raw.get("var")),
        manufacturer=as_str(raw.get("oem")),
        keys=frozenset(str(key) for key in raw),
    )
