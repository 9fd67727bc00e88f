"""An independent go-e API v2 client, written here the way the HA integrations call the API,
works against the simulator unmodified; so does running the simulator on its own."""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp

if TYPE_CHECKING:
    from simulators.goe import GoeSimulator

# The keys marq24 reads while the car is idle ("hibernation") and a few config keys.
IDLE_KEYS = "car,modelStatus,err,nrg,tma,trx,pgrid,ppv,pakku"
ROOT = Path(__file__).parents[3]


class PlainGoeClient:
    """A minimal third-party style client: comma filters, JSON-encoded set values."""

    def __init__(self, session: aiohttp.ClientSession, host: str) -> None:
        self.session = session
        self.base = f"http://{host}"

    async def status(self, keys: str) -> dict[str, Any]:
        async with self.session.get(f"{self.base}/api/status?filter={keys}") as resp:
            resp.raise_for_status()
            data = await resp.json(content_type=None)
            assert isinstance(data, dict)
            return data

    async def set(self, **values: str) -> dict[str, Any]:
        async with self.session.get(f"{self.base}/api/set", params=values) as resp:
            data = await resp.json(content_type=None)
            assert isinstance(data, dict)
            return data


async def test_plain_client_reads_and_writes(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator
) -> None:
    host = goe_sim.local_url("000001").removeprefix("http://")
    client = PlainGoeClient(raw, host)
    idle = await client.status(IDLE_KEYS)
    assert set(idle) == set(IDLE_KEYS.split(","))
    assert idle["car"] == 2
    assert await client.set(amp="16") == {"amp": True}
    assert await client.set(amp="10", frc="2") == {"amp": True, "frc": True}
    await goe_sim.clock.advance(1)
    live = await client.status("amp,acu,frc,modelStatus,alw")
    assert live == {"amp": 10, "acu": 10, "frc": 2, "modelStatus": 3, "alw": True}


async def test_standalone_simulator_prints_its_urls_and_serves(socket_enabled: None) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulators.goe",
        "--scenario",
        str(ROOT / "simulators" / "goe" / "scenarios" / "test.json"),
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        lines: list[str] = []
        while not lines or "Press Ctrl-C" not in lines[-1]:
            line = await asyncio.wait_for(process.stdout.readline(), 20)
            assert line, lines
            lines.append(line.decode())
        output = "".join(lines)
        match = re.search(r"charger 000001: local (http://127\.0\.0\.1:\d+)", output)
        assert match, output
        assert "test-cloud-key" not in output
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{match[1]}/api/status?filter=sse") as resp,
        ):
            assert await resp.json() == {"sse": "000001"}
    finally:
        process.terminate()
        await process.wait()
