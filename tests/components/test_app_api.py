"""The app-only commands through pybluecurrent, against the simulator over real sockets.

Unlock connector (the app's bce REST action) and the plug-and-charge card (app socket) go
through pybluecurrent with the entry's API token; the confirmation comes back over /haserver.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import voluptuous as vol
from homeassistant.core import Event, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er

from custom_components.ev_charge_points.const import DOMAIN
from simulators.bluecurrent.protocol import APP_PATH, HA_PATH

from .helpers import coordinator_of, make_entry, setup_entry, wait_for, wait_for_first_import

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


# --- capacity tariff ----------------------------------------------------------------------------

TARIFF = "switch.driveway_capacity_tariff"


async def set_tariff(hass: HomeAssistant, device_id: str, **data: object) -> None:
    await hass.services.async_call(
        DOMAIN, "set_capacity_tariff", {"device_id": device_id, **data}, blocking=True
    )


def device_id_of(hass: HomeAssistant, evse_id: str) -> str:
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, evse_id)})
    assert device is not None
    return device.id


async def test_capacity_tariff_switch_and_action(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    state = hass.states.get(TARIFF)
    assert state is not None
    assert state.state == "off"
    assert state.attributes["max_energy"] is None
    driveway = device_id_of(hass, "BCU101")

    # On without a stored maximum: the user is told to give one; nothing is sent.
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call("switch", "turn_on", {"entity_id": TARIFF}, blocking=True)
    assert caught.value.translation_key == "capacity_tariff_max_energy_required"
    assert simulator.commands("SET_CAPACITY_TARIFF") == []

    await set_tariff(hass, driveway, enabled=True, max_energy=4.5)
    assert simulator.commands("SET_CAPACITY_TARIFF") == [
        {"evse_id": "BCU101", "value": True, "capacitytariffmaxkwh": 4.5}
    ]
    state = hass.states.get(TARIFF)
    assert state is not None
    assert state.state == "on"  # read back from the app's charge point list
    assert state.attributes["max_energy"] == 4.5

    await hass.services.async_call("switch", "turn_off", {"entity_id": TARIFF}, blocking=True)
    assert simulator.charge_point("BCU101").capacity_tariff is False
    assert hass.states.get(TARIFF).state == "off"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"enabled": True, "max_energy": 80.5}, vol.Invalid),
        ({"enabled": True, "max_energy": 0}, vol.Invalid),
        ({"enabled": False, "max_energy": 3}, ServiceValidationError),
        ({"max_energy": 3}, vol.Invalid),
    ],
)
async def test_capacity_tariff_action_validation(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: BlueCurrentSimulator,
    data: dict[str, object],
    error: type[Exception],
) -> None:
    with pytest.raises(error):
        await set_tariff(hass, device_id_of(hass, "BCU101"), **data)
    assert simulator.commands("SET_CAPACITY_TARIFF") == []


async def test_capacity_tariff_only_where_the_account_has_it(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """A charge point whose app list has no writable setting loses the switch.

    The simulator always reports the setting as writable, so the list without it is handed to
    the app API here (what an import would do with such an answer).
    """
    assert hass.states.get("switch.garage_capacity_tariff") is not None
    api = coordinator_of(entry).app_api
    assert api.charge_points is not None
    points = [dict(point) for point in api.charge_points.values()]
    for point in points:
        if point["evse_id"] == "BCU102":
            point["capacity_tariff"] = {"value": False, "permission": "none"}
    api.async_set_charge_points(points)  # type: ignore[arg-type]
    await hass.async_block_till_done()
    assert hass.states.get("switch.garage_capacity_tariff") is None
    assert er.async_get(hass).async_get("switch.garage_capacity_tariff") is None
    assert hass.states.get(TARIFF) is not None
    with pytest.raises(ServiceValidationError) as caught:
        await set_tariff(hass, device_id_of(hass, "BCU102"), enabled=False)
    assert caught.value.translation_key == "capacity_tariff_not_available"


# --- a charge point with two sockets ---------------------------------------------------------


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_unlock_on_two_sockets_releases_the_one_with_a_car(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    simulator.add_charge_point(
        "test-token", {"evse_id": "BCU103", "name": "Carport", "socket_ids": [1, 2]}
    )
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    button = "button.carport_unlock_connector"

    # No car on either socket: which cable to release is unclear; nothing is sent.
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call("button", "press", {"entity_id": button}, blocking=True)
    assert caught.value.translation_key == "unlock_socket_unknown"
    assert simulator.commands("UNLOCK_CONNECTOR") == []

    await simulator.plug_in("BCU103")  # the car is on the first socket
    await hass.services.async_call("button", "press", {"entity_id": button}, blocking=True)
    assert simulator.commands("UNLOCK_CONNECTOR") == [
        {"chargepoint_id": "BCU103", "socket_id": 1, "flow_id": "flow"}
    ]
    # One device for the charge point, its sockets in the diagnostics.
    source = entry.runtime_data.history.source
    assert source.diagnostics()["app_charge_points"]["BCU103"]["sockets"] == [1, 2]


async def test_a_restart_creates_no_capacity_tariff_switch_the_account_lacks(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """The switch of a point without the setting is removed once, not re-made every start."""
    simulator.charge_point("BCU102").capacity_tariff_permission = "none"
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    registry = er.async_get(hass)
    assert registry.async_get("switch.garage_capacity_tariff") is None
    assert registry.async_get(TARIFF) is not None
    created: list[str] = []

    @callback
    def _on_created(event: Event[er.EventEntityRegistryUpdatedData]) -> None:
        if event.data["action"] == "create":
            created.append(event.data["entity_id"])

    hass.bus.async_listen(er.EVENT_ENTITY_REGISTRY_UPDATED, _on_created)
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await wait_for_first_import(hass, entry)

    assert created == []
    assert registry.async_get("switch.garage_capacity_tariff") is None
    assert hass.states.get(TARIFF) is not None

    # The account gains the setting: the switch is back after the next start.
    simulator.charge_point("BCU102").capacity_tariff_permission = "write"
    await entry.runtime_data.history.async_import()
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("switch.garage_capacity_tariff") is not None
