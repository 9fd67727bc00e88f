"""Shared fixtures: the Blue Current simulator on a real loopback socket."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

# The integration package must be imported before the `hass` fixture runs, or the test
# plugin's own `custom_components` package shadows ours and HA cannot find the domain.
import custom_components.ev_charge_points  # noqa: F401
from simulators.bluecurrent import BlueCurrentSimulator, Scenario, SimClock, SimulatorOptions

# The go-e and veCharge simulator fixtures, shared by the client, simulator and integration tests.
pytest_plugins = ["tests.simulators.goe.fixtures", "tests.simulators.vecharge.fixtures"]

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

SCENARIOS = Path(__file__).parent.parent / "simulators" / "bluecurrent" / "scenarios"
TEST_SCENARIO = SCENARIOS / "test.json"


@pytest.fixture
def simulator_options() -> SimulatorOptions:
    """Options for the simulator; override in a test module to change behaviour."""
    return SimulatorOptions()


@pytest.fixture
def simulator_clock() -> SimClock:
    """The simulator's clock; override to start at a fixed instant."""
    return SimClock()


@pytest.fixture
async def simulator(
    socket_enabled: None, simulator_options: SimulatorOptions, simulator_clock: SimClock
) -> AsyncIterator[BlueCurrentSimulator]:
    """Start the Blue Current simulator with the test scenario on 127.0.0.1."""
    async with BlueCurrentSimulator(
        Scenario.from_file(TEST_SCENARIO), options=simulator_options, clock=simulator_clock
    ) as sim:
        yield sim
