"""A go-e charger with a car: the 1 Hz control logic and a physical charging model.

Writes land at once in the configuration keys; what they cause (alw, acu, modelStatus, car,
the currents in nrg) follows at the next run of the control logic, `logic_interval` simulated
seconds apart (the firmware runs it once per second, so a change shows about 1 s later).
Energy (wh, eto) grows with the power the last logic run allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from .device import SimDevice
from .values import Check, boolean, ids_object, int_list, integer, number, one_of, wire

if TYPE_CHECKING:
    from datetime import datetime

    from simulators.common.clock import SimClock

    from .options import SimulatorOptions

POWER_FACTOR = 0.99
NEUTRAL_VOLTAGE = 0.8
MIN_CURRENT = 6


@dataclass(slots=True)
class SimCar:
    """A car on the cable: battery, how much current it takes, on how many phases."""

    capacity_wh: float = 60_000.0
    soc: float = 40.0  # percent
    max_current: int = 32
    phases: int = 3

    @property
    def full(self) -> bool:
        """The battery takes no more energy."""
        return self.soc >= 100.0


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargerSpec:
    """A charger's fixed properties (from the scenario)."""

    serial: str
    name: str = "go-e Charger"
    firmware: str = "055.7"
    device_type: str = "go-eCharger_V4"
    variant: int = 11  # 11 kW (16 A) or 22 kW (32 A)
    voltages: tuple[float, float, float] = (231.2, 230.5, 232.0)
    cable_current: int | None = 32  # None: no `cbl` key (CORE/PRO)
    lifetime_wh: float = 1_234_567.0
    cloud_key: str | None = None
    cloud_enabled: bool = True
    ambient_temperature: float = 22.0


class SimCharger(SimDevice):
    """The charger's keys and behaviour."""

    kind = "charger"

    def __init__(self, spec: ChargerSpec, *, clock: SimClock, options: SimulatorOptions) -> None:
        """Start idle, no car, the defaults of the idle V4 example (§11.1)."""
        super().__init__(
            serial=spec.serial,
            name=spec.name,
            firmware=spec.firmware,
            device_type=spec.device_type,
            clock=clock,
            options=options,
            cloud_key=spec.cloud_key,
            cloud_enabled=spec.cloud_enabled,
        )
        self.spec = spec
        self.device_max = 32 if spec.variant >= 22 else 16
        # configuration
        self.ama = self.device_max
        self.amp = min(16, self.ama)
        self.mca = MIN_CURRENT
        self.tcl: int | None = None
        self.tcl_at: datetime | None = None
        self.frc = 0
        self.psm = 0
        self.lmo = 3
        self.fup = False
        self.dwo: float | None = None
        self.ust = 2
        self.acs = 0
        self.trx: int | None = None
        self.fst = 1400.0
        self.spl3 = 4200.0
        self.awe = False
        self.awp = 3.0
        self.clp = [6, 10, 12, 14, 16]
        self.adi = False
        self.ids: dict[str, Any] | None = None
        self.ids_at: datetime | None = None
        # state
        self.car: SimCar | None = None
        self.error = 0
        self.car_state = 1
        self.model_status = 15
        self.allowed = False
        self.allowed_current: int | None = None
        self.pnp = 1
        self.switch_until: datetime | None = None
        self.currents = [0.0, 0.0, 0.0]
        self.session_wh = 0.0
        self.lifetime_wh = spec.lifetime_wh
        self.power_average = 0.0
        self.temperatures = [spec.ambient_temperature + 3, spec.ambient_temperature]
        self.charging_ms = 0.0
        self.last_duration_ms: float | None = None
        self._since_logic = 0.0
        self.run_logic()

    # --- car and faults (driven by /control) ---------------------------------------------

    def plug_in(self, car: SimCar) -> None:
        """A car is connected; the session counter starts at 0 (inferred)."""
        self.car = car
        self.session_wh = 0.0
        self.charging_ms = 0.0
        self.last_duration_ms = None

    def unplug(self) -> None:
        """The car leaves."""
        self.car = None
        self.currents = [0.0, 0.0, 0.0]

    def set_error(self, code: int) -> None:
        """Raise (or with 0 clear) a charge-controller error."""
        self.error = code
        if code:
            self.currents = [0.0, 0.0, 0.0]

    # --- the control logic ---------------------------------------------------------------

    def _power(self) -> float:
        return sum(
            voltage * current * POWER_FACTOR
            for voltage, current in zip(self.spec.voltages, self.currents, strict=True)
        )

    def pv_data(self) -> dict[str, Any] | None:
        """The last `ids` while it is fresh."""
        if self.ids is None or self.ids_at is None:
            return None
        if (self.clock.now() - self.ids_at).total_seconds() > self.options.ids_ttl:
            return None
        return self.ids

    def _surplus(self) -> float | None:
        data = self.pv_data()
        if data is None:
            return None
        # What goes to the grid plus what this charger already draws is available.
        return -float(data["pGrid"]) + self._power()

    def _reason(self) -> tuple[int, bool]:  # noqa: PLR0911 - one rule per return
        """(modelStatus, may charge) by the rules of §12 (inferred from the enum names)."""
        if self.error:
            return (26 if not self.options.legacy_model_status else 0), False
        if self.frc == 1:
            return 4, False
        if self.frc == 2:
            return 3, True
        if self.acs == 1 and self.trx is None:
            return 2, False
        if self.dwo is not None and self.session_wh >= self.dwo:
            return 6, False
        if self.lmo == 4 and self.fup:
            surplus = self._surplus()
            if surplus is not None and surplus >= self.fst:
                return 12, True
            return 17, False
        if self.lmo == 4:
            return 17, False
        if self.lmo == 5:
            return 10, True
        return 15, True

    def _target_phases(self) -> int:
        if self.psm == 1:
            return 1
        if self.psm == 2:
            return 3
        surplus = self._surplus() if self.lmo == 4 and self.fup else None
        return 1 if surplus is not None and surplus < self.spl3 else 3

    def _current_cap(self) -> int:
        caps = [self.amp, self.ama]
        if self.tcl is not None:
            caps.append(self.tcl)
        if self.spec.cable_current is not None:
            caps.append(self.spec.cable_current)
        if self.adi:
            caps.append(16)
        return min(caps)

    def _update_phases(self, *, charging: bool) -> None:
        """Follow `psm`; switching while charging pauses first (modelStatus 23)."""
        now = self.clock.now()
        target = self._target_phases()
        if self.switch_until is not None and now >= self.switch_until:
            self.switch_until = None
            self.pnp = target
        if target != self.pnp and self.switch_until is None:
            if charging:
                self.switch_until = now + timedelta(seconds=self.options.phase_switch_pause)
            else:
                self.pnp = target

    def _update_car_state(self) -> None:
        car = self.car
        if self.error:
            self.car_state = 5
        elif car is None:
            self.car_state = 1
        elif car.full:
            self.car_state = 4
        elif self.allowed:
            self.car_state = 2
        else:
            self.car_state = 3

    def run_logic(self) -> None:
        """One run of the firmware's control logic."""
        now = self.clock.now()
        if self.tcl_at and (now - self.tcl_at).total_seconds() >= self.options.tcl_ttl:
            self.tcl, self.tcl_at = None, None
        reason, may_charge = self._reason()
        charging_before = any(self.currents)
        self._update_phases(charging=charging_before)
        if self.switch_until is not None and may_charge:
            reason, may_charge = 23, False
        self.model_status = reason
        self.allowed = may_charge and self.car is not None and not self.error
        self.allowed_current = self._current_cap() if self.allowed else None
        self._update_car_state()
        car = self.car
        if self.car_state == 2 and car is not None and self.allowed_current is not None:
            amps = float(min(self.allowed_current, car.max_current))
            phases = min(self.pnp, car.phases)
            self.currents = [amps if index < phases else 0.0 for index in range(3)]
        else:
            if charging_before:
                self.last_duration_ms = self.charging_ms
            self.currents = [0.0, 0.0, 0.0]

    # --- physics -------------------------------------------------------------------------

    def step(self, seconds: float) -> None:
        """Integrate energy for `seconds`, then run the logic when it is due."""
        power = self._power()
        energy = power * seconds / 3600.0
        if self.car is not None and energy > 0:
            room = (100.0 - self.car.soc) / 100.0 * self.car.capacity_wh
            energy = min(energy, room)
            self.car.soc = min(100.0, self.car.soc + energy / self.car.capacity_wh * 100.0)
            self.session_wh += energy
            self.lifetime_wh += energy
            self.charging_ms += seconds * 1000.0
        weight = min(1.0, seconds / 30.0)
        self.power_average += (power - self.power_average) * weight
        amps = max(self.currents)
        targets = [
            self.spec.ambient_temperature + 3 + amps * 0.4,
            self.spec.ambient_temperature + amps * 0.2,
        ]
        heat = min(1.0, seconds / 120.0)
        self.temperatures = [
            t + (goal - t) * heat for t, goal in zip(self.temperatures, targets, strict=True)
        ]
        self._since_logic += seconds
        if self._since_logic + 1e-9 >= self.options.logic_interval:
            self._since_logic = 0.0
            self.run_logic()

    # --- the wire ------------------------------------------------------------------------

    def nrg(self) -> list[float]:
        """The 16-slot meter array (§4.1)."""
        volts = list(self.spec.voltages)
        amps = [round(current, 2) for current in self.currents]
        watts = [round(v * a * POWER_FACTOR) for v, a in zip(volts, amps, strict=True)]
        factors = [99 if a else 0 for a in amps]
        return [*volts, NEUTRAL_VOLTAGE, *amps, *watts, 0, sum(watts), *factors, 0]

    def status(self) -> dict[str, Any]:
        """Every key of this charger."""
        pv = self.pv_data()
        charging = self.car_state == 2
        if self.car is None:
            cdi: dict[str, Any] | None = None
        elif charging:
            cdi = {"type": 0, "value": int(self.charging_ms)}
        else:
            cdi = {"type": 1, "value": int(self.last_duration_ms or self.charging_ms)}
        data: dict[str, Any] = {
            **self.common_status(),
            "var": self.spec.variant,
            "car": self.car_state,
            "modelStatus": self.model_status,
            "err": self.error,
            "alw": self.allowed,
            "acu": self.allowed_current,
            "amp": self.amp,
            "ama": self.ama,
            "mca": self.mca,
            "tcl": self.tcl,
            "frc": self.frc,
            "psm": self.psm,
            "pnp": self.pnp,
            "fsp": self.pnp == 1,
            "lmo": self.lmo,
            "fup": self.fup,
            "awe": self.awe,
            "awp": self.awp,
            "acs": self.acs,
            "trx": self.trx,
            "cus": 3 if self.ust == 2 or self.car is not None else 1,
            "ust": self.ust,
            "lck": self.ust,
            "adi": self.adi,
            "pha": [a > 0 for a in self.currents] + [True, True, True],
            "tma": [round(t, 1) for t in self.temperatures],
            "amt": 32,
            "nrg": self.nrg(),
            "tpa": round(self.power_average, 1),
            "wh": round(self.session_wh, 3),
            "eto": int(self.lifetime_wh),
            "dwo": self.dwo,
            "cdi": cdi,
            "fst": self.fst,
            "spl3": self.spl3,
            "pgrid": None if pv is None else pv.get("pGrid"),
            "ppv": None if pv is None else pv.get("pPv"),
            "pakku": None if pv is None else pv.get("pAkku"),
            "fhz": 50.0,
            "clp": list(self.clp),
        }
        if self.spec.cable_current is not None:
            data["cbl"] = self.spec.cable_current if self.car is not None else None
        return data

    def checks(self) -> dict[str, Check]:
        """Writable charger keys (§4 R/W column) and their checks."""
        checks = {
            **self.common_checks(),
            "amp": integer(MIN_CURRENT, lambda: self.ama),
            "ama": integer(MIN_CURRENT, self.device_max),
            "tcl": integer(MIN_CURRENT, lambda: self.ama, nullable=True),
            "mca": integer(MIN_CURRENT, lambda: self.ama),
            "frc": one_of(0, 1, 2),
            "psm": one_of(0, 1, 2),
            "lmo": one_of(3, 4, 5),
            "fup": boolean,
            "dwo": number(nullable=True, minimum=0),
            "ust": one_of(0, 1, 2, 3),
            "acs": one_of(0, 1, 2),
            "trx": integer(0, 255, nullable=True),
            "fst": number(),
            "spl3": number(),
            "awe": boolean,
            "awp": number(),
            "clp": int_list(5, MIN_CURRENT, self.device_max),
            "ids": ids_object,
        }
        if self.options.family == "v4":
            checks["fsp"] = boolean
        return checks

    def write(self, key: str, value: Any) -> bool | str:
        """Fw 60.x refuses `fsp` with its own text (§8)."""
        if key == "fsp" and self.options.family == "pro":
            return (
                "fsp: failed: this parameter is only showing the current state and readonly, "
                f"to change the preference, use psm ({wire(value)})"
            )
        return super().write(key, value)

    def apply_own(self, key: str, value: Any) -> None:
        """Store a checked charger value."""
        if key == "ids":
            self.ids = value
            self.ids_at = self.clock.now()
        elif key == "tcl":
            self.tcl = value
            self.tcl_at = self.clock.now() if value is not None else None
        elif key == "fsp":
            self.psm = 1 if value else 2
        elif key == "ama":
            self.ama = int(value)
            self.amp = min(self.amp, self.ama)
        elif key in {"fup", "awe"}:
            setattr(self, key, bool(value))
        elif key in {"dwo", "fst", "spl3", "awp"}:
            setattr(self, key, None if value is None else float(value))
        elif key == "clp":
            self.clp = [int(item) for item in value]
        else:
            setattr(self, key, None if value is None else int(value))
