"""Selects: the smart-charging profile (confirmed by the server) and the session card."""

from __future__ import annotations

from typing import TYPE_CHECKING
from unittest.mock import patch

import pytest
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN
from homeassistant.components.button import SERVICE_PRESS
from homeassistant.components.select import ATTR_OPTION, ATTR_OPTIONS, SERVICE_SELECT_OPTION
from homeassistant.components.select import DOMAIN as SELECT_DOMAIN
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import State
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
    snapshot_platform,
)

from .helpers import (
    disabled_by_integration,
    ha_commands,
    make_entry,
    setup_entry,
    state_of,
    wait_for,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from homeassistant.core import HomeAssistant
    from syrupy.assertion import SnapshotAssertion

    from simulators.bluecurrent import BlueCurrentSimulator

PROFILE = "select.driveway_smart_charging_profile"
CARD = "select.garage_charge_card"
OWNER_CARD = "Owner card (NL-BCU-123456-7)"
GUEST_CARD = "Guest card (NL-BCU-654321-0)"
GUEST_UID = "0499887766554433"


@pytest.fixture
async def entry(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> AsyncIterator[MockConfigEntry]:
    """The account with selects and buttons; time runs, the simulator answers after 50 ms."""
    entry = make_entry(simulator)
    with patch("custom_components.ev_charge_points.PLATFORMS", [Platform.SELECT, Platform.BUTTON]):
        await setup_entry(hass, entry)
        yield entry


async def _select(hass: HomeAssistant, entity_id: str, option: str) -> None:
    await hass.services.async_call(
        SELECT_DOMAIN,
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: entity_id, ATTR_OPTION: option},
        blocking=True,
    )


def _sent(simulator: BlueCurrentSimulator, *names: str) -> list[tuple[str, object]]:
    """The smart-charging commands the simulator received, in order, with their value."""
    return [
        (command.name, command.payload.get("value"))
        for command in simulator.received
        if command.name in names
    ]


PROFILE_COMMANDS = ("SET_DELAYED_CHARGING", "SET_PRICE_BASED_CHARGING")


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_selects(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Both selects of both charge points, as the user sees them."""
    entry = make_entry(simulator)
    with patch("custom_components.ev_charge_points.PLATFORMS", [Platform.SELECT]):
        await setup_entry(hass, entry)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


async def test_selects_disabled_by_default(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, entity_registry: er.EntityRegistry
) -> None:
    """The plug-and-charge card is rarely changed: its select starts disabled."""
    entry = make_entry(simulator)
    with patch("custom_components.ev_charge_points.PLATFORMS", [Platform.SELECT]):
        await setup_entry(hass, entry)
    disabled = {item.entity_id for item in disabled_by_integration(hass, entry)}
    assert disabled == {
        "select.driveway_plug_and_charge_card",
        "select.garage_plug_and_charge_card",
    }
    assert all(hass.states.get(entity_id) is None for entity_id in disabled)
    enabled = len(er.async_entries_for_config_entry(entity_registry, entry.entry_id)) - 2
    assert len(hass.states.async_entity_ids("select")) == enabled


async def test_profile_switch_sends_new_on_then_old_off(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """Off -> delayed -> price based -> off, each shown once the server's list says so."""
    assert state_of(hass, PROFILE) == "off"
    reads = len(ha_commands(simulator, "GET_CHARGE_POINTS"))

    await _select(hass, PROFILE, "delayed")
    assert _sent(simulator, *PROFILE_COMMANDS) == [("SET_DELAYED_CHARGING", True)]
    assert state_of(hass, PROFILE) == "delayed"
    assert len(ha_commands(simulator, "GET_CHARGE_POINTS")) == reads + 1  # read back
    assert simulator.charge_point("BCU101").delayed_charging

    await _select(hass, PROFILE, "price_based")
    assert _sent(simulator, *PROFILE_COMMANDS)[1:] == [
        ("SET_PRICE_BASED_CHARGING", True),
        ("SET_DELAYED_CHARGING", False),
    ]
    assert state_of(hass, PROFILE) == "price_based"

    await _select(hass, PROFILE, "off")
    assert _sent(simulator, *PROFILE_COMMANDS)[3:] == [("SET_PRICE_BASED_CHARGING", False)]
    assert state_of(hass, PROFILE) == "off"
    assert not simulator.charge_point("BCU101").smart_charging
    assert all(c["evse_id"] == "BCU101" for c in simulator.commands("SET_DELAYED_CHARGING"))


async def test_same_profile_sends_nothing(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """Choosing the active profile again costs no request."""
    sent = len(simulator.received)
    await _select(hass, PROFILE, "off")
    assert len(simulator.received) == sent


@pytest.mark.parametrize(
    ("error", "translation_key"),
    [("REJECTED", "command_rejected"), ("TIMEOUT", "command_timeout")],
)
async def test_refused_profile_keeps_the_state(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: BlueCurrentSimulator,
    error: str,
    translation_key: str,
) -> None:
    """A refusal is reported, translated, and the select stays as it was."""
    simulator.faults.fail_next("SET_PRICE_BASED_CHARGING", error)
    reads = len(ha_commands(simulator, "GET_CHARGE_POINTS"))
    with pytest.raises(HomeAssistantError) as err:
        await _select(hass, PROFILE, "price_based")
    assert err.value.translation_key == translation_key
    assert state_of(hass, PROFILE) == "off"
    assert len(ha_commands(simulator, "GET_CHARGE_POINTS")) == reads


async def test_profile_unavailable_while_offline(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """An offline charge point cannot change profile."""
    await simulator.set_offline("BCU101")
    await wait_for(hass, lambda: state_of(hass, PROFILE) == STATE_UNAVAILABLE)
    await simulator.set_online("BCU101")
    await wait_for(hass, lambda: state_of(hass, PROFILE) == "off")


async def test_card_options_and_choice_used_by_start(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """The valid cards are options; the chosen one starts the next session, nothing else."""
    state = hass.states.get(CARD)
    assert state is not None
    assert state.state == "no_card"
    assert state.attributes[ATTR_OPTIONS] == ["no_card", OWNER_CARD, GUEST_CARD]

    sent = len(simulator.received)
    await _select(hass, CARD, GUEST_CARD)
    assert state_of(hass, CARD) == GUEST_CARD
    assert len(simulator.received) == sent  # a local choice
    assert state_of(hass, "select.driveway_charge_card") == "no_card"  # per charge point

    await simulator.plug_in("BCU102")
    await hass.services.async_call(
        BUTTON_DOMAIN,
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: "button.garage_start_session"},
        blocking=True,
    )
    assert simulator.commands("START_SESSION", evse_id="BCU102")[-1]["session_token"] == GUEST_UID

    await _select(hass, CARD, "no_card")
    await hass.services.async_call(
        BUTTON_DOMAIN,
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: "button.garage_stop_session"},
        blocking=True,
    )
    await hass.services.async_call(
        BUTTON_DOMAIN,
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: "button.garage_start_session"},
        blocking=True,
    )
    assert simulator.commands("START_SESSION", evse_id="BCU102")[-1]["session_token"] == "BCU-APP"


@pytest.mark.parametrize(
    ("stored_uid", "expected"),
    [(GUEST_UID, GUEST_CARD), ("0400000000000000", "no_card")],
    ids=["kept", "card-gone"],
)
async def test_card_choice_survives_a_restart(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, stored_uid: str, expected: str
) -> None:
    """The choice is restored (by uid, kept out of the state); a lost card means no card."""
    mock_restore_cache_with_extra_data(hass, [(State(CARD, "whatever"), {"card_uid": stored_uid})])
    entry = make_entry(simulator)
    with patch("custom_components.ev_charge_points.PLATFORMS", [Platform.SELECT]):
        await setup_entry(hass, entry)
    await wait_for(hass, lambda: state_of(hass, CARD) not in (STATE_UNKNOWN, "whatever"))
    assert state_of(hass, CARD) == expected
    coordinator = entry.runtime_data.coordinator
    assert coordinator.chosen_card("BCU102") == (GUEST_UID if expected == GUEST_CARD else "BCU-APP")


PNC_CARD = "select.driveway_plug_and_charge_card"


# Disabled by default: enabled here to be tested.
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_plug_and_charge_card_follows_the_server(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """SET_PLUG_AND_CHARGE_CHARGE_CARD with the uid; the select shows the list read back."""
    assert state_of(hass, PNC_CARD) == "no_card"

    await _select(hass, PNC_CARD, OWNER_CARD)
    assert [
        (c["evse_id"], c["token_uid"])
        for c in simulator.commands("SET_PLUG_AND_CHARGE_CHARGE_CARD")
    ] == [("BCU101", "04A1B2C3D4E5F6")]
    assert simulator.charge_point("BCU101").plug_and_charge_card == "04A1B2C3D4E5F6"
    assert state_of(hass, PNC_CARD) == OWNER_CARD

    await _select(hass, PNC_CARD, "no_card")
    assert simulator.commands("SET_PLUG_AND_CHARGE_CHARGE_CARD")[-1]["token_uid"] == "BCU-APP"
    assert state_of(hass, PNC_CARD) == "no_card"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_plug_and_charge_card_refused(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """A refused card is reported with the server's reason; the select stays."""
    simulator.faults.fail_next("SET_PLUG_AND_CHARGE_CHARGE_CARD", "REJECTED")
    with pytest.raises(HomeAssistantError) as err:
        await _select(hass, PNC_CARD, GUEST_CARD)
    assert err.value.translation_key == "command_rejected"
    assert state_of(hass, PNC_CARD) == "no_card"
    assert simulator.charge_point("BCU101").plug_and_charge_card == "BCU-APP"
