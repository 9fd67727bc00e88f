"""Buttons: soft reset, reboot, start and stop a session; checked against the wire."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from unittest.mock import patch

import pytest
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN
from homeassistant.components.button import SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON, STATE_UNAVAILABLE, Platform
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform

from .helpers import TOKEN, disabled_by_integration, make_entry, setup_entry, state_of, wait_for

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from homeassistant.core import HomeAssistant
    from syrupy.assertion import SnapshotAssertion

    from simulators.bluecurrent import BlueCurrentSimulator

TEST_SCENARIO = Path(__file__).parents[2] / "simulators" / "bluecurrent" / "scenarios" / "test.json"


@pytest.fixture
async def entry(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> AsyncIterator[MockConfigEntry]:
    """The account with buttons, plus binary sensors to see what a press did.

    Time is not frozen: the simulator answers commands after a short real delay.
    """
    entry = make_entry(simulator)
    with patch(
        "custom_components.ev_charge_points.PLATFORMS", [Platform.BUTTON, Platform.BINARY_SENSOR]
    ):
        await setup_entry(hass, entry)
        yield entry


async def _press(hass: HomeAssistant, entity_id: str) -> None:
    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )


def _wire(simulator: BlueCurrentSimulator, command: str) -> list[dict[str, object]]:
    """The commands the simulator received, without the session's auth header."""
    return [
        {key: value for key, value in payload.items() if key != "Authorization"}
        for payload in simulator.commands(command)
    ]


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_buttons(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every button of both charge points, as the user sees them."""
    entry = make_entry(simulator)
    with patch("custom_components.ev_charge_points.PLATFORMS", [Platform.BUTTON]):
        await setup_entry(hass, entry)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


async def test_buttons_disabled_by_default(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, entity_registry: er.EntityRegistry
) -> None:
    """Unlocking the connector is rarely needed: the button starts disabled, the others enabled."""
    entry = make_entry(simulator)
    with patch("custom_components.ev_charge_points.PLATFORMS", [Platform.BUTTON]):
        await setup_entry(hass, entry)
    disabled = {item.entity_id for item in disabled_by_integration(hass, entry)}
    assert disabled == {"button.driveway_unlock_connector", "button.garage_unlock_connector"}
    assert all(hass.states.get(entity_id) is None for entity_id in disabled)
    enabled = len(er.async_entries_for_config_entry(entity_registry, entry.entry_id)) - 2
    assert len(hass.states.async_entity_ids("button")) == enabled


@pytest.mark.parametrize(
    ("entity_id", "command"),
    [("button.driveway_soft_reset", "SOFT_RESET"), ("button.driveway_reboot", "REBOOT")],
)
async def test_restart_buttons(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: BlueCurrentSimulator,
    entity_id: str,
    command: str,
) -> None:
    """Soft reset and reboot send their own command for their own charge point."""
    await _press(hass, entity_id)
    assert _wire(simulator, command) == [{"command": command, "evse_id": "BCU101"}]
    assert state_of(hass, entity_id) != "unknown"  # the press time


async def test_start_session_without_card(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """A waiting car (no plug and charge) starts charging with the app's "no card" token."""
    await simulator.plug_in("BCU102")
    await wait_for(
        hass, lambda: state_of(hass, "binary_sensor.garage_vehicle_connected") == STATE_ON
    )
    assert state_of(hass, "binary_sensor.garage_charging") == STATE_OFF

    await _press(hass, "button.garage_start_session")
    assert _wire(simulator, "START_SESSION") == [
        {"command": "START_SESSION", "evse_id": "BCU102", "session_token": "BCU-APP"}
    ]
    await wait_for(hass, lambda: state_of(hass, "binary_sensor.garage_charging") == STATE_ON)


async def test_stop_session(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """Stopping the running session ends charging; the car stays connected."""
    assert state_of(hass, "binary_sensor.driveway_charging") == STATE_ON

    await _press(hass, "button.driveway_stop_session")
    assert _wire(simulator, "STOP_SESSION") == [{"command": "STOP_SESSION", "evse_id": "BCU101"}]
    await wait_for(hass, lambda: state_of(hass, "binary_sensor.driveway_charging") == STATE_OFF)
    assert state_of(hass, "binary_sensor.driveway_vehicle_connected") == STATE_ON


async def test_stop_without_a_session(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """The server's "no active session" becomes its own translated error."""
    with pytest.raises(HomeAssistantError) as err:
        await _press(hass, "button.garage_stop_session")
    assert err.value.translation_key == "no_active_session"
    assert simulator.commands("STOP_SESSION", evse_id="BCU102")


@pytest.mark.parametrize(
    ("error", "translation_key", "placeholders"),
    [
        ("REJECTED", "start_session_rejected", None),
        ("CHARGE_POINT_BUSY", "charge_point_busy", None),
        ("TIMEOUT", "command_timeout", None),
    ],
)
async def test_failed_press_raises(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: BlueCurrentSimulator,
    error: str,
    translation_key: str,
    placeholders: dict[str, str] | None,
) -> None:
    """A refused or timed-out command is reported to the user, translated."""
    simulator.faults.fail_next("START_SESSION", error)
    await simulator.plug_in("BCU102")
    with pytest.raises(HomeAssistantError) as err:
        await _press(hass, "button.garage_start_session")
    assert err.value.translation_key == translation_key
    assert err.value.translation_placeholders == placeholders
    assert state_of(hass, "binary_sensor.garage_charging") == STATE_OFF


async def test_unavailable_while_the_charge_point_is_offline(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """An offline charge point cannot take commands: its buttons are unavailable."""
    await simulator.set_offline("BCU102")
    await wait_for(hass, lambda: state_of(hass, "button.garage_reboot") == STATE_UNAVAILABLE)
    assert state_of(hass, "button.driveway_reboot") != STATE_UNAVAILABLE
    await _press(hass, "button.garage_reboot")  # Home Assistant skips unavailable entities
    assert not simulator.commands("REBOOT")

    await simulator.set_online("BCU102")
    await wait_for(hass, lambda: state_of(hass, "button.garage_reboot") != STATE_UNAVAILABLE)


async def test_revoked_token_reads_as_the_token_message(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """A revoked token: the translated invalid-token sentence, not the server's words."""
    simulator.revoke_token(TOKEN)
    with pytest.raises(HomeAssistantError) as err:
        await _press(hass, "button.driveway_reboot")
    assert err.value.translation_key == "invalid_token"
    assert "Invalid Auth Token" not in str(err.value)
    assert "my.bluecurrent.nl" in str(err.value)  # what to do


async def test_server_error_reads_as_a_sentence(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: BlueCurrentSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """ERROR 9 reaches the user as a sentence to act on; the code stays in the log."""
    simulator.faults.error_next("REBOOT", 9, "Unknown error")
    with pytest.raises(HomeAssistantError) as err:
        await _press(hass, "button.driveway_reboot")
    assert err.value.translation_key == "server_unknown_error"
    assert "Server error" not in str(err.value)
    assert "Try again" in str(err.value)
    assert "server error 9" in caplog.text
