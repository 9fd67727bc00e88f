"""veCharge's connection over time: refusals end in reauth, bad payloads change nothing, the
lifetime meter stays exact across reconnects and restarts, secrets stay out of diagnostics."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)

from simulators.vecharge import SimulatorOptions
from tests.components.helpers import fire, settle, setup_entry, wait_for

from .helpers import CHARGER_ID, POWER_ON, TOKEN, coordinator_of, entity_id, make_entry, state

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

    from simulators.vecharge import VeChargeSimulator


async def _switch_on(hass: HomeAssistant) -> None:
    await hass.services.async_call(
        "switch", "turn_on", {ATTR_ENTITY_ID: entity_id(hass, "switch", "charging")}, blocking=True
    )


async def _charge(
    hass: HomeAssistant, entry: MockConfigEntry, sim: VeChargeSimulator, seconds: float
) -> float:
    # In steps, each seen by Home Assistant (the lifetime meter bounds growth by time).
    energy = 0.0
    for step in _steps(seconds):
        await sim.clock.advance(step)
        energy = round(sim.chargers[CHARGER_ID].energy, 2)
        await wait_for(
            hass,
            lambda energy=energy: (
                coordinator_of(entry).data.charge_points[CHARGER_ID].session_energy == energy
            ),
        )
    return energy


def _steps(seconds: float, step: float = 60.0) -> list[float]:
    whole = int(seconds // step)
    rest = seconds - whole * step
    return [step] * whole + ([rest] if rest > 0 else [])


async def test_a_token_refused_on_reconnect_starts_reauth_and_stops_reconnecting(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    vecharge_sim: VeChargeSimulator,
    delays: list[float],
) -> None:
    del vecharge_sim.tokens[TOKEN]  # the token was revoked
    await vecharge_sim.drop(CHARGER_ID)
    await wait_for(hass, lambda: not coordinator_of(entry).link_up)
    fire(hass, 2)
    await wait_for(hass, lambda: bool(hass.config_entries.flow.async_progress()))
    (flow,) = hass.config_entries.flow.async_progress()
    assert flow["context"]["source"] == "reauth"
    attempts = vecharge_sim.stats.connection_attempts
    for _ in range(3):
        fire(hass, 120)
        await settle(hass)
    assert vecharge_sim.stats.connection_attempts == attempts  # no reconnect loop
    assert len(delays) == 1


@pytest.mark.parametrize("refusal_style", ["connect_error", "http_status", "error_event"])
async def test_an_unknown_charger_ends_in_reauth_whatever_the_refusal_style(
    hass: HomeAssistant, vecharge_sim: VeChargeSimulator, refusal_style: str
) -> None:
    vecharge_sim.options.refusal_style = refusal_style  # type: ignore[assignment]
    vecharge_sim.chargers["other"] = vecharge_sim.chargers.pop(CHARGER_ID)
    entry = make_entry(vecharge_sim)
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    (flow,) = hass.config_entries.flow.async_progress()
    assert flow["context"]["source"] == "reauth"


async def test_a_dropped_connection_reconnects_and_the_charger_stays_available(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    vecharge_sim: VeChargeSimulator,
    delays: list[float],
) -> None:
    await _switch_on(hass)
    first = await _charge(hass, entry, vecharge_sim, 300)
    await vecharge_sim.drop(CHARGER_ID)
    await wait_for(hass, lambda: not coordinator_of(entry).link_up)
    assert state(hass, "switch", "charging") == STATE_ON  # within the grace period
    fire(hass, 2)
    await wait_for(hass, lambda: coordinator_of(entry).link_up)
    assert delays == [1.0]
    # The charger kept charging meanwhile: the fresh document and the logs carry on.
    total = await _charge(hass, entry, vecharge_sim, 300)
    assert total > first
    assert float(state(hass, "sensor", "lifetime_energy")) == pytest.approx(total)
    assert float(state(hass, "sensor", "power")) == POWER_ON


@pytest.mark.parametrize(
    ("event", "data"),
    [
        ("newLog", "not json"),
        ("newLog", '{"voltage": "abc", "energy": 1}'),
        ("newLog", '{"deviceId": "x"}'),
        ("newLog", ["a", "list"]),
        ("statusChanged", '{"status": "MAYBE"}'),
        ("chargerConnected", '{"_doc": {"status": 5}}'),
        ("somethingNew", '{"status": "OFF"}'),
    ],
)
async def test_bad_payloads_change_nothing(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    vecharge_sim: VeChargeSimulator,
    event: str,
    data: object,
) -> None:
    await _switch_on(hass)
    energy = await _charge(hass, entry, vecharge_sim, 300)
    shown = {
        key: state(hass, "sensor", key) for key in ("power", "session_energy", "lifetime_energy")
    }
    dropped = coordinator_of(entry).client.stats
    await vecharge_sim.emit_raw(CHARGER_ID, event, data)
    await wait_for(
        hass,
        lambda: coordinator_of(entry).client.stats.received == dropped.received + 1,
    )
    assert {key: state(hass, "sensor", key) for key in shown} == shown
    assert state(hass, "switch", "charging") == STATE_ON
    # The next good log is shown as usual.
    assert await _charge(hass, entry, vecharge_sim, 60) > energy


async def test_a_sample_below_the_running_session_is_not_a_new_session(
    hass: HomeAssistant, entry: MockConfigEntry, vecharge_sim: VeChargeSimulator
) -> None:
    await _switch_on(hass)
    energy = await _charge(hass, entry, vecharge_sim, 600)
    lifetime = state(hass, "sensor", "lifetime_energy")
    log = vecharge_sim.chargers[CHARGER_ID].log(vecharge_sim.clock.now())
    await vecharge_sim.emit_raw(CHARGER_ID, "newLog", {**log, "energy": 0.01, "power": "5.00"})
    await wait_for(hass, lambda: state(hass, "sensor", "power") == "5.0")
    assert float(state(hass, "sensor", "session_energy")) == energy
    assert state(hass, "sensor", "lifetime_energy") == lifetime
    # A switch-off confirmed by the server: a lower reading after it is the next session.
    await vecharge_sim.switch(CHARGER_ID, "OFF")
    await wait_for(hass, lambda: state(hass, "switch", "charging") == STATE_OFF)
    assert float(state(hass, "sensor", "lifetime_energy")) == energy


async def test_the_lifetime_meter_continues_after_a_restart(
    hass: HomeAssistant, entry: MockConfigEntry, vecharge_sim: VeChargeSimulator
) -> None:
    await _switch_on(hass)
    before = await _charge(hass, entry, vecharge_sim, 600)
    assert float(state(hass, "sensor", "lifetime_energy")) == before
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    # The same session continues: its energy is counted once.
    after = await _charge(hass, entry, vecharge_sim, 300)
    assert float(state(hass, "sensor", "lifetime_energy")) == pytest.approx(after)


async def test_diagnostics_show_the_link_and_no_token(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    entry: MockConfigEntry,
) -> None:
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = repr(diagnostics)
    assert TOKEN not in text
    assert "events_received" in text
    assert state(hass, "binary_sensor", "online") == STATE_ON


async def test_the_disconnect_api_shows_off_after_the_reconnect(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    vecharge_sim: VeChargeSimulator,
    delays: list[float],
) -> None:
    await _switch_on(hass)
    # The disconnect API closes the socket without announcing OFF: a drop, then the fresh
    # document says off. Nothing turns unavailable on the way.
    await vecharge_sim.remove_charger_from_user(CHARGER_ID)
    await wait_for(hass, lambda: not coordinator_of(entry).link_up)
    assert state(hass, "switch", "charging") == STATE_ON
    fire(hass, 2)
    await wait_for(hass, lambda: coordinator_of(entry).link_up)
    await wait_for(hass, lambda: state(hass, "switch", "charging") == STATE_OFF)
    assert float(state(hass, "sensor", "power")) == 0
    assert delays == [1.0]


@pytest.mark.parametrize(
    "vecharge_options",
    [
        SimulatorOptions(payload_encoding="object", document_form="flat"),
        SimulatorOptions(close_transport_after_disconnect=True),
        SimulatorOptions(close_on_off=False),
    ],
    ids=["objects-flat-document", "server-closes-transport", "socket-kept-on-off"],
)
async def test_each_plausible_server_reading_gives_the_same_charger(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    vecharge_sim: VeChargeSimulator,
    delays: list[float],
) -> None:
    await _switch_on(hass)
    energy = await _charge(hass, entry, vecharge_sim, 300)
    assert float(state(hass, "sensor", "power")) == POWER_ON
    await hass.services.async_call(
        "switch", "turn_off", {ATTR_ENTITY_ID: entity_id(hass, "switch", "charging")}, blocking=True
    )
    assert state(hass, "switch", "charging") == STATE_OFF
    fire(hass, 2)
    await wait_for(hass, lambda: coordinator_of(entry).link_up)
    await _switch_on(hass)
    second = await _charge(hass, entry, vecharge_sim, 300)
    assert float(state(hass, "sensor", "lifetime_energy")) == pytest.approx(energy + second)
    assert state(hass, "binary_sensor", "online") == STATE_ON


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"wifiConnectivity": False},
            {"online": STATE_OFF, "wifi_connected": STATE_OFF, "activity": "offline"},
        ),
        ({"isActive": False}, {"online": STATE_ON, "activity": "blocked"}),
        ({"chargerMode": "PRIVATE"}, {"access_mode": "private"}),
        ({"chargerMode": "COMMUNITY"}, {"access_mode": "unknown"}),
    ],
)
async def test_the_charger_document_is_shown_as_it_is(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    vecharge_sim: VeChargeSimulator,
    changes: dict[str, object],
    expected: dict[str, str],
) -> None:
    document = {**vecharge_sim.chargers[CHARGER_ID].document(), **changes}
    await vecharge_sim.emit_raw(CHARGER_ID, "chargerConnected", json.dumps({"_doc": document}))
    domains = {"online": "binary_sensor", "wifi_connected": "binary_sensor"}
    await wait_for(
        hass,
        lambda: all(
            state(hass, domains.get(key, "sensor"), key) == value for key, value in expected.items()
        ),
    )
    # A charger that cannot be reached cannot be switched.
    switch = state(hass, "switch", "charging")
    assert (switch == STATE_UNAVAILABLE) is (changes.get("wifiConnectivity") is False)


async def test_a_server_that_keeps_closing_at_once_gets_growing_delays(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    vecharge_sim: VeChargeSimulator,
    delays: list[float],
) -> None:
    for attempt in range(3):
        attempts = vecharge_sim.stats.connection_attempts
        await vecharge_sim.remove_charger_from_user(CHARGER_ID)
        await wait_for(hass, lambda wanted=attempt + 1: len(delays) == wanted)
        fire(hass, delays[-1] + 0.5)
        await wait_for(
            hass, lambda before=attempts: vecharge_sim.stats.connection_attempts > before
        )
        await wait_for(hass, lambda: coordinator_of(entry).client.connected)
    assert delays == [1.0, 2.0, 4.0]
    assert state(hass, "switch", "charging") == STATE_OFF  # never unavailable meanwhile
