"""The charge current limit: an owned all-day override schedule, checked on the wire."""

from __future__ import annotations

import asyncio
from datetime import time, timedelta
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import pytest
from homeassistant.components.number import ATTR_MAX, ATTR_MIN, ATTR_VALUE, SERVICE_SET_VALUE
from homeassistant.components.number import DOMAIN as NUMBER_DOMAIN
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE, Platform
from homeassistant.core import State
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    mock_restore_cache_with_extra_data,
    snapshot_platform,
)

from custom_components.ev_charge_points.api.bluecurrent import BlueCurrentClient, Weekday
from custom_components.ev_charge_points.const import RECONNECT_MAX_DELAY

from .helpers import TOKEN, coordinator_of, make_entry, setup_entry, wait_for

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers import entity_registry as er
    from syrupy.assertion import SnapshotAssertion

    from simulators.bluecurrent import BlueCurrentSimulator

LIMIT = "number.driveway_charge_current_limit"
ALL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _owned_payload(current: float, *, points: list[str] | None = None) -> dict[str, Any]:
    """The wire fields of the integration's all-day schedule."""
    return {
        "chargepoints": points or ["BCU101"],
        "overridestarttime": "00:00",
        "overridestartdays": ALL_DAYS,
        "overridestoptime": "23:59",
        "overridestopdays": ALL_DAYS,
        "overridevalue": current,
    }


def _wire(simulator: BlueCurrentSimulator, command: str) -> list[dict[str, Any]]:
    return [
        {key: value for key, value in payload.items() if key != "Authorization"}
        for payload in simulator.commands(command)
    ]


def _schedule_writes(simulator: BlueCurrentSimulator) -> list[str]:
    return [
        command.name
        for command in simulator.received
        if command.name.startswith(("POST_SET_", "POST_EDIT_", "POST_CLEAR_"))
    ]


async def _as_the_app[T](
    simulator: BlueCurrentSimulator, action: Callable[[BlueCurrentClient], Awaitable[T]]
) -> T:
    """Change the account from outside Home Assistant (another client of the same account)."""
    client = BlueCurrentClient(TOKEN, url=simulator.url)
    await client.connect()
    listener = asyncio.create_task(client.listen())
    try:
        return await action(client)
    finally:
        await client.disconnect()
        await listener


def _restored(value: float) -> dict[str, Any]:
    """What RestoreNumber stored for the limit at the last shutdown."""
    return {
        "native_max_value": 16,
        "native_min_value": 6,
        "native_step": 1,
        "native_unit_of_measurement": "A",
        "native_value": value,
    }


@pytest.fixture
async def entry(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> AsyncIterator[MockConfigEntry]:
    """The account with only the number platform (time runs: real sockets)."""
    entry = make_entry(simulator)
    with patch("custom_components.ev_charge_points.PLATFORMS", [Platform.NUMBER]):
        await setup_entry(hass, entry)
        yield entry


async def _set(hass: HomeAssistant, value: float, entity_id: str = LIMIT) -> None:
    await hass.services.async_call(
        NUMBER_DOMAIN,
        SERVICE_SET_VALUE,
        {ATTR_ENTITY_ID: entity_id, ATTR_VALUE: value},
        blocking=True,
    )


def _value(hass: HomeAssistant, entity_id: str = LIMIT) -> str:
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state


async def test_numbers(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """No limit set: each number stands at its charge point's maximum."""
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)
    assert coordinator_of(entry).override_schedules == {}  # read, and empty


async def test_limit_creates_edits_and_clears_its_schedule(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """Below the maximum: one all-day schedule, then edited; the maximum removes it."""
    state = hass.states.get(LIMIT)
    assert state is not None
    assert (state.state, state.attributes[ATTR_MIN], state.attributes[ATTR_MAX]) == ("16.0", 6, 16)

    await _set(hass, 10)
    assert _wire(simulator, "POST_SET_OVERRIDE_CURRENT") == [
        {"command": "POST_SET_OVERRIDE_CURRENT", **_owned_payload(10.0)}
    ]
    assert _value(hass) == "10.0"
    (schedule,) = simulator.schedules(TOKEN)
    assert (schedule.charge_points, schedule.current) == (["BCU101"], 10.0)

    # The cap reaches the car: the next status shows the lower current.
    await simulator.push_status("BCU101")
    coordinator = coordinator_of(entry)
    await wait_for(
        hass,
        lambda: (coordinator.data.charge_points["BCU101"].current[0] or 99) <= 10,
    )

    await _set(hass, 8)
    assert _wire(simulator, "POST_EDIT_OVERRIDE_CURRENT") == [
        {
            "command": "POST_EDIT_OVERRIDE_CURRENT",
            "schedule_id": schedule.schedule_id,
            **_owned_payload(8.0),
        }
    ]
    assert _value(hass) == "8.0"

    await _set(hass, 16)
    assert _wire(simulator, "POST_CLEAR_OVERRIDE_CURRENT") == [
        {"command": "POST_CLEAR_OVERRIDE_CURRENT", "schedule_id": int(schedule.schedule_id)}
    ]
    assert _value(hass) == "16.0"
    assert simulator.schedules(TOKEN) == []
    assert _value(hass, "number.garage_charge_current_limit") == "20.0"


async def test_same_value_sends_nothing(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """Load balancers repeat their set-point; an unchanged limit costs no request."""
    await _set(hass, 10)
    await _set(hass, 10)
    await _set(hass, 16)
    await _set(hass, 16)
    assert _schedule_writes(simulator) == [
        "POST_SET_OVERRIDE_CURRENT",
        "POST_CLEAR_OVERRIDE_CURRENT",
    ]


async def test_limit_takes_the_point_out_of_a_shared_schedule(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """A point in the user's schedule leaves it (edited for the others), then gets its own."""
    shared = await _as_the_app(
        simulator,
        lambda client: client.set_override_current(
            ["BCU101", "BCU102"],
            start_time=time(8, 0),
            start_days=[Weekday.MO],
            stop_time=time(18, 0),
            stop_days=[Weekday.MO],
            current=12,
        ),
    )
    await coordinator_of(entry).async_list_overrides()
    assert _value(hass) == "16.0"  # the user's schedule is not the limit

    await _set(hass, 9)
    assert _schedule_writes(simulator)[1:] == [
        "POST_EDIT_OVERRIDE_CURRENT",
        "POST_SET_OVERRIDE_CURRENT",
    ]
    assert _wire(simulator, "POST_EDIT_OVERRIDE_CURRENT")[0]["chargepoints"] == ["BCU102"]
    schedules = {tuple(s.charge_points): s for s in simulator.schedules(TOKEN)}
    assert schedules[("BCU102",)].schedule_id == shared.schedule_id
    assert schedules[("BCU101",)].current == 9
    assert _value(hass) == "9.0"


async def test_out_of_range_is_refused_before_sending(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """Below 6 A or above the point's maximum: Home Assistant refuses, nothing is sent."""
    for value in (5, 17):
        with pytest.raises(ServiceValidationError):
            await _set(hass, value)
    assert _schedule_writes(simulator) == []


async def test_refused_change_shows_the_server_state(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """The app removed the schedule: clearing is refused, and the number shows the truth."""
    await _set(hass, 10)
    (schedule,) = simulator.schedules(TOKEN)
    await _as_the_app(simulator, lambda client: client.clear_override_current(schedule.schedule_id))
    assert _value(hass) == "10.0"  # nobody told Home Assistant

    with pytest.raises(HomeAssistantError) as err:
        await _set(hass, 16)
    assert err.value.translation_key == "command_rejected"
    assert err.value.translation_placeholders is None
    assert _value(hass) == "16.0"  # read again after the refusal


async def test_refused_change_returns_to_the_confirmed_value(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """A refused edit: an error, and the box shows the value the server confirmed.

    The state is written again after the refusal (a new `last_reported`), so a control that
    showed the refused number is given the confirmed one back.
    """
    await _set(hass, 10)
    before = hass.states.get(LIMIT)
    assert before is not None
    assert before.attributes["mode"] == "box"  # the number and the whole name are shown
    reported = before.last_reported

    simulator.faults.error_next("POST_EDIT_OVERRIDE_CURRENT", 9, "Unknown error")
    with pytest.raises(HomeAssistantError) as err:
        await _set(hass, 7)
    assert err.value.translation_key == "server_unknown_error"
    after = hass.states.get(LIMIT)
    assert after is not None
    assert after.state == "10.0"
    assert after.last_reported > reported
    assert simulator.schedules(TOKEN)[0].current == 10.0


async def test_restored_limit_is_recreated_when_the_server_lost_it(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """After a restart the last value comes back; the server had lost it, so it is sent."""
    mock_restore_cache_with_extra_data(
        hass,
        [(State(LIMIT, "11"), _restored(11))],
    )
    entry = make_entry(simulator)
    with patch("custom_components.ev_charge_points.PLATFORMS", [Platform.NUMBER]):
        await setup_entry(hass, entry)
    await wait_for(hass, lambda: _value(hass) == "11.0")
    assert _wire(simulator, "POST_SET_OVERRIDE_CURRENT") == [
        {"command": "POST_SET_OVERRIDE_CURRENT", **_owned_payload(11.0)}
    ]


async def test_restored_limit_the_server_kept_is_not_sent_again(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """The server still has a limit (changed to 7 in the app): it is adopted, not overwritten."""
    await _as_the_app(
        simulator,
        lambda client: client.set_override_current(
            ["BCU101"],
            start_time=time(0, 0),
            start_days=list(Weekday),
            stop_time=time(23, 59),
            stop_days=list(Weekday),
            current=7,
        ),
    )
    mock_restore_cache_with_extra_data(
        hass,
        [(State(LIMIT, "11"), _restored(11))],
    )
    entry = make_entry(simulator)
    with patch("custom_components.ev_charge_points.PLATFORMS", [Platform.NUMBER]):
        await setup_entry(hass, entry)
    assert _value(hass) == "7.0"
    assert _schedule_writes(simulator) == ["POST_SET_OVERRIDE_CURRENT"]  # the app's own
    # Should the server lose it later, the app's 7 A is what comes back.
    assert coordinator_of(entry).current_limit_wanted("BCU101") == 7


@pytest.mark.parametrize("lost", [True, False], ids=["lost", "kept"])
async def test_reconnect_reasserts_only_a_lost_limit(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator, lost: bool
) -> None:
    """After a reconnect the list is read again; only a missing limit is sent again."""
    await _set(hass, 10)
    if lost:
        (schedule,) = simulator.schedules(TOKEN)
        await _as_the_app(
            simulator, lambda client: client.clear_override_current(schedule.schedule_id)
        )
    coordinator = coordinator_of(entry)
    lists = len(simulator.commands("LIST_OVERRIDE_CURRENT"))
    await simulator.faults.drop_connections()
    await wait_for(hass, lambda: not coordinator.link_up)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=RECONNECT_MAX_DELAY * 2))
    await wait_for(hass, lambda: len(simulator.commands("LIST_OVERRIDE_CURRENT")) > lists)
    await hass.async_block_till_done()
    expected = ["POST_SET_OVERRIDE_CURRENT"] * (2 if lost else 1)
    if lost:
        expected.insert(1, "POST_CLEAR_OVERRIDE_CURRENT")  # the app's
    assert _schedule_writes(simulator) == expected
    assert [s.current for s in simulator.schedules(TOKEN)] == [10.0]
    assert _value(hass) == "10.0"


async def test_unavailable_while_offline(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """An offline charge point cannot take a new limit."""
    await simulator.set_offline("BCU101")
    await wait_for(hass, lambda: _value(hass) == STATE_UNAVAILABLE)
    await simulator.set_online("BCU101")
    await wait_for(hass, lambda: _value(hass) == "16.0")
