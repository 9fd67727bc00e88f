"""Shared fixtures: the Blue Current simulator on a real loopback socket."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

# The integration package must be imported before the `hass` fixture runs, or the test
# plugin's own `custom_components` package shadows ours and HA cannot find the domain.
import custom_components.ev_charge_points  # noqa: F401
from simulators.bluecurrent import BlueCurrentSimulator, Scenario, SimulatorOptions

TEST_SCENARIO = Path(__file__).parent.parent / "simulators" / "bluecurrent" / "scenarios" / "test.json"


@pytest.fixture
def simulator_options() -> SimulatorOptions:
    """Options for the simulator; override in a test module to change behaviour."""
    return SimulatorOptions()


@pytest.fixture
async def simulator(
    socket_enabled: None, simulator_options: SimulatorOptions
) -> AsyncIterator[BlueCurrentSimulator]:
    """Start the Blue Current simulator with the test scenario on 127.0.0.1."""
    async with BlueCurrentSimulator(
        Scenario.from_file(TEST_SCENARIO), options=simulator_options
    ) as sim:
        yield sim
