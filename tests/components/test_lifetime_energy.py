"""The lifetime energy meter: never decreases, never double counts (resets, restarts, quirks)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING
from unittest.mock import patch

import pytest
from homeassistant.const import EVENT_STATE_CHANGED, Platform
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, State, callback
from pytest_homeassistant_custom_component.common import mock_restore_cache_with_extra_data

from simulators.bluecurrent import BlueCurrentSimulator, SimulatorOptions

from .helpers import START, make_entry, setup_entry, wait_for

if TYPE_CHECKING:
    from collections.abc import Iterator

LIFETIME = "sensor.driveway_lifetime_energy"
SESSION = "sensor.driveway_session_energy"


@pytest.fixture(autouse=True)
def only_sensors() -> Iterator[None]:
    with patch("custom_components.ev_charge_points.PLATFORMS", [Platform.SENSOR]):
        yield


def value(hass: HomeAssistant, entity_id: str) -> float:
    state = hass.states.get(entity_id)
    assert state is not None
    return float(state.state)


def session_kwh(simulator: BlueCurrentSimulator) -> float:
    """The session energy the simulator reports (CH_STATUS actual_kwh)."""
    return round(simulator.charge_point("BCU101").session_kwh, 2)


async def charge(hass: HomeAssistant, simulator: BlueCurrentSimulator, seconds: int) -> None:
    """Let the simulator charge and wait until Home Assistant saw the result."""
    await simulator.clock.advance(seconds, step=30)
    await simulator.push_status("BCU101")
    expected = session_kwh(simulator)
    await wait_for(hass, lambda: value(hass, SESSION) == expected)


@pytest.fixture
def recorded(hass: HomeAssistant) -> list[float]:
    """Every value the lifetime meter takes."""
    values: list[float] = []

    @callback
    def _changed(event: Event[EventStateChangedData]) -> None:
        if event.data["entity_id"] == LIFETIME and (state := event.data["new_state"]) is not None:
            values.append(float(state.state))

    hass.bus.async_listen(EVENT_STATE_CHANGED, _changed)
    return values


async def test_meter_follows_the_session(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, recorded: list[float]
) -> None:
    await setup_entry(hass, make_entry(simulator))
    state = hass.states.get(LIFETIME)
    assert state is not None
    assert state.attributes["state_class"] == "total_increasing"
    assert state.attributes["device_class"] == "energy"
    assert state.attributes["unit_of_measurement"] == "kWh"
    assert float(state.state) == 5.2  # a new meter starts with the reported session

    await charge(hass, simulator, 900)
    assert value(hass, LIFETIME) == pytest.approx(session_kwh(simulator), abs=1e-6)
    assert recorded == sorted(recorded)


@pytest.mark.parametrize(
    "simulator_options",
    [SimulatorOptions(), SimulatorOptions(stale_start_datetime=True)],
    ids=["plain", "stale_start_quirk"],
)
async def test_new_session_counts_from_zero(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, recorded: list[float]
) -> None:
    """Unplug and plug in again: the session value drops to 0, the meter keeps growing.

    With the quirk the first push of the new session still carries the old start time.
    """
    await setup_entry(hass, make_entry(simulator))
    await charge(hass, simulator, 600)
    first = value(hass, LIFETIME)
    await simulator.unplug("BCU101")
    await simulator.clock.advance(300, step=30)
    await simulator.plug_in("BCU101", energy_needed_kwh=30)  # plug & charge: a new session
    await charge(hass, simulator, 1200)

    second_session = session_kwh(simulator)
    assert 0 < second_session < first
    assert value(hass, LIFETIME) == pytest.approx(first + second_session, abs=1e-6)
    assert recorded == sorted(recorded)


async def test_meter_survives_a_restart_mid_session(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    await charge(hass, simulator, 600)
    before, counted = value(hass, LIFETIME), value(hass, SESSION)
    assert await hass.config_entries.async_unload(entry.entry_id)

    # Home Assistant is away while the same session goes on.
    await simulator.clock.advance(1200, step=30)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    now = session_kwh(simulator)
    await wait_for(hass, lambda: value(hass, SESSION) == now)

    assert value(hass, LIFETIME) == pytest.approx(before + now - counted, abs=1e-6)


@pytest.mark.parametrize(
    ("restored_start", "expected"),
    [
        (START - timedelta(minutes=30), 100.2),  # the same session: only its growth counts
        (START - timedelta(days=1), 105.2),  # a new session began while HA was off
    ],
)
async def test_restored_meter(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    restored_start: object,
    expected: float,
) -> None:
    mock_restore_cache_with_extra_data(
        hass,
        (
            (
                State(LIFETIME, "100.0"),
                {
                    "native_value": 100.0,
                    "native_unit_of_measurement": "kWh",
                    "session_start": restored_start.isoformat(),  # type: ignore[attr-defined]
                    "session_energy": 5.0,
                },
            ),
        ),
    )
    await setup_entry(hass, make_entry(simulator))
    assert value(hass, LIFETIME) == pytest.approx(expected)


async def test_unreadable_restore_data_starts_a_new_meter(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    mock_restore_cache_with_extra_data(
        hass, ((State(LIFETIME, "12"), {"native_value": "not a number"}),)
    )
    await setup_entry(hass, make_entry(simulator))
    assert value(hass, LIFETIME) == 5.2


async def test_start_moving_before_the_value_resets_is_not_a_new_session(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """A frame with a new start but the old session's value adds nothing; the reset does."""
    await setup_entry(hass, make_entry(simulator))
    await charge(hass, simulator, 600)
    before, old = value(hass, LIFETIME), value(hass, SESSION)
    frame = simulator._status_object(simulator.charge_point("BCU101"), push=False)
    frame["data"]["start_datetime"] = "20260310 13:20:00"

    await simulator.faults.send_object(frame)
    await wait_for(
        hass,
        lambda: (
            hass.states.get("sensor.driveway_session_started").state  # type: ignore[union-attr]
            == "2026-03-10T12:20:00+00:00"
        ),
    )
    assert value(hass, SESSION) == old
    assert value(hass, LIFETIME) == before

    frame["data"]["actual_kwh"] = 0.5
    await simulator.faults.send_object(frame)
    await wait_for(hass, lambda: value(hass, SESSION) == 0.5)
    assert value(hass, LIFETIME) == pytest.approx(before + 0.5)
