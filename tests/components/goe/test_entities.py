"""go-e entities and controls against the simulator, through the shared platforms."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er

from custom_components.ev_charge_points.brands.goe.const import LIVE_INTERVAL
from custom_components.ev_charge_points.const import DOMAIN
from simulators.goe import SimulatorOptions
from tests.simulators.goe.helpers import CHARGER, CONTROLLER, PRO_CHARGER

from .conftest import add_local, goe_coordinator

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from simulators.goe import GoeSimulator


def eid(hass: HomeAssistant, domain: str, key: str, serial: str = CHARGER) -> str:
    found = er.async_get(hass).async_get_entity_id(domain, DOMAIN, f"{serial}_{serial}_{key}")
    assert found is not None, (domain, key)
    return found


def state(hass: HomeAssistant, domain: str, key: str, serial: str = CHARGER) -> str:
    return hass.states.get(eid(hass, domain, key, serial)).state


async def charging(
    hass: HomeAssistant, sim: GoeSimulator, entry: ConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """Let the simulated charger run with the car on the cable, then poll the meter."""
    await sim.clock.advance(3)
    freezer.tick(LIVE_INTERVAL)
    await goe_coordinator(entry).async_refresh()
    await hass.async_block_till_done()


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_charger_entities(
    hass: HomeAssistant, goe_sim: GoeSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """What a charging V4 shows, with the same keys as Blue Current where both have it."""
    entry = await add_local(hass, goe_sim)
    await charging(hass, goe_sim, entry, freezer)

    assert state(hass, "sensor", "activity") == "charging"
    assert state(hass, "sensor", "vehicle_status") == "ready"
    assert state(hass, "binary_sensor", "vehicle_connected") == STATE_ON
    assert state(hass, "binary_sensor", "charging") == STATE_ON
    assert state(hass, "binary_sensor", "charging_allowed") == STATE_ON
    assert state(hass, "sensor", "charging_reason") == "charging_fallback_default"
    assert state(hass, "sensor", "error") == "none"
    # 16 A on three phases at the scenario's voltages, power factor 0.99, as the meter says.
    assert state(hass, "sensor", "current_phase_1") == "16.0"
    assert state(hass, "sensor", "voltage_phase_2") == "230.5"
    charger = goe_sim.charger(CHARGER)
    assert float(state(hass, "sensor", "power")) == charger.nrg()[11]
    assert float(state(hass, "sensor", "power_phase_1")) == charger.nrg()[7]
    assert state(hass, "sensor", "power_factor_phase_1") == "99.0"
    assert float(state(hass, "sensor", "session_energy")) == pytest.approx(
        charger.session_wh / 1000, abs=0.001
    )
    lifetime = hass.states.get(eid(hass, "sensor", "lifetime_energy"))
    assert float(lifetime.state) == int(charger.lifetime_wh) / 1000  # `eto` in whole Wh
    assert lifetime.attributes["state_class"] == "total_increasing"
    assert lifetime.attributes["unit_of_measurement"] == "kWh"
    assert float(state(hass, "sensor", "temperature")) > 0
    assert state(hass, "number", "charge_current_limit") == "16.0"
    assert state(hass, "select", "force_state") == "neutral"
    assert state(hass, "select", "phase_mode") == "auto"
    assert state(hass, "switch", "pv_surplus") == STATE_OFF
    assert state(hass, "switch", "charging") == STATE_ON
    assert state(hass, "number", "energy_limit") == "0.0"
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, CHARGER)})
    assert (device.name, device.manufacturer, device.model) == ("Garage", "go-e", "go-eCharger_V4")


async def test_per_phase_figures_are_disabled_by_default(
    hass: HomeAssistant, goe_sim: GoeSimulator
) -> None:
    entry = await add_local(hass, goe_sim)
    disabled = {
        item.translation_key
        for item in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if item.disabled_by is not None
    }
    assert {"power_phase_1", "power_factor_phase_3", "current_phase_2"} <= disabled
    assert "power" not in disabled


async def test_current_limit_is_written_and_read_back(
    hass: HomeAssistant, goe_sim: GoeSimulator, freezer: FrozenDateTimeFactory
) -> None:
    entry = await add_local(hass, goe_sim)
    await charging(hass, goe_sim, entry, freezer)
    number = eid(hass, "number", "charge_current_limit")
    assert hass.states.get(number).attributes["max"] == 16  # the charger's `ama`

    await hass.services.async_call(
        "number", "set_value", {ATTR_ENTITY_ID: number, "value": 10}, blocking=True
    )

    assert goe_sim.charger(CHARGER).amp == 10
    assert hass.states.get(number).state == "10.0"


async def test_force_state_stops_and_resumes(
    hass: HomeAssistant, goe_sim: GoeSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """Force state "don't charge" stops the car; the charging switch shows the same."""
    entry = await add_local(hass, goe_sim)
    await charging(hass, goe_sim, entry, freezer)
    select = eid(hass, "select", "force_state")

    await hass.services.async_call(
        "select", "select_option", {ATTR_ENTITY_ID: select, "option": "off"}, blocking=True
    )
    assert goe_sim.charger(CHARGER).frc == 1
    assert hass.states.get(select).state == "off"
    assert state(hass, "switch", "charging") == STATE_OFF
    await charging(hass, goe_sim, entry, freezer)
    assert state(hass, "sensor", "charging_reason") == "not_charging_force_state_off"
    assert state(hass, "binary_sensor", "charging") == STATE_OFF

    await hass.services.async_call(
        "switch", "turn_on", {ATTR_ENTITY_ID: eid(hass, "switch", "charging")}, blocking=True
    )
    assert goe_sim.charger(CHARGER).frc == 0
    assert hass.states.get(select).state == "neutral"


async def test_settings(hass: HomeAssistant, goe_sim: GoeSimulator) -> None:
    """Phase mode, PV surplus and energy limit: written, then shown as the device has them."""
    await add_local(hass, goe_sim)
    charger = goe_sim.charger(CHARGER)

    await hass.services.async_call(
        "select",
        "select_option",
        {ATTR_ENTITY_ID: eid(hass, "select", "phase_mode"), "option": "force_single"},
        blocking=True,
    )
    await hass.services.async_call(
        "switch", "turn_on", {ATTR_ENTITY_ID: eid(hass, "switch", "pv_surplus")}, blocking=True
    )
    await hass.services.async_call(
        "number",
        "set_value",
        {ATTR_ENTITY_ID: eid(hass, "number", "energy_limit"), "value": 7.5},
        blocking=True,
    )

    assert (charger.psm, charger.fup, charger.dwo) == (1, True, 7500)
    assert state(hass, "select", "phase_mode") == "force_single"
    assert state(hass, "switch", "pv_surplus") == STATE_ON
    assert state(hass, "number", "energy_limit") == "7.5"

    await hass.services.async_call(
        "number",
        "set_value",
        {ATTR_ENTITY_ID: eid(hass, "number", "energy_limit"), "value": 0},
        blocking=True,
    )
    assert charger.dwo is None


async def test_set_pv_data_reaches_the_charger(hass: HomeAssistant, goe_sim: GoeSimulator) -> None:
    await add_local(hass, goe_sim)
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, CHARGER)})

    await hass.services.async_call(
        DOMAIN,
        "set_pv_data",
        {"device_id": device.id, "grid_power": -2500, "pv_power": 4000},
        blocking=True,
    )

    assert goe_sim.charger(CHARGER).ids == {"pGrid": -2500.0, "pPv": 4000.0}


async def test_set_pv_data_refuses_bad_input(hass: HomeAssistant, goe_sim: GoeSimulator) -> None:
    await add_local(hass, goe_sim)
    await add_local(hass, goe_sim, CONTROLLER)
    registry = dr.async_get(hass)
    charger = registry.async_get_device(identifiers={(DOMAIN, CHARGER)})
    controller = registry.async_get_device(identifiers={(DOMAIN, CONTROLLER)})

    with pytest.raises(ServiceValidationError) as too_big:
        await hass.services.async_call(
            DOMAIN, "set_pv_data", {"device_id": charger.id, "grid_power": 5e9}, blocking=True
        )
    assert too_big.value.translation_key == "value_out_of_range"
    with pytest.raises(ServiceValidationError) as not_a_charger:
        await hass.services.async_call(
            DOMAIN, "set_pv_data", {"device_id": controller.id, "grid_power": 1}, blocking=True
        )
    assert not_a_charger.value.translation_key == "action_not_supported"
    assert goe_sim.charger(CHARGER).ids is None


async def test_restart(hass: HomeAssistant, goe_sim: GoeSimulator) -> None:
    """The reboot button and the restart action send `rst`; the device comes back."""
    await add_local(hass, goe_sim)
    before = len([line for line in goe_sim.request_log if "rst=" in line])

    await hass.services.async_call(
        "button", "press", {ATTR_ENTITY_ID: eid(hass, "button", "reboot")}, blocking=True
    )
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, CHARGER)})
    await hass.services.async_call(DOMAIN, "restart", {"device_id": device.id}, blocking=True)

    assert len([line for line in goe_sim.request_log if "rst=" in line]) == before + 2


async def test_a_refused_write_is_a_translated_error(
    hass: HomeAssistant, goe_sim: GoeSimulator
) -> None:
    """The device refuses a value: the user sees which key and why, nothing changes."""
    await add_local(hass, goe_sim)
    goe_sim.charger(CHARGER).busy_requests = 1

    with pytest.raises(HomeAssistantError) as refused:
        await hass.services.async_call(
            "select",
            "select_option",
            {ATTR_ENTITY_ID: eid(hass, "select", "force_state"), "option": "on"},
            blocking=True,
        )
    assert refused.value.translation_key == "goe_busy"
    assert state(hass, "select", "force_state") == "neutral"


async def test_controller_meters(hass: HomeAssistant, goe_sim: GoeSimulator) -> None:
    """One device; per category power, energy in and out (and phase currents)."""
    entry = await add_local(hass, goe_sim, CONTROLLER)
    entries = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    meters = goe_coordinator(entry).data.charge_points[CONTROLLER].meters
    assert meters
    first = meters[0]
    power = hass.states.get(eid(hass, "sensor", f"meter_{first.index}_power", CONTROLLER))
    assert float(power.state) == pytest.approx(first.power)
    assert power.name.endswith(f"{first.name} power")
    energy = hass.states.get(eid(hass, "sensor", f"meter_{first.index}_energy_in", CONTROLLER))
    assert energy.attributes["state_class"] == "total_increasing"
    keys = {item.translation_key for item in entries}
    assert "charge_current_limit" not in keys
    assert "force_state" not in keys
    assert len(dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)) == 1


@pytest.mark.parametrize("goe_options", [SimulatorOptions(family="pro")])
async def test_core_pro_firmware_family(hass: HomeAssistant, goe_sim: GoeSimulator) -> None:
    """CORE/PRO answer an unknown filter key with 400: the charger still works the same."""
    entry = await add_local(hass, goe_sim, PRO_CHARGER)
    await goe_coordinator(entry).async_refresh()

    assert state(hass, "sensor", "activity", PRO_CHARGER) == "available"
    assert state(hass, "binary_sensor", "vehicle_connected", PRO_CHARGER) == STATE_OFF
    number = eid(hass, "number", "charge_current_limit", PRO_CHARGER)
    assert hass.states.get(number).attributes["max"] == 32  # a 22 kW charger
    await hass.services.async_call(
        "number", "set_value", {ATTR_ENTITY_ID: number, "value": 20}, blocking=True
    )
    assert goe_sim.charger(PRO_CHARGER).amp == 20
    assert hass.states.get(number).state == "20.0"
