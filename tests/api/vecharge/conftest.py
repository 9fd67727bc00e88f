"""Fixtures for the veCharge client tests: a client for the simulator (`vecharge_sim`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.ev_charge_points.api.vecharge import VeChargeClient

from .helpers import CHARGER_ID, TOKEN, Recorder

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from simulators.vecharge import VeChargeSimulator


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
