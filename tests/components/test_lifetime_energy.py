"""The lifetime energy meter: never decreases, never double counts (resets, restarts, quirks).

Home Assistant's clock follows the simulator's (the meter bounds each step by what the charge
point could deliver in the time between frames). A new meter starts from the account's
history: the test scenario's last completed session of BCU101 (12.5 kWh).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import pytest
from homeassistant.const import (
    EVENT_STATE_CHANGED,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, State, callback
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import mock_restore_cache_with_extra_data

from custom_components.ev_charge_points.brands.bluecurrent.const import (
    CHARGE_POINTS_REFRESH_INTERVAL,
)
from custom_components.ev_charge_points.const import DOMAIN
from custom_components.ev_charge_points.history import HistoryManager
from custom_components.ev_charge_points.lifetime_meter import (
    CountedSession,
    LifetimeMeter,
    MeterObservation,
    MeterState,
    MeterUpdate,
)
from simulators.bluecurrent import BlueCurrentSimulator, SimClock, SimulatorOptions

from .helpers import (
    START,
    TOKEN,
    coordinator_of,
    ended_events,
    fire,
    make_entry,
    settle,
    setup_entry,
    wait_for,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pytest_homeassistant_custom_component.common import MockConfigEntry

LIFETIME = "sensor.driveway_lifetime_energy"
SESSION = "sensor.driveway_session_energy"
STARTED = "sensor.driveway_session_started"
STOPPED = "sensor.driveway_session_stopped"


HISTORY_KWH = 12.5  # the scenario's last completed session of BCU101
START_S1 = START - timedelta(minutes=30)  # the session BCU101 runs at START


@pytest.fixture(autouse=True)
def only_sensors() -> Iterator[None]:
    with patch("custom_components.ev_charge_points.PLATFORMS", [Platform.SENSOR]):
        yield


@pytest.fixture(autouse=True)
def meter_clock_follows_the_simulator(simulator: BlueCurrentSimulator) -> Iterator[None]:
    """The meter sees each frame at the simulator's time.

    Patched rather than frozen: moving Home Assistant's whole clock by minutes also moves
    the event loop's, which times out the websocket keepalive; the meter's bound needs only
    the time between frames.
    """
    with patch("custom_components.ev_charge_points.coordinator._frame_time", simulator.clock.now):
        yield


async def set_up(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the entry up and wait for the history's first import (the meter's seed)."""
    await setup_entry(hass, entry)
    history = entry.runtime_data.history
    await wait_for(hass, history.synced.is_set)
    await hass.async_block_till_done()


def value(hass: HomeAssistant, entity_id: str) -> float:
    state = hass.states.get(entity_id)
    assert state is not None
    return float(state.state)


def shown(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state


def session_kwh(simulator: BlueCurrentSimulator) -> float:
    """The session energy the simulator reports (CH_STATUS actual_kwh)."""
    return round(simulator.charge_point("BCU101").session_kwh, 2)


async def charge(hass: HomeAssistant, simulator: BlueCurrentSimulator, seconds: int) -> None:
    """Let the simulator charge, Home Assistant seeing each minute's push as it happens."""
    for _ in range(seconds // 60):
        await simulator.clock.advance(60, step=60)
        await simulator.push_status("BCU101")
        expected = session_kwh(simulator)
        await wait_for(
            hass,
            lambda expected=expected: (
                hass.states.get(SESSION).state  # type: ignore[union-attr]
                == str(expected)
            ),
        )


@pytest.fixture
def recorded(hass: HomeAssistant) -> list[float]:
    """Every value the lifetime meter takes."""
    values: list[float] = []

    @callback
    def _changed(event: Event[EventStateChangedData]) -> None:
        state = event.data["new_state"]
        if event.data["entity_id"] != LIFETIME or state is None:
            return
        if state.state not in (STATE_UNKNOWN, STATE_UNAVAILABLE):
            values.append(float(state.state))

    hass.bus.async_listen(EVENT_STATE_CHANGED, _changed)
    return values


async def test_meter_follows_the_session(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, recorded: list[float]
) -> None:
    await set_up(hass, make_entry(simulator))
    state = hass.states.get(LIFETIME)
    assert state is not None
    assert state.attributes["state_class"] == "total_increasing"
    assert state.attributes["device_class"] == "energy"
    assert state.attributes["unit_of_measurement"] == "kWh"
    # A new meter starts from the account's history, plus the session running now (which
    # began after the last one in the history).
    assert float(state.state) == HISTORY_KWH + 5.2

    await charge(hass, simulator, 900)
    assert value(hass, LIFETIME) == pytest.approx(HISTORY_KWH + session_kwh(simulator), abs=1e-6)
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
    await set_up(hass, make_entry(simulator))
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
    await set_up(hass, entry)
    await charge(hass, simulator, 600)
    before, counted = value(hass, LIFETIME), value(hass, SESSION)
    assert await hass.config_entries.async_unload(entry.entry_id)

    # Home Assistant is away while the same session goes on.
    await simulator.clock.advance(1200, step=30)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await simulator.push_status("BCU101")
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
async def test_restored_meter_of_the_previous_version(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    restored_start: datetime,
    expected: float,
) -> None:
    """What the sensor stored before the meter module continues without a jump."""
    mock_restore_cache_with_extra_data(
        hass,
        (
            (
                State(LIFETIME, "100.0", last_updated=START - timedelta(hours=1)),
                {
                    "native_value": 100.0,
                    "native_unit_of_measurement": "kWh",
                    "session_start": restored_start.isoformat(),
                    "session_energy": 5.0,
                },
            ),
        ),
    )
    await set_up(hass, make_entry(simulator))
    # A new session needs a second frame as evidence: the next push.
    await simulator.clock.advance(60, step=60)
    await simulator.push_status("BCU101")
    expected += session_kwh(simulator) - 5.2
    await wait_for(hass, lambda: value(hass, LIFETIME) == pytest.approx(expected))


async def test_unreadable_restore_data_starts_a_new_meter(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    mock_restore_cache_with_extra_data(
        hass, ((State(LIFETIME, "12"), {"native_value": "not a number"}),)
    )
    await set_up(hass, make_entry(simulator))
    assert value(hass, LIFETIME) == HISTORY_KWH + 5.2


async def test_start_moving_before_the_value_resets_is_not_a_new_session(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """A frame with a new start but the old session's value adds nothing; the reset does."""
    await set_up(hass, make_entry(simulator))
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

    # Five minutes later (nothing else pushed): time enough for 0.5 kWh of a new session.
    simulator.clock.set(simulator.clock.now() + timedelta(minutes=5))
    frame["data"]["actual_kwh"] = 0.5
    await simulator.faults.send_object(frame)
    await wait_for(hass, lambda: value(hass, SESSION) == 0.5)
    assert value(hass, LIFETIME) == pytest.approx(before + 0.5)


# --- a whole sequence of bad frames ---------------------------------------------------------


async def status(simulator: BlueCurrentSimulator, hass: HomeAssistant, **data: object) -> None:
    """Send the charge point's CH_STATUS with `data` replaced, and let Home Assistant see it."""
    await simulator.faults.frames.send_status("BCU101", **data)
    await settle(hass)


@pytest.mark.parametrize(
    "simulator_options", [SimulatorOptions(stale_start_datetime=True)], ids=["stale_start_quirk"]
)
async def test_a_sequence_of_bad_frames_counts_every_kwh_exactly_once(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, recorded: list[float]
) -> None:
    """Null and empty times, dips, negative and absurd values, the quirk, a late frame.

    The meter ends at the history plus exactly what the two sessions delivered.
    """
    await set_up(hass, make_entry(simulator))
    initial = value(hass, LIFETIME)  # the history and the 5.2 kWh of the running session
    await charge(hass, simulator, 120)

    # Times that are not sent every time: null, then empty, then a normal push.
    await status(simulator, hass, start_datetime=None, stop_datetime=None)
    await status(simulator, hass, start_datetime="", stop_datetime="")
    await charge(hass, simulator, 60)
    # A dip that recovers, a negative value, an absurd spike.
    await status(simulator, hass, actual_kwh=round(session_kwh(simulator) - 1.5, 2))
    await status(simulator, hass, actual_kwh=-3.0)
    await status(simulator, hass, actual_kwh=1e9)
    await charge(hass, simulator, 120)
    assert value(hass, LIFETIME) == pytest.approx(initial - 5.2 + session_kwh(simulator), abs=1e-6)

    # The first session ends; remember one of its frames to send late.
    late_frame = simulator._status_object(simulator.charge_point("BCU101"), push=False)
    await simulator.clock.advance(60, step=60)
    await simulator.unplug("BCU101")
    await settle(hass)
    (first,) = [
        t for t in simulator.rest.transactions(evse_id="BCU101") if t.started_at == START_S1
    ]

    # A new session: its first push still carries the old start (the quirk).
    await simulator.clock.advance(300, step=60)
    await simulator.plug_in("BCU101", energy_needed_kwh=30)
    await charge(hass, simulator, 300)
    # One late frame of the previous session, then more of the new one with a null start.
    await simulator.faults.send_object(late_frame)
    await settle(hass)
    await status(simulator, hass, start_datetime=None)
    await charge(hass, simulator, 300)

    second = session_kwh(simulator)
    assert 0 < second < first.kwh
    assert value(hass, LIFETIME) == pytest.approx(initial - 5.2 + first.kwh + second, abs=1e-6)
    assert recorded == sorted(recorded)  # never down
    assert initial == HISTORY_KWH + 5.2  # the meter started from the account's history


AUTUMN = datetime(2026, 10, 25, 0, 0, tzinfo=UTC)  # 02:00 summer time in Amsterdam


@pytest.mark.parametrize("simulator_clock", [SimClock(AUTUMN)], ids=["autumn_clock_change"])
async def test_sessions_in_the_repeated_autumn_hour(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, recorded: list[float]
) -> None:
    """Server times are naive Amsterdam time: 02:00-03:00 happens twice on 25 October.

    A session starts at 02:40 (summer time) and ends at 02:20 (winter time, read as summer
    time: before its start); the next starts at 02:30 (winter time). Each counts once.
    """
    await set_up(hass, make_entry(simulator))
    history = sum(
        t.kwh for t in simulator.rest.transactions(evse_id="BCU101") if t.ended_at < AUTUMN
    )
    await charge(hass, simulator, 300)
    await simulator.unplug("BCU101")  # 00:05 UTC
    await simulator.clock.advance(35 * 60, step=60)
    await simulator.plug_in("BCU101", energy_needed_kwh=30)  # 00:40 UTC = 02:40 CEST
    await charge(hass, simulator, 40 * 60)
    await simulator.unplug("BCU101")  # 01:20 UTC = 02:20 CET
    await settle(hass)
    await simulator.clock.advance(10 * 60, step=60)
    await simulator.plug_in("BCU101", energy_needed_kwh=30)  # 01:30 UTC = 02:30 CET
    await charge(hass, simulator, 10 * 60)

    done = [t.kwh for t in simulator.rest.transactions(evse_id="BCU101") if t.ended_at >= AUTUMN]
    assert len(done) == 2
    expected = history + sum(done) + session_kwh(simulator)
    assert value(hass, LIFETIME) == pytest.approx(expected, abs=1e-6)
    assert recorded == sorted(recorded)


# --- one meter per charge point -------------------------------------------------------------


@pytest.fixture
def observed() -> Iterator[list[MeterObservation]]:
    """Every frame a lifetime meter observes (a counting wrapper; the meter is unchanged)."""
    seen: list[MeterObservation] = []
    original = LifetimeMeter.observe

    def counting(meter: LifetimeMeter, observation: MeterObservation) -> MeterUpdate:
        seen.append(observation)
        return original(meter, observation)

    with patch.object(LifetimeMeter, "observe", counting):
        yield seen


@pytest.fixture
def ended(hass: HomeAssistant) -> list[dict[str, Any]]:
    """The `session_ended` events automations see."""
    return ended_events(hass)


async def one_frame(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    observed: list[MeterObservation],
    session: float,
) -> None:
    """Send one CH_STATUS of BCU101 a minute later, with this session energy: one observation."""
    simulator.clock.set(simulator.clock.now() + timedelta(minutes=1))
    observed.clear()
    await simulator.faults.frames.send_status("BCU101", actual_kwh=session)
    await wait_for(hass, lambda: value(hass, SESSION) == session)
    assert len(observed) == 1
    assert observed[0].session_energy_kwh == session


async def test_each_frame_goes_through_one_meter_once(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, observed: list[MeterObservation]
) -> None:
    """The session times, `session_ended` and the lifetime energy come from one meter."""
    await set_up(hass, make_entry(simulator))
    for session in (5.3, 5.4, 5.5):
        await one_frame(hass, simulator, observed, session)
        assert value(hass, LIFETIME) == pytest.approx(HISTORY_KWH + session, abs=1e-6)


async def test_restored_mid_session_counts_the_running_session_once(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, observed: list[MeterObservation]
) -> None:
    """The coordinator sees the running session before the sensor restores the meter.

    The restored meter had counted 3 kWh of that session: the 5.2 kWh it holds now add 2.2,
    not 5.2 more (twice) nor nothing (lost), and every later kWh counts once.
    """
    restored = MeterState(
        total_kwh=100.0,
        session=CountedSession(
            start=START_S1, counted_kwh=3.0, counted_at=START - timedelta(minutes=20)
        ),
        shown_start=START_S1,
    )
    mock_restore_cache_with_extra_data(
        hass,
        (
            (
                State(LIFETIME, "100.0"),
                {
                    "native_value": 100.0,
                    "native_unit_of_measurement": "kWh",
                    "meter": restored.to_dict(),
                },
            ),
        ),
    )
    await set_up(hass, make_entry(simulator))
    assert observed[0].session_energy_kwh == 5.2  # the first frame, before the restore
    assert value(hass, LIFETIME) == pytest.approx(102.2, abs=1e-6)

    await charge(hass, simulator, 600)
    assert value(hass, LIFETIME) == pytest.approx(100.0 + session_kwh(simulator) - 3.0, abs=1e-6)


async def test_reload_mid_session_goes_on_with_one_meter(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    observed: list[MeterObservation],
    ended: list[dict[str, Any]],
) -> None:
    """Reloading the entry: the restored meter goes on exactly, one frame one observation,
    and reading the running session again ends nothing."""
    entry = make_entry(simulator)
    await set_up(hass, entry)
    await charge(hass, simulator, 300)
    before, counted = value(hass, LIFETIME), value(hass, SESSION)

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert value(hass, LIFETIME) == before
    await one_frame(hass, simulator, observed, round(counted + 0.1, 2))
    assert value(hass, LIFETIME) == pytest.approx(before + 0.1, abs=1e-6)

    await charge(hass, simulator, 300)
    assert value(hass, LIFETIME) == pytest.approx(before + session_kwh(simulator) - counted)
    assert ended == []


async def test_meter_waiting_for_its_seed_shows_times_and_counts_once(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    observed: list[MeterObservation],
    recorded: list[float],
    ended: list[dict[str, Any]],
) -> None:
    """Before the history's first import the lifetime energy is unknown, but the session
    times and `session_ended` already work; the seed then holds the session that ended
    meanwhile: the meter does not add it a second time, and the times shown stay.

    The import is held by a wrapper: the simulator answers the app API at once, and no
    fault of it delays an answer.
    """
    release = asyncio.Event()
    original = HistoryManager.async_import

    async def held(manager: HistoryManager) -> int:
        await release.wait()
        return await original(manager)

    with patch.object(HistoryManager, "async_import", held):
        entry = make_entry(simulator)
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        assert not entry.runtime_data.history.synced.is_set()
        assert shown(hass, LIFETIME) == STATE_UNKNOWN
        assert shown(hass, STARTED) == START_S1.isoformat()

        await charge(hass, simulator, 300)
        await simulator.unplug("BCU101")
        await wait_for(hass, lambda: len(ended) == 1)
        stopped = shown(hass, STOPPED)
        assert stopped not in (STATE_UNKNOWN, STATE_UNAVAILABLE)
        # The last frame before the seed comes carries no stop (times are not always sent).
        observed.clear()
        await simulator.faults.frames.send_status("BCU101", stop_datetime=None)
        await wait_for(hass, lambda: len(observed) == 1)
        assert shown(hass, LIFETIME) == STATE_UNKNOWN

        release.set()
        await wait_for(hass, entry.runtime_data.history.synced.is_set)
        await settle(hass)

    assert shown(hass, STARTED) == START_S1.isoformat()
    assert shown(hass, STOPPED) == stopped
    (first,) = [
        t for t in simulator.rest.transactions(evse_id="BCU101") if t.started_at == START_S1
    ]
    assert value(hass, LIFETIME) == pytest.approx(HISTORY_KWH + first.kwh, abs=1e-6)
    assert len(ended) == 1

    await simulator.clock.advance(300, step=60)
    await simulator.plug_in("BCU101", energy_needed_kwh=30)
    await charge(hass, simulator, 600)
    expected = HISTORY_KWH + first.kwh + session_kwh(simulator)
    assert value(hass, LIFETIME) == pytest.approx(expected, abs=1e-6)
    assert recorded == sorted(recorded)


async def test_a_charge_point_that_leaves_and_returns_keeps_its_meter(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, recorded: list[float]
) -> None:
    """Its entities go with it; when it is back its new lifetime sensor goes on from the
    coordinator's meter (not from a new seed or older restore data)."""
    entry = make_entry(simulator)
    await set_up(hass, entry)
    coordinator = coordinator_of(entry)
    await charge(hass, simulator, 300)
    before = value(hass, LIFETIME)

    simulator.remove_charge_point("BCU101")
    fire(hass, CHARGE_POINTS_REFRESH_INTERVAL.total_seconds())
    await wait_for(hass, lambda: "BCU101" not in coordinator.data.charge_points)
    assert er.async_get(hass).async_get(LIFETIME) is None  # went with its device

    simulator.add_charge_point(
        TOKEN, {"evse_id": "BCU101", "name": "Driveway", "grid_id": "GRID-BCU101"}
    )
    fire(hass, 2 * CHARGE_POINTS_REFRESH_INTERVAL.total_seconds())
    await wait_for(hass, lambda: "BCU101" in coordinator.data.charge_points)
    await wait_for(
        hass,
        lambda: (
            hass.states.get(LIFETIME) is not None and hass.states.get(LIFETIME).state == str(before)  # type: ignore[union-attr]
        ),
    )

    await simulator.plug_in("BCU101", energy_needed_kwh=30)
    await charge(hass, simulator, 600)
    assert value(hass, LIFETIME) == pytest.approx(before + session_kwh(simulator), abs=1e-6)
    assert recorded == sorted(recorded)


async def test_without_the_lifetime_sensor_the_session_rule_still_runs(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    observed: list[MeterObservation],
    ended: list[dict[str, Any]],
) -> None:
    """A disabled lifetime sensor: the meter still gives the session times and the event
    (once per frame); its total is simply not shown anywhere."""
    entry = make_entry(simulator)
    entry.add_to_hass(hass)
    er.async_get(hass).async_get_or_create(
        Platform.SENSOR,
        DOMAIN,
        "1001_BCU101_lifetime_energy",
        suggested_object_id="driveway_lifetime_energy",
        config_entry=entry,
        disabled_by=er.RegistryEntryDisabler.USER,
    )
    await set_up(hass, entry)
    assert hass.states.get(LIFETIME) is None
    assert shown(hass, STARTED) == START_S1.isoformat()

    await one_frame(hass, simulator, observed, 5.3)
    await simulator.unplug("BCU101")
    await wait_for(hass, lambda: len(ended) == 1)
    assert ended[0]["started"] == START_S1.isoformat()
    assert coordinator_of(entry).data.charge_points["BCU101"].lifetime_total is None
