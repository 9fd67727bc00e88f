"""Fixtures of the veCharge brand tests: the veCharge simulator on a real loopback socket."""

from __future__ import annotations

from typing import TYPE_CHECKING
from unittest.mock import patch

import pytest

from simulators.vecharge import SCENARIO_DIR, Scenario, SimulatorOptions, VeChargeSimulator

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator


@pytest.fixture
def vecharge_options() -> SimulatorOptions:
    """The simulator's options; tests change faults through `vecharge_sim.options`."""
    return SimulatorOptions()


@pytest.fixture
async def vecharge_sim(
    socket_enabled: None, vecharge_options: SimulatorOptions
) -> AsyncIterator[VeChargeSimulator]:
    """The veCharge simulator with its test scenario (charger "test", off, plugged in)."""
    scenario = Scenario.from_file(SCENARIO_DIR / "test.json")
    async with VeChargeSimulator(scenario, options=vecharge_options) as sim:
        yield sim


@pytest.fixture(autouse=True)
def meter_clock_follows_the_simulator(vecharge_sim: VeChargeSimulator) -> Iterator[None]:
    """The lifetime meter sees each frame at the simulator's time (it bounds each step by
    the time between frames; Home Assistant's own clock does not follow the simulator)."""
    clock = vecharge_sim.clock.now
    with patch("custom_components.ev_charge_points.coordinator._frame_time", clock):
        yield
