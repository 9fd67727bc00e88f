"""The brand's client: charge points held in memory, as a device would hold them."""

from __future__ import annotations

from dataclasses import dataclass


class InMemoryError(Exception):
    """The in-memory device refused or could not be reached."""


@dataclass
class InMemoryPoint:
    """One charge point as the device reports it."""

    serial: str
    name: str
    online: bool = True
    charging_allowed: bool = True
    car_charging: bool = False
    firmware: str | None = None  # what a local device reports (go-e: `fwv`)
    address: str | None = None  # where its own web page is


class InMemoryClient:
    """Reads and writes the charge points; `reachable` False makes every call fail."""

    def __init__(self, points: list[InMemoryPoint]) -> None:
        """Hold the points."""
        self.points = {point.serial: point for point in points}
        self.reachable = True
        self.writes: list[tuple[str, bool]] = []

    def _check(self) -> None:
        if not self.reachable:
            msg = "device unreachable"
            raise InMemoryError(msg)

    async def read(self) -> list[InMemoryPoint]:
        """Every charge point's status."""
        self._check()
        return list(self.points.values())

    async def set_charging_allowed(self, serial: str, *, allowed: bool) -> None:
        """Allow or stop charging; stopping ends what the car was drawing."""
        self._check()
        self.writes.append((serial, allowed))
        point = self.points[serial]
        point.charging_allowed = allowed
        if not allowed:
            point.car_charging = False
