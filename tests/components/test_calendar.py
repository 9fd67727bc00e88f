"""The charging-session calendar of each charge point, against the simulator's history."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import pytest
from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util

from custom_components.ev_charge_points.const import DOMAIN
from simulators.bluecurrent import BlueCurrentSimulator, Scenario, SimClock, SimulatorOptions

from .helpers import CUSTOMER_ID, START, make_entry, setup_entry, wait_for

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from simulators.bluecurrent.rest import SimTransaction

SCENARIO = Path(__file__).parents[2] / "simulators" / "bluecurrent" / "scenarios" / "test.json"
DRIVEWAY = "calendar.driveway_charging_sessions"
GARAGE = "calendar.garage_charging_sessions"


@pytest.fixture
async def simulator(
    socket_enabled: None, simulator_options: SimulatorOptions
) -> AsyncIterator[BlueCurrentSimulator]:
    """The test scenario with ten days of session history before START."""
    scenario = Scenario.from_file(SCENARIO)
    scenario.accounts[0].history_days = 10
    async with BlueCurrentSimulator(
        scenario, options=simulator_options, clock=SimClock(START)
    ) as sim:
        yield sim


@pytest.fixture
async def entry(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> AsyncIterator[MockConfigEntry]:
    """The account with only the calendar platform, its first import done."""
    entry = make_entry(simulator)
    with (
        patch("custom_components.ev_charge_points.PLATFORMS", [Platform.CALENDAR]),
        patch("custom_components.ev_charge_points.history.SESSION_END_IMPORT_DELAY", 0),
    ):
        await setup_entry(hass, entry)
        manager = entry.runtime_data.history
        await wait_for(hass, lambda: manager.last_import is not None)
        yield entry


async def get_events(hass: HomeAssistant, entity_id: str, days_back: int) -> list[dict[str, Any]]:
    response = await hass.services.async_call(
        "calendar",
        "get_events",
        {
            "entity_id": entity_id,
            "start_date_time": dt_util.as_local(START - timedelta(days=days_back)),
            "end_date_time": dt_util.as_local(START + timedelta(days=1)),
        },
        blocking=True,
        return_response=True,
    )
    assert response is not None
    events = response[entity_id]["events"]  # type: ignore[index]
    assert isinstance(events, list)
    return events


def as_event(t: SimTransaction, name: str = "Garage") -> dict[str, Any]:
    """The English event of a session: named after the charge point, one fact a line."""
    description = [f"Energy: {t.kwh:.2f} kWh", f"Cost: €{t.total_costs:.2f}"]
    if t.card_name:
        description.append(f"Card: {t.card_name}")
    return {
        "start": dt_util.as_local(t.started_at).isoformat(),
        "end": dt_util.as_local(t.ended_at).isoformat(),
        "summary": f"{name}: {t.kwh:.2f} kWh, €{t.total_costs:.2f}",
        "description": "\n\n".join(description),
    }


async def test_calendar_per_charge_point(
    hass: HomeAssistant, entry: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    for entity_id, evse_id in ((DRIVEWAY, "BCU101"), (GARAGE, "BCU102")):
        registered = entity_registry.async_get(entity_id)
        assert registered is not None
        assert registered.unique_id == f"{CUSTOMER_ID}_{evse_id}_charging_sessions"
        device = dr.async_get(hass).async_get(registered.device_id or "")
        assert device is not None
        assert (DOMAIN, evse_id) in device.identifiers


async def test_events_are_the_simulators_sessions(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    events = await get_events(hass, GARAGE, days_back=30)
    expected = simulator.rest.transactions(evse_id="BCU102")
    assert len(expected) > 3
    assert events == [as_event(t) for t in sorted(expected, key=lambda t: t.started_at)]

    # A narrower range returns only the sessions that overlap it.
    response = await hass.services.async_call(
        "calendar",
        "get_events",
        {
            "entity_id": GARAGE,
            "start_date_time": dt_util.as_local(START - timedelta(days=5)),
            "end_date_time": dt_util.as_local(START - timedelta(days=2)),
        },
        blocking=True,
        return_response=True,
    )
    assert response is not None
    narrow = response[GARAGE]["events"]  # type: ignore[index]
    assert narrow == [
        as_event(t)
        for t in sorted(expected, key=lambda t: t.started_at)
        if t.ended_at >= START - timedelta(days=5) and t.started_at < START - timedelta(days=2)
    ]


async def test_running_session_is_the_current_event(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    driveway = hass.states.get(DRIVEWAY)
    assert driveway is not None
    assert driveway.state == STATE_ON  # BCU101 is charging
    assert driveway.attributes["message"] == "Driveway: charging"
    assert driveway.attributes["start_time"] == dt_util.as_local(
        START - timedelta(minutes=30)
    ).strftime("%Y-%m-%d %H:%M:%S")
    assert hass.states.get(GARAGE).state == STATE_OFF  # type: ignore[union-attr]

    events = await get_events(hass, DRIVEWAY, days_back=2)
    assert events[-1]["summary"] == "Driveway: charging"
    finished = len(events) - 1

    # The session ends: the calendar goes off and the session is imported as an event.
    manager = entry.runtime_data.history
    known = len(manager.sessions("BCU101"))
    await simulator.clock.advance(900, step=60)
    await simulator.unplug("BCU101")
    await wait_for(hass, lambda: hass.states.get(DRIVEWAY).state == STATE_OFF)  # type: ignore[union-attr]
    await wait_for(hass, lambda: len(manager.sessions("BCU101")) == known + 1)
    events = await get_events(hass, DRIVEWAY, days_back=2)
    assert len(events) == finished + 1
    newest = simulator.rest.transactions(evse_id="BCU101")[-1]
    assert events[-1] == as_event(newest, "Driveway")
    assert newest.ended_at == START + timedelta(minutes=15)


async def test_events_in_the_users_language_and_number_format(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """In Dutch: Dutch words, a decimal comma and the euro sign where Dutch puts it."""
    await hass.config.async_update(language="nl")
    events = await get_events(hass, GARAGE, days_back=30)
    expected = sorted(simulator.rest.transactions(evse_id="BCU102"), key=lambda t: t.started_at)
    first, t = events[0], expected[0]
    kwh, cost = f"{t.kwh:.2f}".replace(".", ","), f"{t.total_costs:.2f}".replace(".", ",")
    assert first["summary"] == f"Garage: {kwh} kWh, € {cost}"
    assert first["description"].split("\n\n")[:2] == [f"Energie: {kwh} kWh", f"Kosten: € {cost}"]
    assert "EUR" not in first["summary"]
