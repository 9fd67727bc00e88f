"""go-e benchmark: ours against a plain 30 s full-status poll, against the same simulator.

Run: `.venv/bin/pytest bench/goe.py -q -s` (scripts/bench does not run it; it prints the
BENCHMARKS.md rows). One simulated hour per case: Home Assistant's clock is driven with
`async_fire_time_changed` one second at a time, the simulator's clock advances with it, and
the simulator's `stats` counters give requests and body bytes. Freshness: twelve times an
hour (while a car is connected) the force state is changed on the device, as in the go-e
app, and the Home Assistant seconds until the new value is seen are recorded. The plain poll
is what the leading go-e integration does on a LAN by default: `GET /api/status` (every key)
every 30 s.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
from homeassistant.config_entries import SOURCE_USER
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

import custom_components.ev_charge_points  # noqa: F401 - before `hass` (see tests/conftest.py)
from custom_components.ev_charge_points.const import DOMAIN
from simulators.goe import SCENARIO_DIR, GoeSimulator, Scenario, SimCar, SimClock

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

SERIAL = "000001"
HOUR = 3600
PLAIN_INTERVAL = timedelta(seconds=30)
CHANGES_PER_HOUR = 12
# Seconds after the start of each 5-minute slot at which the device-side change is made:
# spread over the poll phases so the mean is fair to both.
CHANGE_OFFSETS = (13, 47, 101, 139, 173, 227, 251, 19, 83, 157, 199, 263)


@dataclass
class Result:
    """One case's figures."""

    requests: int = 0
    bytes: int = 0
    delays: list[float] = field(default_factory=list)


@pytest.fixture(autouse=True)
def _enable(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration."""


@pytest.fixture
async def sim(socket_enabled: None) -> AsyncIterator[GoeSimulator]:  # noqa: ARG001
    """The go-e simulator (test scenario)."""
    async with GoeSimulator(
        Scenario.from_file(SCENARIO_DIR / "test.json"), clock=SimClock()
    ) as simulator:
        yield simulator


async def _add_ours(hass: HomeAssistant, sim: GoeSimulator) -> Callable[[], str | None]:
    flow = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    flow = await hass.config_entries.flow.async_configure(flow["flow_id"], {"next_step_id": "goe"})
    flow = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"next_step_id": "goe_local"}
    )
    host = sim.local_url(SERIAL).removeprefix("http://").rstrip("/")
    await hass.config_entries.flow.async_configure(flow["flow_id"], {"host": host})
    await hass.async_block_till_done()
    entity_id = er.async_get(hass).async_get_entity_id(
        "select", DOMAIN, f"{SERIAL}_{SERIAL}_force_state"
    )
    if entity_id is None:
        msg = "the force state select was not created"
        raise RuntimeError(msg)

    def seen() -> str | None:
        state = hass.states.get(entity_id)
        return None if state is None else state.state

    return seen


async def _add_plain(
    hass: HomeAssistant, sim: GoeSimulator, session: aiohttp.ClientSession
) -> Callable[[], str | None]:
    """The plain poll: every key every 30 s; what it last saw of `frc`."""
    last: dict[str, Any] = {}
    url = f"{sim.local_url(SERIAL).rstrip('/')}/api/status"

    async def poll(_now: Any = None) -> None:
        async with session.get(url) as resp:
            last.update(await resp.json())

    await poll()
    hass.data["bench_plain_unsub"] = async_track_time_interval(hass, poll, PLAIN_INTERVAL)

    def seen() -> str | None:
        return {0: "neutral", 1: "off", 2: "on"}.get(last.get("frc", -1))

    return seen


async def _run_hour(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    sim: GoeSimulator,
    seen: Callable[[], str | None],
    *,
    with_changes: bool,
) -> Result:
    charger = sim.charger(SERIAL)
    result = Result()
    sim.requests, sim.bytes_served = 0, 0
    pending: tuple[float, str] | None = None
    changes = 0
    for second in range(1, HOUR + 1):
        slot, offset = divmod(second, HOUR // CHANGES_PER_HOUR)
        if with_changes and pending is None and offset == CHANGE_OFFSETS[slot % 12]:
            wanted = 1 if charger.frc == 0 else 0
            charger.write("frc", wanted)
            pending = (second, {0: "neutral", 1: "off"}[wanted])
            changes += 1
        freezer.tick(timedelta(seconds=1))
        await sim.clock.advance(1)
        async_fire_time_changed(hass, dt_util.utcnow())
        await hass.async_block_till_done(wait_background_tasks=True)
        if pending is not None and seen() == pending[1]:
            result.delays.append(second - pending[0])
            pending = None
    result.requests, result.bytes = sim.requests, sim.bytes_served
    return result


CASES = ("idle", "charging")


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("who", ["plain", "ours"])
async def test_goe_hour(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    sim: GoeSimulator,
    who: str,
    case: str,
) -> None:
    """One simulated hour of one integration in one case; prints one result line."""
    charger = sim.charger(SERIAL)
    if case == "idle":
        charger.unplug()
    else:
        charger.plug_in(SimCar(capacity_wh=200_000_000.0, max_current=16))
    await sim.clock.advance(2)
    async with aiohttp.ClientSession() as session:
        seen = await (_add_ours(hass, sim) if who == "ours" else _add_plain(hass, sim, session))
        result = await _run_hour(hass, freezer, sim, seen, with_changes=case == "charging")
        if (unsub := hass.data.pop("bench_plain_unsub", None)) is not None:
            unsub()
        for entry in hass.config_entries.async_entries(DOMAIN):
            await hass.config_entries.async_unload(entry.entry_id)
    delays = result.delays
    print(  # noqa: T201 - the benchmark's output
        f"\nGOE-BENCH {who} {case}: requests/h={result.requests} bytes/h={result.bytes}"
        + (
            f" freshness mean={statistics.mean(delays):.1f}s max={max(delays):.0f}s n={len(delays)}"
            if delays
            else ""
        )
    )
