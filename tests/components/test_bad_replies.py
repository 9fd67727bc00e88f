"""One bad reply never takes the account down (issue 14, item 3), against the simulator."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.components.switch import SERVICE_TURN_OFF, SERVICE_TURN_ON
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr

from custom_components.ev_charge_points.brands.bluecurrent.const import (
    CHARGE_POINTS_REFRESH_INTERVAL,
)
from simulators.bluecurrent import SimulatorOptions

from .helpers import coordinator_of, fire, make_entry, settle, setup_entry, state_of, wait_for
from .test_faults import press, start

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from simulators.bluecurrent import BlueCurrentSimulator

pytestmark = pytest.mark.usefixtures("entity_registry_enabled_by_default")

REFRESH = CHARGE_POINTS_REFRESH_INTERVAL.total_seconds()
PLUG_AND_CHARGE = "switch.driveway_plug_and_charge"
LINKED_ONLY = "switch.driveway_linked_charge_cards_only"
GRID_PHASE_1 = "sensor.grid_bcu101_current_phase_1"


async def switch(hass: HomeAssistant, entity_id: str, *, on: bool) -> None:
    await hass.services.async_call(
        SWITCH_DOMAIN,
        SERVICE_TURN_ON if on else SERVICE_TURN_OFF,
        {ATTR_ENTITY_ID: entity_id},
        blocking=True,
    )


async def test_one_empty_charge_point_list_removes_nothing(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """An empty CHARGE_POINTS once keeps every device; the second empty read removes them."""
    rig = await start(hass, simulator)
    simulator.faults.frames.rewrite_next("CHARGE_POINTS", values={"data": []})
    fire(hass, REFRESH)
    await wait_for(hass, lambda: len(simulator.commands("GET_CHARGE_POINTS")) == 2)
    await settle(hass, 0.1)
    assert set(rig.coordinator.data.charge_points) == {"BCU101", "BCU102"}
    rig.assert_available()
    rig.assert_intact()
    # The next read lists them again: nothing happened.
    fire(hass, REFRESH)
    await wait_for(hass, lambda: len(simulator.commands("GET_CHARGE_POINTS")) == 3)
    await settle(hass, 0.1)
    rig.assert_available()
    rig.assert_intact()
    await rig.unload()


async def test_a_point_missing_from_a_list_of_others_leaves(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """A read that lists the other points is evidence enough: the missing one leaves."""
    rig = await start(hass, simulator)
    listed = [{"evse_id": "BCU101", "name": "Driveway", "smart_charging": False}]
    simulator.faults.frames.rewrite_next("CHARGE_POINTS", values={"data": listed})
    fire(hass, REFRESH)
    await wait_for(hass, lambda: "BCU102" not in rig.coordinator.data.charge_points)
    assert "BCU101" in rig.coordinator.data.charge_points
    await rig.unload()


async def test_two_empty_lists_in_a_row_remove_the_points(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """Missing from two consecutive successful reads: the points did leave."""
    rig = await start(hass, simulator)
    for count in (2, 3):
        simulator.faults.frames.rewrite_next("CHARGE_POINTS", values={"data": []})
        fire(hass, REFRESH)
        await wait_for(
            hass, lambda count=count: len(simulator.commands("GET_CHARGE_POINTS")) == count
        )
        await settle(hass, 0.1)
    assert rig.coordinator.data.charge_points == {}
    await rig.unload()


async def test_one_point_whose_status_always_fails(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """ERROR 9 for one point's status: the others load, that one is unavailable, then retried."""
    simulator.faults.frames.error_always("GET_CH_STATUS", evse_id="BCU102")
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    coordinator = coordinator_of(entry)
    assert entry.state is ConfigEntryState.LOADED
    assert state_of(hass, "sensor.driveway_activity") not in (STATE_UNAVAILABLE, "unknown")
    garage = hass.states.get("sensor.garage_activity")
    assert garage is None or garage.state == STATE_UNAVAILABLE
    assert coordinator.link_up
    hellos = len(simulator.commands("HELLO"))
    simulator.faults.frames.stop_erroring("GET_CH_STATUS")
    fire(hass, REFRESH)
    await wait_for(
        hass,
        lambda: (
            (garage := hass.states.get("sensor.garage_activity")) is not None
            and garage.state not in (STATE_UNAVAILABLE, "unknown")
        ),
    )
    # Retried on the same socket: no reconnect for it.
    assert len(simulator.commands("HELLO")) == hellos
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


async def test_grid_status_without_id_uses_the_requested_points_grid(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """A GRID_STATUS without `id` still fills the grid of the point it was asked for."""
    simulator.faults.frames.rewrite_next("GRID_STATUS", remove=["data.id"])
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    coordinator = coordinator_of(entry)
    assert set(coordinator.data.grids) == {"GRID-BCU101"}
    assert state_of(hass, GRID_PHASE_1) not in (STATE_UNAVAILABLE, "unknown")
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


async def test_grid_current_without_evse_id_on_a_single_grid(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """A GRID_CURRENT without `evse_id` updates the account's only grid."""
    rig = await start(hass, simulator)
    await simulator.faults.send_object(
        {"object": "GRID_CURRENT", "grid_actual_p1": 3, "grid_actual_p2": 4, "grid_actual_p3": 5}
    )
    await wait_for(hass, lambda: state_of(hass, GRID_PHASE_1) == "3.0")
    await rig.unload()


@pytest.mark.parametrize(
    ("entity_id", "command"),
    [(PLUG_AND_CHARGE, "SET_PLUG_AND_CHARGE"), (LINKED_ONLY, "SET_PUBLIC_CHARGING")],
)
async def test_setting_result_without_evse_id(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, entity_id: str, command: str
) -> None:
    """A setting result without `evse_id` applies to the point the command was sent for."""
    rig = await start(hass, simulator)
    before = state_of(hass, entity_id)
    simulator.faults.frames.rewrite_next(f"STATUS_{command}", remove=["evse_id"])
    await switch(hass, entity_id, on=before == STATE_OFF)
    await wait_for(hass, lambda: state_of(hass, entity_id) != before)
    await rig.unload()


@pytest.mark.parametrize(
    "simulator_options", [SimulatorOptions(failed_setting_names_requested=True)]
)
async def test_a_failed_setting_leaves_the_switch(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """A failed result that names the requested value does not flip the switch."""
    rig = await start(hass, simulator)
    assert state_of(hass, PLUG_AND_CHARGE) == STATE_ON
    simulator.faults.fail_next("SET_PLUG_AND_CHARGE", "TIMEOUT")
    with pytest.raises(HomeAssistantError):
        await switch(hass, PLUG_AND_CHARGE, on=False)
    await settle(hass, 0.2)
    assert state_of(hass, PLUG_AND_CHARGE) == STATE_ON
    assert rig.coordinator.data.charge_points["BCU101"].plug_and_charge is True
    await rig.unload()


@pytest.mark.parametrize("simulator_options", [SimulatorOptions(haserver_refuses_app_only=True)])
async def test_app_only_command_refused(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """The server refuses unlock: a clear error, the button unavailable, the socket kept.

    The garage's charge point is portable (UMOVE without a fixed cable): its unlock goes over
    the websocket, the others' through the app API.
    """
    rig = await start(hass, simulator)
    hellos = rig.hellos()
    with pytest.raises(HomeAssistantError) as err:
        await press(hass, "button.garage_unlock_connector")
    assert err.value.translation_key == "not_supported_by_server"
    await settle(hass, 0.2)
    assert state_of(hass, "button.garage_unlock_connector") == STATE_UNAVAILABLE
    assert state_of(hass, "button.driveway_unlock_connector") != STATE_UNAVAILABLE
    assert rig.coordinator.link_up
    assert rig.hellos() == hellos
    await rig.unload()


async def test_session_cost_in_euro_without_a_tariff(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """Charge points without a tariff: the session cost still has its unit (EUR)."""
    listed = [
        {"evse_id": "BCU101", "name": "Driveway", "smart_charging": False},
        {"evse_id": "BCU102", "name": "Garage", "smart_charging": False},
    ]
    simulator.faults.frames.rewrite_next("CHARGE_POINTS", values={"data": listed})
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    cost = hass.states.get("sensor.driveway_session_cost")
    assert cost is not None
    assert cost.attributes.get("unit_of_measurement") == "EUR"
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


async def test_absurd_numbers_are_unknown(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    """±1e308, 1e200, negative voltages and currents: unknown, the rest of the push applies."""
    rig = await start(hass, simulator)
    await simulator.faults.frames.send_status(
        "BCU101",
        actual_v1=-230,
        actual_v2=1e308,
        actual_p1=1e308,
        actual_p2=-1e308,
        actual_p3=-6.0,
        total_cost=1e200,
        actual_kwh=4.44,
    )
    await wait_for(hass, lambda: state_of(hass, "sensor.driveway_session_energy") == "4.44")
    for entity_id in (
        "sensor.driveway_voltage_phase_1",
        "sensor.driveway_voltage_phase_2",
        "sensor.driveway_current_phase_1",
        "sensor.driveway_current_phase_2",
        "sensor.driveway_current_phase_3",
        "sensor.driveway_session_cost",
    ):
        assert state_of(hass, entity_id) == "unknown", entity_id
    power = state_of(hass, "sensor.driveway_power")
    assert power == "unknown" or abs(float(power)) < 1e6
    assert "Error in a Blue Current subscriber" not in caplog.text
    await rig.unload()


async def test_offline_point_shows_no_live_power(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """A charge point that goes offline: power and currents unknown, not the last values."""
    rig = await start(hass, simulator)
    assert state_of(hass, "sensor.driveway_power") not in ("unknown", "0.0", "0")
    await simulator.faults.frames.send_status(
        "BCU101", activity="offline", offline_since="2026-03-10T13:00:00"
    )
    await wait_for(hass, lambda: state_of(hass, "sensor.driveway_activity") == "offline")
    assert state_of(hass, "sensor.driveway_power") == "unknown"
    assert state_of(hass, "sensor.driveway_current_phase_1") == "unknown"
    await rig.unload()


async def test_block_confirmed_by_the_status_push(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """No usable SET_INOPERATIVE result: the status push showing the block confirms it."""
    rig = await start(hass, simulator)
    simulator.faults.frames.rewrite_next(
        "STATUS_SET_INOPERATIVE", values={"object": "SOMETHING_ELSE"}
    )
    await switch(hass, "switch.driveway_block", on=True)  # returns: no time-out error
    assert state_of(hass, "switch.driveway_block") == STATE_ON
    assert rig.coordinator.link_up
    await rig.unload()


@pytest.mark.parametrize("simulator_options", [SimulatorOptions(haserver_refuses_app_only=True)])
async def test_retired_price_settings_refused(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """SET_PRICE_BASED_SETTINGS refused by the server: "not supported", the socket kept."""
    rig = await start(hass, simulator)
    device = next(
        device
        for device in dr.async_entries_for_config_entry(dr.async_get(hass), rig.entry.entry_id)
        if ("ev_charge_points", "BCU101") in device.identifiers
    )
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            "ev_charge_points",
            "set_price_based_charging",
            {
                "device_id": device.id,
                "departure_time": "07:00",
                "expected_kwh": 30,
                "minimum_kwh": 10,
            },
            blocking=True,
        )
    assert err.value.translation_key == "not_supported_by_server"
    assert rig.coordinator.link_up
    assert rig.hellos() == 1
    await rig.unload()
