"""Fixtures for the go-e simulator self-tests: the simulator and plain aiohttp sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from .helpers import loopback_session

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    import aiohttp

    from simulators.goe import GoeSimulator


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
