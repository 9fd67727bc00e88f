"""The benchmark's simulator process: the project's simulator plus three bench-only actions.

    python -m bench.simproc --scenario FILE

serves `simulators.bluecurrent.BlueCurrentSimulator` on 127.0.0.1 (a free port), prints one JSON
line `{"url": ..., "control_url": ...}` and runs until SIGTERM. Every /control action of the
simulator works unchanged; these are added for the benchmark:

- `bench_burst {evse_ids, count, rate, base}`: `count` CH_STATUS pushes at a steady `rate` per
  second, round robin over `evse_ids`. Push i of a point carries `actual_kwh = base + i` (the
  sequence number the harness reads back from the energy sensor) and slightly different phase
  currents and voltages, as a charging point's pushes do. The reply lists the wall-clock time
  (`time.time()`, one clock for every process of the machine) taken right before each frame was
  handed to the socket, so latency is measured from the simulator's send without adding anything
  to the frames the integrations parse.
- `bench_reject {on, status, reason}`: refuse every websocket upgrade with `status` (an outage
  behind a load balancer) until called with `on: false`.
- `bench_set_energy {evse_ids, kwh}`: change the session energy without pushing (a marker the
  harness waits for after an outage).
- `bench_received {since}`: how many commands of each name (and on each socket path) arrived
  since log index `since`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulators.bluecurrent import BlueCurrentSimulator, Scenario, SimulatorOptions

if TYPE_CHECKING:
    from simulators.common.control import ControlAction

type JSONObject = dict[str, Any]


class BenchSimulator(BlueCurrentSimulator):
    """The simulator with the benchmark's control actions."""

    def _control_actions(self) -> dict[str, ControlAction]:
        return {
            **super()._control_actions(),
            "bench_burst": self._control_burst,
            "bench_reject": self._control_reject,
            "bench_set_energy": self._control_set_energy,
            "bench_received": self._control_received,
        }

    async def _control_burst(self, command: JSONObject) -> JSONObject:
        return {"log": await self._burst(command)}

    async def _control_reject(self, command: JSONObject) -> None:
        if command.get("on", True):
            status = int(command.get("status", 503))
            reason = str(command.get("reason", "Service unavailable"))
            self.faults.reject_handshakes(reason, status=status, count=None)
        else:
            self.faults.reject_handshakes("", count=0)

    async def _control_set_energy(self, command: JSONObject) -> None:
        for evse_id in command["evse_ids"]:
            self.charge_point(str(evse_id)).session_kwh = float(command["kwh"])

    async def _control_received(self, command: JSONObject) -> JSONObject:
        since = int(command.get("since", 0))
        names: dict[str, int] = {}
        paths: dict[str, int] = {}
        for record in self.received[since:]:
            names[record.name] = names.get(record.name, 0) + 1
            paths[record.path] = paths.get(record.path, 0) + 1
        return {"commands": names, "paths": paths}

    async def _burst(self, command: JSONObject) -> list[list[Any]]:
        evse_ids = [str(e) for e in command["evse_ids"]]
        points = [self.charge_point(e) for e in evse_ids]
        count = int(command["count"])
        interval = 1.0 / float(command["rate"])
        base = float(command.get("base", 400))
        currents = [list(p.currents) for p in points]
        voltages = [list(p.voltages) for p in points]
        log: list[list[Any]] = []
        loop = asyncio.get_running_loop()
        start = loop.time()
        for index in range(count):
            slot = index % len(points)
            sequence = index // len(points) + 1
            point = points[slot]
            wobble = sequence % 2
            point.session_kwh = base + sequence
            point.currents = [c + 0.1 * wobble if c else 0.0 for c in currents[slot]]
            point.voltages = [v + wobble for v in voltages[slot]]
            delay = start + index * interval - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            sent_at = time.time()
            await self.push_status(evse_ids[slot])
            log.append([evse_ids[slot], sequence, sent_at])
        return log


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.simproc")
    parser.add_argument("--scenario", type=Path, required=True)
    return parser.parse_args(argv)


async def _serve(scenario_file: Path) -> None:
    scenario = Scenario.from_file(scenario_file)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with BenchSimulator(scenario, options=SimulatorOptions(), port=0) as sim:
        sys.stdout.write(json.dumps({"url": sim.url, "control_url": sim.control_url}) + "\n")
        sys.stdout.flush()
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    args = _parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.scenario))


if __name__ == "__main__":
    main()
