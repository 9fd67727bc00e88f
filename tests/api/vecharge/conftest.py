"""Fixtures for the veCharge client tests: the simulator on loopback and a client for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.ev_charge_points.api.vecharge import VeChargeClient
from simulators.vecharge import SCENARIO_DIR, Scenario, SimulatorOptions, VeChargeSimulator

from .helpers import CHARGER_ID, TOKEN, Recorder

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


@pytest.fixture
async def client(vecharge_sim: VeChargeSimulator) -> AsyncIterator[VeChargeClient]:
    """A client for the test charger; not connected yet."""
    client = VeChargeClient(
        token=TOKEN,
        charger_id=CHARGER_ID,
        base_url=vecharge_sim.url,
        request_timeout=3.0,
        connect_timeout=3.0,
        document_timeout=3.0,
    )
    yield client
    await client.close()


@pytest.fixture
def recorder(client: VeChargeClient) -> Recorder:
    """Every event the client delivers."""
    recorder = Recorder()
    client.subscribe(recorder)
    return recorder
