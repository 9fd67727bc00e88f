"""What a Blue Current account remembers between restarts (memory.py), counted on the simulator.

The test account has two charge points on one grid (GRID-BCU101). Every request a restart
does not send is one more for the rest of the day (the daily request limit, protocol §5).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.const import STATE_UNKNOWN, Platform
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util

from custom_components.ev_charge_points.brands.bluecurrent.const import GRID_PUSH_WAIT
from custom_components.ev_charge_points.brands.bluecurrent.memory import MEMORY_STORE
from custom_components.ev_charge_points.const import DOMAIN

from .helpers import (
    CUSTOMER_ID,
    coordinator_of,
    fire,
    ha_commands,
    make_entry,
    reconnect,
    settle,
    setup_entry,
    state_of,
    wait_for,
    wait_for_first_import,
)

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from simulators.bluecurrent import BlueCurrentSimulator

GRID = "GRID-BCU101"
POINTS = ("BCU101", "BCU102")
# Core's integration on every start: VALIDATE_API_TOKEN, HELLO, GET_CHARGE_POINTS, a status
# per point and one GET_GRID_STATUS.
CORE_START_REQUESTS = 3 + len(POINTS) + 1


def _store_key(entry: MockConfigEntry) -> str:
    return f"{DOMAIN}.{MEMORY_STORE}.{entry.entry_id}"


def _entity_id(hass: HomeAssistant, unique_suffix: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(
        Platform.SENSOR, DOMAIN, f"{CUSTOMER_ID}_{unique_suffix}"
    )
    assert entity_id is not None, unique_suffix
    return entity_id


def _ha_requests(simulator: BlueCurrentSimulator) -> int:
    return sum(1 for rc in simulator.received if rc.path == "/haserver")


def _app_commands(simulator: BlueCurrentSimulator, name: str) -> int:
    return sum(1 for rc in simulator.received if rc.name == name and rc.path != "/haserver")


async def _restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await wait_for_first_import(hass, entry)


async def _restarted_without_grid_load(hass: HomeAssistant, simulator: BlueCurrentSimulator) -> str:
    """Set up, restart; the grid's phase 1 sensor, whose load from before is not live."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    await _restart(hass, entry)
    phase_1 = _entity_id(hass, f"{GRID}_grid_current_phase_1")
    assert state_of(hass, phase_1) == STATE_UNKNOWN  # unknown until the server tells it
    return phase_1


async def test_a_restart_reads_no_grid_cards_or_figures_again(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    grid = coordinator_of(entry).data.grids[GRID]
    assert grid.max_installed is not None
    assert len(ha_commands(simulator, "GET_GRID_STATUS")) == len(POINTS)  # grid not known yet
    assert len(ha_commands(simulator, "GET_CHARGE_CARDS")) == 1
    assert _app_commands(simulator, "GET_SUSTAINABILITY_STATUS") == 1
    co2 = hass.states.get(_entity_id(hass, "co2_saved"))
    assert co2 is not None
    assert co2.state not in (STATE_UNKNOWN, "unavailable")
    before = _ha_requests(simulator)

    await _restart(hass, entry)

    assert _ha_requests(simulator) - before <= CORE_START_REQUESTS
    assert len(ha_commands(simulator, "GET_GRID_STATUS")) == len(POINTS)
    assert len(ha_commands(simulator, "GET_CHARGE_CARDS")) == 1
    assert _app_commands(simulator, "GET_SUSTAINABILITY_STATUS") == 1
    coordinator = coordinator_of(entry)
    # The grid, its maximum, the cards and the account figures are there all the same.
    remembered = coordinator.data.grids[GRID]
    assert (remembered.max_installed, remembered.max_reserved) == (
        grid.max_installed,
        grid.max_reserved,
    )
    assert {coordinator.data.charge_points[p].grid_id for p in POINTS} == {GRID}
    assert coordinator.charge_cards is not None
    assert coordinator.charge_cards.cards
    again = hass.states.get(co2.entity_id)
    assert again is not None
    assert again.state == co2.state


async def test_after_a_restart_the_grid_load_comes_from_the_push(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    phase_1 = await _restarted_without_grid_load(hass, simulator)

    await simulator.push_grid(GRID)
    await wait_for(hass, lambda: state_of(hass, phase_1) != STATE_UNKNOWN)
    assert float(state_of(hass, phase_1)) >= 0
    assert len(ha_commands(simulator, "GET_GRID_STATUS")) == len(POINTS)  # none since setup

    # The push came: nothing is read after the wait either.
    fire(hass, GRID_PUSH_WAIT.total_seconds() + 1)
    await settle(hass, 0.5)  # a read would be sent and answered well within this
    assert len(ha_commands(simulator, "GET_GRID_STATUS")) == len(POINTS)


async def test_a_grid_without_pushes_is_read_once_after_the_wait(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    phase_1 = await _restarted_without_grid_load(hass, simulator)

    fire(hass, GRID_PUSH_WAIT.total_seconds() + 1)
    await wait_for(hass, lambda: len(ha_commands(simulator, "GET_GRID_STATUS")) > len(POINTS))
    await wait_for(hass, lambda: state_of(hass, phase_1) != STATE_UNKNOWN)
    # One request for the grid, not one per charge point on it.
    assert len(ha_commands(simulator, "GET_GRID_STATUS")) == len(POINTS) + 1


async def test_a_reconnect_does_not_show_the_old_grid_load_as_live(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, delays: list[float]
) -> None:
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    coordinator = coordinator_of(entry)
    phase_1 = _entity_id(hass, f"{GRID}_grid_current_phase_1")
    assert state_of(hass, phase_1) != STATE_UNKNOWN

    await reconnect(hass, simulator, coordinator, delays)
    assert state_of(hass, phase_1) == STATE_UNKNOWN
    await simulator.push_grid(GRID)
    await wait_for(hass, lambda: state_of(hass, phase_1) != STATE_UNKNOWN)


async def test_a_grid_that_pushes_is_not_read_after_a_reconnect(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, delays: list[float]
) -> None:
    """It pushed before: its next push brings the load; a read would cost a request each time."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    coordinator = coordinator_of(entry)
    await simulator.push_grid(GRID)
    await wait_for(hass, lambda: GRID in coordinator._grids_pushing)  # the push arrived
    phase_1 = _entity_id(hass, f"{GRID}_grid_current_phase_1")
    await reconnect(hass, simulator, coordinator, delays)
    assert state_of(hass, phase_1) == STATE_UNKNOWN

    fire(hass, GRID_PUSH_WAIT.total_seconds() + 1)
    await settle(hass, 0.5)  # a read would be sent and answered well within this
    assert len(ha_commands(simulator, "GET_GRID_STATUS")) == len(POINTS)  # setup's only
    await simulator.push_grid(GRID)
    await wait_for(hass, lambda: state_of(hass, phase_1) != STATE_UNKNOWN)


def _age(hass_storage: dict[str, Any], entry: MockConfigEntry, part: str, days: float) -> None:
    """Make a remembered part (`grids` or `cards`) `days` old."""
    moment = (dt_util.utcnow() - timedelta(days=days)).isoformat()
    data = hass_storage[_store_key(entry)]["data"]
    if part == "grids":
        for grid in data["grids"].values():
            grid["read_at"] = moment
    else:
        data[part]["read_at"] = moment


@pytest.mark.parametrize(
    ("grid_age", "card_age", "reads_again"),
    [
        (6, 0.5, False),  # grids within a week, cards within a day: nothing read
        (8, 1.5, True),  # older: read again
        (-30, -30, True),  # read "in the future" (a wrong clock): not trusted
    ],
)
async def test_grids_are_read_again_after_a_week_and_cards_after_a_day(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    simulator: BlueCurrentSimulator,
    grid_age: float,
    card_age: float,
    reads_again: bool,
) -> None:
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    assert await hass.config_entries.async_unload(entry.entry_id)
    _age(hass_storage, entry, "grids", grid_age)
    _age(hass_storage, entry, "cards", card_age)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    # One point per grid, not every point on it.
    assert len(ha_commands(simulator, "GET_GRID_STATUS")) == len(POINTS) + reads_again
    assert len(ha_commands(simulator, "GET_CHARGE_CARDS")) == 1 + reads_again


async def test_unreadable_memory_is_read_from_the_server(
    hass: HomeAssistant, hass_storage: dict[str, Any], simulator: BlueCurrentSimulator
) -> None:
    entry = make_entry(simulator)
    hass_storage[_store_key(entry)] = {
        "version": 1,
        "key": _store_key(entry),
        "data": {
            "grids": {GRID: {"read_at": "yesterday", "status": "x"}},
            "grid_of": ["BCU101"],
            "cards": {"read_at": 5},
        },
    }
    await setup_entry(hass, entry)
    coordinator = coordinator_of(entry)
    assert coordinator.data.grids[GRID].max_installed is not None
    assert len(ha_commands(simulator, "GET_GRID_STATUS")) == len(POINTS)
    assert len(ha_commands(simulator, "GET_CHARGE_CARDS")) == 1


async def test_remembered_figures_that_are_not_numbers_are_read_again(
    hass: HomeAssistant, hass_storage: dict[str, Any], simulator: BlueCurrentSimulator
) -> None:
    """Read "now", but not numbers: read again rather than shown as a sensor's value."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    assert await hass.config_entries.async_unload(entry.entry_id)
    figures = hass_storage[_store_key(entry)]["data"]["figures"]
    figures.update(co2="lots", trees=1.5)
    await _restart(hass, entry)

    assert _app_commands(simulator, "GET_SUSTAINABILITY_STATUS") == 2
    assert float(state_of(hass, _entity_id(hass, "co2_saved"))) > 0
    assert len(ha_commands(simulator, "GET_GRID_STATUS")) == len(POINTS)  # the rest is kept


async def test_a_charge_point_that_leaves_is_forgotten(
    hass: HomeAssistant, hass_storage: dict[str, Any], simulator: BlueCurrentSimulator
) -> None:
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    coordinator = coordinator_of(entry)
    simulator.remove_charge_point("BCU102")
    # Two successful reads without it (one empty reply removes nothing; this list has BCU101).
    await coordinator._async_fetch(full=False)
    await hass.async_block_till_done()
    assert "BCU102" not in coordinator.memory.grid_of
    stored = hass_storage[_store_key(entry)]["data"]
    assert stored["grid_of"] == {"BCU101": GRID}


async def test_removing_the_entry_removes_what_it_remembered(
    hass: HomeAssistant, hass_storage: dict[str, Any], simulator: BlueCurrentSimulator
) -> None:
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    assert _store_key(entry) in hass_storage
    assert hass_storage[_store_key(entry)]["data"]["cards"]["frame"]["cards"]

    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert _store_key(entry) not in hass_storage
