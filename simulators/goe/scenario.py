"""Scenario files: which devices the simulator hosts and how they start (JSON, see scenarios/)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .charger import ChargerSpec, SimCar
from .controller import ControllerSpec

SCENARIO_DIR = Path(__file__).parent / "scenarios"


def _car(data: Any) -> SimCar | None:
    if not isinstance(data, dict):
        return None
    return SimCar(
        capacity_wh=float(data.get("capacity_kwh", 60)) * 1000.0,
        soc=float(data.get("soc", 40)),
        max_current=int(data.get("max_current", 32)),
        phases=int(data.get("phases", 3)),
    )


@dataclass(frozen=True, slots=True)
class DeviceEntry:
    """One device of a scenario: its spec, the car on its cable and settings written at start."""

    spec: ChargerSpec | ControllerSpec
    car: SimCar | None = None
    settings: dict[str, Any] = field(default_factory=dict)


def _entry(data: dict[str, Any]) -> DeviceEntry:
    kind = data.get("kind", "charger")
    serial = str(data["serial"])
    raw_key = data.get("cloud_key")
    cloud_key = None if raw_key is None else str(raw_key)
    cloud_enabled = bool(data.get("cloud_enabled", True))
    settings = dict(data.get("settings", {}))
    if kind == "controller":
        powers = data.get("powers")
        controller = ControllerSpec(
            serial=serial,
            name=str(data.get("name", "go-e Controller")),
            firmware=str(data.get("firmware", "1.0.6")),
            cloud_key=cloud_key,
            cloud_enabled=cloud_enabled,
        )
        if isinstance(powers, list):
            controller = replace(
                controller, powers=tuple(None if p is None else float(p) for p in powers)
            )
        return DeviceEntry(spec=controller, settings=settings)
    cable = data.get("cable_current", 32)
    spec: ChargerSpec | ControllerSpec = ChargerSpec(
        serial=serial,
        name=str(data.get("name", "go-e Charger")),
        firmware=str(data.get("firmware", "055.7")),
        device_type=str(data.get("type", "go-eCharger_V4")),
        variant=int(data.get("variant", 11)),
        cable_current=None if cable is None else int(cable),
        lifetime_wh=float(data.get("lifetime_wh", 1_234_567)),
        cloud_key=cloud_key,
        cloud_enabled=cloud_enabled,
    )
    return DeviceEntry(spec=spec, car=_car(data.get("car")), settings=settings)


@dataclass(frozen=True, slots=True)
class Scenario:
    """The devices to host."""

    devices: tuple[DeviceEntry, ...]
    description: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scenario:
        """Read the JSON structure."""
        return cls(
            devices=tuple(_entry(item) for item in data.get("devices", [])),
            description=str(data.get("description", "")),
        )

    @classmethod
    def from_file(cls, path: Path) -> Scenario:
        """Read a scenario file."""
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
