"""A push wakes only the entities that read a field it changed.

Every entity description names the model fields its state reads (`reads`); the coordinator
compares the old and new charge point data field by field and wakes only those entities.
These tests check both sides: a push wakes nobody else, and a changed field always reaches
every entity that shows it (a declaration that misses a field would leave a stale state).
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import pytest
from homeassistant.const import EVENT_STATE_CHANGED, Platform
from homeassistant.helpers.entity_platform import async_get_platforms

from custom_components.ev_charge_points import PLATFORMS
from custom_components.ev_charge_points.const import DOMAIN
from custom_components.ev_charge_points.entity import (
    EVChargePointEntity,
    EVEntityDescription,
    EVGridEntity,
)
from custom_components.ev_charge_points.model import (
    AccessMode,
    ChargePointData,
    ChargerActivity,
    GridData,
    MeterData,
    VehicleState,
)

from .helpers import START, coordinator_of, make_entry, setup_entry, wait_for

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable

    from homeassistant.core import Event, HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.ev_charge_points.entity import _EVKeyedEntity
    from simulators.bluecurrent import BlueCurrentSimulator

pytestmark = pytest.mark.usefixtures("entity_registry_enabled_by_default")


def _entities(hass: HomeAssistant) -> list[_EVKeyedEntity]:
    """Every charge point and grid entity of the integration."""
    return [
        entity
        for platform in async_get_platforms(hass, DOMAIN)
        for entity in platform.entities.values()
        if isinstance(entity, EVChargePointEntity | EVGridEntity)
    ]


def _count_evaluations(hass: HomeAssistant) -> list[str]:
    """Record the entity id of every entity that is woken (it evaluates its visible state)."""
    woken: list[str] = []
    for entity in _entities(hass):
        original = entity._visible_state

        def _counting(
            original: Callable[[], tuple[object, ...]] = original,
            entity_id: str = entity.entity_id,
        ) -> tuple[object, ...]:
            woken.append(entity_id)
            return original()

        # An instance attribute: `_handle_update` looks the method up on every call.
        entity._visible_state = _counting  # type: ignore[method-assign]
    return woken


def _record_state_changes(hass: HomeAssistant) -> list[str]:
    """Record the state changes of charge point and grid entities (not the account's)."""
    ours = {entity.entity_id for entity in _entities(hass)}
    changed: list[str] = []

    def _on_change(event: Event[Any]) -> None:
        if event.data["entity_id"] in ours:
            changed.append(event.data["entity_id"])

    hass.bus.async_listen(EVENT_STATE_CHANGED, _on_change)
    return changed


def _state(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state


def _status_push(evse_id: str, **data: object) -> dict[str, object]:
    """A CH_STATUS that carries only some keys (the others keep their values)."""
    return {"object": "CH_STATUS", "evse_id": evse_id, "data": {"evse_id": evse_id, **data}}


@pytest.fixture
async def entry(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> AsyncIterator[MockConfigEntry]:
    """The test account with every entity enabled, without the calendar.

    The calendar platform starts the history import, which wakes the calendars when it
    ends: that is not a push and would make the counts below depend on timing.
    """
    entry = make_entry(simulator)
    with patch(
        "custom_components.ev_charge_points.PLATFORMS",
        [platform for platform in PLATFORMS if platform is not Platform.CALENDAR],
    ):
        await setup_entry(hass, entry)
        yield entry


@pytest.fixture
async def full_entry(hass: HomeAssistant, simulator: BlueCurrentSimulator) -> MockConfigEntry:
    """The test account with every platform and every entity."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    return entry


async def test_energy_push_wakes_only_the_energy_entities(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """A push that changes only the session energy wakes the session energy sensor only.

    No other entity of the charge point is even evaluated, except the one whose state
    does not come from the model (the plug-and-charge card: woken by any change). The
    lifetime meter (the coordinator's) takes no 118 kWh in no time (its physical bound):
    its reading does not change, so the lifetime sensor is not even woken.
    """
    woken = _count_evaluations(hass)
    changed = _record_state_changes(hass)
    before = float(_state(hass, "sensor.driveway_lifetime_energy"))

    await simulator.faults.send_object(_status_push("BCU101", actual_kwh=123.45))
    await wait_for(hass, lambda: _state(hass, "sensor.driveway_session_energy") == "123.45")

    assert sorted(changed) == ["sensor.driveway_session_energy"]
    assert float(_state(hass, "sensor.driveway_lifetime_energy")) == before
    assert sorted(woken) == [
        "select.driveway_plug_and_charge_card",
        "sensor.driveway_session_energy",
    ]


async def test_a_changed_field_reaches_every_entity_that_shows_it(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """Voltages reach the phase sensors, the average and the power (derived from V and I);
    the maximum current reaches its sensor, the current left and the limit's maximum."""
    changed = _record_state_changes(hass)
    power = _state(hass, "sensor.driveway_power")

    await simulator.faults.send_object(
        _status_push("BCU101", actual_v1=201, actual_v2=202, actual_v3=203)
    )
    await wait_for(hass, lambda: _state(hass, "sensor.driveway_voltage_phase_3") == "203.0")
    assert sorted(changed) == [
        "sensor.driveway_average_voltage",
        "sensor.driveway_power",
        "sensor.driveway_voltage_phase_1",
        "sensor.driveway_voltage_phase_2",
        "sensor.driveway_voltage_phase_3",
    ]
    assert _state(hass, "sensor.driveway_average_voltage") == "202.0"
    assert _state(hass, "sensor.driveway_power") != power

    changed.clear()
    current_left = _state(hass, "sensor.garage_remaining_current")
    await simulator.faults.send_object(_status_push("BCU102", max_usage=13))
    await wait_for(hass, lambda: _state(hass, "sensor.garage_maximum_current") == "13.0")
    assert sorted(changed) == [
        "number.garage_charge_current_limit",
        "sensor.garage_maximum_current",
        "sensor.garage_remaining_current",
    ]
    assert _state(hass, "sensor.garage_remaining_current") != current_left
    assert hass.states.get("number.garage_charge_current_limit").attributes["max"] == 13


async def test_connection_loss_wakes_every_entity(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """Availability is not a model field: the coordinator wakes everybody for it."""
    coordinator = coordinator_of(entry)
    woken = _count_evaluations(hass)
    coordinator.connected = False
    coordinator._async_notify_all()
    await hass.async_block_till_done()
    assert sorted(woken) == sorted(entity.entity_id for entity in _entities(hass))
    assert all(_state(hass, entity_id) == "unavailable" for entity_id in woken)


# --- the declarations are complete ----------------------------------------------------------

_OTHER_TIME = START + timedelta(hours=5)
# Values each model field is tried with (None included: "unknown" is a value too).
_ALTERNATIVES: dict[str, tuple[object, ...]] = {
    "id": ("OTHER",),
    "name": ("Other name",),
    "manufacturer": ("Other maker",),
    "model": ("OTHER-MODEL", None),
    "grid_id": ("OTHER-GRID", None),
    "activity": (*ChargerActivity, None),
    "vehicle_state": (*VehicleState, None),
    "voltage": ((201.0, 202.0, 203.0), (230.0, None, None), (None, None, None)),
    "current": ((7.0, 8.0, 9.0), (0.0, 0.0, 0.0), (None, None, None)),
    "session_energy": (0.0, 77.7, None),
    "session_cost": (0.0, 12.34, None),
    "currency": ("USD", None),
    "max_usage": (6.0, 25.0, None),
    "smart_charging_max_usage": (6.0, 11.0, None),
    "max_offline": (0.0, 10.0, None),
    "session_start": (START, _OTHER_TIME, None),
    "session_stop": (START - timedelta(hours=1), _OTHER_TIME, None),
    "offline_since": (START, None),
    "plug_and_charge": (True, False, None),
    "linked_charge_cards_only": (True, False, None),
    "smart_charging": (True, False, None),
    "delayed_charging": (True, False, None),
    "price_based_charging": (True, False, None),
    "tariff_price": (0.3, None),
    "charging_enabled": (True, False, None),
    "firmware_version": ("59.4", None),
    "configuration_url": ("http://192.168.1.20", None),
    "measured_power": (0.0, 4321.0, 1577.8, None),
    "phase_power": ((1.0, 2.0, 3.0), None),
    "power_factor": ((99.0, 98.0, 0.0), None),
    "lifetime_energy": (0.0, 1234.5, None),
    "temperature": (21.5, None),
    "charging_allowed": (True, False, None),
    "current_limit": (6.0, 16.0, None),
    "status_reason": ("charging_pv_surplus", None),
    "error": ("none", None),
    "force_state": ("neutral", "off", None),
    "phase_mode": ("auto", None),
    "pv_surplus": (True, False, None),
    "energy_limit": (0.0, 10.0, None),
    "meters": ((MeterData(index=0, name="Grid", power=100.0),), None),
    "wifi_connected": (True, False, None),
    "last_connected": (START, None),
    "access_mode": (*AccessMode, None),
    "shown_session_start": (START, _OTHER_TIME, None),
    "shown_session_stop": (START - timedelta(hours=1), _OTHER_TIME, None),
    "lifetime_total": (0.0, 17.7, None),
}
_GRID_ALTERNATIVES: dict[str, tuple[object, ...]] = {
    "id": ("OTHER",),
    "current": ((30.0, 20.0, 10.0), (0.0, 0.0, 0.0), (None, None, None)),
    "max_installed": (10.0, None),
    "max_reserved": (5.0, None),
}


def test_every_model_field_has_alternatives() -> None:
    """The completeness check below tries every field of both models."""
    assert set(_ALTERNATIVES) == {f.name for f in dataclasses.fields(ChargePointData)}
    assert set(_GRID_ALTERNATIVES) == {f.name for f in dataclasses.fields(GridData)}


async def test_declared_reads_are_fields_and_complete(
    hass: HomeAssistant, full_entry: MockConfigEntry
) -> None:
    """Changing a field an entity does not declare never changes what the entity shows.

    Tried on the charging point, the idle one and variants of both (smart charging on,
    delayed or price based, a session running or ended), one field at a time.
    """
    coordinator = coordinator_of(full_entry)
    points, grids = coordinator.data.charge_points, coordinator.data.grids
    checked = 0
    for entity in _entities(hass):
        description = entity.entity_description
        assert isinstance(description, EVEntityDescription)
        if description.reads is None:
            continue
        if isinstance(entity, EVChargePointEntity):
            store: dict[str, Any] = points
            key, alternatives = entity._evse_id, _ALTERNATIVES
            original = points[key]
            baselines: list[Any] = [
                original,
                *(
                    dataclasses.replace(original, **variant)
                    for variant in (
                        {"smart_charging": True, "delayed_charging": True},
                        {"smart_charging": True, "price_based_charging": True},
                        {"activity": ChargerActivity.DELAYED, "session_stop": None},
                        {"vehicle_state": VehicleState.READY, "session_start": START},
                    )
                ),
            ]
        else:
            assert isinstance(entity, EVGridEntity)
            store, key, alternatives = grids, entity._grid_id, _GRID_ALTERNATIVES
            original = grids[key]
            baselines = [original]
        assert set(description.reads) <= set(alternatives), entity.entity_id
        try:
            for baseline in baselines:
                store[key] = baseline
                shown = entity._visible_state()
                for name in set(alternatives) - set(description.reads):
                    for value in alternatives[name]:
                        store[key] = dataclasses.replace(baseline, **{name: value})
                        assert entity._visible_state() == shown, (entity.entity_id, name, value)
                        checked += 1
        finally:
            store[key] = original
    assert checked > 1000
