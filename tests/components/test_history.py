"""Charging history: back-fill into long-term statistics and the get_charging_sessions action.

The recorder is enabled (in memory) and the simulator serves a two-week history over real
loopback sockets. Expected statistics are computed here from the simulator's own ledger.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import pytest
from homeassistant.components.recorder import get_instance
from homeassistant.components.recorder.statistics import statistics_during_period
from homeassistant.const import Platform
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
    do_adhoc_statistics,
)

from custom_components.ev_charge_points.brands.bluecurrent.app_api import AppLoginRequiredError
from custom_components.ev_charge_points.brands.bluecurrent.const import (
    CONF_APP_PASSWORD,
    CONF_APP_USERNAME,
    ISSUE_APP_LOGIN,
)
from custom_components.ev_charge_points.const import CONF_API_TOKEN, CONF_URL, DOMAIN
from custom_components.ev_charge_points.history import (
    HistoryManager,
    statistic_id,
)
from custom_components.ev_charge_points.history_actions import SERVICE_GET_CHARGING_SESSIONS
from simulators.bluecurrent import BlueCurrentSimulator, Scenario, SimClock, SimulatorOptions

from .helpers import CUSTOMER_ID, EMAIL, START, make_entry, setup_entry, wait_for

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.components.recorder import Recorder
    from homeassistant.core import HomeAssistant

    from simulators.bluecurrent.rest import SimTransaction

SCENARIO = Path(__file__).parents[2] / "simulators" / "bluecurrent" / "scenarios" / "test.json"
HISTORY_DAYS = 21
HOUR = timedelta(hours=1)
POINTS = ("BCU101", "BCU102")
LOGIN = {CONF_APP_USERNAME: EMAIL, CONF_APP_PASSWORD: "hunter2"}


@pytest.fixture
async def simulator(
    socket_enabled: None, simulator_options: SimulatorOptions
) -> AsyncIterator[BlueCurrentSimulator]:
    """The test scenario with two weeks of session history before START."""
    scenario = Scenario.from_file(SCENARIO)
    scenario.accounts[0].history_days = HISTORY_DAYS
    async with BlueCurrentSimulator(
        scenario, options=simulator_options, clock=SimClock(START)
    ) as sim:
        yield sim


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(recorder_db_url: str, enable_custom_integrations: None) -> None:
    """As in conftest, but the recorder's database is prepared before `hass` exists."""


@pytest.fixture(autouse=True)
def only_calendar_and_sensors() -> AsyncIterator[None]:
    """The calendar follows the history, the lifetime sensors carry the energy statistic."""
    with patch(
        "custom_components.ev_charge_points.PLATFORMS", [Platform.SENSOR, Platform.CALENDAR]
    ):
        yield


def manager_of(hass: HomeAssistant, entry: MockConfigEntry) -> HistoryManager:
    return entry.runtime_data.history


async def set_up_and_import(hass: HomeAssistant, entry: MockConfigEntry) -> HistoryManager:
    """Set the entry up and wait for the first import (and the recorder) to finish."""
    await setup_entry(hass, entry)
    manager = manager_of(hass, entry)
    await wait_for(hass, lambda: manager.last_import is not None or manager.last_error is not None)
    if "recorder" in hass.config.components:
        await async_wait_recording_done(hass)
    return manager


def expected_hourly(
    transactions: list[SimTransaction], value: Callable[[SimTransaction], float]
) -> dict[datetime, float]:
    """Each session's value spread over the hours it spans, in proportion to the time."""
    hours: dict[datetime, float] = defaultdict(float)
    for t in transactions:
        seconds = (t.ended_at - t.started_at).total_seconds()
        hour = t.started_at.replace(minute=0, second=0, microsecond=0)
        while hour < t.ended_at:
            inside = min(hour + HOUR, t.ended_at) - max(hour, t.started_at)
            hours[hour] += value(t) * inside.total_seconds() / seconds
            hour += HOUR
    return {hour: amount for hour, amount in hours.items() if amount > 1e-9}


async def stored_rows(hass: HomeAssistant, stat_id: str) -> list[dict[str, Any]]:
    """Hourly rows of one external statistic, oldest first."""
    result = await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        START - timedelta(days=60),
        None,
        {stat_id},
        "hour",
        None,
        {"state", "sum"},
    )
    return list(result.get(stat_id, []))


def hourly_changes(rows: list[dict[str, Any]], base: float = 0.0) -> dict[datetime, float]:
    """What each row added to the running sum (which starts at `base`)."""
    changes: dict[datetime, float] = {}
    previous = base
    for row in rows:
        changes[dt_util.utc_from_timestamp(row["start"])] = row["sum"] - previous
        previous = row["sum"]
    return {hour: change for hour, change in changes.items() if abs(change) > 1e-9}


def energy_statistic(hass: HomeAssistant, evse_id: str) -> str:
    """The one energy statistic of a charge point: its lifetime energy sensor's."""
    entity_id = er.async_get(hass).async_get_entity_id(
        Platform.SENSOR, DOMAIN, f"{CUSTOMER_ID}_{evse_id}_lifetime_energy"
    )
    assert entity_id is not None
    return entity_id


async def assert_statistics_match(hass: HomeAssistant, simulator: BlueCurrentSimulator) -> None:
    """Energy and cost statistics of every charge point equal the simulator's sessions.

    All simulated sessions lie before the lifetime sensors' live statistics: the energy is
    back-filled with sums that end at 0, where the live sums begin.
    """
    for evse_id in POINTS:
        ledger = simulator.rest.transactions(evse_id=evse_id)
        assert ledger
        total_kwh = sum(t.kwh for t in ledger)
        for stat_id, value, base in (
            (energy_statistic(hass, evse_id), lambda t: t.kwh, -total_kwh),
            (statistic_id(evse_id, "cost"), lambda t: t.total_costs, 0.0),
        ):
            rows = await stored_rows(hass, stat_id)
            expected = expected_hourly(ledger, value)
            changes = hourly_changes(rows, base)
            assert set(changes) == set(expected), (evse_id, stat_id)
            for hour, amount in expected.items():
                assert changes[hour] == pytest.approx(amount, abs=1e-4), (evse_id, stat_id, hour)
            assert rows[-1]["sum"] == pytest.approx(base + sum(value(t) for t in ledger), abs=1e-4)
            assert rows[-1]["state"] == pytest.approx(sum(value(t) for t in ledger), abs=1e-4)


def transaction_pages(simulator: BlueCurrentSimulator) -> int:
    return sum(1 for r in simulator.rest.requests if r.path.endswith("/gettransactions"))


async def test_history_is_imported_into_hourly_statistics(
    recorder_mock: Recorder, hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """Every simulated session shows up in the hourly energy and cost statistics."""
    entry = make_entry(simulator)
    manager = await set_up_and_import(hass, entry)

    ledger = simulator.rest.transactions(customer_id=CUSTOMER_ID)
    assert len(ledger) > 25  # more than one page of history
    assert manager.imported_sessions == len(ledger)
    days = {t.ended_at.date() for t in ledger}
    assert len(days) > HISTORY_DAYS // 2  # sessions spread over many days
    await assert_statistics_match(hass, simulator)
    assert manager.last_error is None
    for evse_id in POINTS:
        assert [s.id for s in manager.sessions(evse_id)] == [
            str(t.transaction_id)
            for t in sorted(
                simulator.rest.transactions(evse_id=evse_id), key=lambda t: t.started_at
            )
        ]

    # Running the import again adds nothing and changes no row.
    before = {e: await stored_rows(hass, energy_statistic(hass, e)) for e in POINTS}
    pages = transaction_pages(simulator)
    assert await manager.async_import() == 0
    await async_wait_recording_done(hass)
    after = {e: await stored_rows(hass, energy_statistic(hass, e)) for e in POINTS}
    assert after == before
    # Only the newest page of each charge point was read again.
    assert transaction_pages(simulator) == pages + len(POINTS)


async def test_statistics_metadata(
    recorder_mock: Recorder, hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """Energy in kWh for the Energy dashboard, cost in the tariff's currency."""
    entry = make_entry(simulator)
    await set_up_and_import(hass, entry)
    from homeassistant.components.recorder.statistics import get_metadata  # noqa: PLC0415

    energy_id = energy_statistic(hass, "BCU101")
    meta = await get_instance(hass).async_add_executor_job(
        lambda: get_metadata(hass, statistic_ids={energy_id, statistic_id("BCU101", "cost")})
    )
    energy = meta[energy_id][1]
    cost = meta[statistic_id("BCU101", "cost")][1]
    assert energy["unit_of_measurement"] == "kWh"
    assert energy["has_sum"] is True
    assert energy["source"] == "recorder"  # the lifetime sensor's own statistic
    assert cost["unit_of_measurement"] == "EUR"
    assert cost["has_sum"] is True
    assert cost["name"] == "Driveway charging cost"
    # No second energy statistic to pick in the Energy dashboard.
    assert statistic_id("BCU101", "energy") not in meta
    ids = await get_instance(hass).async_add_executor_job(
        lambda: get_metadata(hass, statistic_ids={statistic_id("BCU101", "energy")})
    )
    assert ids == {}


async def test_restart_imports_nothing_twice(
    recorder_mock: Recorder, hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    entry = make_entry(simulator)
    await set_up_and_import(hass, entry)
    rows = {e: await stored_rows(hass, energy_statistic(hass, e)) for e in POINTS}
    assert await hass.config_entries.async_unload(entry.entry_id)
    pages = transaction_pages(simulator)

    assert await hass.config_entries.async_setup(entry.entry_id)
    manager = manager_of(hass, entry)
    await wait_for(hass, lambda: manager.last_import is not None)
    await async_wait_recording_done(hass)

    assert manager.imported_sessions == 0
    assert transaction_pages(simulator) == pages + len(POINTS)
    assert {e: await stored_rows(hass, energy_statistic(hass, e)) for e in POINTS} == rows
    await assert_statistics_match(hass, simulator)


async def test_gap_while_home_assistant_was_off_is_filled(
    recorder_mock: Recorder, hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    entry = make_entry(simulator)
    await set_up_and_import(hass, entry)
    old_rows = await stored_rows(hass, energy_statistic(hass, "BCU102"))
    assert await hass.config_entries.async_unload(entry.entry_id)

    # While Home Assistant is off: BCU101 finishes its session, BCU102 charges twice, and a
    # session that ended before the newest one known is booked late.
    await simulator.clock.advance(3 * 3600, step=60)
    await simulator.unplug("BCU101")
    simulator.rest.add_transaction(
        "BCU102", START + timedelta(hours=4, minutes=10), START + timedelta(hours=6), 9.5
    )
    simulator.rest.add_transaction(
        "BCU102",
        START + timedelta(days=1),
        START + timedelta(days=1, hours=1),
        3.25,
        "04A1B2C3D4E5F6",
    )
    simulator.rest.add_transaction(
        "BCU101", START - timedelta(hours=20), START - timedelta(hours=19, minutes=15), 4.0
    )

    assert await hass.config_entries.async_setup(entry.entry_id)
    manager = manager_of(hass, entry)
    await wait_for(hass, lambda: manager.last_import is not None)
    await async_wait_recording_done(hass)

    assert manager.imported_sessions == 4
    await assert_statistics_match(hass, simulator)
    # Hours before the earliest new session keep their readings (the sums all move down by
    # the new energy, so that they still end at 0 where the live statistics begin).
    new_rows = await stored_rows(hass, energy_statistic(hass, "BCU102"))
    assert [r["state"] for r in new_rows[: len(old_rows)]] == [r["state"] for r in old_rows]
    finished = max(manager.sessions("BCU101"), key=lambda s: s.end)
    assert finished.end == START + timedelta(hours=3)
    assert finished.energy > 5.2


async def test_session_end_starts_an_import(
    recorder_mock: Recorder, hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    entry = make_entry(simulator)
    with patch("custom_components.ev_charge_points.history.SESSION_END_IMPORT_DELAY", 0):
        manager = await set_up_and_import(hass, entry)
        count = len(manager.sessions("BCU101"))
        await simulator.clock.advance(1200, step=60)
        await simulator.unplug("BCU101")
        await wait_for(hass, lambda: len(manager.sessions("BCU101")) == count + 1)
        await async_wait_recording_done(hass)
    await assert_statistics_match(hass, simulator)


async def test_without_recorder_the_ledger_still_fills(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    entry = make_entry(simulator)
    manager = await set_up_and_import(hass, entry)
    assert "recorder" not in hass.config.components
    assert len(manager.sessions("BCU102")) == len(simulator.rest.transactions(evse_id="BCU102"))
    assert manager.last_error is None


def app_login_issue(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"{ISSUE_APP_LOGIN}_{entry.entry_id}")


async def test_app_socket_refusing_the_token_asks_for_the_app_login(
    recorder_mock: Recorder, hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """Token refused on the app socket: a repair issue; with e-mail and password it reads on."""
    entry = make_entry(simulator)
    manager = await set_up_and_import(hass, entry)
    assert manager.source.app_api.credential == "api_token"
    known = manager.imported_sessions

    simulator.faults.fail_next("VALIDATE_API_TOKEN")  # the app socket only: /haserver stays up
    with pytest.raises(AppLoginRequiredError) as caught:
        await manager.async_import()
    assert caught.value.translation_key == "app_login_required"
    assert manager.last_error == "AppLoginRequiredError"
    issue = app_login_issue(hass, entry)
    assert issue is not None
    assert issue.translation_key == ISSUE_APP_LOGIN
    assert issue.translation_placeholders == {"title": f"Blue Current (customer {CUSTOMER_ID})"}

    # With the app login in the options, the next import logs in with it and reads what is new.
    hass.config_entries.async_update_entry(entry, options=LOGIN)
    late = simulator.rest.add_transaction(
        "BCU102", START + timedelta(hours=1), START + timedelta(hours=2), 7.5
    )
    simulator.faults.fail_next("VALIDATE_API_TOKEN")
    assert await manager.async_import() == 1
    await async_wait_recording_done(hass)
    assert manager.source.app_api.credential == "app_login"
    (login,) = simulator.commands("VALIDATE_PASSWORD")
    assert login["username"] == EMAIL
    assert manager.imported_sessions == known + 1
    assert manager.sessions("BCU102")[-1].id == str(late.transaction_id)
    assert app_login_issue(hass, entry) is None
    await assert_statistics_match(hass, simulator)


async def test_removing_the_entry_removes_its_app_login_repair(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """A repair issue of an account that is gone would ask for a login nobody can give."""
    entry = make_entry(simulator)
    manager = await set_up_and_import(hass, entry)
    simulator.faults.fail_next("VALIDATE_API_TOKEN")  # the app socket only
    with pytest.raises(AppLoginRequiredError):
        await manager.async_import()
    assert app_login_issue(hass, entry) is not None

    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert app_login_issue(hass, entry) is None


async def test_refused_app_login_keeps_asking(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    entry = make_entry(simulator)
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry, options={**LOGIN, CONF_APP_USERNAME: "someone-else@example.com"}
    )
    manager = await set_up_and_import(hass, entry)
    assert manager.last_error is None  # the token is accepted: the login is not even tried

    simulator.faults.fail_next("VALIDATE_API_TOKEN")
    with pytest.raises(AppLoginRequiredError) as caught:
        await manager.async_import()
    assert caught.value.translation_key == "app_login_refused"
    assert app_login_issue(hass, entry) is not None
    # No reauth flow: the login is fixed in the options.
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []

    # The sessions action says what to do, too.
    simulator.faults.fail_next("VALIDATE_API_TOKEN")
    with pytest.raises(HomeAssistantError) as action_error:
        await call_sessions(hass)
    assert action_error.value.translation_key == "app_login_refused"


# --- the action -----------------------------------------------------------------------------


async def call_sessions(hass: HomeAssistant, **data: Any) -> list[dict[str, Any]]:
    response = await hass.services.async_call(
        DOMAIN, SERVICE_GET_CHARGING_SESSIONS, data, blocking=True, return_response=True
    )
    assert response is not None
    sessions = response["sessions"]
    assert isinstance(sessions, list)
    return sessions


def as_response(t: SimTransaction) -> dict[str, Any]:
    return {
        "id": str(t.transaction_id),
        "charge_point_id": t.evse_id,
        "charge_point_name": t.evse_name,
        "start": t.started_at.isoformat(),
        "end": t.ended_at.isoformat(),
        "energy": t.kwh,
        "cost": t.total_costs,
        "cost_ex_vat": t.total_costs_ex_vat,
        "vat_percentage": t.vat,
        "currency": t.currency,
        "card_id": "BCU-APP" if t.card_id == "BCU_HOME_USE" else t.card_id,
        "card_name": t.card_name or None,
    }


async def test_action_returns_the_simulators_sessions(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    entry = make_entry(simulator)
    await set_up_and_import(hass, entry)
    ledger = simulator.rest.transactions(customer_id=CUSTOMER_ID)

    everything = await call_sessions(hass)
    assert everything == [as_response(t) for t in reversed(ledger)]  # newest first, all pages

    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, "BCU102")})
    assert device is not None
    only_102 = await call_sessions(hass, device_id=device.id, config_entry_id=entry.entry_id)
    assert only_102 == [as_response(t) for t in reversed(ledger) if t.evse_id == "BCU102"]

    start, end = START - timedelta(days=6), START - timedelta(days=3)
    window = await call_sessions(
        hass, start=dt_util.as_local(start).replace(tzinfo=None), end=end.isoformat()
    )
    assert window == [
        as_response(t) for t in reversed(ledger) if t.ended_at >= start and t.started_at < end
    ]
    assert window

    card = await call_sessions(hass, card="owner card")
    assert card == [as_response(t) for t in reversed(ledger) if t.card_name == "Owner card"]
    assert card

    # "No card" in the form is the same no_card as start_charge_session's.
    no_card = await call_sessions(hass, card="no_card")
    assert no_card == [as_response(t) for t in reversed(ledger) if t.card_id == "BCU_HOME_USE"]
    assert no_card


async def test_action_validation(hass: HomeAssistant, simulator: BlueCurrentSimulator) -> None:
    entry = make_entry(simulator)
    await set_up_and_import(hass, entry)
    grid = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, f"{CUSTOMER_ID}_GRID-BCU101")})

    with pytest.raises(ServiceValidationError) as caught:
        await call_sessions(hass, device_id="nope")
    assert caught.value.translation_key == "invalid_device"
    if grid is not None:
        with pytest.raises(ServiceValidationError) as caught:
            await call_sessions(hass, device_id=grid.id)
        assert caught.value.translation_key == "not_a_charge_point"
    with pytest.raises(ServiceValidationError) as caught:
        await call_sessions(hass, config_entry_id="nope")
    assert caught.value.translation_key == "invalid_config_entry"
    with pytest.raises(ServiceValidationError) as caught:
        await call_sessions(hass, start=START.isoformat(), end=(START - HOUR).isoformat())
    assert caught.value.translation_key == "invalid_period"

    # A second account: the call must say which one.
    other = MockConfigEntry(
        domain=DOMAIN,
        title="neighbour@example.com",
        unique_id="1002",
        data={CONF_API_TOKEN: "other-token", CONF_URL: simulator.url},
    )
    await setup_entry(hass, other)
    with pytest.raises(ServiceValidationError) as caught:
        await call_sessions(hass)
    assert caught.value.translation_key == "account_required"
    assert await call_sessions(hass, config_entry_id=other.entry_id) == []

    await hass.config_entries.async_unload(other.entry_id)
    with pytest.raises(ServiceValidationError) as caught:
        await call_sessions(hass, config_entry_id=other.entry_id)
    assert caught.value.translation_key == "entry_not_loaded"


async def test_action_server_failure(hass: HomeAssistant, simulator: BlueCurrentSimulator) -> None:
    entry = make_entry(simulator)
    await set_up_and_import(hass, entry)
    simulator.rest.fail_next(500)
    with pytest.raises(HomeAssistantError) as caught:
        await call_sessions(hass)
    assert caught.value.translation_key == "history_unavailable"


async def test_diagnostics_show_the_history_without_personal_data(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    from custom_components.ev_charge_points.diagnostics import (  # noqa: PLC0415
        async_get_config_entry_diagnostics,
    )

    entry = make_entry(simulator)
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(entry, options=LOGIN)
    manager = await set_up_and_import(hass, entry)
    assert manager.source.contracts

    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    history = diagnostics["history"]
    assert history["sessions"] == {
        evse_id: len(simulator.rest.transactions(evse_id=evse_id)) for evse_id in POINTS
    }
    assert history["credential"] == "api_token"
    assert history["sustainability"] == {"trees": 1, "co2": 12.345}
    (contract,) = history["contracts"]
    assert contract["subscription_type"] == "BASIS"
    assert diagnostics["entry"]["options"][CONF_APP_PASSWORD] == "**REDACTED**"
    text = json.dumps(diagnostics)
    for secret in (EMAIL, "hunter2", "NL00BCUR", "Test Owner", "CT-1001"):
        assert secret not in text


async def test_charge_point_that_joins_gets_its_whole_history(
    recorder_mock: Recorder, hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """Older sessions of a new charge point are read although they predate the watermark."""
    entry = make_entry(simulator)
    await set_up_and_import(hass, entry)
    assert await hass.config_entries.async_unload(entry.entry_id)

    simulator.add_charge_point("test-token", {"evse_id": "BCU103", "name": "Carport"})
    old = simulator.rest.add_transaction(
        "BCU103", START - timedelta(days=9, hours=2), START - timedelta(days=9), 11.0
    )

    assert await hass.config_entries.async_setup(entry.entry_id)
    manager = manager_of(hass, entry)
    await wait_for(hass, lambda: manager.last_import is not None)
    await async_wait_recording_done(hass)

    assert [s.id for s in manager.sessions("BCU103")] == [str(old.transaction_id)]
    assert manager.imported_sessions == 1
    rows = await stored_rows(hass, energy_statistic(hass, "BCU103"))
    assert rows[-1]["state"] == pytest.approx(11.0)
    assert rows[-1]["sum"] == pytest.approx(0.0)  # where its live statistics begin


# --- bad data -------------------------------------------------------------------------------


def skipped_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelname == "WARNING" and r.getMessage().startswith("Skipped session")
    ]


async def test_implausible_sessions_are_skipped_and_later_ones_still_imported(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A session ending in the future holds no watermark and spreads over no years of rows."""
    now = dt_util.utcnow()
    broken = [
        # Began before the real sessions, "ends" in ten years.
        simulator.rest.add_transaction("BCU101", START - HOUR, now + timedelta(days=3650), 12.0),
        # Wholly in the future.
        simulator.rest.add_transaction(
            "BCU102", now + timedelta(days=400), now + timedelta(days=400, hours=2), 8.0
        ),
        # 1e9 kWh in two hours.
        simulator.rest.add_transaction(
            "BCU102", START - timedelta(days=2, hours=3), START - timedelta(days=2), 1e9
        ),
    ]
    broken_ids = {str(t.transaction_id) for t in broken}
    entry = make_entry(simulator)
    manager = await set_up_and_import(hass, entry)

    kept = {s.id for evse_id in POINTS for s in manager.sessions(evse_id)}
    assert kept
    assert not kept & broken_ids
    assert len(skipped_warnings(caplog)) == len(broken)

    # A real session after them is still read (the watermark stayed at the real sessions).
    later = simulator.rest.add_transaction(
        "BCU101", START + timedelta(hours=5), START + timedelta(hours=6), 5.5
    )
    assert await manager.async_import() == 1
    await async_wait_recording_done(hass)
    assert str(later.transaction_id) in {s.id for s in manager.sessions("BCU101")}
    assert len(skipped_warnings(caplog)) == len(broken)  # each warned about once

    for evse_id in POINTS:
        rows = await stored_rows(hass, energy_statistic(hass, evse_id))
        assert len(rows) < 24 * (HISTORY_DAYS + 2)
        real = [
            t
            for t in simulator.rest.transactions(evse_id=evse_id)
            if str(t.transaction_id) not in broken_ids
        ]
        assert rows[-1]["state"] == pytest.approx(sum(t.kwh for t in real), abs=1e-4)
        assert rows[-1]["sum"] == pytest.approx(0.0)


async def test_a_ledger_with_a_future_watermark_is_repaired(
    hass: HomeAssistant, hass_storage: dict[str, Any], simulator: BlueCurrentSimulator
) -> None:
    """A version that did not check stored a future session: later sessions still come."""
    entry = make_entry(simulator)
    future = dt_util.utcnow() + timedelta(days=3650)
    hass_storage[f"{DOMAIN}.history.{entry.entry_id}"] = {
        "version": 1,
        "key": f"{DOMAIN}.history.{entry.entry_id}",
        "data": {
            "watermark": future.isoformat(),
            "complete": list(POINTS),
            "statistics_from": {},
            "sessions": [
                {
                    "id": "1",
                    "charge_point_id": "BCU101",
                    "charge_point_name": "Driveway",
                    "start": (START - timedelta(days=30)).isoformat(),
                    "end": future.isoformat(),
                    "energy": 10.0,
                }
            ],
        },
    }
    manager = await set_up_and_import(hass, entry)
    assert sorted(s.id for s in manager.sessions("BCU101")) == sorted(
        str(t.transaction_id) for t in simulator.rest.transactions(evse_id="BCU101")
    )


@pytest.mark.parametrize(
    "moment",
    [
        "0001-01-01T00:00:00+05:00",
        "0001-01-01T00:00:00",
        "0001-01-01T00:00:00-12:00",
        "9999-12-31T23:59:59-05:00",
        "9999-12-31T23:59:59",
        "9999-12-31T23:59:59+14:00",
    ],
)
@pytest.mark.parametrize("field", ["start", "end"])
async def test_action_dates_out_of_range(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, field: str, moment: str
) -> None:
    await set_up_and_import(hass, make_entry(simulator))
    with pytest.raises(ServiceValidationError) as caught:
        await call_sessions(hass, **{field: moment})
    assert caught.value.translation_key == "date_out_of_range"
    assert caught.value.translation_placeholders["earliest"] == "2000"


async def test_removing_the_entry_removes_its_ledger(
    hass: HomeAssistant, hass_storage: dict[str, Any], simulator: BlueCurrentSimulator
) -> None:
    """Card ids and names must not outlive the account."""
    entry = make_entry(simulator)
    await set_up_and_import(hass, entry)
    await hass.async_block_till_done()
    key = f"{DOMAIN}.history.{entry.entry_id}"
    assert "Owner card" in json.dumps(hass_storage[key])

    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage


# --- one statistic: back-filled past, live values, restart ----------------------------------


LIFETIME = "sensor.driveway_lifetime_energy"


async def charge_for_an_hour(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    freezer: FrozenDateTimeFactory,
    hour: datetime,
) -> None:
    """Charge in 5-minute steps (Home Assistant's clock along with the simulator's), each
    step's statistics compiled by the recorder when it is over, as it does itself."""
    for minute in range(0, 60, 5):
        period = hour + timedelta(minutes=minute)
        for second in range(30, 300, 60):  # each state at a time of its own
            freezer.move_to(period + timedelta(seconds=second))
            await simulator.clock.advance(60, step=60)
            await async_wait_recording_done(hass)
        await simulator.push_status("BCU101")
        expected = round(simulator.charge_point("BCU101").session_kwh, 2)
        await wait_for(
            hass,
            lambda expected=expected: (
                hass.states.get("sensor.driveway_session_energy").state  # type: ignore[union-attr]
                == str(expected)
            ),
        )
        await async_wait_recording_done(hass)
        freezer.move_to(period + timedelta(minutes=5))
        do_adhoc_statistics(hass, start=period)
        await async_wait_recording_done(hass)


def lifetime(hass: HomeAssistant) -> float:
    state = hass.states.get(LIFETIME)
    assert state is not None
    return float(state.state)


async def test_one_energy_statistic_from_the_back_filled_past_into_the_live_values(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The lifetime sensor's statistic: the history before it, its live values after, no seam.

    Back-fill, an hour of live values, a restart, another hour: every hourly change of the one
    statistic is what was charged in that hour, the back-filled past ends exactly where the
    live values begin, and nothing is counted twice when the import runs again after the
    restart.
    """
    freezer.move_to(START)
    entry = make_entry(simulator)
    await set_up_and_import(hass, entry)
    ledger = simulator.rest.transactions(evse_id="BCU101")
    assert energy_statistic(hass, "BCU101") == LIFETIME
    first = lifetime(hass)

    await charge_for_an_hour(hass, simulator, freezer, START)
    after_first_hour = lifetime(hass)
    assert after_first_hour > first + 1

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    manager = manager_of(hass, entry)
    await wait_for(hass, lambda: manager.last_import is not None)
    await async_wait_recording_done(hass)
    await charge_for_an_hour(hass, simulator, freezer, START + HOUR)
    after_second_hour = lifetime(hass)

    rows = await stored_rows(hass, LIFETIME)
    by_hour = {dt_util.utc_from_timestamp(r["start"]): r for r in rows}
    # The past: every session of the history, its sums ending at 0 in the hour before.
    past = [r for hour, r in by_hour.items() if hour < START]
    assert past[-1]["sum"] == pytest.approx(0.0)
    assert past[-1]["state"] == pytest.approx(sum(t.kwh for t in ledger), abs=1e-4)
    changes = hourly_changes(past, -sum(t.kwh for t in ledger))
    assert changes == pytest.approx(expected_hourly(ledger, lambda t: t.kwh), abs=1e-4)
    # The live hours go on from 0: each adds what was charged in it, nothing twice.
    assert by_hour[START]["sum"] == pytest.approx(after_first_hour - first, abs=1e-3)
    assert by_hour[START + HOUR]["sum"] == pytest.approx(after_second_hour - first, abs=1e-3)
    sums = [r["sum"] for r in rows]
    assert sums == sorted(sums)

    # The session that ran across the seam ends and is imported: the past gets exactly the
    # energy it had before the live values began (the 5.2 kWh of the meter's first reading),
    # not a share in proportion to the time; the live hours stay as they are.
    await simulator.unplug("BCU101")
    assert await manager.async_import() == 1
    await async_wait_recording_done(hass)
    (spanning,) = [t for t in simulator.rest.transactions(evse_id="BCU101") if t not in ledger]
    assert spanning.kwh == pytest.approx(after_second_hour - first + 5.2, abs=0.01)
    after = {dt_util.utc_from_timestamp(r["start"]): r for r in await stored_rows(hass, LIFETIME)}
    past = [r for hour, r in after.items() if hour < START]
    assert past[-1]["sum"] == pytest.approx(0.0)
    assert past[-1]["state"] == pytest.approx(sum(t.kwh for t in ledger) + 5.2, abs=1e-4)
    assert after[START] == by_hour[START]
    assert after[START + HOUR] == by_hour[START + HOUR]


async def test_ledger_of_an_earlier_version_is_back_filled_into_the_lifetime_statistic(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    simulator: BlueCurrentSimulator,
) -> None:
    """Sessions an earlier version imported (into the external statistic) are not lost."""
    entry = make_entry(simulator)
    old_start = START - timedelta(days=40)
    hass_storage[f"{DOMAIN}.history.{entry.entry_id}"] = {
        "version": 1,
        "key": f"{DOMAIN}.history.{entry.entry_id}",
        "data": {
            "watermark": START.isoformat(),
            "complete": list(POINTS),
            "statistics_from": {},
            "sessions": [
                {
                    "id": "1",
                    "charge_point_id": "BCU101",
                    "charge_point_name": "Driveway",
                    "start": old_start.isoformat(),
                    "end": (old_start + HOUR).isoformat(),
                    "energy": 10.0,
                }
            ],
        },
    }
    manager = await set_up_and_import(hass, entry)
    rows = await stored_rows(hass, energy_statistic(hass, "BCU101"))
    assert dt_util.utc_from_timestamp(rows[0]["start"]) == old_start
    assert rows[0]["state"] == pytest.approx(10.0)
    assert rows[-1]["state"] == pytest.approx(
        sum(s.energy for s in manager.sessions("BCU101")), abs=1e-4
    )
    assert rows[-1]["sum"] == pytest.approx(0.0)
