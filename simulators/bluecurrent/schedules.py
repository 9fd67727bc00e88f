"""Override-current schedules (§3.8, §6.2): the model and the rules of an account's set of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from .physics import wire_number
from .protocol import DAY_CODES

if TYPE_CHECKING:
    from .physics import SimChargePoint
    from .protocol import JSONObject


@dataclass(slots=True)
class OverrideSchedule:
    """A user override-current schedule (§3.8, §6.2)."""

    schedule_id: str
    charge_points: list[str]
    current: float
    start_time: time
    stop_time: time
    start_days: list[str]
    stop_days: list[str]

    def to_wire(self) -> JSONObject:
        """The schedule as LIB reads it: days as comma strings (§4.7)."""
        return {
            "schedule_id": self.schedule_id,
            "charge_points": list(self.charge_points),
            "override_current": wire_number(self.current),
            "start_time": self.start_time.strftime("%H:%M"),
            "stop_time": self.stop_time.strftime("%H:%M"),
            "override_start_days": ",".join(self.start_days),
            "override_end_days": ",".join(self.stop_days),
        }

    def active(self, local: datetime) -> bool:
        """Whether the cap applies at `local` (Europe/Amsterdam).

        Each start day opens a window at start_time that closes at the next stop day's stop_time.
        """
        naive = local.replace(tzinfo=None)
        stop_days = {DAY_CODES.index(d) for d in self.stop_days} or {
            DAY_CODES.index(d) for d in self.start_days
        }
        for code in self.start_days:
            weekday = DAY_CODES.index(code)
            back = (naive.weekday() - weekday) % 7
            start = datetime.combine(naive.date() - timedelta(days=back), self.start_time)
            if start > naive:
                start -= timedelta(days=7)
            for ahead in range(8):
                day = start.date() + timedelta(days=ahead)
                end = datetime.combine(day, self.stop_time)
                if day.weekday() in stop_days and end > start:
                    if naive < end:
                        return True
                    break
        return False


def remove_from_schedules(
    schedules: dict[str, OverrideSchedule], evse_ids: set[str], keep: str | None = None
) -> None:
    """Take `evse_ids` out of every schedule but `keep`; schedules left empty disappear.

    A charge point belongs to one schedule at most.
    """
    for schedule_id, schedule in list(schedules.items()):
        if schedule_id == keep:
            continue
        schedule.charge_points = [p for p in schedule.charge_points if p not in evse_ids]
        if not schedule.charge_points:
            del schedules[schedule_id]


def apply_caps(
    schedules: dict[str, OverrideSchedule], points: dict[str, SimChargePoint], local: datetime
) -> None:
    """Set each charge point's override cap from the schedules open at `local`."""
    caps: dict[str, float] = {}
    for schedule in schedules.values():
        if schedule.active(local):
            for evse_id in schedule.charge_points:
                caps[evse_id] = schedule.current
    for evse_id, point in points.items():
        point.override_cap = caps.get(evse_id)
