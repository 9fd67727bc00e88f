"""A local simulator of the veCharge cloud (Socket.IO push + REST on/off) on 127.0.0.1."""

from simulators.common.clock import SimClock

from .options import SimulatorOptions
from .scenario import SCENARIO_DIR, ChargerSpec, Scenario, UserSpec
from .server import VeChargeSimulator

__all__ = [
    "SCENARIO_DIR",
    "ChargerSpec",
    "Scenario",
    "SimClock",
    "SimulatorOptions",
    "UserSpec",
    "VeChargeSimulator",
]
