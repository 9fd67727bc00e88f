"""A veCharge charger in Home Assistant, against the simulator over real sockets.

Setup, the entities and their values, charging on/off confirmed by `statusChanged`, and the
close-on-off cycle: the server closes the socket when the charger is switched off; the charger
shows "off" (never unavailable) and the reconnect sees a switch-on from the veCharge app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr

from custom_components.ev_charge_points.brands.vecharge import coordinator as coordinator_module
from custom_components.ev_charge_points.const import DOMAIN, UNAVAILABLE_GRACE_PERIOD
from simulators.vecharge import SCENARIO_DIR, Scenario, VeChargeSimulator
from tests.components.helpers import fire, wait_for

from .helpers import CHARGER_ID, POWER_ON, coordinator_of, entity_id, state

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

# A little more than the first backoff step (its ceiling is 1 s).
FIRST_BACKOFF = 1.5


async def _switch(hass: HomeAssistant, service: str) -> None:
    await hass.services.async_call(
        "switch",
        service,
        {ATTR_ENTITY_ID: entity_id(hass, "switch", "charging")},
        blocking=True,
    )


async def _charge(
    hass: HomeAssistant, entry: MockConfigEntry, sim: VeChargeSimulator, seconds: float
) -> None:
    """Let the simulated charger run `seconds` and wait for its last newLog in HA."""
    sent = sim.stats.events_sent
    # In steps, each seen by Home Assistant (the lifetime meter bounds growth by time).
    for step in [60.0] * int(seconds // 60) + ([seconds % 60] if seconds % 60 else []):
        await sim.clock.advance(step)
        energy = round(sim.chargers[CHARGER_ID].energy, 2)
        await wait_for(
            hass,
            lambda energy=energy: (
                coordinator_of(entry).data.charge_points[CHARGER_ID].session_energy == energy
            ),
        )
    assert sim.stats.events_sent > sent


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_setup_shows_the_charger_document(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, CHARGER_ID)})
    assert device is not None
    assert device.manufacturer == "veCharge"
    assert device.name == f"veCharge {CHARGER_ID}"
    assert state(hass, "switch", "charging") == STATE_OFF
    assert state(hass, "binary_sensor", "online") == STATE_ON
    assert state(hass, "binary_sensor", "wifi_connected") == STATE_ON
    assert state(hass, "binary_sensor", "charging") == STATE_OFF
    assert state(hass, "sensor", "activity") == "available"
    assert state(hass, "sensor", "access_mode") == "public"
    assert state(hass, "sensor", "last_connected") != "unknown"
    assert float(state(hass, "sensor", "power")) == 0
    assert float(state(hass, "sensor", "session_energy")) == 0
    assert float(state(hass, "sensor", "lifetime_energy")) == 0
    # Blue Current's own entities do not exist for a veCharge charger.
    assert hass.states.get("switch.vecharge_test_block") is None
    assert entry.title == "veCharge test"


async def test_switching_on_shows_the_meter_and_off_keeps_the_charger_available(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    vecharge_sim: VeChargeSimulator,
    delays: list[float],
) -> None:
    await _switch(hass, "turn_on")
    # The service returns once statusChanged ON confirmed it.
    assert state(hass, "switch", "charging") == STATE_ON
    assert vecharge_sim.chargers[CHARGER_ID].status == "ON"

    await _charge(hass, entry, vecharge_sim, 600)
    assert float(state(hass, "sensor", "power")) == POWER_ON
    assert float(state(hass, "sensor", "average_voltage")) == 230
    assert float(state(hass, "sensor", "average_current")) == 7
    assert state(hass, "sensor", "activity") == "charging"
    assert state(hass, "binary_sensor", "charging") == STATE_ON
    session = float(state(hass, "sensor", "session_energy"))
    assert session == pytest.approx(0.26, abs=0.005)
    assert float(state(hass, "sensor", "lifetime_energy")) == session

    attempts = vecharge_sim.stats.connection_attempts
    await _switch(hass, "turn_off")
    assert state(hass, "switch", "charging") == STATE_OFF
    assert float(state(hass, "sensor", "power")) == 0
    # The server closed the socket: expected, so nothing turns unavailable, even long after.
    await wait_for(hass, lambda: not coordinator_of(entry).client.connected)
    assert state(hass, "switch", "charging") == STATE_OFF
    assert state(hass, "binary_sensor", "online") == STATE_ON

    # The reconnect after the first backoff step sees the charger off, with a fresh document.
    fire(hass, FIRST_BACKOFF)
    await wait_for(hass, lambda: coordinator_of(entry).client.connected)
    assert vecharge_sim.stats.connection_attempts == attempts + 1
    assert delays == [1.0]
    fire(hass, UNAVAILABLE_GRACE_PERIOD.total_seconds() + 1)
    await hass.async_block_till_done()
    assert state(hass, "switch", "charging") == STATE_OFF
    assert state(hass, "sensor", "activity") == "available"
    # The session ended: its energy stays in the lifetime meter.
    assert float(state(hass, "sensor", "lifetime_energy")) == session

    # Switched on from the veCharge app: the open socket shows it.
    await vecharge_sim.switch(CHARGER_ID, "ON")
    await wait_for(hass, lambda: state(hass, "switch", "charging") == STATE_ON)
    await _charge(hass, entry, vecharge_sim, 300)
    second = float(state(hass, "sensor", "session_energy"))
    assert second == pytest.approx(0.13, abs=0.005)
    assert float(state(hass, "sensor", "lifetime_energy")) == pytest.approx(session + second)


async def test_switch_state_waits_for_the_servers_confirmation(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    vecharge_sim: VeChargeSimulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The switch happens but its statusChanged is lost: the switch must not claim "on", and
    # the user is told the charger did not confirm. (A short window keeps the test quick.)
    monkeypatch.setattr(coordinator_module, "COMMAND_TIMEOUT", 0.3)
    vecharge_sim.options.announce_switch = False
    with pytest.raises(HomeAssistantError) as raised:
        await _switch(hass, "turn_on")
    assert raised.value.translation_key == "command_timeout"
    assert state(hass, "switch", "charging") == STATE_OFF
    assert coordinator_of(entry).link_up


async def test_a_refused_command_is_a_translated_error(
    hass: HomeAssistant, entry: MockConfigEntry, vecharge_sim: VeChargeSimulator
) -> None:
    vecharge_sim.options.rest_error_status = 500
    with pytest.raises(HomeAssistantError) as raised:
        await _switch(hass, "turn_on")
    assert raised.value.translation_key == "vecharge_communication_error"
    assert "500" in str(raised.value.translation_placeholders)
    assert state(hass, "switch", "charging") == STATE_OFF
    assert coordinator_of(entry).link_up


async def test_an_outage_turns_entities_unavailable_only_after_the_grace_period(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    vecharge_sim: VeChargeSimulator,
    delays: list[float],
) -> None:
    # The server goes away: the socket is cut and reconnects are refused at the TCP level.
    port = vecharge_sim.port
    await vecharge_sim.stop()
    await wait_for(hass, lambda: not coordinator_of(entry).link_up)
    assert state(hass, "switch", "charging") == STATE_OFF  # still available in the grace period
    fire(hass, UNAVAILABLE_GRACE_PERIOD.total_seconds() + 1)
    await hass.async_block_till_done()
    assert state(hass, "switch", "charging") == STATE_UNAVAILABLE
    assert state(hass, "sensor", "power") == STATE_UNAVAILABLE
    assert len(delays) >= 2  # it kept trying, with growing delays
    assert delays == sorted(delays)
    # The server is back: the next reconnect restores the entities by itself.
    scenario = Scenario.from_file(SCENARIO_DIR / "test.json")
    async with VeChargeSimulator(scenario, port=port):
        fire(hass, 120)
        await wait_for(hass, lambda: coordinator_of(entry).link_up)
        assert state(hass, "switch", "charging") == STATE_OFF
        assert state(hass, "binary_sensor", "online") == STATE_ON
