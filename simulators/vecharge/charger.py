"""One simulated charger: its document, the relay, the plug and the charging model.

Energy grows only while the relay is on and a vehicle is plugged in: power = V * A * power
factor. Switching off ends the session: its energy becomes `prev_energy` and `energy` restarts
at 0 (doc §5, inferred). `newLog` samples are due every `log_interval` seconds of simulated time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .payloads import timestamp, two_decimals

if TYPE_CHECKING:
    from datetime import datetime

    from .scenario import ChargerSpec

type JSONObject = dict[str, Any]

ON = "ON"
OFF = "OFF"


@dataclass(kw_only=True)
class SimCharger:
    """Mutable state of one charger."""

    spec: ChargerSpec
    status: str
    plugged: bool
    energy: float
    prev_energy: float
    connected_at: datetime | None = None
    since_last_log: float = 0.0

    @classmethod
    def from_spec(cls, spec: ChargerSpec) -> SimCharger:
        """The charger as the scenario starts it."""
        return cls(
            spec=spec,
            status=spec.status,
            plugged=spec.plugged,
            energy=spec.energy,
            prev_energy=spec.prev_energy,
        )

    @property
    def charger_id(self) -> str:
        """The charger id (the document's `_id`)."""
        return self.spec.charger_id

    @property
    def is_on(self) -> bool:
        """Whether the relay is on."""
        return self.status == ON

    @property
    def current(self) -> float:
        """Amperes flowing now."""
        return self.spec.current if self.is_on and self.plugged else 0.0

    @property
    def voltage(self) -> float:
        """Volts at the socket (the grid is there whether or not the relay is on)."""
        return self.spec.voltage

    @property
    def power(self) -> float:
        """Watts flowing now."""
        return self.voltage * self.current * self.spec.power_factor

    def switch(self, status: str) -> None:
        """Set the relay; switching off moves the session energy to `prev_energy`."""
        if status == OFF and self.is_on:
            self.prev_energy = round(self.energy, 2)
            self.energy = 0.0
        if status == ON and not self.is_on:
            self.since_last_log = 0.0
        self.status = status

    def advance(self, seconds: float, log_interval: float) -> int:
        """Charge for `seconds`; return how many newLog samples fell due."""
        if not self.is_on:
            return 0
        self.energy += self.power * seconds / 3_600_000
        self.since_last_log += seconds
        due = 0
        while self.since_last_log >= log_interval > 0:
            self.since_last_log -= log_interval
            due += 1
        return due

    def document(self) -> JSONObject:
        """The `_doc` fields, in the seed's order and types (numbers as numbers here)."""
        spec = self.spec
        return {
            "location": {"type": "Point", "coordinates": [spec.longitude, spec.latitude]},
            "status": self.status,
            "power": round(self.power, 2),
            "voltage": self.voltage if self.is_on else 0,
            "current": self.current,
            "energy": round(self.energy, 2),
            "prev_energy": self.prev_energy,
            "currentUser": spec.user_id,
            "isActive": True,
            "partnerId": spec.partner_id,
            "desiredDgStatus": self.status,
            "reportedDgStatus": self.status,
            "chargerMode": spec.charger_mode,
            "chargerPrivateUsers": list(spec.private_users),
            "_id": spec.charger_id,
            "detail": spec.detail,
            "operator": spec.operator,
            "address": spec.address,
            "_v": 0,
            "wifiConnectivity": True,
            "connectedTimestamp": timestamp(self.connected_at) if self.connected_at else None,
        }

    def log(self, now: datetime) -> JSONObject:
        """One newLog sample: voltage, current and power as two-decimal strings (the seed)."""
        return {
            "deviceId": self.spec.device_id,
            "voltage": two_decimals(self.voltage),
            "current": two_decimals(self.current),
            "power": two_decimals(self.power),
            "energy": round(self.energy, 2),
            "createdAt": timestamp(now),
            "userId": self.spec.user_id,
            "chargerId": self.spec.charger_id,
        }
