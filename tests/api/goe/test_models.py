"""Parsing the doc's example payloads; open enums; nulls; device detection."""

from __future__ import annotations

import pytest

from custom_components.ev_charge_points.api.goe import (
    CableLockStatus,
    CarState,
    ChargerError,
    DeviceKind,
    ForceState,
    GoeChargerStatus,
    GoeControllerStatus,
    GoeInvalidResponseError,
    GoeUnsupportedDeviceError,
    LogicMode,
    ModelStatus,
    PhaseSwitchMode,
    detect_device_kind,
    device_info,
    error_names,
)

from .payloads import CHARGING, CONTROLLER, IDLE_V4


def test_idle_v4_example() -> None:
    status = GoeChargerStatus.from_wire(IDLE_V4)
    assert status.serial == "654321"
    assert status.car_state is CarState.IDLE
    assert status.car_connected is False
    assert status.allowed_to_charge is False
    assert status.allowed_current is None
    assert status.temporary_current_limit is None
    assert status.model_status is ModelStatus.NOT_CHARGING_FALLBACK_AWATTAR
    assert status.error is ChargerError.NONE
    assert status.logic_mode is LogicMode.ECO
    assert status.cable_lock_status is CableLockStatus.LOCKED
    assert status.energy is not None
    assert status.energy.voltages == (233.74, 237.46, 235.29)
    assert status.energy.voltage_n == 1.86
    assert status.energy.power_total == 0
    assert status.temperatures == (28.5, 23)
    assert status.phases_present == (False, False, False, True, True, True)
    assert status.energy_limit is None
    assert status.inverter is not None
    assert status.inverter.grid_power is None
    assert status.current_presets == (6, 10, 12, 14, 16)
    assert status.lifetime_energy == 6
    assert status.grid_frequency == 50.045


def test_charging_example_decodes_nrg() -> None:
    status = GoeChargerStatus.from_wire(CHARGING)
    assert status.car_state is CarState.CHARGING
    assert status.force_state is ForceState.ON
    assert status.phase_switch_mode is PhaseSwitchMode.FORCE_THREE
    energy = status.energy
    assert energy is not None
    assert energy.currents == (15.9, 16.0, 15.8)
    assert energy.powers == (3640, 3652, 3622)
    assert energy.power_n == 0
    assert energy.power_total == 10914
    assert energy.power_factors == (99, 99, 99)
    assert energy.power_factor_n == 0
    assert status.session_energy == 5321.4
    assert status.charging_duration_ms == 1754000
    assert status.serial is None  # not in the payload


def test_newer_codes_keep_their_number() -> None:
    status = GoeChargerStatus.from_wire(
        {"car": 6, "modelStatus": 99, "err": 23, "frc": 7, "psm": 5, "cus": 42}
    )
    assert status.car_state is CarState.INITIALIZING
    assert status.model_status == 99
    assert not isinstance(status.model_status, ModelStatus)
    assert status.error == 23
    assert status.force_state == 7
    assert status.phase_switch_mode == 5
    assert status.cable_lock_status == 42


def test_null_car_and_err_mean_unknown() -> None:
    status = GoeChargerStatus.from_wire({"car": None, "err": None, "acu": None})
    assert status.car_state is None
    assert status.car_connected is None
    assert status.error is None
    assert status.keys == {"car", "err", "acu"}


def test_wrong_types_become_none() -> None:
    status = GoeChargerStatus.from_wire(
        {"car": "2", "amp": True, "nrg": "x", "tma": [1, "a"], "wh": float("nan"), "sse": 5}
    )
    assert status.car_state is None
    assert status.current_limit is None
    assert status.energy is None
    assert status.temperatures == (1, None)
    assert status.session_energy is None
    assert status.serial is None


def test_short_nrg_leaves_the_tail_empty() -> None:
    status = GoeChargerStatus.from_wire({"nrg": [230, 231]})
    assert status.energy is not None
    assert status.energy.voltages == (230, 231, None)
    assert status.energy.power_total is None


@pytest.mark.parametrize(
    ("code", "names"),
    [
        (0, ("NONE",)),
        (5, ("OVERAMP",)),
        (13, ("Overtemp", "StatusLockStuckLocked")),
        (17, ("NoComm",)),
        (23, ("Reserved23", "RdcSelfTestFailed")),
        (99, ()),
    ],
)
def test_error_names_cover_both_lists(code: int, names: tuple[str, ...]) -> None:
    assert error_names(code) == names


def test_controller_example() -> None:
    status = GoeControllerStatus.from_wire(CONTROLLER)
    assert status.device_type == "controller"
    assert [c.name for c in status.used_categories] == ["Home", "Grid", "Solar"]
    grid = status.categories[1]
    assert (grid.power, grid.energy_in, grid.energy_out) == (-4658.055, 15961.12, 122907.1)
    assert grid.currents == (1.212599, 9.24908, 10.688)
    assert grid.current_n is None
    assert status.categories[2].currents == (None, None, None)
    assert status.voltage_sensors[0].voltage_n == 0.815918
    sensor = status.current_sensors[1]
    assert (sensor.power, sensor.power_factor, sensor.phase, sensor.inverted) == (
        -2169.455,
        -0.979083,
        1,
        False,
    )


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (IDLE_V4, DeviceKind.CHARGER),
        (CONTROLLER, DeviceKind.CONTROLLER),
        ({"typ": "go-eCharger_Phoenix"}, DeviceKind.CHARGER),
        ({"car": 1, "amp": 6}, DeviceKind.CHARGER),
        ({"ccp": [1.0]}, DeviceKind.CONTROLLER),
    ],
)
def test_detect_device_kind(data: dict[str, object], kind: DeviceKind) -> None:
    assert detect_device_kind(data) is kind


def test_detect_refuses_other_devices() -> None:
    with pytest.raises(GoeUnsupportedDeviceError):
        detect_device_kind({"typ": "toaster", "foo": 1})
    with pytest.raises(GoeInvalidResponseError):
        detect_device_kind([1, 2])


def test_device_info() -> None:
    info = device_info(IDLE_V4)
    assert (info.kind, info.serial, info.firmware, info.variant) == (
        DeviceKind.CHARGER,
        "654321",
        "055.7",
        11,
    )


@pytest.mark.parametrize("junk", [None, [], "text", 3])
def test_non_objects_are_invalid(junk: object) -> None:
    with pytest.raises(GoeInvalidResponseError):
        GoeChargerStatus.from_wire(junk)
    with pytest.raises(GoeInvalidResponseError):
        GoeControllerStatus.from_wire(junk)
