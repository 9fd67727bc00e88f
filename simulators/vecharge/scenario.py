"""Scenario files: the users (tokens) and chargers a simulator starts with (JSON)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCENARIO_DIR = Path(__file__).parent / "scenarios"


@dataclass(frozen=True, kw_only=True)
class UserSpec:
    """An account: its id and the bearer token the app got for it (simulator fixture)."""

    user_id: str
    token: str


@dataclass(frozen=True, kw_only=True)
class ChargerSpec:
    """A charger as the scenario starts it."""

    charger_id: str
    device_id: str
    user_id: str
    status: str = "OFF"
    plugged: bool = True
    voltage: float = 230.0
    current: float = 7.0
    power_factor: float = 0.98
    energy: float = 0.0
    prev_energy: float = 0.0
    partner_id: str = "61dc307faf72d17afc57e385"
    charger_mode: str = "PUBLIC"
    private_users: tuple[str, ...] = ()
    detail: str = ""
    operator: str = "veChargerCommunity"
    address: str = ""
    longitude: float = 77.0608
    latitude: float = 28.7186


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """Users and chargers."""

    users: tuple[UserSpec, ...]
    chargers: tuple[ChargerSpec, ...]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scenario:
        """Build a scenario from its JSON form."""
        users = tuple(UserSpec(user_id=u["id"], token=u["token"]) for u in data["users"])
        chargers = tuple(_charger(c) for c in data["chargers"])
        return cls(users=users, chargers=chargers)

    @classmethod
    def from_file(cls, path: Path) -> Scenario:
        """Read a scenario file."""
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))


def _charger(data: dict[str, Any]) -> ChargerSpec:
    location = data.get("location", [77.0608, 28.7186])
    return ChargerSpec(
        charger_id=data["id"],
        device_id=data["device_id"],
        user_id=data["user"],
        status=data.get("status", "OFF"),
        plugged=data.get("plugged", True),
        voltage=data.get("voltage", 230.0),
        current=data.get("current", 7.0),
        power_factor=data.get("power_factor", 0.98),
        energy=data.get("energy", 0.0),
        prev_energy=data.get("prev_energy", 0.0),
        partner_id=data.get("partner_id", "61dc307faf72d17afc57e385"),
        charger_mode=data.get("mode", "PUBLIC"),
        private_users=tuple(data.get("private_users", ())),
        detail=data.get("detail", ""),
        operator=data.get("operator", "veChargerCommunity"),
        address=data.get("address", ""),
        longitude=location[0],
        latitude=location[1],
    )
