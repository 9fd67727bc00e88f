"""What a charger and a controller share: identity, the API switches and the set protocol."""

from __future__ import annotations

import secrets
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

from .values import Check, anything, boolean, string, wire

if TYPE_CHECKING:
    from datetime import datetime

    from simulators.common.clock import SimClock

    from .options import SimulatorOptions


class SimDevice(ABC):
    """One simulated go-e device; the server asks it for its status and hands it writes."""

    kind: str = "device"

    def __init__(
        self,
        *,
        serial: str,
        name: str,
        firmware: str,
        device_type: str,
        clock: SimClock,
        options: SimulatorOptions,
        cloud_key: str | None = None,
        cloud_enabled: bool = True,
    ) -> None:
        """Set the identity and the switches every device has."""
        self.serial = serial
        self.name = name
        self.firmware = firmware
        self.device_type = device_type
        self.clock = clock
        self.options = options
        self.api_enabled = True  # `hai`
        self.cloud_enabled = cloud_enabled  # `cae`
        self.cloud_key = cloud_key or secrets.token_hex(16)  # `cak`
        self.online = True
        self.last_seen: datetime = clock.now()
        self.busy_requests = 0
        self.hanging = False
        self.reboot_count = 1
        self.booted_at: datetime = clock.now()
        # the status the device last sent to the cloud, and when
        self.cloud_snapshot: dict[str, Any] = {}
        self.cloud_snapshot_at: datetime = clock.now()

    # --- the status ----------------------------------------------------------------------

    def common_status(self) -> dict[str, Any]:
        """Keys both kinds report."""
        now = self.clock.now()
        return {
            "sse": self.serial,
            "fna": self.name,
            "fwv": self.firmware,
            "typ": self.device_type,
            "oem": "go-e",
            "hai": self.api_enabled,
            "cae": self.cloud_enabled,
            "cak": self.cloud_key,
            "rbc": self.reboot_count,
            "rbt": int((now - self.booted_at).total_seconds() * 1000),
            "utc": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}",
            "rssi": -62,
            "wst": 3,
        }

    @abstractmethod
    def status(self) -> dict[str, Any]:
        """Every key the device has, as JSON values."""

    def supported_keys(self) -> set[str]:
        """The keys `status()` reports."""
        return set(self.status())

    # --- writes --------------------------------------------------------------------------

    def common_checks(self) -> dict[str, Check]:
        """Writable keys both kinds have."""
        return {
            "fna": string,
            "hai": boolean,
            "cae": boolean,
            "cak": anything,
            "rst": anything,
        }

    @abstractmethod
    def checks(self) -> dict[str, Check]:
        """Every writable key and its check."""

    def write(self, key: str, value: Any) -> bool | str:
        """Apply one write; True, or the error text the firmware would give (§8)."""
        checks = self.checks()
        if key not in checks:
            if key in self.supported_keys():
                return f"{key}: tried to set api key without setter ({wire(value)})"
            # The text for a key the device does not have at all is (inferred).
            return f"{key}: unknown api key ({wire(value)})"
        problem = checks[key](value)
        if problem is not None:
            return f"{key}: {problem}"
        self.apply(key, value)
        return True

    def apply(self, key: str, value: Any) -> None:
        """Store a checked value (subclasses add their own keys)."""
        if key == "fna":
            self.name = str(value)
        elif key == "hai":
            self.api_enabled = bool(value)
        elif key == "cae":
            self.cloud_enabled = bool(value)
        elif key == "cak":
            # Writing any value regenerates the key and invalidates the old one (§3.1).
            self.cloud_key = secrets.token_hex(16)
        elif key == "rst":
            self.reboot_count += 1
            self.booted_at = self.clock.now()
        else:
            self.apply_own(key, value)

    @abstractmethod
    def apply_own(self, key: str, value: Any) -> None:
        """Store a checked value of a key only this kind has."""

    # --- time ----------------------------------------------------------------------------

    async def tick(self, seconds: float) -> None:
        """Advance the model by `seconds` (the SimClock subscriber)."""
        self.step(seconds)

    def go_offline(self) -> None:
        """Drop off the network: the cloud keeps the last status it received."""
        if self.online:
            self.cloud_snapshot = self.status()
            self.cloud_snapshot_at = self.last_seen = self.clock.now()
        self.online = False

    def go_online(self) -> None:
        """Back on the network."""
        self.online = True

    @abstractmethod
    def step(self, seconds: float) -> None:
        """The physical model."""
