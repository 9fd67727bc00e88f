"""The real cloud URL form over TLS (https, host name, port), with an injected SSL context."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from cryptography import x509

from custom_components.ev_charge_points.api.goe import (
    CloudEndpoint,
    GoeClient,
    GoeConnectionError,
)
from simulators.goe import SCENARIO_DIR, GoeSimulator, Scenario
from tests.tls import self_signed_contexts

from .conftest import CLOUD_KEY

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path
    from ssl import SSLContext

    import aiohttp


# The cloud's host names (the devices' and the controllers').
CLOUD_NAMES = ("*.api.v3.go-e.io", "*.api.controller.go-e.io")


@pytest.fixture
def contexts(tmp_path: Path) -> tuple[SSLContext, SSLContext]:
    return self_signed_contexts(
        tmp_path, "go-e cloud simulator", [x509.DNSName(name) for name in CLOUD_NAMES]
    )


@pytest.fixture
async def tls_sim(
    socket_enabled: None, contexts: tuple[SSLContext, SSLContext]
) -> AsyncIterator[GoeSimulator]:
    async with GoeSimulator(
        Scenario.from_file(SCENARIO_DIR / "test.json"), ssl_context=contexts[0]
    ) as sim:
        yield sim


async def test_https_with_the_injected_context(
    tls_sim: GoeSimulator,
    session: aiohttp.ClientSession,
    contexts: tuple[SSLContext, SSLContext],
) -> None:
    endpoint = CloudEndpoint("000001", CLOUD_KEY, port=tls_sim.port)
    assert endpoint.url == f"https://000001.api.v3.go-e.io:{tls_sim.port}"
    client = GoeClient(endpoint, session, ssl_context=contexts[1])
    status = await client.get_charger_status()
    assert status.serial == "000001"


async def test_untrusted_certificate_is_a_connection_error(
    tls_sim: GoeSimulator, session: aiohttp.ClientSession
) -> None:
    client = GoeClient(CloudEndpoint("000001", CLOUD_KEY, port=tls_sim.port), session)
    with pytest.raises(GoeConnectionError):
        await client.get_charger_status()
