"""The go-e simulator fixtures every go-e test folder uses (imported by their conftests)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from simulators.goe import SCENARIO_DIR, GoeSimulator, Scenario, SimClock, SimulatorOptions

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

TEST_SCENARIO = SCENARIO_DIR / "test.json"


@pytest.fixture
def goe_options() -> SimulatorOptions:
    """Simulator options; override (or parametrize indirectly) to change behaviour."""
    return SimulatorOptions()


@pytest.fixture
def goe_clock() -> SimClock:
    """The simulator's manual clock."""
    return SimClock()


@pytest.fixture
async def goe_sim(
    socket_enabled: None, goe_options: SimulatorOptions, goe_clock: SimClock
) -> AsyncIterator[GoeSimulator]:
    """The go-e simulator with the test scenario (a V4 charger, a PRO, a controller)."""
    async with GoeSimulator(
        Scenario.from_file(TEST_SCENARIO), options=goe_options, clock=goe_clock
    ) as sim:
        yield sim
