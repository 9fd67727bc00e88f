"""A small physical model of charge points, cars and grids.

Units: A per phase, V per phase, kWh, seconds. Everything random comes from a `random.Random`
seeded from the scenario seed and the evse id, so a run is repeatable.

The model, per charge point and clock step:
- A session runs while a car is plugged in and was authorised (plug & charge, or START_SESSION).
- The allowed current is min(max_usage, car maximum, smart-charging cap, override cap, max_offline
  while offline); below the IEC 61851 minimum of 6 A the car pauses (0 A).
- Delayed charging holds the session at 0 A (activity "delayed") inside its window unless boosted.
- The car draws slightly less than allowed, on 1 or 3 phases; near full it tapers off linearly
  over the last `taper_kwh`, and when full it stops (vehicle status B, session still running).
- Energy is sum(V*I) * dt; cost = start price + kWh * price (VAT included).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

from .scenario import (
    NO_CARD,
    NOMINAL_VOLTAGE,
    ChargePointSpec,
    GridSpec,
    TariffSpec,
    VehicleSpec,
)
from .zone import AMSTERDAM

if TYPE_CHECKING:
    from collections.abc import Callable

MIN_CURRENT = 6.0  # IEC 61851: a car cannot charge below 6 A
TIMESTAMP_FORMAT = "%Y%m%d %H:%M:%S"
ALL_DAYS = frozenset(range(1, 8))


def format_timestamp(value: datetime | None) -> str:
    """Wire format "YYYYMMDD HH:MM:SS" in Europe/Amsterdam; "" for none (never null)."""
    if value is None:
        return ""
    return value.astimezone(AMSTERDAM).strftime(TIMESTAMP_FORMAT)


def wire_number(value: float, digits: int = 1) -> float | int:
    """Round for the wire; whole numbers go out as ints like the real server's examples."""
    rounded = round(value, digits)
    return int(rounded) if float(rounded).is_integer() else rounded


def parse_hhmm(value: object) -> time:
    """Parse "HH:MM" (raises ValueError otherwise)."""
    if not isinstance(value, str):
        raise TypeError("time must be a string HH:MM")
    hours, _, minutes = value.partition(":")
    if len(hours) not in (1, 2) or len(minutes) != 2:
        raise ValueError(f"bad time {value!r}")
    return time(int(hours), int(minutes))


@dataclass(slots=True)
class SimVehicle:
    """A plugged-in car."""

    phases: int = 3
    max_current: float = 16.0
    energy_needed_kwh: float = 20.0
    taper_kwh: float = 2.0

    @property
    def full(self) -> bool:
        """The battery accepts no more energy."""
        return self.energy_needed_kwh <= 1e-6


@dataclass(slots=True)
class SimSession:
    """A running charge session."""

    started_at: datetime
    card_uid: str = NO_CARD
    energy_kwh: float = 0.0


@dataclass(slots=True)
class DelayedSchedule:
    """Delayed charging: no charging from `start` to `end` (local time) on `days` (1=Mon..7=Sun).

    The meaning of start/end is (unknown) on the real server; this follows the HACS README
    ("Delay from" / "Delay to"). start == end delays the whole day.
    """

    days: frozenset[int] = ALL_DAYS
    start: time = time(0, 0)
    end: time = time(0, 0)

    def active(self, local: datetime) -> bool:
        """Whether `local` (Europe/Amsterdam) lies inside the delay window."""
        now = local.time().replace(tzinfo=None)
        today = local.isoweekday()
        yesterday = (today - 2) % 7 + 1
        if self.start == self.end:
            return today in self.days
        if self.start < self.end:
            return today in self.days and self.start <= now < self.end
        # window across midnight: it belongs to the day it starts on
        return (today in self.days and now >= self.start) or (
            yesterday in self.days and now < self.end
        )


@dataclass(slots=True)
class PriceBasedSettings:
    """Price-based charging settings (stored and reported, no price model).

    The HA socket's PATCH_PRICE_BASED_CHARGING_SETTINGS sets the percentages and battery size;
    the app's REST `setpricebasedsettings` sets the kWh amounts.
    """

    expected_departure_time: str = "07:00"
    current_battery_pct: int = 20
    minimum_pct: int = 10
    battery_size_kwh: int = 60
    expected_kwh: float = 25.0
    minimum_kwh: float = 10.0


@dataclass(slots=True)
class SimChargePoint:
    """Mutable state of one charge point (what the cloud knows plus the physical truth)."""

    evse_id: str
    customer_id: str
    name: str
    model_type: str
    chargepoint_type: str
    is_cable: bool
    grid_id: str
    max_usage: float
    smartcharging_max_usage: float
    max_offline: float
    smart_charging: bool
    smart_charging_dynamic: bool
    delayed_charging: bool
    price_based_charging: bool
    public_charging: bool
    plug_and_charge: bool
    plug_and_charge_notification: bool
    plug_and_charge_card: str
    default_card: str
    preferred_card: str
    led_interaction: bool
    led_intensity: int
    publish_location: bool
    tariff: TariffSpec
    location: dict[str, object] | None
    rng: random.Random
    online: bool = True
    operative: bool = True
    error: bool = False
    offline_since: datetime | None = None
    vehicle: SimVehicle | None = None
    session: SimSession | None = None
    override_cap: float | None = None  # from an active override-current schedule
    delayed_schedule: DelayedSchedule = field(default_factory=DelayedSchedule)
    price_settings: PriceBasedSettings = field(default_factory=PriceBasedSettings)
    delayed_boost: bool = False  # OVERRIDE_DELAYED_CHARGING_TIMEOUT for this session
    price_boost: bool = False  # OVERRIDE_CHARGING_PROFILES for this session
    currents: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
    voltages: list[float] = field(default_factory=lambda: [NOMINAL_VOLTAGE] * 3)
    last_start: datetime | None = None
    last_stop: datetime | None = None
    session_kwh: float = 0.0  # current or last session
    stale_start: datetime | None = None  # quirk: start time the next push still reports
    stale_pending: bool = False
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC), repr=False)
    socket_ids: list[int] = field(default_factory=lambda: [1])
    # sockets other than the first one that were set inoperative (the first one is `operative`)
    inoperative_sockets: set[int] = field(default_factory=set)
    capacity_tariff: bool = False
    capacity_tariff_max_kwh: float | None = None
    capacity_tariff_permission: str = "write"

    @classmethod
    def from_spec(
        cls,
        spec: ChargePointSpec,
        customer_id: str,
        now: datetime,
        seed: int,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> SimChargePoint:
        """Build the start-up state of a charge point."""
        location = None
        if spec.location is not None:
            location = {
                "x_coord": spec.location.x_coord,
                "y_coord": spec.location.y_coord,
                "street": spec.location.street,
                "housenumber": spec.location.housenumber,
                "zipcode": spec.location.zipcode,
                "city": spec.location.city,
                "country": spec.location.country,
            }
        point = cls(
            evse_id=spec.evse_id,
            customer_id=customer_id,
            name=spec.name,
            model_type=spec.model_type,
            chargepoint_type=spec.chargepoint_type,
            is_cable=spec.is_cable,
            grid_id=spec.grid_id or f"GRID-{spec.evse_id}",
            max_usage=spec.max_usage,
            smartcharging_max_usage=spec.smartcharging_max_usage,
            max_offline=spec.max_offline,
            smart_charging=spec.smart_charging,
            smart_charging_dynamic=spec.smart_charging_dynamic,
            delayed_charging=spec.delayed_charging,
            price_based_charging=spec.price_based_charging,
            public_charging=spec.public_charging,
            plug_and_charge=spec.plug_and_charge,
            plug_and_charge_notification=spec.plug_and_charge_notification,
            plug_and_charge_card=spec.plug_and_charge_card,
            default_card=spec.default_card,
            preferred_card=spec.preferred_card,
            led_interaction=spec.led_interaction,
            led_intensity=spec.led_intensity,
            publish_location=spec.publish_location,
            tariff=spec.tariff,
            location=location,
            rng=random.Random(f"{seed}:{spec.evse_id}"),
            online=spec.online,
            operative=spec.operative,
            error=spec.error,
            offline_since=None if spec.online else now,
            socket_ids=list(spec.socket_ids),
            capacity_tariff=spec.capacity_tariff,
            capacity_tariff_max_kwh=spec.capacity_tariff_max_kwh,
            capacity_tariff_permission=spec.capacity_tariff_permission,
        )
        if clock is not None:
            point.clock = clock
        if spec.last_session is not None:
            last = spec.last_session
            point.last_stop = now - timedelta(minutes=last.ended_minutes_ago)
            point.last_start = point.last_stop - timedelta(minutes=last.duration_minutes)
            point.session_kwh = last.kwh
        if spec.vehicle is not None and spec.vehicle.plugged_in:
            point.vehicle = _vehicle(spec.vehicle)
            if spec.vehicle.charging:
                started = now - timedelta(minutes=spec.vehicle.session_minutes)
                point.session = SimSession(started, NO_CARD, spec.vehicle.session_kwh)
                point.last_start = started
                point.session_kwh = spec.vehicle.session_kwh
        point.jitter_voltages()
        point.update_currents(now)
        return point

    # ----- derived state -------------------------------------------------------------------

    def delayed_now(self, now: datetime) -> bool:
        """Delayed charging holds the session right now."""
        return (
            self.session is not None
            and self.smart_charging
            and self.delayed_charging
            and not self.delayed_boost
            and self.delayed_schedule.active(now.astimezone(AMSTERDAM))
        )

    @property
    def activity(self) -> str:
        """The wire activity now (by the simulator's clock)."""
        return self.activity_at(self.clock())

    def activity_at(self, now: datetime) -> str:
        """The wire activity at `now`."""
        if not self.online:
            return "offline"
        if self.error:
            return "error"
        if not self.operative:
            return "unavailable"
        if self.session is not None:
            return "delayed" if self.delayed_now(now) else "charging"
        return "available"

    @property
    def vehicle_status(self) -> str:
        """IEC 61851 letter A-F."""
        if self.error:
            return "F"
        if self.vehicle is None:
            return "A"
        if self.session is not None and any(c > 0 for c in self.currents):
            return "C"
        return "B"

    @property
    def total_cost(self) -> float:
        """Cost of the current or last session, VAT included."""
        if self.last_start is None and self.session is None:
            return 0.0
        return self.tariff.start_price_in_vat + self.session_kwh * self.tariff.price_in_vat

    def allowed_current(self, now: datetime) -> float:
        """Per-phase current the charge point offers the car now."""
        if self.session is None or self.vehicle is None or self.error or not self.operative:
            return 0.0
        if self.delayed_now(now):
            return 0.0
        cap = min(self.max_usage, self.vehicle.max_current)
        if self.smart_charging and not self.price_boost:
            cap = min(cap, self.smartcharging_max_usage)
        if self.override_cap is not None:
            cap = min(cap, self.override_cap)
        if not self.online:
            cap = min(cap, self.max_offline)
        return cap if cap >= MIN_CURRENT else 0.0

    # ----- physics -------------------------------------------------------------------------

    def jitter_voltages(self) -> None:
        """New voltage readings around 230 V."""
        self.voltages = [round(NOMINAL_VOLTAGE + self.rng.uniform(-2.5, 2.5)) for _ in range(3)]

    def update_currents(self, now: datetime) -> None:
        """Set the measured per-phase currents from what the car draws now."""
        vehicle = self.vehicle
        allowed = self.allowed_current(now)
        if vehicle is None or vehicle.full or allowed <= 0:
            self.currents = [0.0, 0.0, 0.0]
            return
        draw = allowed
        if vehicle.energy_needed_kwh < vehicle.taper_kwh:
            draw = allowed * max(0.1, vehicle.energy_needed_kwh / vehicle.taper_kwh)
        # cars draw a little below the offered current
        value = round(max(0.0, draw - self.rng.uniform(0.0, 0.3)), 1)
        self.currents = [value, value, value] if vehicle.phases == 3 else [value, 0.0, 0.0]

    def step(self, now: datetime, seconds: float) -> None:
        """Run `seconds` of physics ending at `now`."""
        self.jitter_voltages()
        self.update_currents(now)
        vehicle = self.vehicle
        if self.session is None or vehicle is None:
            return
        power_w = sum(v * i for v, i in zip(self.voltages, self.currents, strict=True))
        energy = min(power_w * seconds / 3_600_000, vehicle.energy_needed_kwh)
        if energy > 0:
            vehicle.energy_needed_kwh -= energy
            self.session.energy_kwh += energy
            self.session_kwh = self.session.energy_kwh
            if vehicle.full:
                vehicle.energy_needed_kwh = 0.0
                self.update_currents(now)

    # ----- events --------------------------------------------------------------------------

    @property
    def boosting(self) -> bool:
        """A boost overrides the smart-charging profile of the running session."""
        return self.session is not None and (self.delayed_boost or self.price_boost)

    def can_start(self) -> bool:
        """A session could start now (a car waits and the point is usable)."""
        return (
            self.vehicle is not None and self.session is None and self.operative and not self.error
        )

    def start_session(self, now: datetime, card_uid: str, *, stale_quirk: bool = False) -> None:
        """Authorise and start a session for the plugged-in car."""
        if stale_quirk and self.last_start is not None:
            self.stale_start = self.last_start
            self.stale_pending = True
        self.session = SimSession(now, card_uid)
        self.last_start = now
        self.session_kwh = 0.0
        self.delayed_boost = False
        self.price_boost = False
        self.update_currents(now)

    def stop_session(self, now: datetime) -> None:
        """End the running session (the car may stay plugged in)."""
        if self.session is None:
            return
        self.session = None
        self.last_stop = now
        self.delayed_boost = False
        self.price_boost = False
        self.stale_pending = False
        self.update_currents(now)

    def plug_in(self, now: datetime, vehicle: SimVehicle, *, stale_quirk: bool = False) -> None:
        """A car is connected; plug & charge starts a session at once."""
        self.vehicle = vehicle
        if self.plug_and_charge and self.can_start():
            self.start_session(now, self.plug_and_charge_card, stale_quirk=stale_quirk)
        self.update_currents(now)

    def unplug(self, now: datetime) -> None:
        """The car leaves; any session ends."""
        self.stop_session(now)
        self.vehicle = None
        self.update_currents(now)

    def go_offline(self, now: datetime) -> None:
        """The charge point loses its connection to the cloud."""
        if self.online:
            self.online = False
            self.offline_since = now

    def come_online(self, now: datetime) -> None:
        """The charge point is back."""
        self.online = True
        self.offline_since = None
        self.update_currents(now)

    def start_datetime_for_push(self) -> datetime | None:
        """Start time the next CH_STATUS push reports (stale once when the quirk is on)."""
        if self.stale_pending:
            self.stale_pending = False
            return self.stale_start
        return self.last_start


def _vehicle(spec: VehicleSpec) -> SimVehicle:
    return SimVehicle(
        phases=spec.phases,
        max_current=spec.max_current,
        energy_needed_kwh=spec.energy_needed_kwh,
        taper_kwh=spec.taper_kwh,
    )


@dataclass(slots=True)
class SimGrid:
    """A building connection: base load plus the charge points on it."""

    grid_id: str
    customer_id: str
    max_install: float
    max_reserved: float
    base_load: list[float]
    rng: random.Random

    @classmethod
    def from_spec(cls, spec: GridSpec, customer_id: str, seed: int) -> SimGrid:
        """Build the start-up state of a grid."""
        return cls(
            grid_id=spec.id,
            customer_id=customer_id,
            max_install=spec.max_install,
            max_reserved=spec.max_reserved,
            base_load=list(spec.base_load),
            rng=random.Random(f"{seed}:{spec.id}"),
        )

    def currents(self, points: list[SimChargePoint]) -> list[float]:
        """Per-phase current of the whole building now."""
        total = [
            max(0.0, base + self.rng.uniform(-0.3, 0.3)) if base > 0 else 0.0
            for base in self.base_load
        ]
        for point in points:
            for phase in range(3):
                total[phase] += point.currents[phase]
        return [round(x, 1) for x in total]
