"""Switches: plug and charge, linked charge cards only, block; confirmed state only."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from unittest.mock import patch

import pytest
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    Platform,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    snapshot_platform,
)

from custom_components.ev_charge_points.const import UNAVAILABLE_GRACE_PERIOD

from .helpers import coordinator_of, make_entry, setup_entry, state_of, wait_for

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers import entity_registry as er
    from syrupy.assertion import SnapshotAssertion

    from simulators.bluecurrent import BlueCurrentSimulator

TEST_SCENARIO = Path(__file__).parents[2] / "simulators" / "bluecurrent" / "scenarios" / "test.json"

PLUG_AND_CHARGE = "switch.driveway_plug_and_charge"
LINKED_ONLY = "switch.driveway_linked_charge_cards_only"
BLOCK = "switch.driveway_block"


@pytest.fixture
async def entry(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> AsyncIterator[MockConfigEntry]:
    """The simulator's account, set up with only the switch platform.

    Time is not frozen: the simulator answers commands after a short real delay.
    """
    entry = make_entry(simulator)
    with patch("custom_components.ev_charge_points.PLATFORMS", [Platform.SWITCH]):
        await setup_entry(hass, entry)
        yield entry


async def _switch(hass: HomeAssistant, service: str, entity_id: str) -> None:
    await hass.services.async_call(
        SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )


async def test_switches(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every switch of both charge points, as the user sees them."""
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


@pytest.mark.parametrize(
    ("entity_id", "command", "on_payload", "off_payload"),
    [
        (PLUG_AND_CHARGE, "SET_PLUG_AND_CHARGE", {"value": True}, {"value": False}),
        # Linked cards only is public charging inverted on the wire.
        (LINKED_ONLY, "SET_PUBLIC_CHARGING", {"value": False}, {"value": True}),
    ],
)
async def test_setting_switches_follow_the_confirmation(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: BlueCurrentSimulator,
    entity_id: str,
    command: str,
    on_payload: dict[str, bool],
    off_payload: dict[str, bool],
) -> None:
    """Off and on again: the wire command, then the state the charge point confirmed."""
    assert state_of(hass, entity_id) == STATE_ON

    await _switch(hass, SERVICE_TURN_OFF, entity_id)
    assert simulator.commands(command, evse_id="BCU101")[-1].items() >= off_payload.items()
    assert state_of(hass, entity_id) == STATE_OFF

    await _switch(hass, SERVICE_TURN_ON, entity_id)
    assert simulator.commands(command, evse_id="BCU101")[-1].items() >= on_payload.items()
    assert state_of(hass, entity_id) == STATE_ON
    assert len(simulator.commands(command)) == 2


async def test_block_follows_the_activity(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """Block sends SET_INOPERATIVE and is on once the point reports itself blocked.

    The wire's activity "unavailable" shows as "blocked": Home Assistant reserves "unavailable"
    for a lost connection, so an automation can tell the two apart.
    """
    assert state_of(hass, BLOCK) == STATE_OFF

    await _switch(hass, SERVICE_TURN_ON, BLOCK)
    assert simulator.commands("SET_INOPERATIVE", evse_id="BCU101")
    await wait_for(hass, lambda: state_of(hass, BLOCK) == STATE_ON)

    await _switch(hass, SERVICE_TURN_OFF, BLOCK)
    assert simulator.commands("SET_OPERATIVE", evse_id="BCU101")
    await wait_for(hass, lambda: state_of(hass, BLOCK) == STATE_OFF)


@pytest.mark.parametrize(
    ("stage", "translation_key"),
    [("status", "command_rejected"), ("received", "command_rejected")],
)
async def test_rejected_setting_keeps_the_state(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: BlueCurrentSimulator,
    stage: str,
    translation_key: str,
) -> None:
    """A refusal raises the translated error and the switch stays as it was."""
    simulator.faults.fail_next("SET_PLUG_AND_CHARGE", "REJECTED", stage=stage)
    with pytest.raises(HomeAssistantError) as err:
        await _switch(hass, SERVICE_TURN_OFF, PLUG_AND_CHARGE)
    assert err.value.translation_key == translation_key
    assert err.value.translation_placeholders is None
    assert simulator.commands("SET_PLUG_AND_CHARGE", evse_id="BCU101")
    assert state_of(hass, PLUG_AND_CHARGE) == STATE_ON


async def test_timed_out_block_keeps_the_state(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """The charge point answering TIMEOUT raises command_timeout; nothing is assumed."""
    simulator.faults.fail_next("SET_INOPERATIVE", "TIMEOUT")
    with pytest.raises(HomeAssistantError) as err:
        await _switch(hass, SERVICE_TURN_ON, BLOCK)
    assert err.value.translation_key == "command_timeout"
    assert state_of(hass, BLOCK) == STATE_OFF


async def test_usable_while_charging_not_while_offline(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """Unlike the core integration, the switches work during a session; offline they don't."""
    assert simulator.charge_point("BCU101").session is not None  # charging
    for entity_id in (PLUG_AND_CHARGE, LINKED_ONLY, BLOCK):
        assert state_of(hass, entity_id) != STATE_UNAVAILABLE
    await _switch(hass, SERVICE_TURN_OFF, PLUG_AND_CHARGE)
    assert state_of(hass, PLUG_AND_CHARGE) == STATE_OFF

    await simulator.set_offline("BCU101")
    await wait_for(hass, lambda: state_of(hass, BLOCK) == STATE_UNAVAILABLE)
    assert state_of(hass, PLUG_AND_CHARGE) == STATE_UNAVAILABLE
    assert state_of(hass, LINKED_ONLY) == STATE_UNAVAILABLE
    assert state_of(hass, "switch.garage_block") == STATE_OFF

    await simulator.set_online("BCU101")
    await wait_for(hass, lambda: state_of(hass, BLOCK) == STATE_OFF)
    assert state_of(hass, PLUG_AND_CHARGE) == STATE_OFF


async def test_unavailable_after_the_grace_period_and_back(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: BlueCurrentSimulator,
) -> None:
    """Past the grace period without a server the switches are unavailable; then back."""
    coordinator = coordinator_of(entry)
    await simulator.faults.go_offline()
    await wait_for(hass, lambda: not coordinator.link_up)
    assert state_of(hass, PLUG_AND_CHARGE) == STATE_ON

    async_fire_time_changed(
        hass, dt_util.utcnow() + UNAVAILABLE_GRACE_PERIOD + timedelta(seconds=1)
    )
    await wait_for(hass, lambda: state_of(hass, PLUG_AND_CHARGE) == STATE_UNAVAILABLE)

    await simulator.faults.come_back()
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=10))  # any reconnect delay
    await wait_for(hass, lambda: coordinator.connected)
    assert state_of(hass, PLUG_AND_CHARGE) == STATE_ON
