"""Scenarios: the accounts, cards, charge points and grids a simulator starts with.

A scenario is plain data. It is loaded from JSON (`Scenario.from_file`) or generated for benchmarks
(`Scenario.generate`). The simulator turns it into mutable state (physics.py) when it starts; the
scenario object itself only changes through `BlueCurrentSimulator.add_charge_point` /
`remove_charge_point`.

JSON layout::

    {"seed": 1,
     "accounts": [{"api_token": "...", "customer_id": "1001", "email": "...", "full_name": "...",
                   "default_card": "BCU-APP", "history_days": 14,
                   "cards": [{"uid": "...", "id": "NL-...", "name": "...", "customer_name": "..."}],
                   "charge_points": [{"evse_id": "BCU101", "name": "...",
                                      "grid_id": "GRID-BCU101", "max_usage": 16, ...,
                                      "tariff": {...}, "location": {...},
                                      "vehicle": {"plugged_in": true, "phases": 3,
                                                  "max_current": 16, "energy_needed_kwh": 20,
                                                  "charging": true,
                                                  "session_minutes": 45, "session_kwh": 7.4},
                                      "last_session": {"ended_minutes_ago": 900,
                                                       "duration_minutes": 120, "kwh": 11.2}}],
                   "grids": [{"id": "GRID-BCU101", "max_install": 40, "max_reserved": 25,
                              "base_load": [2, 3, 1.5]}]}]}

Unknown keys are an error, so a typo in a scenario file does not pass silently.
"""

from __future__ import annotations

import dataclasses
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

NO_CARD = "BCU-APP"
NOMINAL_VOLTAGE = 230.0  # V phase to neutral
SCENARIO_DIR = Path(__file__).parent / "scenarios"


@dataclass(slots=True)
class CardSpec:
    """A charge card of the account."""

    uid: str
    id: str
    name: str = ""
    customer_name: str = ""
    valid: int = 1
    date_created: str = ""
    date_modified: str = ""
    date_became_invalid: str = ""


@dataclass(slots=True)
class TariffSpec:
    """Price per kWh and start fee of a charge point."""

    tariff_id: str = "NLBCUT994"
    price_ex_vat: float = 0.2397
    start_price_ex_vat: float = 0.0
    price_in_vat: float = 0.29
    start_price_in_vat: float = 0.0
    currency: str = "EUR"
    vat_percentage: float = 21.0


@dataclass(slots=True)
class LocationSpec:
    """Where a charge point stands."""

    x_coord: float = 52.09
    y_coord: float = 5.12
    street: str = "Teststraat"
    housenumber: str = "1"
    zipcode: str = "1234AB"
    city: str = "Utrecht"
    country: str = "NL"


@dataclass(slots=True)
class VehicleSpec:
    """A car plugged in at start-up."""

    plugged_in: bool = True
    phases: int = 3
    max_current: float = 16.0
    energy_needed_kwh: float = 20.0
    taper_kwh: float = 2.0
    charging: bool = True  # a session is running at start-up
    session_minutes: float = 30.0  # how long that session has been running
    session_kwh: float = 0.0  # energy already delivered in it


@dataclass(slots=True)
class LastSessionSpec:
    """The previous, finished session (for start/stop timestamps and cost)."""

    ended_minutes_ago: float = 600.0
    duration_minutes: float = 120.0
    kwh: float = 10.0


@dataclass(slots=True)
class ChargePointSpec:
    """A charge point as configured at start-up."""

    evse_id: str
    name: str = ""
    model_type: str = "H:MOVE-C32T2"
    chargepoint_type: str = "HIDDEN"
    is_cable: bool = True
    grid_id: str | None = None
    max_usage: float = 16.0
    smartcharging_max_usage: float = 6.0
    max_offline: float = 10.0
    smart_charging: bool = False
    smart_charging_dynamic: bool = False
    delayed_charging: bool = False
    price_based_charging: bool = False
    public_charging: bool = True
    plug_and_charge: bool = False
    plug_and_charge_notification: bool = False
    plug_and_charge_card: str = NO_CARD
    default_card: str = NO_CARD
    preferred_card: str = NO_CARD
    led_interaction: bool = False
    led_intensity: int = 0
    publish_location: bool = False
    online: bool = True
    operative: bool = True
    error: bool = False
    tariff: TariffSpec = field(default_factory=TariffSpec)
    location: LocationSpec | None = field(default_factory=LocationSpec)
    vehicle: VehicleSpec | None = None
    last_session: LastSessionSpec | None = None
    # The sockets (connectors) of the charge point: one for most models, two for dual-socket
    # ones (pybluecurrent: "NanoXL"). The car and the session are on the first socket.
    socket_ids: list[int] = field(default_factory=lambda: [1])
    capacity_tariff: bool = False
    capacity_tariff_max_kwh: float | None = None
    # The app list's permission of the setting: "write" where the account has it; "none"
    # (pybluecurrent's other value, inferred) where the grid operator bills no peak power.
    capacity_tariff_permission: str = "write"


@dataclass(slots=True)
class GridSpec:
    """A building connection shared by one or more charge points."""

    id: str
    max_install: float = 40.0
    max_reserved: float = 25.0
    base_load: list[float] = field(default_factory=lambda: [2.0, 2.0, 2.0])


@dataclass(slots=True)
class AccountSpec:
    """A Blue Current customer account with its API token."""

    api_token: str
    customer_id: str
    email: str
    full_name: str = ""
    login: str | None = None  # defaults to email
    default_card: str = NO_CARD
    trees: int = 1
    co2: float = 12.345
    subscription_type: str = "BASIS"
    # REST transactions (rest.py): days of seeded session history before the known sessions.
    history_days: int = 0
    cards: list[CardSpec] = field(default_factory=list)
    charge_points: list[ChargePointSpec] = field(default_factory=list)
    grids: list[GridSpec] = field(default_factory=list)

    @property
    def login_name(self) -> str:
        """The login shown in ACCOUNT (the e-mail unless set)."""
        return self.login if self.login is not None else self.email


def _build[T](cls: type[T], data: Any, nested: dict[str, Any] | None = None) -> T:
    """Build dataclass `cls` from a JSON object, rejecting unknown keys."""
    if not isinstance(data, dict):
        raise TypeError(f"{cls.__name__}: expected an object, got {type(data).__name__}")
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = set(data) - names
    if unknown:
        raise ValueError(f"{cls.__name__}: unknown keys {sorted(unknown)}")
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        builder = (nested or {}).get(key)
        kwargs[key] = builder(value) if builder is not None and value is not None else value
    return cls(**kwargs)


def _charge_point(data: Any) -> ChargePointSpec:
    spec = _build(
        ChargePointSpec,
        data,
        {
            "tariff": lambda v: _build(TariffSpec, v),
            "location": lambda v: _build(LocationSpec, v),
            "vehicle": lambda v: _build(VehicleSpec, v),
            "last_session": lambda v: _build(LastSessionSpec, v),
        },
    )
    if spec.vehicle is not None and spec.vehicle.phases not in (1, 3):
        raise ValueError(f"{spec.evse_id}: vehicle phases must be 1 or 3")
    if not spec.socket_ids or len(set(spec.socket_ids)) != len(spec.socket_ids):
        raise ValueError(f"{spec.evse_id}: socket_ids must be distinct and not empty")
    if spec.capacity_tariff_permission not in ("write", "read", "none"):
        raise ValueError(f"{spec.evse_id}: capacity_tariff_permission must be write/read/none")
    return spec


def _grid(data: Any) -> GridSpec:
    spec = _build(GridSpec, data)
    if len(spec.base_load) != 3:
        raise ValueError(f"grid {spec.id}: base_load needs three phases")
    spec.base_load = [float(x) for x in spec.base_load]
    return spec


def _account(data: Any) -> AccountSpec:
    return _build(
        AccountSpec,
        data,
        {
            "cards": lambda v: [_build(CardSpec, c) for c in v],
            "charge_points": lambda v: [_charge_point(c) for c in v],
            "grids": lambda v: [_grid(g) for g in v],
        },
    )


def _deliverable(kwh: float, minutes: float, power_kw: float) -> float:
    """A drawn session energy, at most what `power_kw` delivers in `minutes` (2 decimals)."""
    return round(min(kwh, power_kw * minutes / 60), 2)


@dataclass(slots=True)
class Scenario:
    """Everything the simulated cloud knows at start-up."""

    accounts: list[AccountSpec] = field(default_factory=list)
    seed: int = 0

    def __post_init__(self) -> None:
        """Give every charge point a grid, as the real cloud does ("GRID-<evse_id>")."""
        self.check()

    def check(self) -> None:
        """Validate ids and attach implicit grids."""
        tokens: set[str] = set()
        evse_ids: set[str] = set()
        grid_ids: set[str] = set()
        for account in self.accounts:
            if account.api_token in tokens:
                raise ValueError("two accounts share an API token")
            tokens.add(account.api_token)
            own_grids = {grid.id for grid in account.grids}
            for grid in account.grids:
                if grid.id in grid_ids:
                    raise ValueError(f"duplicate grid {grid.id}")
                grid_ids.add(grid.id)
            for point in account.charge_points:
                if point.evse_id in evse_ids:
                    raise ValueError(f"duplicate charge point {point.evse_id}")
                evse_ids.add(point.evse_id)
                if point.grid_id is None:
                    point.grid_id = f"GRID-{point.evse_id}"
                if point.grid_id not in own_grids:
                    if point.grid_id in grid_ids:
                        raise ValueError(f"grid {point.grid_id} belongs to another account")
                    account.grids.append(GridSpec(id=point.grid_id))
                    own_grids.add(point.grid_id)
                    grid_ids.add(point.grid_id)

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        """Build a scenario from parsed JSON."""
        if not isinstance(data, dict):
            raise TypeError("a scenario is a JSON object")
        unknown = set(data) - {"accounts", "seed", "description"}
        if unknown:
            raise ValueError(f"scenario: unknown keys {sorted(unknown)}")
        accounts = [_account(a) for a in data.get("accounts", [])]
        return cls(accounts=accounts, seed=int(data.get("seed", 0)))

    @classmethod
    def from_file(cls, path: str | Path) -> Self:
        """Load a scenario JSON file."""
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    @classmethod
    def builtin(cls, name: str) -> Self:
        """Load one of the bundled scenarios ("test" or "demo")."""
        return cls.from_file(SCENARIO_DIR / f"{name}.json")

    def to_dict(self) -> dict[str, Any]:
        """Serialise back to the JSON layout."""
        return {"seed": self.seed, "accounts": [dataclasses.asdict(a) for a in self.accounts]}

    @classmethod
    def generate(
        cls,
        n_charge_points: int,
        *,
        charging_fraction: float = 0.5,
        seed: int = 0,
        api_token: str = "bench-token",  # noqa: S107 - a simulator fixture, not a secret
        customer_id: str = "2001",
        email: str = "bench@example.com",
        smart_fraction: float = 0.0,
    ) -> Self:
        """Build one account with `n_charge_points` points, a grid each, some of them charging."""
        rng = random.Random(seed)
        charging = set(
            rng.sample(range(n_charge_points), round(n_charge_points * charging_fraction))
        )
        points: list[ChargePointSpec] = []
        grids: list[GridSpec] = []
        for index in range(n_charge_points):
            evse_id = f"BCU{100000 + index}"
            grid_id = f"GRID-{evse_id}"
            vehicle = None
            if index in charging:
                phases, max_current = rng.choice((1, 3, 3)), rng.choice((16.0, 16.0, 32.0))
                needed, minutes = round(rng.uniform(5, 50), 1), round(rng.uniform(1, 180))
                vehicle = VehicleSpec(
                    phases=phases,
                    max_current=max_current,
                    energy_needed_kwh=needed,
                    session_minutes=minutes,
                    # No more than the car could take in the time (a real server's figures).
                    session_kwh=_deliverable(
                        rng.uniform(0, 15), minutes, phases * max_current * NOMINAL_VOLTAGE / 1000
                    ),
                )
            max_usage = rng.choice((16.0, 20.0, 25.0))
            smart = rng.random() < smart_fraction
            ended, duration = round(rng.uniform(200, 5000)), round(rng.uniform(30, 300))
            points.append(
                ChargePointSpec(
                    evse_id=evse_id,
                    name=f"Point {index + 1}",
                    grid_id=grid_id,
                    max_usage=max_usage,
                    smart_charging=smart,
                    vehicle=vehicle,
                    last_session=LastSessionSpec(
                        ended_minutes_ago=ended,
                        duration_minutes=duration,
                        kwh=_deliverable(
                            rng.uniform(2, 40), duration, 3 * max_usage * NOMINAL_VOLTAGE / 1000
                        ),
                    ),
                )
            )
            grids.append(
                GridSpec(
                    id=grid_id,
                    max_install=rng.choice((25.0, 35.0, 40.0)),
                    max_reserved=20.0,
                    base_load=[round(rng.uniform(0, 5), 1) for _ in range(3)],
                )
            )
        account = AccountSpec(
            api_token=api_token,
            customer_id=customer_id,
            email=email,
            full_name="Benchmark",
            cards=[CardSpec(uid="BENCHCARD01", id="NL-BCU-000001-0", name="Bench card")],
            charge_points=points,
            grids=grids,
        )
        return cls(accounts=[account], seed=seed)
