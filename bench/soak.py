"""Bounded soak: a million pushes through Home Assistant, and memory stays flat.

    .venv/bin/python -m bench.soak [--messages 1000000] [--points 100] [--warmup 100000]

Not part of the test suite. The simulator runs in a child process (this module with
`--serve`) on 127.0.0.1 with one account of `--points` charging points; Home Assistant runs
in this process with our integration set up against it. Once the entry is loaded the child
pushes `--messages` CH_STATUS frames back to back, round robin over the points (each one
a full status with new energy, currents and voltages, as a charging point sends), as fast
as Home Assistant reads them (at most two windows of 500 frames ahead).

tracemalloc traces this process from the start. The warm-up ends after `--warmup`
messages, at least 30 s after setup and once the one-off history import is done; then, and
after every tenth of the rest, the garbage collector runs and the traced memory is sampled.
The figure is the growth from the warm-up sample to the last one. The run passes when
every message arrived (none dropped, no reconnect) and that growth is within 5 %. The last
line of the output is the row for BENCHMARKS.md. Exit status: 0 pass, 1 fail.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import platform
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parent.parent
FLAT_LIMIT = 0.05  # growth after warm-up allowed, as a fraction of the warm-up sample
TIMEOUT = 1800.0  # seconds for the whole run; a healthy one takes a few minutes
SAMPLES = 10
WINDOW = 500  # frames per acknowledgement; two windows may be in flight
STALL = 60.0  # seconds without a message: the run has failed
WARMUP_SECONDS = 30.0  # at least this long after setup, whatever --warmup says
ONE_OFF = "history import"  # the name of the integration's one-off import task


# --- the simulator process -------------------------------------------------------------------


def _status_frame(evse_id: str, index: int) -> str:
    """Push `index` of one charging point: energy grows, currents and voltages wobble."""
    wobble = index % 7
    return json.dumps(
        {
            "object": "CH_STATUS",
            "evse_id": evse_id,
            "data": {
                "evse_id": evse_id,
                "actual_v1": 229 + wobble % 3,
                "actual_v2": 230,
                "actual_v3": 231 - wobble % 2,
                "actual_p1": round(15.5 + wobble / 10, 1),
                "actual_p2": round(15.6 + wobble / 10, 1),
                "actual_p3": 15.7,
                "actual_kwh": round(index * 0.01, 2),
                "activity": "charging",
                "vehicle_status": "C",
                "max_usage": 16,
                "smartcharging_max_usage": 6,
                "max_offline": 10,
                "offline_since": "",
                "start_datetime": "20260310 12:00:00",
                "stop_datetime": "",
                "total_cost": round(index * 0.0025, 2),
            },
        },
        separators=(",", ":"),
    )


async def _serve(points: int) -> None:
    """Serve the simulator; on "go N W" push N frames; on "stop" (or EOF) end.

    At most two windows of W frames are ahead of what the parent has read ("ack" lines):
    a backlog of megabytes in the socket buffers would hold up the keepalive pongs behind
    it, and the parent would rightly take the connection for dead.
    """
    from simulators.bluecurrent import (  # noqa: PLC0415 - only the child needs it
        BlueCurrentSimulator,
        Scenario,
        SimulatorOptions,
    )

    scenario = Scenario.generate(points, charging_fraction=1.0, seed=1)
    account = scenario.accounts[0]
    options = SimulatorOptions(control_channel=False)
    loop = asyncio.get_running_loop()
    async with BlueCurrentSimulator(scenario, options=options) as sim:
        sys.stdout.write(
            json.dumps(
                {
                    "url": sim.url,
                    "api_token": account.api_token,
                    "customer_id": account.customer_id,
                }
            )
            + "\n"
        )
        sys.stdout.flush()
        evse_ids = [point.evse_id for point in account.charge_points]
        while line := (await loop.run_in_executor(None, sys.stdin.readline)).split():
            if line[0] != "go":
                break
            count, window = int(line[1]), int(line[2])
            credit = 2 * window
            started = time.perf_counter()
            for index in range(count):
                while credit <= 0:
                    if (await loop.run_in_executor(None, sys.stdin.readline)).strip() != "ack":
                        return
                    credit += window
                credit -= 1
                evse_id = evse_ids[index % len(evse_ids)]
                await sim.broadcast_text(_status_frame(evse_id, 1 + index // len(evse_ids)))
            seconds = time.perf_counter() - started
            sys.stdout.write(json.dumps({"sent": count, "seconds": seconds}) + "\n")
            sys.stdout.flush()


# --- Home Assistant in this process ----------------------------------------------------------


async def _start_hass(config_dir: Path) -> Any:
    """The benchmark worker's Home Assistant, with real storage (see `start_hass`)."""
    # Imported here, not at the top: Home Assistant is traced from its first import on.
    from bench.worker import start_hass  # noqa: PLC0415

    return await start_hass(config_dir, memory_only_storage=False)


@dataclass
class Sample:
    """Traced memory after a garbage collection, at a message count."""

    messages: int
    traced: int
    rss: int
    at: float  # perf_counter()


def _rss() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:  # noqa: PTH123 - tiny read
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _sample(messages: int) -> Sample:
    at = time.perf_counter()
    gc.collect()
    return Sample(messages, tracemalloc.get_traced_memory()[0], _rss(), at)


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


@dataclass
class Child:
    """The simulator process and what it told us."""

    process: asyncio.subprocess.Process
    stdin: asyncio.StreamWriter
    stdout: asyncio.StreamReader
    info: dict[str, Any]

    @classmethod
    async def start(cls, points: int) -> Child:
        """Start the simulator process and read its URL and account."""
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.soak",
            "--serve",
            "--points",
            str(points),
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        if process.stdin is None or process.stdout is None:
            raise RuntimeError("no pipes to the simulator process")
        info = json.loads(await process.stdout.readline())
        return cls(process, process.stdin, process.stdout, info)

    async def push(self, count: int) -> None:
        """Ask for `count` pushes, back to back within the window."""
        self.stdin.write(f"go {count} {WINDOW}\n".encode())
        await self.stdin.drain()

    def ack(self) -> None:
        """Another window of frames has been read."""
        self.stdin.write(b"ack\n")

    async def pushed(self) -> int:
        """Wait for the child to report the pushes done; their number."""
        return int(json.loads(await self.stdout.readline())["sent"])

    async def stop(self) -> None:
        """End the process (politely, then not)."""
        with contextlib.suppress(ConnectionError):
            self.stdin.write(b"stop\n")
            await self.stdin.drain()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(10):
                await self.process.wait()
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


class Counter:
    """Statuses that reached the integration's subscribers, with a wait for a count."""

    def __init__(self, on_window: Callable[[], None]) -> None:
        """Nothing counted yet; `on_window` runs after every WINDOW statuses."""
        self._on_window = on_window
        self.statuses = 0
        self.state_writes = 0
        self.last_at = 0.0  # perf_counter() of the latest status
        self._target = 0
        self._reached = asyncio.Event()

    def on_status(self) -> None:
        """Count one status."""
        self.statuses += 1
        self.last_at = time.perf_counter()
        if self.statuses % WINDOW == 0:
            self._on_window()
        if self.statuses >= self._target:
            self._reached.set()

    def on_state_write(self) -> None:
        """Count one state change (an event bus listener)."""
        self.state_writes += 1

    async def until(self, count: int) -> None:
        """Wait until `count` statuses have arrived."""
        self._target = count
        self._reached.clear()
        while self.statuses < count:
            seen = self.statuses
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(STALL):
                    await self._reached.wait()
            if self.statuses == seen:
                raise RuntimeError(f"no message for {STALL:.0f} s after {seen:,}")


async def _set_up_entry(hass: Any, info: dict[str, Any], points: int) -> Any:
    from homeassistant.config_entries import ConfigEntry, ConfigEntryState  # noqa: PLC0415

    entry = ConfigEntry(
        data={"api_token": info["api_token"], "url": info["url"]},
        discovery_keys=MappingProxyType({}),
        domain="ev_charge_points",
        minor_version=1,
        options={},
        source="user",
        subentries_data=None,
        title="Soak",
        unique_id=info["customer_id"],
        version=1,
    )
    started = time.perf_counter()
    await hass.config_entries.async_add(entry)
    await hass.async_block_till_done()
    if entry.state is not ConfigEntryState.LOADED:
        raise RuntimeError(f"the entry did not load: {entry.state}")
    _say(
        f"soak: {points} points, {len(hass.states.async_all())} entities, set up in "
        f"{time.perf_counter() - started:.1f} s"
    )
    return entry


async def _progress(counter: Counter, since: float) -> None:
    """A line every ten seconds until the warm-up is over."""
    while True:
        await asyncio.sleep(10)
        one_off = [task.get_name() for task in asyncio.all_tasks() if ONE_OFF in task.get_name()]
        _say(
            f"soak: warming up, {counter.statuses:,} messages, "
            f"{time.perf_counter() - since:.0f} s{', ' + one_off[0] if one_off else ''}"
        )


async def _warm_up(counter: Counter, messages: int, since: float) -> None:
    """`messages` arrived, WARMUP_SECONDS passed, and the one-off work after setup is done.

    That work (the registries' delayed writes, the charging-history import, a background
    task) belongs to the warm-up, however fast the pushes arrive. (Not
    `hass.async_block_till_done()`: while pushes arrive, their own tasks keep it waiting.)
    """
    await counter.until(messages)
    await asyncio.sleep(max(0.0, WARMUP_SECONDS - (time.perf_counter() - since)))
    while pending := [task for task in asyncio.all_tasks() if ONE_OFF in task.get_name()]:
        await asyncio.wait(pending)
    _say(f"soak: warm after {counter.statuses:,} messages")


async def _measure(
    hass: Any, child: Child, counter: Counter, args: argparse.Namespace
) -> tuple[list[Sample], float, tracemalloc.Snapshot, tracemalloc.Snapshot]:
    """Push, sample after the warm-up and every tenth of the rest; samples and seconds."""
    setup_done = time.perf_counter()
    _say(f"soak: pushing {args.messages:,} statuses")
    await child.push(args.messages)
    progress = asyncio.create_task(_progress(counter, setup_done))
    try:
        await _warm_up(counter, args.warmup, setup_done)
    finally:
        progress.cancel()
    samples = [_sample(counter.statuses)]
    warm_snapshot = tracemalloc.take_snapshot()
    step = max(1, (args.messages - args.warmup) // SAMPLES)
    for mark in [*range(args.warmup + step, args.messages, step), args.messages]:
        await counter.until(mark)
        samples.append(_sample(counter.statuses))
        _say(
            f"soak: {counter.statuses:>9} messages, traced {_mb(samples[-1].traced)}, "
            f"rss {_mb(samples[-1].rss)}, {time.perf_counter() - setup_done:.0f} s"
        )
    seconds = counter.last_at - setup_done
    _say("soak: all arrived; waiting for Home Assistant to be idle")
    async with asyncio.timeout(STALL):
        await hass.async_block_till_done()
    samples.append(_sample(counter.statuses))
    return samples, seconds, warm_snapshot, tracemalloc.take_snapshot()


async def _soak(args: argparse.Namespace) -> bool:
    tracemalloc.start()
    # Imported after tracemalloc started: everything Home Assistant allocates is traced.
    from homeassistant.const import EVENT_STATE_CHANGED  # noqa: PLC0415
    from homeassistant.core import callback  # noqa: PLC0415

    from custom_components.ev_charge_points.api.bluecurrent import (  # noqa: PLC0415
        ChargePointStatus,
    )

    child = await Child.start(args.points)
    counter = Counter(child.ack)
    with tempfile.TemporaryDirectory(prefix="soak-") as config_dir:
        hass = await _start_hass(Path(config_dir))
        try:
            entry = await _set_up_entry(hass, child.info, args.points)
            coordinator = entry.runtime_data.coordinator
            client = entry.runtime_data.coordinator.client
            unsubscribe = client.subscribe(
                lambda message: (
                    counter.on_status() if isinstance(message, ChargePointStatus) else None
                )
            )

            # A callback: a plain function would run in the executor, once per state write.
            @callback
            def count_state_write(_event: object) -> None:
                counter.on_state_write()

            hass.bus.async_listen(EVENT_STATE_CHANGED, count_state_write)
            reconnects, dropped = coordinator.reconnects, client.dropped_messages
            samples, seconds, warm_snapshot, end_snapshot = await _measure(
                hass, child, counter, args
            )
            sent = await child.pushed()
            unsubscribe()
            healthy = (
                counter.statuses == args.messages == sent
                and client.dropped_messages == dropped
                and coordinator.reconnects == reconnects
                and coordinator.link_up
            )
            _say(
                f"soak: {counter.statuses:,} of {sent:,} pushes arrived in {seconds:.0f} s "
                f"({counter.statuses / seconds:,.0f}/s), {counter.state_writes:,} state "
                f"writes, {client.dropped_messages - dropped} dropped, "
                f"{coordinator.reconnects - reconnects} reconnects"
            )
            flat = _report(args, samples, seconds, warm_snapshot, end_snapshot, healthy=healthy)
            await hass.config_entries.async_unload(entry.entry_id)
            return healthy and flat
        finally:
            await child.stop()
            await hass.async_stop()


def _report(
    args: argparse.Namespace,
    samples: list[Sample],
    seconds: float,
    warm_snapshot: tracemalloc.Snapshot,
    end_snapshot: tracemalloc.Snapshot,
    *,
    healthy: bool,
) -> bool:
    """Print the memory figures and the BENCHMARKS.md row; True if memory stayed flat."""
    warm, last = samples[0], samples[-1]
    growth = (last.traced - warm.traced) / warm.traced
    steady = (last.messages - warm.messages) / max(1e-9, last.at - warm.at)
    peak = max(sample.traced for sample in samples)
    _say(
        f"soak: traced memory after {warm.messages:,} messages {_mb(warm.traced)}, after "
        f"{last.messages:,} {_mb(last.traced)} ({growth:+.2%}), peak {_mb(peak)}; "
        f"rss {_mb(warm.rss)} -> {_mb(last.rss)}; {steady:,.0f} pushes/s after the warm-up"
    )
    if growth > FLAT_LIMIT / 5:
        for stat in end_snapshot.compare_to(warm_snapshot, "lineno")[:8]:
            _say(f"soak: grew {stat}")
    flat = growth <= FLAT_LIMIT
    verdict = "flat" if flat and healthy else "NOT FLAT" if not flat else "messages lost"
    _say(
        f"| Soak (bench/soak.py) | {args.messages:,} CH_STATUS pushes over {args.points} "
        f"charge points in {seconds / 60:.1f} min ({args.messages / seconds:,.0f}/s, "
        f"tracemalloc on) | traced memory {_mb(warm.traced)} after {warm.messages:,} "
        f"(warm-up) -> {_mb(last.traced)} after {last.messages:,}: {growth:+.2%} "
        f"({verdict}; limit +{FLAT_LIMIT:.0%}) | Python {platform.python_version()}, "
        f"{os.cpu_count()} cores |"
    )
    return flat


def main(argv: list[str] | None = None) -> int:
    """Run the soak (or, with --serve, the simulator child)."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--points", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=100_000)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        asyncio.run(_serve(args.points))
        return 0
    if not 0 < args.warmup < args.messages:
        parser.error("--warmup must be between 0 and --messages")
    from homeassistant.runner import HassEventLoopPolicy  # noqa: PLC0415

    asyncio.set_event_loop_policy(HassEventLoopPolicy(debug=False))

    async def bounded() -> bool:
        async with asyncio.timeout(TIMEOUT):
            return await _soak(args)

    return 0 if asyncio.run(bounded()) else 1


if __name__ == "__main__":
    sys.exit(main())
