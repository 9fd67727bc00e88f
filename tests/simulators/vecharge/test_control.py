"""The /control channel of the veCharge simulator, and running it on its own."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from .helpers import CHARGER_ID, WAIT, RawClient, handshake_url

if TYPE_CHECKING:
    from simulators.vecharge import VeChargeSimulator

REPO = Path(__file__).resolve().parents[3]


async def _control(ws: aiohttp.ClientWebSocketResponse, **command: Any) -> dict[str, Any]:
    await ws.send_json(command)
    reply = await ws.receive_json(timeout=WAIT)
    assert isinstance(reply, dict)
    return reply


async def test_control_actions(vecharge_sim: VeChargeSimulator) -> None:
    raw = RawClient()
    await raw.sio.connect(handshake_url(vecharge_sim.url))
    await raw.expect("chargerConnected")
    async with aiohttp.ClientSession() as http, http.ws_connect(vecharge_sim.control_url) as ws:
        stats = await _control(ws, action="stats")
        assert stats["ok"] is True
        assert stats["connection_attempts"] == 1
        assert stats["chargers"][CHARGER_ID]["sockets"] == 1

        await _control(ws, action="switch", charger_id=CHARGER_ID, status="on")
        assert await raw.expect("statusChanged") == '{"status":"ON"}'
        reply = await _control(ws, action="advance", seconds=5)
        assert reply["chargers"][CHARGER_ID]["energy"] > 0
        assert '"current":"7.00"' in await raw.expect("newLog")

        await _control(ws, action="unplug", charger_id=CHARGER_ID)
        await _control(ws, action="advance", seconds=5)
        assert '"current":"0.00"' in await raw.expect("newLog")
        await _control(ws, action="plug", charger_id=CHARGER_ID)
        assert vecharge_sim.chargers[CHARGER_ID].plugged

        await _control(ws, action="emit", charger_id=CHARGER_ID, event="newLog", data="junk")
        assert await raw.expect("newLog") == "junk"

        reply = await _control(ws, action="options", set={"log_interval": 10})
        assert reply["options"]["log_interval"] == 10
        bad = await _control(ws, action="options", set={"no_such_option": 1})
        assert bad["ok"] is False

        await _control(ws, action="drop", charger_id=CHARGER_ID)
        assert await raw.wait_closed() == "transport error"

        raw = RawClient()
        await raw.sio.connect(handshake_url(vecharge_sim.url))
        await raw.expect("chargerConnected")
        reply = await _control(ws, action="disconnect_api", charger_id=CHARGER_ID)
        assert await raw.wait_closed() == "server disconnect"
        assert reply["chargers"][CHARGER_ID]["status"] == "OFF"

        unknown = await _control(ws, action="fly")
        assert unknown["ok"] is False


@pytest.mark.usefixtures("socket_enabled")
async def test_runs_standalone_until_sigterm() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulators.vecharge",
        "--port",
        "0",
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        async with asyncio.timeout(WAIT):
            first = (await process.stdout.readline()).decode()
        assert first.startswith("veCharge simulator listening on http://127.0.0.1:")
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(WAIT):
            rest = (await process.stdout.read()).decode()
            assert await process.wait() == 0
        assert "demo-token" in rest
        assert rest.rstrip().endswith("Simulator stopped.")
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
