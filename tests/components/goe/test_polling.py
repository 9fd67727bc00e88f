"""Adaptive polling, one request at a time, confirming reads, outages and recovery."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING

from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.ev_charge_points.brands.goe.const import (
    AFTER_WRITE_DELAY,
    CONFIG_INTERVAL,
    FAST_INTERVAL,
    IDLE_INTERVAL,
)
from custom_components.ev_charge_points.const import DOMAIN, UNAVAILABLE_GRACE_PERIOD
from simulators.goe import SimCar
from tests.components.helpers import settle, wait_for
from tests.simulators.goe.helpers import CHARGER, control, loopback_session

from .conftest import add_cloud, add_local, goe_coordinator

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from simulators.goe import GoeSimulator

# Home Assistant schedules a poll a few microseconds after its interval: step past it.
STEP = timedelta(seconds=0.5)


async def tick(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta, entry: ConfigEntry
) -> None:
    """Move Home Assistant's clock; wait for a poll that fell due (it runs on a real socket)."""
    coordinator = goe_coordinator(entry)
    freezer.tick(delta)
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done()
    # A due poll runs as a background task; once done, the coordinator schedules the next.
    await wait_for(hass, lambda: coordinator._unsub_refresh is not None)


def status_reads(sim: GoeSimulator) -> list[str]:
    return [line for line in sim.request_log if line.startswith("/api/status")]


def activity(hass: HomeAssistant) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{CHARGER}_{CHARGER}_activity"
    )
    assert entity_id is not None
    return hass.states.get(entity_id).state  # type: ignore[union-attr]


async def test_slow_when_idle_fast_with_a_car(
    hass: HomeAssistant, goe_sim: GoeSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """No car: a small read per 30 s; a car plugged in is seen at the next one, then every 9 s.

    Each poll asks only for the sentinel keys; a change among them brings the live keys.
    """
    charger = goe_sim.charger(CHARGER)
    charger.unplug()
    await goe_sim.clock.advance(2)
    entry = await add_local(hass, goe_sim)
    coordinator = goe_coordinator(entry)
    assert coordinator.update_interval == IDLE_INTERVAL

    charger.plug_in(SimCar(max_current=16))
    await goe_sim.clock.advance(2)
    before = len(status_reads(goe_sim))
    await tick(hass, freezer, IDLE_INTERVAL - STEP * 4, entry)
    assert len(status_reads(goe_sim)) == before  # nothing between two idle polls
    await tick(hass, freezer, STEP * 5, entry)
    sentinel, live = status_reads(goe_sim)[before:]
    assert sentinel == "/api/status?filter=car,alw,frc,amp"
    assert "nrg" in live
    assert activity(hass) == "charging"
    assert coordinator.update_interval == FAST_INTERVAL

    await tick(hass, freezer, FAST_INTERVAL + STEP, entry)
    await tick(hass, freezer, FAST_INTERVAL + STEP, entry)
    assert status_reads(goe_sim)[before + 2 :] == [sentinel, sentinel]  # nothing changed

    charger.unplug()
    await goe_sim.clock.advance(2)
    await tick(hass, freezer, FAST_INTERVAL + STEP, entry)
    assert activity(hass) == "available"
    assert coordinator.update_interval == IDLE_INTERVAL


async def test_meter_every_two_minutes_while_charging(
    hass: HomeAssistant, goe_sim: GoeSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """With a car connected the meter (live keys) is read every 2 minutes, the rest every 9 s."""
    entry = await add_local(hass, goe_sim)
    start = len(status_reads(goe_sim))
    for _ in range(15):  # 2 minutes and a bit
        await tick(hass, freezer, FAST_INTERVAL, entry)
    reads = status_reads(goe_sim)[start:]
    assert sum("nrg" in line for line in reads) == 1
    assert len(reads) >= 14


async def test_configuration_every_ten_minutes(
    hass: HomeAssistant, goe_sim: GoeSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """One filtered request per poll; the configuration keys join it every 10 minutes."""
    entry = await add_local(hass, goe_sim)
    start = len(status_reads(goe_sim))
    elapsed = timedelta()
    while elapsed < CONFIG_INTERVAL + IDLE_INTERVAL:
        await tick(hass, freezer, FAST_INTERVAL + STEP, entry)
        elapsed += FAST_INTERVAL + STEP
    reads = status_reads(goe_sim)[start:]
    assert all("filter=" in line for line in reads)
    assert sum("ama" in line for line in reads) == 1


async def test_a_write_is_confirmed_by_reads(hass: HomeAssistant, goe_sim: GoeSimulator) -> None:
    """After a write: one read with the configuration at once, and another shortly after."""
    entry = await add_local(hass, goe_sim)
    coordinator = goe_coordinator(entry)
    before = len(goe_sim.request_log)
    number = er.async_get(hass).async_get_entity_id(
        "number", DOMAIN, f"{CHARGER}_{CHARGER}_charge_current_limit"
    )

    await hass.services.async_call(
        "number", "set_value", {ATTR_ENTITY_ID: number, "value": 8}, blocking=True
    )

    after = list(goe_sim.request_log)[before:]
    assert after[0].startswith("/api/set?amp=8")
    assert after[1].startswith("/api/status")
    assert "ama" in after[1]
    assert coordinator.update_interval == AFTER_WRITE_DELAY


async def test_one_request_in_flight(hass: HomeAssistant, goe_sim: GoeSimulator) -> None:
    """A write waits while a poll hangs on the device: never two requests at once."""
    entry = await add_local(hass, goe_sim)
    coordinator = goe_coordinator(entry)
    async with loopback_session() as raw:
        await control(raw, goe_sim.control_url, action="set_hanging", serial=CHARGER)
        before = len(goe_sim.request_log)
        poll = asyncio.create_task(coordinator.async_refresh())
        await wait_for(hass, lambda: len(goe_sim.request_log) == before + 1)
        write = asyncio.create_task(coordinator.async_set_charging(CHARGER, on=False))
        await settle(hass)
        assert len(goe_sim.request_log) == before + 1  # the write has not gone out

        await control(raw, goe_sim.control_url, action="set_hanging", serial=CHARGER, hanging=False)
        await poll
        await write
    sent = list(goe_sim.request_log)[before:]
    assert sent[0].startswith("/api/status")
    assert sent[1].startswith("/api/set?frc=1")
    assert goe_sim.charger(CHARGER).frc == 1


async def test_outage_grace_period_and_recovery(
    hass: HomeAssistant, goe_sim: GoeSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """Unreachable: still shown during the grace period, unavailable after, back by itself."""
    entry = await add_local(hass, goe_sim)
    charger = goe_sim.charger(CHARGER)
    shown = activity(hass)

    charger.go_offline()
    await tick(hass, freezer, IDLE_INTERVAL + STEP, entry)
    assert activity(hass) == shown

    for _ in range(3):
        await tick(hass, freezer, IDLE_INTERVAL + STEP, entry)
    assert activity(hass) == STATE_UNAVAILABLE

    charger.go_online()
    await tick(hass, freezer, IDLE_INTERVAL + STEP, entry)
    assert activity(hass) == shown


async def test_cloud_polls_with_age_and_slower(
    hass: HomeAssistant, goe_sim: GoeSimulator, goe_cloud: None
) -> None:
    """The cloud is asked for data at most 10 s old and polled no faster than that."""
    entry = await add_cloud(hass)
    coordinator = goe_coordinator(entry)
    assert coordinator.update_interval is not None
    assert coordinator.update_interval >= timedelta(seconds=10)
    assert any("age=10" in line for line in status_reads(goe_sim))


async def test_cloud_outage_and_recovery(
    hass: HomeAssistant, goe_sim: GoeSimulator, goe_cloud: None, freezer: FrozenDateTimeFactory
) -> None:
    """The device drops off: once the cloud's copy is older than `age` (404), the link is
    down; entities go unavailable after the grace period and come back with the device.
    """
    entry = await add_cloud(hass)
    coordinator = goe_coordinator(entry)
    shown = activity(hass)
    charger = goe_sim.charger(CHARGER)

    charger.go_offline()
    await goe_sim.clock.advance(30)  # the cloud's snapshot is now older than age=10
    interval = coordinator.update_interval
    assert interval is not None
    await tick(hass, freezer, interval + STEP, entry)
    assert not coordinator.link_up
    assert activity(hass) == shown  # within the grace period

    waited = timedelta()
    while waited <= UNAVAILABLE_GRACE_PERIOD:
        await tick(hass, freezer, interval + STEP, entry)
        waited += interval + STEP
    assert activity(hass) == STATE_UNAVAILABLE

    charger.go_online()
    await tick(hass, freezer, interval + STEP, entry)
    assert activity(hass) == shown
