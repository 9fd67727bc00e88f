"""veCharge benchmark: from a simulator `newLog` to the new state in HA, and CPU per event.

    python -m bench.vecharge [--events 1000] [--out FILE]

One process runs a real Home Assistant core (`bench.worker.start_hass`: registries, no YAML, no
storage writes) with one veCharge entry; the veCharge simulator runs in a child process
(`python -m simulators.vecharge`, manual clock), so its own CPU is not counted.

- Latency: one `newLog` at a time through the simulator's `/control` `emit` action (its own
  payload form: JSON text, strings for voltage/current/power), each with a new power value; from
  `time.perf_counter()` right before the control request is sent until Home Assistant's
  state-changed event of the power sensor. The control hop (loopback websocket, the simulator's
  handling) is inside the figure: an upper bound.
- CPU: `time.process_time()` of this process over the same events sent back to back (each
  awaited: the integration sees one event at a time, as from a real charger), minus the same
  run with the entry unloaded (what the control client itself costs).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import MappingProxyType
from typing import Any

import aiohttp
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er

from .worker import _percentile, start_hass

REPO = Path(__file__).resolve().parents[1]
DOMAIN = "ev_charge_points"
CHARGER_ID = "test"
TOKEN = "test-token"  # noqa: S105 - the simulator's test scenario
SCENARIO = REPO / "simulators" / "vecharge" / "scenarios" / "test.json"
WARMUP = 50
STATE_TIMEOUT = 10.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _log(index: int) -> str:
    """A newLog as the seed's server sends it (JSON text), with its own power value."""
    power = 1000 + index
    return json.dumps(
        {
            "deviceId": "veChargePoint0125896",
            "voltage": "230.00",
            "current": f"{power / 230:.2f}",
            "power": f"{power:.2f}",
            "energy": round(index / 1000, 3),
            "createdAt": "2026-12-02T07:00:00.000Z",
            "userId": "pulse-test-user",
            "chargerId": CHARGER_ID,
        }
    )


class Run:
    """One Home Assistant with one veCharge entry, and the control channel of the simulator."""

    def __init__(
        self, hass: HomeAssistant, sim_url: str, control: aiohttp.ClientWebSocketResponse
    ) -> None:
        """Keep Home Assistant and the control channel; no entry yet."""
        self.hass = hass
        self.sim_url = sim_url
        self.control = control
        self.entry: ConfigEntry | None = None
        self.power_entity = ""
        self._waiter: asyncio.Future[float] | None = None

    async def add_entry(self) -> None:
        """Add and set up the veCharge entry, as the config flow stores it."""
        entry = ConfigEntry(
            data={
                "brand": "vecharge",
                "api_token": TOKEN,
                "charger_id": CHARGER_ID,
                "url": self.sim_url,
            },
            discovery_keys=MappingProxyType({}),
            domain=DOMAIN,
            minor_version=1,
            options={},
            source="user",
            subentries_data=None,
            title=f"veCharge {CHARGER_ID}",
            unique_id=CHARGER_ID,
            version=2,
        )
        await self.hass.config_entries.async_add(entry)
        await self.hass.async_block_till_done()
        if entry.state is not ConfigEntryState.LOADED:
            raise RuntimeError(f"the veCharge entry did not load: {entry.state}")
        self.entry = entry
        found = er.async_get(self.hass).async_get_entity_id(
            "sensor", DOMAIN, f"{CHARGER_ID}_{CHARGER_ID}_power"
        )
        if found is None:
            raise RuntimeError("no power sensor")
        self.power_entity = found
        self.hass.bus.async_listen(EVENT_STATE_CHANGED, self._on_state)

    @callback
    def _on_state(self, event: Event[EventStateChangedData]) -> None:
        if (
            event.data["entity_id"] == self.power_entity
            and self._waiter
            and not self._waiter.done()
        ):
            self._waiter.set_result(time.perf_counter())

    async def emit(self, index: int, *, wait: bool) -> float | None:
        """Send one newLog; with `wait`, the seconds until its state is in Home Assistant."""
        self._waiter = asyncio.get_running_loop().create_future() if wait else None
        started = time.perf_counter()
        await self.control.send_str(
            json.dumps(
                {"action": "emit", "charger_id": CHARGER_ID, "event": "newLog", "data": _log(index)}
            )
        )
        reply = json.loads(await self.control.receive_str())
        if reply.get("ok") is False:
            raise RuntimeError(f"control: {reply}")
        if self._waiter is None:
            return None
        async with asyncio.timeout(STATE_TIMEOUT):
            done = await self._waiter
        return done - started


async def _measure(events: int, sim_url: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="vecharge-bench-") as config_dir:
        hass = await start_hass(Path(config_dir))
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(sim_url.replace("http", "ws", 1) + "/control") as control,
        ):
            run = Run(hass, sim_url, control)
            await run.add_entry()
            # The charger on, so the integration is in its charging state.
            await control.send_str(
                json.dumps({"action": "switch", "charger_id": CHARGER_ID, "status": "ON"})
            )
            await control.receive_str()
            for index in range(WARMUP):
                await run.emit(index, wait=True)
            latencies: list[float] = []
            cpu_start = time.process_time()
            wall_start = time.perf_counter()
            for index in range(WARMUP, WARMUP + events):
                latency = await run.emit(index, wait=True)
                assert latency is not None  # noqa: S101 - wait=True
                latencies.append(latency)
            cpu_with = time.process_time() - cpu_start
            wall = time.perf_counter() - wall_start
            # The same sends with the entry unloaded: the cost of the harness and its client.
            assert run.entry is not None  # noqa: S101
            await hass.config_entries.async_unload(run.entry.entry_id)
            await hass.async_block_till_done()
            cpu_start = time.process_time()
            for index in range(events):
                await run.emit(index, wait=False)
            cpu_without = time.process_time() - cpu_start
        await hass.async_stop(force=True)
    return {
        "events": events,
        "latency_p50_ms": round(_percentile(latencies, 0.5) * 1000, 3),
        "latency_p99_ms": round(_percentile(latencies, 0.99) * 1000, 3),
        "latency_max_ms": round(max(latencies) * 1000, 3),
        "cpu_ms_per_event": round(max(cpu_with - cpu_without, 0.0) / events * 1000, 4),
        "cpu_ms_per_event_with_harness": round(cpu_with / events * 1000, 4),
        "wall_seconds": round(wall, 3),
        "python": sys.version.split()[0],
    }


def main(argv: list[str] | None = None) -> int:
    """Start the simulator, measure, print (and write) the figures."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.vecharge", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    port = _free_port()
    sim = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [
            sys.executable,
            "-m",
            "simulators.vecharge",
            "--scenario",
            str(SCENARIO),
            "--port",
            str(port),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert sim.stdout is not None  # noqa: S101 - piped above
        first = sim.stdout.readline().decode()
        if "listening" not in first:
            raise RuntimeError(f"the simulator did not start: {first}")
        results = asyncio.run(_measure(args.events, f"http://127.0.0.1:{port}"))
    finally:
        sim.terminate()
        sim.wait(timeout=10)
    text = json.dumps(results, indent=2)
    sys.stdout.write(text + "\n")
    if args.out is not None:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
