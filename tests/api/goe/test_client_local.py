"""Our client against the simulator's local API: key groups, detection, writes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.ev_charge_points.api.goe import (
    GROUP_KEYS,
    CarState,
    DeviceKind,
    ForceState,
    KeyGroup,
    LogicMode,
    ModelStatus,
    PhaseSwitchMode,
)
from tests.simulators.goe.helpers import CHARGER, CONTROLLER, PRO_CHARGER

from .conftest import local_client

if TYPE_CHECKING:
    import aiohttp

    from custom_components.ev_charge_points.api.goe import GoeClient
    from simulators.goe import GoeSimulator


async def test_charger_status_in_one_filtered_request(
    charger: GoeClient, goe_sim: GoeSimulator
) -> None:
    status = await charger.get_charger_status()
    assert len(goe_sim.request_log) == 1
    assert "filter=car,modelStatus," in goe_sim.request_log[0]
    assert status.serial == CHARGER
    assert status.friendly_name == "Garage"
    assert status.firmware == "055.7"
    assert status.device_type == "go-eCharger_V4"
    assert status.car_state is CarState.CHARGING
    assert status.car_connected is True
    assert status.model_status is ModelStatus.CHARGING_FALLBACK_DEFAULT
    assert status.force_state is ForceState.NEUTRAL
    assert status.phase_switch_mode is PhaseSwitchMode.AUTO
    assert status.supports_phase_switching
    assert status.allowed_current == 16
    assert status.phases_in_use == 3
    assert status.energy is not None
    assert status.energy.currents == (16, 16, 16)
    assert status.energy.power_total == pytest.approx(3 * 231.2 * 16 * 0.99, rel=0.01)
    assert status.energy.power_factors == (99, 99, 99)
    assert status.lifetime_energy == 1_234_567
    assert status.energy_limit is None
    assert status.last_modified is None  # local reads carry no Last-Modified


@pytest.mark.parametrize("group", list(KeyGroup)[:4])
async def test_each_charger_key_group_asks_only_for_its_keys(
    charger: GoeClient, goe_sim: GoeSimulator, group: KeyGroup
) -> None:
    status = await charger.get_charger_status([group])
    assert status.keys <= set(GROUP_KEYS[group])
    assert status.keys
    query = goe_sim.request_log[-1]
    assert query == "/api/status?filter=" + ",".join(GROUP_KEYS[group])


async def test_live_group_after_some_charging(charger: GoeClient, goe_sim: GoeSimulator) -> None:
    await goe_sim.clock.advance(600)
    status = await charger.get_charger_status([KeyGroup.LIVE])
    assert status.session_energy == pytest.approx(1827, rel=0.02)
    assert status.temperatures
    assert status.charging_duration_ms == 600_000
    assert status.inverter is not None
    assert status.inverter.grid_power is None  # no PV data pushed
    assert status.serial is None  # not asked for


async def test_controller_status(controller: GoeClient) -> None:
    status = await controller.get_controller_status()
    assert status.device_type == "controller"
    assert len(status.categories) == 16
    assert [c.name for c in status.used_categories] == ["Home", "Grid", "Solar"]
    grid = status.categories[1]
    assert grid.power is not None
    assert grid.power < 0
    assert grid.currents[0] is not None
    assert status.voltage_sensors[0].voltages[0] == pytest.approx(234.7242)
    assert [s.name for s in status.current_sensors] == ["Internal 1", "Internal 2"]
    assert status.current_sensors[1].phase == 1


@pytest.mark.parametrize(
    ("serial", "kind"),
    [
        (CHARGER, DeviceKind.CHARGER),
        (PRO_CHARGER, DeviceKind.CHARGER),
        (CONTROLLER, DeviceKind.CONTROLLER),
    ],
)
async def test_detect(
    goe_sim: GoeSimulator, session: aiohttp.ClientSession, serial: str, kind: DeviceKind
) -> None:
    info = await local_client(goe_sim, session, serial).detect()
    assert info.kind is kind
    assert info.serial == serial
    assert goe_sim.request_log[-1] == "/api/status?filter="


async def test_current_limit_and_force_state(charger: GoeClient, goe_sim: GoeSimulator) -> None:
    await charger.set_current_limit(10)
    await goe_sim.clock.advance(1)
    status = await charger.get_charger_status([KeyGroup.LIVE])
    assert (status.current_limit, status.allowed_current) == (10, 10)
    await charger.set_force_state(ForceState.OFF)
    await goe_sim.clock.advance(1)
    status = await charger.get_charger_status([KeyGroup.LIVE])
    assert status.allowed_to_charge is False
    assert status.model_status is ModelStatus.NOT_CHARGING_FORCE_STATE_OFF
    assert status.car_state is CarState.WAIT_CAR


async def test_phase_mode(charger: GoeClient, goe_sim: GoeSimulator) -> None:
    await charger.set_phase_mode(PhaseSwitchMode.FORCE_SINGLE)
    await goe_sim.clock.advance(10)
    status = await charger.get_charger_status([KeyGroup.LIVE, KeyGroup.CONFIGURATION])
    assert status.phase_switch_mode is PhaseSwitchMode.FORCE_SINGLE
    assert status.phases_in_use == 1


async def test_pv_surplus_through_the_client(charger: GoeClient, goe_sim: GoeSimulator) -> None:
    await charger.set_logic_mode(LogicMode.ECO)
    await charger.set_use_pv_surplus(enabled=True)
    await charger.push_inverter_data(-6000, pv_power=8000, battery_power=0)
    await goe_sim.clock.advance(1)
    status = await charger.get_charger_status([KeyGroup.LIVE, KeyGroup.CONFIGURATION])
    assert status.model_status is ModelStatus.CHARGING_PV_SURPLUS
    assert status.inverter is not None
    assert status.inverter.grid_power == -6000
    assert status.use_pv_surplus is True
    assert status.logic_mode is LogicMode.ECO


async def test_strings_limits_and_reboot(charger: GoeClient) -> None:
    await charger.set_friendly_name('Garage "left" & more')
    await charger.set_energy_limit(5000)
    await charger.set_temporary_current_limit(8)
    await charger.set_absolute_max_current(14)
    before = await charger.get_charger_status()
    assert before.friendly_name == 'Garage "left" & more'
    assert before.energy_limit == 5000
    assert before.temporary_current_limit == 8
    assert before.absolute_max_current == 14
    assert before.current_limit == 14  # amp follows the lower ceiling
    await charger.set_energy_limit(None)
    await charger.set_temporary_current_limit(None)
    await charger.reboot()
    after = await charger.get_charger_status()
    assert after.energy_limit is None
    assert after.temporary_current_limit is None
    assert after.reboot_count == (before.reboot_count or 0) + 1


async def test_set_values_returns_the_accepted_keys(charger: GoeClient) -> None:
    accepted = await charger.set_values({"amp": 12, "fup": False, "clp": [6, 8, 10]})
    assert accepted == {"amp", "fup", "clp"}
    status = await charger.get_charger_status([KeyGroup.CONFIGURATION])
    assert status.current_presets == (6, 8, 10)
