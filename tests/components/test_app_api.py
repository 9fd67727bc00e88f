"""The app-only commands through pybluecurrent, against the simulator over real sockets.

Unlock connector (the app's bce REST action) and the plug-and-charge card (app socket) go
through pybluecurrent with the entry's API token; the confirmation comes back over /haserver.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from homeassistant.exceptions import HomeAssistantError

from simulators.bluecurrent.protocol import APP_PATH, HA_PATH

from .helpers import coordinator_of, make_entry, setup_entry, wait_for

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from simulators.bluecurrent import BlueCurrentSimulator

CARD = "04A1B2C3D4E5F6"
CARD_OPTION = "Owner card (NL-BCU-123456-7)"
UNLOCK = "button.driveway_unlock_connector"
PNC_CARD = "select.driveway_plug_and_charge_card"


@pytest.fixture
async def entry(hass: HomeAssistant, simulator: BlueCurrentSimulator) -> MockConfigEntry:
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    return entry


def paths(simulator: BlueCurrentSimulator, name: str) -> list[str]:
    return [rc.path for rc in simulator.received if rc.name == name]


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # unlock: disabled by default
async def test_unlock_connector_uses_the_apps_action(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    await hass.services.async_call("button", "press", {"entity_id": UNLOCK}, blocking=True)
    # The bce REST action, with the socket pybluecurrent found in the app's charge point list.
    assert simulator.commands("UNLOCK_CONNECTOR") == [
        {"chargepoint_id": "BCU101", "socket_id": 1, "flow_id": "flow"}
    ]
    assert paths(simulator, "UNLOCK_CONNECTOR") != [HA_PATH]
    assert entry.runtime_data.history.source.app_api.credential == "api_token"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_unlock_refused_by_an_offline_point_is_a_clear_error(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    await simulator.set_offline("BCU101")
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call("button", "press", {"entity_id": UNLOCK}, blocking=True)
    assert caught.value.translation_key == "command_timeout"
    assert coordinator_of(entry).link_up  # the websocket is untouched


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # the select: disabled too
async def test_plug_and_charge_card_goes_through_the_app_socket(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    await hass.services.async_call(
        "select", "select_option", {"entity_id": PNC_CARD, "option": CARD_OPTION}, blocking=True
    )
    assert simulator.charge_point("BCU101").plug_and_charge_card == CARD
    assert paths(simulator, "SET_PLUG_AND_CHARGE_CHARGE_CARD") == [APP_PATH]
    # Confirmed by the charge point list read back over /haserver, not optimistically.
    await wait_for(hass, lambda: hass.states.get(PNC_CARD).state == CARD_OPTION)  # type: ignore[union-attr]

    await hass.services.async_call(
        "select", "select_option", {"entity_id": PNC_CARD, "option": "no_card"}, blocking=True
    )
    assert simulator.commands("SET_PLUG_AND_CHARGE_CHARGE_CARD")[-1]["token_uid"] == "BCU-APP"
    await wait_for(hass, lambda: hass.states.get(PNC_CARD).state == "no_card")  # type: ignore[union-attr]


async def test_unknown_card_is_refused_with_the_reason(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    coordinator = coordinator_of(entry)
    with pytest.raises(HomeAssistantError) as caught:
        await coordinator.async_set_plug_and_charge_card("BCU101", "UNKNOWN-CARD")
    assert caught.value.translation_key == "command_rejected"
    assert simulator.charge_point("BCU101").plug_and_charge_card != "UNKNOWN-CARD"
