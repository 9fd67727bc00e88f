"""The veCharge simulator fixtures every veCharge test folder uses (a tests/conftest.py plugin)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from simulators.vecharge import SCENARIO_DIR, Scenario, SimulatorOptions, VeChargeSimulator

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

TEST_SCENARIO = SCENARIO_DIR / "test.json"


@pytest.fixture
def vecharge_options() -> SimulatorOptions:
    """The simulator's options; override (or parametrize indirectly) to change behaviour.

    Tests that change faults while running do it through `vecharge_sim.options`.
    """
    return SimulatorOptions()


@pytest.fixture
async def vecharge_sim(
    socket_enabled: None, vecharge_options: SimulatorOptions
) -> AsyncIterator[VeChargeSimulator]:
    """The simulator with its test scenario (charger "test", off, plugged in) on 127.0.0.1."""
    async with VeChargeSimulator(
        Scenario.from_file(TEST_SCENARIO), options=vecharge_options
    ) as sim:
        yield sim
