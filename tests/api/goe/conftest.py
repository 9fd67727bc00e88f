"""Fixtures for the go-e client tests: the simulator on loopback and clients of ours for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.ev_charge_points.api.goe import (
    CloudEndpoint,
    GoeClient,
    LocalEndpoint,
)
from tests.simulators.goe.helpers import (
    CHARGER,
    CLOUD_KEY,
    CONTROLLER,
    loopback_session,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    import aiohttp

    from simulators.goe import GoeSimulator


@pytest.fixture
async def session(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    """The injected session; its resolver maps the go-e cloud host names to the simulator."""
    async with loopback_session() as http:
        yield http


def local_client(sim: GoeSimulator, http: aiohttp.ClientSession, serial: str) -> GoeClient:
    """A client of the device's local API."""
    return GoeClient(LocalEndpoint(host="ignored", base_url=sim.local_url(serial)), http)


def cloud_client(
    sim: GoeSimulator,
    http: aiohttp.ClientSession,
    serial: str = CHARGER,
    token: str = CLOUD_KEY,
    **endpoint: object,
) -> GoeClient:
    """A client of the cloud API: the real host name over plain HTTP on the simulator's port."""
    return GoeClient(
        CloudEndpoint(serial, token, scheme="http", port=sim.port, **endpoint),  # type: ignore[arg-type]
        http,
    )


@pytest.fixture
def charger(goe_sim: GoeSimulator, session: aiohttp.ClientSession) -> GoeClient:
    """Our client for the V4 charger, locally."""
    return local_client(goe_sim, session, CHARGER)


@pytest.fixture
def controller(goe_sim: GoeSimulator, session: aiohttp.ClientSession) -> GoeClient:
    """Our client for the controller, locally."""
    return local_client(goe_sim, session, CONTROLLER)
