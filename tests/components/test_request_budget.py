"""Requests a reconnect costs for 100 charge points (issue 14, item 4), counted by the simulator."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charge_points.const import CONF_API_TOKEN, CONF_URL, DOMAIN
from simulators.bluecurrent import BlueCurrentSimulator, Scenario, SimClock

from .helpers import START, coordinator_of, reconnect, setup_entry

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from homeassistant.core import HomeAssistant


@contextlib.asynccontextmanager
async def _hundred_points(
    hass: HomeAssistant,
) -> AsyncIterator[tuple[BlueCurrentSimulator, MockConfigEntry]]:
    """The bench's 100-point account (a grid each) on a simulator, its entry set up."""
    scenario = Scenario.generate(100, seed=7)
    async with BlueCurrentSimulator(scenario, clock=SimClock(START)) as simulator:
        entry = MockConfigEntry(
            domain=DOMAIN,
            title="Blue Current (customer 2001)",
            unique_id="2001",
            data={CONF_API_TOKEN: "bench-token", CONF_URL: simulator.url},
        )
        await setup_entry(hass, entry)
        yield simulator, entry


# Core's integration: HELLO, GET_CHARGE_POINTS, 100 x GET_CH_STATUS, one GET_GRID_STATUS.
CORE_RECONNECT_REQUESTS = 103


async def test_a_reconnect_costs_no_more_than_core(
    hass: HomeAssistant, socket_enabled: None, delays: list[float]
) -> None:
    """100 points, a grid each: a reconnect re-reads statuses, not what pushes deliver."""
    async with _hundred_points(hass) as (simulator, entry):
        coordinator = coordinator_of(entry)
        assert len(coordinator.data.charge_points) == 100
        assert len(coordinator.data.grids) == 100
        before = simulator.requests_today

        await reconnect(hass, simulator, coordinator, delays)
        await hass.async_block_till_done()
        spent = simulator.requests_today - before
        print(f"setup {before} requests, reconnect {spent}")  # noqa: T201 - the figures
        assert spent <= CORE_RECONNECT_REQUESTS, spent
        assert not simulator.commands("GET_GRID_STATUS")[100:]  # none after setup's
        assert len(simulator.commands("GET_CHARGE_CARDS")) == 1
        assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()


# Core's integration on every start: VALIDATE_API_TOKEN, HELLO, GET_CHARGE_POINTS,
# 100 x GET_CH_STATUS, one GET_GRID_STATUS.
CORE_START_REQUESTS = 104


async def test_a_restart_costs_no_more_than_core(hass: HomeAssistant, socket_enabled: None) -> None:
    """100 points, a grid each: grids and cards are remembered, a restart reads neither."""
    async with _hundred_points(hass) as (simulator, entry):
        first = sum(1 for rc in simulator.received if rc.path == "/haserver")
        assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()

        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        coordinator = coordinator_of(entry)
        assert len(coordinator.data.grids) == 100
        assert all(grid.max_installed is not None for grid in coordinator.data.grids.values())
        spent = sum(1 for rc in simulator.received if rc.path == "/haserver") - first
        print(f"first setup {first} requests, restart {spent}")  # noqa: T201 - the figures
        assert spent <= CORE_START_REQUESTS, spent
        assert len(simulator.commands("GET_GRID_STATUS")) == 100  # all of them at the first setup
        assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
