"""What a loaded entry keeps in `entry.runtime_data`, typed for every module that reads it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry

if TYPE_CHECKING:
    from .coordinator import EVChargePointsCoordinator
    from .history import HistoryManager
    from .registry import Brand


@dataclass
class EVChargePointsRuntimeData:
    """The entry's brand, its coordinator and (brands with a session source) its history."""

    brand: Brand
    coordinator: EVChargePointsCoordinator[Any]
    history: HistoryManager | None


type EVChargePointsConfigEntry = ConfigEntry[EVChargePointsRuntimeData]
