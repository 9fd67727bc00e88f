"""Blue Current's controls: the current limit's schedule shape, override windows, profiles.

Blue Current has no set-point command: the charge current limit is a user override-current
schedule the integration owns (this charge point only, every day, 00:00-23:59). Smart
charging has two profiles of which one at most is active; a boost overrides the one that
holds charging back for the running session (§6.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace as dataclass_replace
from datetime import time
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from custom_components.ev_charge_points.api.bluecurrent import Weekday
from custom_components.ev_charge_points.model import ChargerActivity, VehicleState

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from custom_components.ev_charge_points.api.bluecurrent import BlueCurrentClient
    from custom_components.ev_charge_points.api.bluecurrent.models import OverrideCurrentSchedule
    from custom_components.ev_charge_points.model import ChargePointData

# The charge current limit's own schedule: every day from 00:00 to 23:59. A window that
# ends where it starts (00:00-00:00) may mean "empty" to the server, so the last minute
# of each day is left out.
LIMIT_DAYS: tuple[Weekday, ...] = tuple(Weekday)
LIMIT_START = time(0, 0)
LIMIT_STOP = time(23, 59)


class SmartChargingProfile(StrEnum):
    """The smart-charging profile of a charge point (one at most is active)."""

    OFF = "off"
    DELAYED = "delayed"
    PRICE_BASED = "price_based"


def smart_charging_profile(charge_point: ChargePointData) -> SmartChargingProfile | None:
    """The active profile; delayed wins if the server reports both (§6.1)."""
    if charge_point.delayed_charging:
        return SmartChargingProfile.DELAYED
    if charge_point.price_based_charging:
        return SmartChargingProfile.PRICE_BASED
    if charge_point.delayed_charging is None and charge_point.price_based_charging is None:
        return None
    return SmartChargingProfile.OFF


def profile_setter(
    client: BlueCurrentClient, profile: SmartChargingProfile
) -> Callable[[str, bool], Awaitable[None]]:
    """The client call that switches `profile` on or off."""
    if profile is SmartChargingProfile.DELAYED:
        return client.set_delayed_charging
    return client.set_price_based_charging


def boost_commands(
    charge_point: ChargePointData,
) -> list[Callable[[BlueCurrentClient, str], Awaitable[None]]]:
    """What a boost sends now; empty when no profile holds charging back.

    Delayed: the session waits (activity delayed). Price based: the session charges at the
    profile's reduced current. With both flags set the delayed rule decides and both
    overrides go out, price based first (§6.1).
    """
    if (
        not charge_point.smart_charging
        or charge_point.vehicle_state in (None, VehicleState.VEHICLE_ERROR)
        or not charge_point.online
    ):
        return []
    if charge_point.delayed_charging:
        if charge_point.activity != ChargerActivity.DELAYED:
            return []
        commands: list[Callable[[BlueCurrentClient, str], Awaitable[None]]] = []
        if charge_point.price_based_charging:
            commands.append(lambda client, evse_id: client.override_charging_profiles(evse_id))
        commands.append(lambda client, evse_id: client.override_delayed_charging_timeout(evse_id))
        return commands
    if charge_point.price_based_charging and charge_point.activity == ChargerActivity.CHARGING:
        return [lambda client, evse_id: client.override_charging_profiles(evse_id)]
    return []


@dataclass(frozen=True, slots=True)
class OverrideWindow:
    """A weekly override window and its current."""

    start_time: time
    start_days: tuple[Weekday, ...]
    stop_time: time
    stop_days: tuple[Weekday, ...]
    current: float

    def fields(self) -> dict[str, Any]:
        """Keyword arguments of the client's set/edit calls."""
        return {
            "start_time": self.start_time,
            "start_days": self.start_days,
            "stop_time": self.stop_time,
            "stop_days": self.stop_days,
            "current": self.current,
        }

    @classmethod
    def of(cls, schedule: OverrideCurrentSchedule) -> OverrideWindow:
        """The window of an existing schedule."""
        return cls(
            start_time=schedule.start_time,
            start_days=schedule.start_days,
            stop_time=schedule.stop_time,
            stop_days=schedule.stop_days,
            current=schedule.current,
        )


def limit_window(current: float) -> OverrideWindow:
    """The all-day window of the charge current limit."""
    return OverrideWindow(
        start_time=LIMIT_START,
        start_days=LIMIT_DAYS,
        stop_time=LIMIT_STOP,
        stop_days=LIMIT_DAYS,
        current=current,
    )


def is_limit_schedule(schedule: OverrideCurrentSchedule, evse_id: str) -> bool:
    """Whether the schedule has the shape of the charge current limit of this point."""
    return (
        schedule.charge_points == (evse_id,)
        and schedule.start_time == LIMIT_START
        and schedule.stop_time == LIMIT_STOP
        and set(schedule.start_days) == set(LIMIT_DAYS)
        and set(schedule.stop_days) == set(LIMIT_DAYS)
    )


def with_points(
    schedule: OverrideCurrentSchedule, points: tuple[str, ...]
) -> OverrideCurrentSchedule:
    """The schedule with other charge points."""
    return dataclass_replace(schedule, charge_points=points)
