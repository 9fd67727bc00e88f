"""The /control channel used by other processes, and the command line."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from .helpers import validate

if TYPE_CHECKING:
    from simulators.bluecurrent import BlueCurrentSimulator

REPO = Path(__file__).resolve().parents[3]


async def _control(ws: aiohttp.ClientWebSocketResponse, **command: Any) -> dict[str, Any]:
    await ws.send_json(command)
    reply = await ws.receive_json(timeout=2)
    assert isinstance(reply, dict)
    return reply


async def test_control_actions(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession
) -> None:
    async with http.ws_connect(simulator.control_url) as control:
        stats = await _control(control, action="stats")
        assert stats["ok"] is True
        assert stats["connection_attempts"] == 0
        assert stats["requests_today"] == 0
        assert stats["received"] == 0

        await _control(control, action="unplug", evse_id="BCU101")
        assert simulator.charge_point("BCU101").vehicle is None
        await _control(control, action="plug_in", evse_id="BCU101", phases=1, energy_needed_kwh=5)
        assert simulator.charge_point("BCU101").vehicle.phases == 1  # type: ignore[union-attr]
        assert simulator.charge_point("BCU101").session is not None  # plug & charge

        before = simulator.clock.now()
        await _control(control, action="advance", seconds=90)
        assert (simulator.clock.now() - before).total_seconds() == 90

        await _control(control, action="set_offline", evse_id="BCU102")
        assert not simulator.charge_point("BCU102").online
        await _control(control, action="set_online", evse_id="BCU102")
        assert simulator.charge_point("BCU102").online

        await validate(http, simulator.url)
        stats = await _control(control, action="set_request_limit", limit=1)
        assert stats["requests_today"] == 1
        assert stats["connection_attempts"] == 1
        assert stats["received"] == 1
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await http.ws_connect(simulator.url)
        await _control(control, action="set_request_limit", limit=None)

        live = await http.ws_connect(simulator.url)
        await _control(control, action="drop_connections", code=4000)
        msg = await live.receive(timeout=2)
        assert msg.type is aiohttp.WSMsgType.CLOSE
        assert msg.data == 4000

        # go offline: the control socket survives, new connections are refused
        await _control(control, action="go_offline")
        with pytest.raises(aiohttp.ClientConnectorError):
            await http.ws_connect(simulator.url)
        await _control(control, action="come_back")
        await validate(http, simulator.url)

        await _control(control, action="go_offline", seconds=0.05)
        await asyncio.sleep(0.15)
        await validate(http, simulator.url)

        await _control(control, action="stop_answering")
        assert not simulator.faults.answering
        await _control(control, action="resume_answering")

        bad = await _control(control, action="fly")
        assert bad["ok"] is False
        assert "fly" in bad["error"]
        await control.send_str("nonsense")
        assert (await control.receive_json(timeout=2))["ok"] is False
    assert simulator.received[-1].name == "VALIDATE_API_TOKEN"  # control traffic is not logged


async def test_command_line_runs_and_stops(
    socket_enabled: None, http: aiohttp.ClientSession
) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulators.bluecurrent",
        "--scenario",
        str(REPO / "simulators/bluecurrent/scenarios/demo.json"),
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--realtime",
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    try:
        lines = []
        async with asyncio.timeout(20):
            while not lines or "Ctrl-C" not in lines[-1]:
                lines.append((await process.stdout.readline()).decode())
        url = lines[0].split()[-1]
        assert url.startswith("ws://127.0.0.1:")
        assert url.endswith("/haserver")
        assert any("demo-token" in line for line in lines)
        reply = await validate(http, url, "demo-token")
        assert reply
    finally:
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(10):
            rest = await process.stdout.read()
            code = await process.wait()
    assert code == 0
    assert b"stopped" in rest
