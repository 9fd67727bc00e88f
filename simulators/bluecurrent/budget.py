"""The daily request budget (§5.1): every command frame counts; 00:00 Europe/Amsterdam resets it.

The limit itself is (unknown): `SimulatorOptions.request_limit`, None for unlimited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .zone import AMSTERDAM

if TYPE_CHECKING:
    from datetime import date

    from simulators.common.clock import SimClock

    from .options import SimulatorOptions


class RequestBudget:
    """Counts commands per simulated Amsterdam day against `options.request_limit`."""

    def __init__(self, clock: SimClock, options: SimulatorOptions) -> None:
        """Start the day of `clock` with nothing spent."""
        self._clock = clock
        self._options = options
        self._count = 0
        self._day: date = clock.local_now(AMSTERDAM).date()

    @property
    def requests_today(self) -> int:
        """Commands received since the last 00:00 Europe/Amsterdam (simulated clock)."""
        self._roll_day()
        return self._count

    def spent(self) -> bool:
        """Whether the next command would be over the budget."""
        limit = self._options.request_limit
        return limit is not None and self.requests_today >= limit

    def count(self) -> bool:
        """Count one command; True when it is over the daily budget."""
        self._roll_day()
        self._count += 1
        limit = self._options.request_limit
        return limit is not None and self._count > limit

    def reset(self) -> None:
        """Forget today's count."""
        self._count = 0

    def _roll_day(self) -> None:
        today = self._clock.local_now(AMSTERDAM).date()
        if today != self._day:
            self._day = today
            self._count = 0
