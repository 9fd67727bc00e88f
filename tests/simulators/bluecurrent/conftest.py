"""Fixtures for the simulator self-tests: a raw aiohttp session and connected sockets."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiohttp
import pytest

from .helpers import TOKEN, Live, open_live, validate

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from simulators.bluecurrent import BlueCurrentSimulator


@pytest.fixture
async def http(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp session (no client code of ours)."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def token(simulator: BlueCurrentSimulator, http: aiohttp.ClientSession) -> str:
    """The auth token of the test account."""
    return await validate(http, simulator.url, TOKEN)


@pytest.fixture
async def live(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, token: str
) -> AsyncIterator[Live]:
    """A HELLO'd socket that has seen CHARGE_POINTS."""
    connection = await open_live(http, simulator.url, token)
    yield connection
    await connection.ws.close()
