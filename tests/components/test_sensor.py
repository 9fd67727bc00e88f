"""Sensors of charge points and grids, against the simulator over real sockets."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import pytest
from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.const import EVENT_STATE_REPORTED, STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    snapshot_platform,
)

from custom_components.ev_charge_points.binary_sensor import BINARY_SENSORS
from custom_components.ev_charge_points.brands.bluecurrent.capacity_tariff import (
    DESCRIPTION as CAPACITY_TARIFF,
)
from custom_components.ev_charge_points.brands.bluecurrent.select import SELECTS
from custom_components.ev_charge_points.brands.bluecurrent.sensor import ACCOUNT_SENSORS
from custom_components.ev_charge_points.brands.bluecurrent.sockets import socket_description
from custom_components.ev_charge_points.brands.goe import entities as goe
from custom_components.ev_charge_points.brands.vecharge.entities import (
    BINARY_SENSORS as VECHARGE_BINARY_SENSORS,
)
from custom_components.ev_charge_points.brands.vecharge.entities import (
    SENSORS as VECHARGE_SENSORS,
)
from custom_components.ev_charge_points.button import BUTTONS
from custom_components.ev_charge_points.calendar import SESSIONS
from custom_components.ev_charge_points.const import DOMAIN, UNAVAILABLE_GRACE_PERIOD
from custom_components.ev_charge_points.event import EVENTS
from custom_components.ev_charge_points.model import MeterData
from custom_components.ev_charge_points.number import NUMBERS
from custom_components.ev_charge_points.sensor import CHARGE_POINT_SENSORS, GRID_SENSORS
from custom_components.ev_charge_points.switch import SWITCHES

from .helpers import (
    CUSTOMER_ID,
    START,
    coordinator_of,
    disabled_by_integration,
    make_entry,
    setup_entry,
    wait_for,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Mapping

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.helpers.entity import EntityDescription
    from syrupy.assertion import SnapshotAssertion

    from simulators.bluecurrent import BlueCurrentSimulator

INTEGRATION = Path(__file__).parents[2] / "custom_components" / DOMAIN
TEST_SCENARIO = Path(__file__).parents[2] / "simulators" / "bluecurrent" / "scenarios" / "test.json"


@pytest.fixture
async def entry(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, freezer: FrozenDateTimeFactory
) -> AsyncIterator[MockConfigEntry]:
    """The simulator's account, set up with only the sensor platform."""
    freezer.move_to(START)
    entry = make_entry(simulator)
    with patch("custom_components.ev_charge_points.PLATFORMS", [Platform.SENSOR]):
        await setup_entry(hass, entry)
        yield entry


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_sensors(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every sensor of both charge points and of their grid, as the user sees them."""
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)

    # Charge point sensors sit on their charge point, grid sensors on the grid device,
    # and the charge points hang off the grid.
    grid = device_registry.async_get_device(identifiers={(DOMAIN, f"{CUSTOMER_ID}_GRID-BCU101")})
    assert grid is not None
    assert grid == snapshot(name="grid-device")
    for evse_id in ("BCU101", "BCU102"):
        device = device_registry.async_get_device(identifiers={(DOMAIN, evse_id)})
        assert device is not None
        assert device.via_device_id == grid.id
        assert device == snapshot(name=f"{evse_id}-device")
        entities = er.async_entries_for_device(entity_registry, device.id)
        assert len(entities) == len(CHARGE_POINT_SENSORS)
    assert len(er.async_entries_for_device(entity_registry, grid.id)) == len(GRID_SENSORS)


async def test_diagnostic_and_noisy_sensors_disabled_by_default(
    hass: HomeAssistant, entry: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """Per-phase values and rarely needed limits start disabled."""
    disabled = {
        item.unique_id.removeprefix(f"{CUSTOMER_ID}_")
        for item in disabled_by_integration(hass, entry)
    }
    assert disabled == {
        *(
            f"BCU10{n}_{kind}_phase_{phase}"
            for n in (1, 2)
            for kind in ("voltage", "current")
            for phase in (1, 2, 3)
        ),
        *(
            f"BCU10{n}_{key}"
            for n in (1, 2)
            for key in ("smart_charging_max_usage", "max_offline", "current_left")
        ),
        # The phases are on (a fuse is per phase); their sum is off.
        *(
            f"GRID-BCU101_grid_{key}"
            for key in ("total_current", "average_current", "max_installed", "max_reserved")
        ),
    }
    assert hass.states.get("sensor.driveway_voltage_phase_1") is None


async def test_power_and_energy_follow_the_pushes(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """Charging for a while: pushed statuses raise session energy; power is the sum of V x I."""
    point = simulator.charge_point("BCU101")
    energy_before = float(hass.states.get("sensor.driveway_session_energy").state)
    power = float(hass.states.get("sensor.driveway_power").state)
    # Sum over the phases, not avg(V) x avg(I) x sqrt(3) like the vendor library.
    expected = sum(v * i for v, i in zip(point.voltages, point.currents, strict=True))
    assert power == pytest.approx(expected, abs=0.1)
    assert power > 10_000  # 3 x 16 A at 230 V is about 11 kW, not the library's 6.4 kW

    await simulator.clock.advance(600)  # ten minutes of charging
    # The last push of those ten minutes carries the simulator's meter reading.
    await wait_for(
        hass,
        lambda: (
            abs(float(hass.states.get("sensor.driveway_session_energy").state) - point.session_kwh)
            < 0.01
        ),
    )
    gained = float(hass.states.get("sensor.driveway_session_energy").state) - energy_before
    assert gained == pytest.approx(power / 1000 / 6, rel=0.1)


async def test_state_written_only_when_it_changed(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """A push rewrites only the entities whose state changed, not all of them."""
    reported: list[str] = []

    @callback
    def _ours(data: Mapping[str, Any]) -> bool:
        return str(data["entity_id"]).startswith("sensor.")

    def _on_report(event: Event) -> None:
        reported.append(event.data["entity_id"])

    hass.bus.async_listen(EVENT_STATE_REPORTED, _on_report, event_filter=_ours)
    changed: list[str] = []
    hass.bus.async_listen("state_changed", lambda event: changed.append(event.data["entity_id"]))

    await simulator.push_status("BCU101")
    await simulator.push_status("BCU102")
    await simulator.push_grid("GRID-BCU101")
    await simulator.clock.advance(60)
    await wait_for(hass, lambda: "sensor.driveway_session_energy" in changed)

    assert reported == []  # nothing written with an unchanged state
    assert not [entity_id for entity_id in changed if entity_id.startswith("sensor.garage_")]
    assert "sensor.driveway_maximum_current" not in changed


async def test_activity_covers_every_server_value(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """`delayed`, `blocked` and `offline` are declared enum options with translations."""
    state = hass.states.get("sensor.driveway_activity")
    assert state.state == "charging"
    assert state.attributes["options"] == [
        "available",
        "charging",
        "blocked",
        "offline",
        "error",
        "delayed",
    ]

    # Blocked (the wire's "unavailable") is a state of its own, not HA's "unavailable".
    simulator.charge_point("BCU102").operative = False
    await simulator.push_status("BCU102")
    await wait_for(hass, lambda: hass.states.get("sensor.garage_activity").state == "blocked")

    await simulator.set_offline("BCU102")
    await wait_for(hass, lambda: hass.states.get("sensor.garage_activity").state == "offline")
    assert hass.states.get("sensor.garage_offline_since").state == START.isoformat()


async def test_unavailable_after_the_grace_period_and_back(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: BlueCurrentSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A server outage longer than the grace period makes the sensors unavailable, then not."""
    coordinator = coordinator_of(entry)
    await simulator.faults.go_offline()
    await wait_for(hass, lambda: not coordinator.link_up)
    assert hass.states.get("sensor.driveway_activity").state == "charging"

    freezer.tick(UNAVAILABLE_GRACE_PERIOD + timedelta(seconds=1))
    async_fire_time_changed(hass)
    await wait_for(
        hass, lambda: hass.states.get("sensor.driveway_activity").state == STATE_UNAVAILABLE
    )
    assert hass.states.get("sensor.grid_bcu101_current_phase_1").state == STATE_UNAVAILABLE

    await simulator.faults.come_back()
    freezer.tick(timedelta(minutes=10))  # past any reconnect delay
    async_fire_time_changed(hass)
    await wait_for(hass, lambda: coordinator.connected)
    assert hass.states.get("sensor.driveway_activity").state == "charging"
    assert hass.states.get("sensor.grid_bcu101_current_phase_1").state != STATE_UNAVAILABLE


async def test_cost_in_the_tariff_currency(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Session cost is a monetary total in the tariff's currency, not a fixed EUR."""
    state = hass.states.get("sensor.driveway_session_cost")
    assert state.attributes["device_class"] == SensorDeviceClass.MONETARY
    assert state.attributes["state_class"] == "total"
    assert state.attributes["unit_of_measurement"] == "EUR"


ALL_DESCRIPTIONS: dict[str, tuple[EntityDescription, ...]] = {
    "sensor": (
        *CHARGE_POINT_SENSORS,
        *GRID_SENSORS,
        *ACCOUNT_SENSORS,
        socket_description(1),
        *goe.SENSORS,
        *goe.meter_descriptions(MeterData(index=0, name="Grid")),
        *VECHARGE_SENSORS,
    ),
    "binary_sensor": (*BINARY_SENSORS, goe.CHARGING_ALLOWED, *VECHARGE_BINARY_SENSORS),
    "switch": (*SWITCHES, *goe.SWITCHES, CAPACITY_TARIFF),
    "button": BUTTONS,
    "select": (*SELECTS, *goe.SELECTS),
    "number": (*NUMBERS, goe.ENERGY_LIMIT),
    "event": EVENTS,
    "calendar": (SESSIONS,),
}


@pytest.mark.parametrize("language", ["en", "nl"])
def test_translations_complete(language: str) -> None:
    """Every entity has a name and every enum value a state text, in English and Dutch."""
    strings = json.loads((INTEGRATION / "translations" / f"{language}.json").read_text())
    for platform, descriptions in ALL_DESCRIPTIONS.items():
        texts = strings["entity"][platform]
        assert set(texts) == {description.translation_key for description in descriptions}
        for description in descriptions:
            assert texts[description.translation_key]["name"]
            for option in getattr(description, "options", None) or ():
                assert texts[description.translation_key]["state"][option]


def test_icons_belong_to_entities() -> None:
    """icons.json names only existing entities, and per-state icons only existing states."""
    icons = json.loads((INTEGRATION / "icons.json").read_text())["entity"]
    for platform, entries in icons.items():
        descriptions = {d.translation_key: d for d in ALL_DESCRIPTIONS[platform]}
        for key, icon in entries.items():
            assert icon["default"].startswith("mdi:")
            states = set(getattr(descriptions[key], "options", None) or ("on", "off"))
            assert set(icon.get("state", {})) <= states


def test_strings_json_is_english() -> None:
    """strings.json and translations/en.json are the same file."""
    strings = (INTEGRATION / "strings.json").read_text()
    assert strings == (INTEGRATION / "translations" / "en.json").read_text()


async def test_session_stopped_is_unknown_while_a_session_runs(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """No "stopped yesterday" next to a running session: unknown, then the real stop."""
    assert hass.states.get("sensor.driveway_activity").state == "charging"
    assert hass.states.get("sensor.driveway_session_stopped").state == STATE_UNKNOWN

    await simulator.unplug("BCU101")
    await wait_for(
        hass, lambda: hass.states.get("sensor.driveway_session_stopped").state != STATE_UNKNOWN
    )
    stopped = dt_util.parse_datetime(hass.states.get("sensor.driveway_session_stopped").state)
    started = dt_util.parse_datetime(hass.states.get("sensor.driveway_session_started").state)
    assert stopped is not None
    assert started is not None
    assert stopped >= started


async def test_every_device_has_a_model(
    hass: HomeAssistant, entry: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    """No "<unknown>" in the device list: charge points, the grid and the account."""
    devices = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    models = {device.name: device.model for device in devices}
    assert models["Grid BCU101"] == "Grid connection"
    assert models["Blue Current account"] == "Cloud account"
    assert all(models.values()), models
