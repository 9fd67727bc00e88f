"""Fixtures for the go-e simulator self-tests: the simulator and plain aiohttp sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from simulators.goe import SCENARIO_DIR, GoeSimulator, Scenario, SimClock, SimulatorOptions

from .helpers import loopback_session

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    import aiohttp

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
    """The go-e simulator with the test scenario on 127.0.0.1."""
    async with GoeSimulator(
        Scenario.from_file(TEST_SCENARIO), options=goe_options, clock=goe_clock
    ) as sim:
        yield sim


@pytest.fixture
async def raw(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp session; every host name resolves to the loopback simulator."""
    async with loopback_session() as session:
        yield session


@pytest.fixture
def local(goe_sim: GoeSimulator) -> str:
    """Local base URL of the V4 charger."""
    return goe_sim.local_url("000001")


@pytest.fixture
def cloud(goe_sim: GoeSimulator) -> str:
    """Cloud base URL of the V4 charger (its real host name, on the simulator's port)."""
    return f"http://{goe_sim.cloud_host('000001')}:{goe_sim.port}"
