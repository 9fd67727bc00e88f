"""Fixtures for the Blue Current client tests: a client and a live connection to the simulator."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from .helpers import Live, make_client

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from custom_components.ev_charge_points.api.bluecurrent import BlueCurrentClient
    from simulators.bluecurrent import BlueCurrentSimulator


@pytest.fixture
async def client(simulator: BlueCurrentSimulator) -> AsyncIterator[BlueCurrentClient]:
    """A client for the test account; not connected yet."""
    client = make_client(simulator.url)
    yield client
    await client.disconnect()


@pytest.fixture
async def live(client: BlueCurrentClient) -> AsyncIterator[Live]:
    """The client connected (HELLO answered) with listen() running in a task."""
    session = Live(client)
    await session.start()
    yield session
    await session.close()
