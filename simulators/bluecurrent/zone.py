"""Blue Current's servers speak naive Europe/Amsterdam local time."""

from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
