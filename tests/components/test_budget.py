"""The daily request limit at setup and at the reset (issue 14, item 4), against the simulator."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.ev_charge_points.api.bluecurrent import next_reset
from custom_components.ev_charge_points.brands.bluecurrent.const import (
    LIMIT_RESET_RETRY_DELAYS,
)
from custom_components.ev_charge_points.const import DOMAIN

from .helpers import START, make_entry, settle, setup_entry, wait_for

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from simulators.bluecurrent import BlueCurrentSimulator

ACTIVITY = "sensor.driveway_activity"


async def at(hass: HomeAssistant, freezer: FrozenDateTimeFactory, when: object) -> None:
    """Move Home Assistant's clock to `when` and run the timers due."""
    freezer.move_to(when)  # type: ignore[arg-type]
    async_fire_time_changed(hass)
    await settle(hass, 0.05)


async def spent_at_setup(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, freezer: FrozenDateTimeFactory
) -> tuple[MockConfigEntry, str]:
    """Set up at START (Amsterdam) with the day's budget spent: the entry and its issue id."""
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    freezer.move_to(START)
    simulator.clock.set(START)
    simulator.set_request_limit(0)
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    return entry, f"request_limit_reached_{entry.entry_id}"


async def test_limit_at_setup_waits_for_the_reset(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """A spent budget at setup: loaded, a repair issue, nothing sent until the reset."""
    entry, issue_id = await spent_at_setup(hass, simulator, freezer)
    # No setup retries by Home Assistant: they would only ask again and again.
    assert entry.state is ConfigEntryState.LOADED
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    attempts = simulator.connection_attempts
    assert attempts == 1
    for hours in range(1, 11):
        await at(hass, freezer, START + timedelta(hours=hours))
    assert simulator.connection_attempts == attempts

    after_reset = next_reset(START) + timedelta(seconds=1)
    simulator.clock.set(after_reset)
    simulator.set_request_limit(None)  # a new day's budget
    await at(hass, freezer, after_reset)
    coordinator = entry.runtime_data.coordinator
    await wait_for(hass, lambda: coordinator.connected)
    await wait_for(hass, lambda: hass.states.get(ACTIVITY) is not None)
    state = hass.states.get(ACTIVITY)
    assert state is not None
    assert state.state != STATE_UNAVAILABLE
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


async def test_refused_after_the_reset_retries_within_minutes(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """The server is late with its reset: growing retries within minutes, not a day later."""
    entry, issue_id = await spent_at_setup(hass, simulator, freezer)
    attempts = simulator.connection_attempts

    # The reset passes on our side, the server still refuses for three more attempts.
    reset = next_reset(START) + timedelta(seconds=1)
    simulator.faults.reject_handshakes("Request limit reached", count=3)
    simulator.set_request_limit(None)
    simulator.clock.set(reset)
    await at(hass, freezer, reset)
    await wait_for(hass, lambda: simulator.connection_attempts == attempts + 1)
    when = reset
    for number, delay in enumerate(LIMIT_RESET_RETRY_DELAYS[:3], start=2):
        await at(hass, freezer, when + delay - timedelta(seconds=1))
        assert simulator.connection_attempts == attempts + number - 1  # not yet
        when += delay
        await at(hass, freezer, when)
        # (the accepted one adds the token validation's own socket)
        await wait_for(
            hass, lambda number=number: simulator.connection_attempts >= attempts + number
        )
    coordinator = entry.runtime_data.coordinator
    await wait_for(hass, lambda: coordinator.connected)
    assert when - reset < timedelta(minutes=5)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
