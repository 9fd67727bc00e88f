"""A go-e controller: 16 categories of power, energy and phase currents, plus its sensors (§7)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .device import SimDevice
from .values import Check, bool_list, int_list, name_list

if TYPE_CHECKING:
    from simulators.common.clock import SimClock

    from .options import SimulatorOptions

CATEGORY_COUNT = 16
DEFAULT_NAMES = (
    "Home",
    "Grid",
    "Car",
    "Relais",
    "Solar",
    "Akku",
    *(f"Custom {number}" for number in range(1, 11)),
)
NOMINAL_VOLTAGE = 230.0


@dataclass(frozen=True, slots=True, kw_only=True)
class ControllerSpec:
    """A controller's fixed properties (from the scenario)."""

    serial: str
    name: str = "go-e Controller"
    firmware: str = "1.0.6"
    # power per category in W (None: unused); Grid negative = export
    powers: tuple[float | None, ...] = (2823.99, -4658.055, None, None, 7482.045, None)
    voltages: tuple[float, float, float, float] = (234.7242, 239.5702, 239.8172, 0.815918)
    current_sensors: tuple[str, ...] = ("Internal 1", "Internal 2")
    cloud_key: str | None = None
    cloud_enabled: bool = True
    energy: tuple[tuple[float, float], ...] = field(default_factory=tuple)


class SimController(SimDevice):
    """The controller's keys; energy counters follow the category powers."""

    kind = "controller"

    def __init__(self, spec: ControllerSpec, *, clock: SimClock, options: SimulatorOptions) -> None:
        """Categories from the spec, padded to 16."""
        super().__init__(
            serial=spec.serial,
            name=spec.name,
            firmware=spec.firmware,
            device_type="controller",
            clock=clock,
            options=options,
            cloud_key=spec.cloud_key,
            cloud_enabled=spec.cloud_enabled,
        )
        self.spec = spec
        self.names: list[str] = list(DEFAULT_NAMES)
        powers = list(spec.powers)[:CATEGORY_COUNT]
        self.powers: list[float | None] = powers + [None] * (CATEGORY_COUNT - len(powers))
        energy = [list(pair) for pair in spec.energy][:CATEGORY_COUNT]
        self.energy: list[list[float]] = energy + [
            [0.0, 0.0] for _ in range(CATEGORY_COUNT - len(energy))
        ]
        self.phases = [index % 4 for index in range(len(spec.current_sensors))]
        self.inverted = [False] * len(spec.current_sensors)

    def set_power(self, index: int, power: float | None) -> None:
        """Change a category's power (from /control)."""
        self.powers[index] = power

    def step(self, seconds: float) -> None:
        """Count energy in (positive power) and out (negative) per category."""
        for index, power in enumerate(self.powers):
            if power is None:
                continue
            slot = 0 if power >= 0 else 1
            self.energy[index][slot] += abs(power) * seconds / 3600.0

    def _currents(self, power: float | None) -> list[float | None]:
        if power is None:
            return [None, None, None, None]
        per_phase = round(abs(power) / 3 / NOMINAL_VOLTAGE, 5)
        return [per_phase, per_phase, per_phase, None]

    def status(self) -> dict[str, Any]:
        """Every key of this controller."""
        u1, u2, u3, u_n = self.spec.voltages
        grid = self.powers[1] or 0.0
        sensors = [
            {"i": round(abs(grid) / 3 / NOMINAL_VOLTAGE, 5), "p": grid, "f": 0.98}
            for _ in self.spec.current_sensors
        ]
        return {
            **self.common_status(),
            "ccn": list(self.names),
            "ccp": list(self.powers),
            "cec": [[round(a, 3), round(b, 3)] for a, b in self.energy],
            "cpc": [self._currents(power) for power in self.powers],
            "ccs": [power is not None for power in self.powers],
            "usn": ["Internal 1"],
            "usv": [{"u1": u1, "u2": u2, "u3": u3, "uN": u_n}],
            "isn": list(self.spec.current_sensors),
            "isv": sensors,
            "ips": list(self.phases),
            "iim": list(self.inverted),
            "bri": 120,
        }

    def checks(self) -> dict[str, Check]:
        """Writable controller keys."""
        count = len(self.spec.current_sensors)
        return {
            **self.common_checks(),
            "ccn": name_list(CATEGORY_COUNT),
            "ips": int_list(count, 0, 3),
            "iim": bool_list(count),
        }

    def apply_own(self, key: str, value: Any) -> None:
        """Store a checked controller value."""
        if key == "ccn":
            for index, name in enumerate(value):
                if name is not None:
                    self.names[index] = name
        elif key == "ips":
            self.phases[: len(value)] = [int(item) for item in value]
        elif key == "iim":
            self.inverted[: len(value)] = list(value)
