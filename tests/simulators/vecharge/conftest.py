"""Fixtures for the veCharge simulator self-tests: the simulator and plain python-socketio clients
(deliberately not our client)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from simulators.vecharge import SCENARIO_DIR, Scenario, SimulatorOptions, VeChargeSimulator

if TYPE_CHECKING:
    from collections.abc import AsyncIterator


@pytest.fixture
def sim_options() -> SimulatorOptions:
    """Simulator options; tests change them through `vecharge_sim.options`."""
    return SimulatorOptions()


@pytest.fixture
async def vecharge_sim(
    socket_enabled: None, sim_options: SimulatorOptions
) -> AsyncIterator[VeChargeSimulator]:
    """The veCharge simulator with the test scenario on 127.0.0.1."""
    scenario = Scenario.from_file(SCENARIO_DIR / "test.json")
    async with VeChargeSimulator(scenario, options=sim_options) as sim:
        yield sim
