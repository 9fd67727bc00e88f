"""One Home Assistant process of the benchmark: one integration, one simulator, one repetition.

    python -m bench.worker --integration core|ours --part main|large --sim-url WS --control-url WS
        --accounts FILE --config-dir DIR --out FILE [--profile DIR]

A real `HomeAssistant` object runs in this process (registries loaded as by bootstrap, storage
writes switched off, custom integrations enabled, no pip). Part "main" measures S1 for the small
accounts, then S2 and S3 on the 100-point entry; part "large" measures S1 and S4 for the largest
account in a fresh process, so its memory figure is not blurred by memory freed earlier.

Before anything is timed, a one-point "warm" entry of the same integration is set up and removed:
Python imports, platform setup and translations are paid once per process and are not what S1
compares.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import logging
import math
import os
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from homeassistant import auth, bootstrap, loader
from homeassistant.config_entries import ConfigEntries, ConfigEntry, ConfigEntryState
from homeassistant.const import EVENT_STATE_CHANGED, STATE_UNAVAILABLE
from homeassistant.core import CoreState, Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import storage
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.setup import async_setup_component
from homeassistant.util.unit_system import METRIC_SYSTEM

from .control import Control
from .fastloop import BenchEventLoopPolicy, FastForwardLoop
from .scenarios import BenchAccount

_LOGGER = logging.getLogger(__name__)

OUTAGE_SECONDS = 3600.0
# S1 ends when every enabled entity of the entry is available, or when no entity became
# available for this long (entities that never get a value, e.g. core's timestamp sensors).
QUIET_SECONDS = 2.0
SETUP_TIMEOUT = 120.0
# Markers stay below the 1000 kWh a session can plausibly reach: ours shows a larger session
# energy as unknown (an absurd reading), so a marker above it would never arrive.
S2_BASE = 400.0
S3_MARKERS = {"503": 777.01, "refused": 777.02}
MARKER_TOLERANCE = 1e-6
SETTLE_LIMIT = 30.0
SETTLE_CPU = 0.01

type JSONObject = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Flavour:
    """What differs between the two integrations, as far as the harness is concerned."""

    name: str
    domain: str

    def entry_data(self, account: BenchAccount, sim_url: str) -> dict[str, str]:
        """Config entry data as the integration's config flow would store it."""
        if self.name == "ours":
            return {"api_token": account.api_token, "url": sim_url}
        return {"api_token": account.api_token}

    def energy_unique_id(self, account: BenchAccount, evse_id: str) -> str:
        """Unique id of the session-energy sensor of one charge point."""
        if self.name == "ours":
            return f"{account.customer_id}_{evse_id}_session_energy"
        return f"actual_kwh_{evse_id}"


FLAVOURS = {
    "core": Flavour("core", "blue_current"),
    "ours": Flavour("ours", "ev_charge_points"),
}


def progress(message: str) -> None:
    """One line on stderr, so a stuck phase is visible."""
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def _rss() -> int:
    """Resident set size of this process in bytes (Linux /proc)."""
    with open("/proc/self/statm", encoding="ascii") as statm:  # noqa: PTH123 - one tiny read
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))
    return ordered[index]


async def start_hass(config_dir: Path, *, memory_only_storage: bool = True) -> HomeAssistant:
    """A running Home Assistant core with registries and config entries, no YAML.

    With `memory_only_storage` nothing is written to `.storage` (as in HA's test harness): a
    delayed write of a 20,000 entity registry would land in whichever measurement happens to
    run ten seconds later. What an integration saves at once (`async_save`) is kept in memory
    and loaded again, as from disk: the S1 restart finds what the first setup stored. The
    soak keeps real storage: its writes belong to what it measures.
    """
    if memory_only_storage:
        saved: dict[str, str] = {}
        load_from_disk = storage.Store.async_load

        def _no_delay_save(self: storage.Store[Any], *_args: Any, **_kwargs: Any) -> None:
            del self

        async def _save_in_memory(self: storage.Store[Any], data: Any) -> None:
            saved[self.key] = json.dumps(data, default=str)

        async def _load(self: storage.Store[Any]) -> Any:
            if self.key in saved:
                return json.loads(saved[self.key])
            return await load_from_disk(self)

        storage.Store.async_delay_save = _no_delay_save  # type: ignore[method-assign]
        storage.Store.async_save = _save_in_memory  # type: ignore[method-assign]
        storage.Store.async_load = _load  # type: ignore[method-assign]

    hass = HomeAssistant(str(config_dir))
    hass.config.skip_pip = True
    hass.config.skip_pip_packages = []
    hass.config.units = METRIC_SYSTEM
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    loader.async_setup(hass)
    hass.config_entries = ConfigEntries(hass, {})
    await loader.async_get_custom_components(hass)
    await bootstrap.async_load_base_functionality(hass)
    hass.auth = await auth.auth_manager_from_config(hass, [], [])
    # What every real installation has loaded (ours' calendar needs http, its REST session
    # network). The HTTP server itself starts on EVENT_HOMEASSISTANT_START, which never fires.
    for domain, config in (
        ("homeassistant", {}),
        ("network", {}),
        ("http", {"http": {"server_host": ["127.0.0.1"]}}),
    ):
        if not await async_setup_component(hass, domain, config):
            raise RuntimeError(f"could not set up {domain}")
    hass.set_state(CoreState.running)
    return hass


class Bench:
    """Measurements for one integration inside one Home Assistant."""

    def __init__(
        self,
        hass: HomeAssistant,
        flavour: Flavour,
        control: Control,
        sim_url: str,
        profile_dir: Path | None,
    ) -> None:
        """Bind to a running hass and the simulator's control socket."""
        self.hass = hass
        self.flavour = flavour
        self.control = control
        self.sim_url = sim_url
        self.profile_dir = profile_dir
        loop = asyncio.get_running_loop()
        if not isinstance(loop, FastForwardLoop):
            raise TypeError("the worker needs the FastForwardLoop")
        self.loop = loop
        self.first_available: dict[str, float] = {}
        hass.bus.async_listen(EVENT_STATE_CHANGED, self._on_state)

    @callback
    def _on_state(self, event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if (
            new is not None
            and new.state != STATE_UNAVAILABLE
            and new.entity_id not in self.first_available
        ):
            self.first_available[new.entity_id] = new.last_updated_timestamp

    # ----- helpers -------------------------------------------------------------------------

    def make_entry(self, account: BenchAccount) -> ConfigEntry:
        """A config entry like the integration's config flow creates."""
        return ConfigEntry(
            data=self.flavour.entry_data(account, self.sim_url),
            discovery_keys=MappingProxyType({}),
            domain=self.flavour.domain,
            minor_version=1,
            options={},
            source="user",
            subentries_data=None,
            title=f"{account.key}@example.com",
            unique_id=account.customer_id,
            version=1,
        )

    def entity_ids(self, entry: ConfigEntry) -> list[str]:
        """Enabled entities of the entry."""
        registry = er.async_get(self.hass)
        return [
            e.entity_id
            for e in er.async_entries_for_config_entry(registry, entry.entry_id)
            if e.disabled_by is None
        ]

    def energy_entities(self, account: BenchAccount) -> dict[str, str]:
        """evse_id -> entity id of its session-energy sensor (registered ones only)."""
        registry = er.async_get(self.hass)
        found: dict[str, str] = {}
        for evse_id in account.evse_ids():
            unique_id = self.flavour.energy_unique_id(account, evse_id)
            entity_id = registry.async_get_entity_id("sensor", self.flavour.domain, unique_id)
            if entity_id is not None:
                found[evse_id] = entity_id
        return found

    def available(self, entity_id: str) -> bool:
        """True when the entity has a state other than unavailable."""
        state = self.hass.states.get(entity_id)
        return state is not None and state.state != STATE_UNAVAILABLE

    async def remove(self, entry: ConfigEntry) -> None:
        """Unload and remove an entry (its entities leave the registry)."""
        await self.hass.config_entries.async_remove(entry.entry_id)
        await self.hass.async_block_till_done()

    @contextlib.asynccontextmanager
    async def profiled(self, name: str) -> Any:
        """Profile the block with pyinstrument when --profile is given."""
        if self.profile_dir is None:
            yield
            return
        from pyinstrument import Profiler  # noqa: PLC0415 - only needed with --profile

        profiler = Profiler(interval=0.0005, async_mode="disabled")
        profiler.start()
        try:
            yield
        finally:
            profiler.stop()
            self.profile_dir.mkdir(parents=True, exist_ok=True)
            stem = self.profile_dir / f"{self.flavour.name}-{name}"
            # The call tree (library frames folded) and the functions by self time.
            stem.with_suffix(".tree.txt").write_text(
                profiler.output_text(show_all=False), encoding="utf-8"
            )
            flat = profiler.output_text(show_all=True, flat=True).splitlines()
            stem.with_suffix(".flat.txt").write_text("\n".join(flat[:60]) + "\n", encoding="utf-8")

    # ----- S1: setup ---------------------------------------------------------------------------

    async def setup(
        self, account: BenchAccount, restart: ConfigEntry | None = None
    ) -> tuple[ConfigEntry, JSONObject]:
        """Add an entry (or set up `restart` again) and time it until every entity is available.

        A restart is an unload and a setup of the same entry, as a Home Assistant restart sets
        it up: what the integration stored about the account (`.storage`) is there.
        """
        what = "restart" if restart is not None else "setup"
        progress(f"{self.flavour.name}: S1 {what} of {account.size} point(s)")
        if restart is not None:
            await self.hass.config_entries.async_unload(restart.entry_id)
            await self.hass.async_block_till_done()
        gc.collect()
        rss_before = _rss()
        traced_before = tracemalloc.get_traced_memory()[0] if tracemalloc.is_tracing() else 0
        entry = self.make_entry(account) if restart is None else restart
        log_before = (await self.control.call("stats"))["received"]
        self.first_available = {}
        started = time.time()
        cpu_started = time.process_time()
        if restart is None:
            await self.hass.config_entries.async_add(entry)
        else:
            await self.hass.config_entries.async_setup(entry.entry_id)
        returned = time.time()
        deadline = returned + SETUP_TIMEOUT
        ids: list[str] = []
        while True:
            await asyncio.sleep(0.1)
            ids = self.entity_ids(entry)
            seen = [self.first_available[e] for e in ids if e in self.first_available]
            if entry.state is not ConfigEntryState.LOADED:
                break
            if ids and len(seen) == len(ids):
                break
            if time.time() - max([returned, *seen]) > QUIET_SECONDS or time.time() > deadline:
                break
        cpu = time.process_time() - cpu_started
        seen = [self.first_available[e] for e in ids if e in self.first_available]
        energy = self.energy_entities(account)
        points_ok = sum(1 for e in energy.values() if e in self.first_available)
        received = await self.control.call("bench_received", since=log_before)
        gc.collect()
        result: JSONObject = {
            "size": account.size,
            "entry_state": entry.state.value,
            "reason": entry.reason,
            "entities": len(ids),
            "entities_by_domain": {
                domain: sum(1 for e in ids if e.startswith(f"{domain}."))
                for domain in sorted({e.split(".", 1)[0] for e in ids})
            },
            "never_available": len(ids) - len(seen),
            "points_ok": points_ok,
            "ok": entry.state is ConfigEntryState.LOADED and points_ok == account.size,
            "seconds": (max(seen) - started) if seen else None,
            "cpu_seconds": cpu,
            "rss_delta": _rss() - rss_before,
            "commands": received["commands"],
            "commands_by_path": received["paths"],
        }
        if tracemalloc.is_tracing():
            result["traced_delta"] = tracemalloc.get_traced_memory()[0] - traced_before
        return entry, result

    async def warm_up(self, account: BenchAccount) -> None:
        """Set up and remove a one-point entry: imports, platforms and translations load."""
        entry, result = await self.setup(account)
        if not result["ok"]:
            raise RuntimeError(f"warm-up entry failed: {result}")
        await self.remove(entry)

    async def settle(self) -> float:
        """Wait until this process is idle (background work after setup), at most 30 s.

        Idle: under 10 ms of CPU in a 0.5 s window. Returns the seconds waited.
        """
        started = time.monotonic()
        while time.monotonic() - started < SETTLE_LIMIT:
            cpu = time.process_time()
            await asyncio.sleep(0.5)
            if time.process_time() - cpu < SETTLE_CPU:
                break
        return time.monotonic() - started

    # ----- S2: push load -------------------------------------------------------------------------

    async def _wait_values(
        self, receipts: dict[str, list[tuple[float, float]]], final: float, within: float
    ) -> bool:
        deadline = time.time() + within
        while time.time() < deadline:
            if all(r and r[-1][0] >= final for r in receipts.values()):
                return True
            await asyncio.sleep(0.01)
        return False

    async def push_load(self, account: BenchAccount, count: int, rate: float) -> JSONObject:
        """S2: steady CH_STATUS pushes; CPU of this process and send-to-state latency."""
        progress(f"{self.flavour.name}: S2 {count} pushes at {rate:g}/s")
        energy = self.energy_entities(account)
        if len(energy) != account.size:
            raise RuntimeError(f"S2 needs a session-energy sensor per point, found {len(energy)}")
        evse_ids = list(energy)
        by_entity = {entity_id: evse_id for evse_id, entity_id in energy.items()}
        receipts: dict[str, list[tuple[float, float]]] = {e: [] for e in evse_ids}

        @callback
        def on_energy(event: Event[EventStateChangedData]) -> None:
            new = event.data["new_state"]
            if new is None:
                return
            with contextlib.suppress(ValueError):
                receipts[by_entity[new.entity_id]].append(
                    (float(new.state), new.last_updated_timestamp)
                )

        unsubscribe = async_track_state_change_event(self.hass, list(energy.values()), on_energy)
        try:
            # one push per point first, so first-update code paths are not in the figures
            warm_base = S2_BASE - 200
            await self.control.call(
                "bench_burst", evse_ids=evse_ids, count=len(evse_ids), rate=rate, base=warm_base
            )
            await self._wait_values(receipts, warm_base + 1, 10)
            for values in receipts.values():
                values.clear()
            gc.collect()
            rounds = math.ceil(count / len(evse_ids))
            count = rounds * len(evse_ids)
            cpu_started = time.process_time()
            async with self.profiled("s2"):
                reply = await self.control.call(
                    "bench_burst", evse_ids=evse_ids, count=count, rate=rate, base=S2_BASE
                )
                drained = await self._wait_values(receipts, S2_BASE + rounds, 30)
            cpu = time.process_time() - cpu_started
        finally:
            unsubscribe()
        log: list[list[Any]] = reply["log"]
        latencies: list[float] = []
        missing = 0
        for evse_id, sequence, sent_at in log:
            want = S2_BASE + sequence
            seen = next(
                (ts for value, ts in receipts[evse_id] if value >= want - MARKER_TOLERANCE), None
            )
            if seen is None:
                missing += 1
            else:
                latencies.append(seen - sent_at)
        span = log[-1][2] - log[0][2] if len(log) > 1 else 0.0
        return {
            "messages": count,
            "send_rate": (len(log) - 1) / span if span else None,
            "drained": drained,
            "missing": missing,
            "cpu_seconds": cpu,
            "cpu_per_10k": cpu * 10000 / count,
            "p50_ms": _percentile(latencies, 0.5) * 1000 if latencies else None,
            "p99_ms": _percentile(latencies, 0.99) * 1000 if latencies else None,
            "max_ms": max(latencies) * 1000 if latencies else None,
        }

    # ----- S3: outage --------------------------------------------------------------------------

    def _fresh(self, entity_id: str, energy_ids: set[str], marker: float) -> bool:
        """Available, and an energy sensor shows the value set while the server was gone."""
        state = self.hass.states.get(entity_id)
        if state is None or state.state == STATE_UNAVAILABLE:
            return False
        if entity_id not in energy_ids:
            return True
        try:
            return abs(float(state.state) - marker) < MARKER_TOLERANCE
        except ValueError:
            return False

    async def _wait_full_data(
        self, expected: list[str], energy_ids: set[str], marker: float
    ) -> float | None:
        """Loop time at which every expected entity was fresh again (None: not within 1 h)."""
        pending = {e for e in expected if not self._fresh(e, energy_ids, marker)}
        if not pending:
            return self.loop.time()
        done: asyncio.Future[float] = self.loop.create_future()

        @callback
        def on_change(event: Event[EventStateChangedData]) -> None:
            entity_id = event.data["entity_id"]
            if self._fresh(entity_id, energy_ids, marker):
                pending.discard(entity_id)
            else:
                pending.add(entity_id)
            new = event.data["new_state"]
            if not pending and not done.done():
                # the state was written a moment before this callback ran
                lag = time.time() - new.last_updated_timestamp if new is not None else 0.0
                done.set_result(self.loop.time() - lag)

        unsubscribe = async_track_state_change_event(self.hass, expected, on_change)
        try:
            async with asyncio.timeout(OUTAGE_SECONDS):
                return await done
        except TimeoutError:
            return None
        finally:
            unsubscribe()

    async def outage(self, entry: ConfigEntry, account: BenchAccount, mode: str) -> JSONObject:
        """S3: the server is gone for an hour (clock skipped while idle), then returns.

        mode "503": every websocket upgrade is refused with HTTP 503 (a load balancer whose
        backend is gone) after the open sockets were cut. mode "refused": the listener is
        closed, so connects are refused at TCP level.
        """
        progress(f"{self.flavour.name}: S3 outage ({mode})")
        energy = self.energy_entities(account)
        energy_ids = set(energy.values())
        marker = S3_MARKERS[mode]
        expected = [e for e in self.entity_ids(entry) if self.available(e)]
        loop = self.loop
        before = await self.control.call("stats")
        attempts_before = loop.connect_attempts
        if mode == "503":
            await self.control.call("bench_reject", on=True, status=503)
            await self.control.call("drop_connections")
        else:
            await self.control.call("go_offline")
        gone_at = loop.time()
        await self.control.call("bench_set_energy", evse_ids=list(energy), kwh=marker)
        skipped_before = loop.skipped
        real_started = time.monotonic()
        loop.fast_forward = True
        try:
            await asyncio.sleep(OUTAGE_SECONDS - (loop.time() - gone_at))
            attempts = loop.connect_attempts - attempts_before
            during = await self.control.call("stats")
            if mode == "503":
                await self.control.call("bench_reject", on=False)
            else:
                await self.control.call("come_back")
            back_at = loop.time()
            recovered_at = await self._wait_full_data(expected, energy_ids, marker)
        finally:
            loop.fast_forward = False
        after = await self.control.call("stats")
        return {
            "mode": mode,
            "attempts": attempts,
            "sim_attempts": during["connection_attempts"] - before["connection_attempts"],
            "requests_during": during["received"] - before["received"],
            "requests_until_recovered": after["received"] - before["received"],
            "recovered": recovered_at is not None,
            "recovery_seconds": None if recovered_at is None else recovered_at - back_at,
            "virtual_seconds_skipped": loop.skipped - skipped_before,
            "real_seconds": time.monotonic() - real_started,
        }


async def run(args: argparse.Namespace, accounts: dict[str, BenchAccount]) -> JSONObject:
    """Run one part for one integration; return the figures."""
    flavour = FLAVOURS[args.integration]
    loop = asyncio.get_running_loop()
    if not isinstance(loop, FastForwardLoop):
        raise TypeError("the worker needs the FastForwardLoop")
    if flavour.name == "core":
        # bluecurrent_api connects to this module constant; redirect it in this process only.
        import bluecurrent_api.websocket  # noqa: PLC0415

        bluecurrent_api.websocket.URL = args.sim_url
    control = await Control(args.control_url).open()
    loop.watch_port = urlsplit(args.sim_url).port
    hass = await start_hass(Path(args.config_dir))
    profile_dir = Path(args.profile) if args.profile else None
    bench = Bench(hass, flavour, control, args.sim_url, profile_dir)
    results: JSONObject = {"integration": flavour.name, "part": args.part}
    try:
        await bench.warm_up(accounts["warm"])
        if args.part == "main":
            results["s1"] = {}
            small = accounts[f"n{args.small_size}"]
            entry, results["s1"][str(small.size)] = await bench.setup(small)
            await bench.remove(entry)
            load = accounts[f"n{args.load_size}"]
            async with bench.profiled(f"s1-{load.size}"):
                entry, results["s1"][str(load.size)] = await bench.setup(load)
            if results["s1"][str(load.size)]["ok"]:
                results["settle_seconds"] = await bench.settle()
                entry, results["s1_restart"] = await bench.setup(load, restart=entry)
                await bench.settle()
                results["s2"] = await bench.push_load(load, args.s2_count, args.s2_rate)
                results["s3"] = [
                    await bench.outage(entry, load, "503"),
                    await bench.outage(entry, load, "refused"),
                ]
            await bench.remove(entry)
        else:
            large = accounts[f"n{args.size}"]
            if args.tracemalloc:
                tracemalloc.start(1)
            results["s1"] = {}
            async with bench.profiled(f"s1-{large.size}"):
                entry, results["s1"][str(large.size)] = await bench.setup(large)
            if args.tracemalloc and profile_dir is not None:
                _write_top_allocations(profile_dir / f"{flavour.name}-memory-{large.size}.txt")
            await bench.remove(entry)
    finally:
        await control.close()
        with contextlib.suppress(Exception):
            async with asyncio.timeout(20):
                await hass.async_stop()
    return results


def _write_top_allocations(path: Path) -> None:
    snapshot = tracemalloc.take_snapshot()
    lines = [str(stat) for stat in snapshot.statistics("lineno")[:40]]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    parser.add_argument("--integration", choices=sorted(FLAVOURS), required=True)
    parser.add_argument("--part", choices=("main", "large"), required=True)
    parser.add_argument("--sim-url", required=True)
    parser.add_argument("--control-url", required=True)
    parser.add_argument("--accounts", required=True)
    parser.add_argument("--config-dir", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--small-size", type=int, default=1)
    parser.add_argument("--load-size", type=int, default=100)
    parser.add_argument("--size", type=int, default=1000, help="part large: the account size")
    parser.add_argument("--s2-count", type=int, default=5000)
    parser.add_argument("--s2-rate", type=float, default=500.0)
    parser.add_argument("--profile", default=None)
    parser.add_argument("--tracemalloc", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    args = _parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING,
        filename=str(Path(args.out).with_suffix(".log")),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    accounts = {
        key: BenchAccount(**value)
        for key, value in json.loads(Path(args.accounts).read_text(encoding="utf-8")).items()
    }
    Path(args.config_dir).mkdir(parents=True, exist_ok=True)
    asyncio.set_event_loop_policy(BenchEventLoopPolicy(debug=False))
    results = asyncio.run(run(args, accounts))
    Path(args.out).write_text(json.dumps(results, indent=2), encoding="utf-8")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
