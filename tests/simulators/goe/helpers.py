"""Raw HTTP helpers for the go-e simulator tests (deliberately not our client)."""

from __future__ import annotations

import json
import socket
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

if TYPE_CHECKING:
    from multidict import CIMultiDictProxy
    from yarl import URL

# The test scenario's devices (serials): a V4 charger, a PRO charger, a controller.
CHARGER = "000001"
PRO_CHARGER = "000002"
CONTROLLER = "123456"
CLOUD_KEY = "test-cloud-key"
CONTROLLER_KEY = "controller-cloud-key"


class LoopbackResolver(AbstractResolver):
    """Resolve every name to 127.0.0.1, so `*.api.v3.go-e.io` reaches the simulator.

    DNS is the one thing a loopback simulator cannot provide; this stands in for it.
    """

    async def resolve(
        self,
        host: str,
        port: int = 0,
        family: socket.AddressFamily = socket.AF_INET,  # noqa: ARG002
    ) -> list[ResolveResult]:
        return [
            ResolveResult(
                hostname=host,
                host="127.0.0.1",
                port=port,
                family=socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
        ]

    async def close(self) -> None:
        return None


def loopback_session() -> aiohttp.ClientSession:
    """A plain session whose DNS maps every host to the loopback simulator."""
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(resolver=LoopbackResolver()))


async def get_json(
    session: aiohttp.ClientSession, url: str | URL, **kwargs: Any
) -> tuple[int, Any, CIMultiDictProxy[str]]:
    """GET and decode the body as JSON when possible (else the text)."""
    async with session.get(url, **kwargs) as resp:
        text = await resp.text()
        try:
            body: Any = json.loads(text)
        except ValueError:
            body = text
        return resp.status, body, resp.headers


async def control(session: aiohttp.ClientSession, url: str, **command: Any) -> dict[str, Any]:
    """Send one /control command and return the reply."""
    async with session.ws_connect(url) as ws:
        await ws.send_str(json.dumps(command))
        reply = json.loads((await ws.receive(timeout=5)).data)
    assert isinstance(reply, dict)
    return reply
