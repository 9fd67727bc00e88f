"""Fault matrix: the integration, running in Home Assistant, against a misbehaving simulator.

Every fault is injected with the simulator's fault hooks while the entry is loaded. For each
one the test checks what a user would notice: no exception reaches Home Assistant (the `hass`
fixture fails the test on one, and no ERROR is logged), no entity or device is duplicated, the
entities go unavailable only after the grace period and come back after the backoff delay, the
connection task keeps running (or ends for good where it must), and the right log line or
repair issue appears. The plugin's `verify_cleanup` fixture fails a test that leaves a task or
timer behind; every test also unloads its entry and checks that the connection task ended.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant import block_async_io
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN
from homeassistant.components.button import SERVICE_PRESS
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.entity_platform import async_get_platforms
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.ev_charge_points.api.bluecurrent import BlueCurrentClient
from custom_components.ev_charge_points.brands.bluecurrent import brand as bluecurrent_brand
from custom_components.ev_charge_points.brands.bluecurrent.const import (
    CHARGE_POINTS_REFRESH_INTERVAL,
    MAX_FRAME_SIZE,
)
from custom_components.ev_charge_points.const import (
    DOMAIN,
    RECONNECT_MAX_DELAY,
    UNAVAILABLE_GRACE_PERIOD,
)
from custom_components.ev_charge_points.entity import EVChargePointEntity, EVGridEntity

from .helpers import coordinator_of, fire, ha_commands, make_entry, settle, setup_entry, wait_for

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from homeassistant.core import HomeAssistant

    from custom_components.ev_charge_points.brands.bluecurrent.coordinator import (
        BlueCurrentCoordinator,
    )
    from simulators.bluecurrent import BlueCurrentSimulator

# Every entity exists, the diagnostic ones that are disabled by default included.
pytestmark = pytest.mark.usefixtures("entity_registry_enabled_by_default")

LOGGER_NAME = "custom_components.ev_charge_points"
GRACE = UNAVAILABLE_GRACE_PERIOD.total_seconds()
ENERGY = "sensor.driveway_session_energy"
VOLTAGE = "sensor.driveway_voltage_phase_1"
ACTIVITY = "sensor.driveway_activity"
SOFT_RESET = "button.driveway_soft_reset"


@pytest.fixture(autouse=True)
def no_errors_logged(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    caplog: pytest.LogCaptureFixture,
    disable_block_async_io: None,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[None]:
    """Whatever the fault: nothing logged at ERROR level (no escaped exception), no blocking call.

    Home Assistant's blocking-call detection runs complete, as in production (the plugin
    leaves it off and tests skip most of its checks), from after the simulator's start.
    """
    monkeypatch.setattr(block_async_io, "_IN_TESTS", False)
    block_async_io.enable()
    caplog.set_level(logging.DEBUG, logger=LOGGER_NAME)
    yield
    problems = [
        f"{record.name}: {record.getMessage()}"
        for record in caplog.get_records("call")
        if record.levelno >= logging.ERROR or "Detected blocking call" in record.getMessage()
    ]
    assert not problems


def client_with(monkeypatch: pytest.MonkeyPatch, **options: Any) -> None:
    """Let the integration build its client with these constructor options."""
    monkeypatch.setattr(
        bluecurrent_brand, "BlueCurrentClient", functools.partial(BlueCurrentClient, **options)
    )


def our_lines(caplog: pytest.LogCaptureFixture, level: int = logging.DEBUG) -> list[str]:
    """Messages our integration logged at `level` or above during the test."""
    return [
        record.getMessage()
        for record in caplog.get_records("call")
        if record.name.startswith(LOGGER_NAME) and record.levelno >= level
    ]


@dataclass
class Rig:
    """A loaded entry and what it looked like before the fault."""

    hass: HomeAssistant
    simulator: BlueCurrentSimulator
    entry: MockConfigEntry
    coordinator: BlueCurrentCoordinator
    unique_ids: list[str]
    devices: int
    # Entities of the charge points and grids: their state comes from the websocket.
    linked: set[str]
    # Those of them available after setup (some are unavailable by design, e.g. boost).
    available: set[str]

    @staticmethod
    def states_of(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, str]:
        """State of every registered entity of the entry that has one."""
        found = {}
        for item in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id):
            if (state := hass.states.get(item.entity_id)) is not None:
                found[item.entity_id] = state.state
        return found

    def states(self) -> dict[str, str]:
        """State of every registered entity of the entry that has one."""
        return self.states_of(self.hass, self.entry)

    def linked_states(self) -> dict[str, str]:
        """States of the charge point and grid entities."""
        states = self.states()
        return {entity_id: states[entity_id] for entity_id in self.linked}

    def state(self, entity_id: str) -> str:
        state = self.hass.states.get(entity_id)
        assert state is not None
        return state.state

    def hellos(self) -> int:
        return len(ha_commands(self.simulator, "HELLO"))

    def assert_intact(self) -> None:
        """Same entities and devices as before the fault, each once; the loop still runs."""
        registry = er.async_get(self.hass)
        unique_ids = [
            e.unique_id for e in er.async_entries_for_config_entry(registry, self.entry.entry_id)
        ]
        assert sorted(unique_ids) == self.unique_ids
        assert len(self.states()) == len(unique_ids)
        devices = dr.async_entries_for_config_entry(dr.async_get(self.hass), self.entry.entry_id)
        assert len(devices) == self.devices
        task = self.coordinator._loop_task
        assert task is not None
        assert not task.done()

    def assert_available(self) -> None:
        """Every entity that was available after setup is available."""
        states = self.states()
        assert {
            entity_id for entity_id in self.available if states[entity_id] == STATE_UNAVAILABLE
        } == set()

    async def expire_grace(self) -> None:
        """Let the grace period run out: every entity is unavailable at once.

        The pending reconnect (the backoff delay is shorter) is due as well and starts.
        """
        fire(self.hass, GRACE + 1)
        assert not self.coordinator.connected
        states = self.states()
        assert {states[entity_id] for entity_id in self.available} == {STATE_UNAVAILABLE}

    async def recover(self, delays: list[float]) -> None:
        """Fire the pending backoff delay (its upper bound): the link and the data are back."""
        fire(self.hass, delays[-1])
        await self.recovered()

    async def recovered(self) -> None:
        """Wait for the link: entities available, nothing duplicated, one socket."""
        await wait_for(self.hass, lambda: self.coordinator.link_up and self.coordinator.connected)
        self.assert_available()
        self.assert_intact()
        await wait_for(self.hass, lambda: self.simulator.open_connections == 1)

    async def unload(self) -> None:
        """Unload the entry: the connection task is finished and the socket closed."""
        task = self.coordinator._loop_task
        assert await self.hass.config_entries.async_unload(self.entry.entry_id)
        await self.hass.async_block_till_done()
        assert self.entry.state is ConfigEntryState.NOT_LOADED
        assert task is not None
        assert task.done()
        await wait_for(self.hass, lambda: self.simulator.open_connections == 0)


async def start(hass: HomeAssistant, simulator: BlueCurrentSimulator) -> Rig:
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    coordinator = coordinator_of(entry)
    registry = er.async_get(hass)
    unique_ids = sorted(
        e.unique_id for e in er.async_entries_for_config_entry(registry, entry.entry_id)
    )
    assert len(unique_ids) == len(set(unique_ids))
    devices = len(dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id))
    linked = {
        entity.entity_id
        for platform in async_get_platforms(hass, DOMAIN)
        for entity in platform.entities.values()
        if isinstance(entity, EVChargePointEntity | EVGridEntity)
    }
    states = Rig.states_of(hass, entry)
    available = {entity_id for entity_id in linked if states[entity_id] != STATE_UNAVAILABLE}
    assert len(available) > 40
    return Rig(hass, simulator, entry, coordinator, unique_ids, devices, linked, available)


async def press(hass: HomeAssistant, entity_id: str) -> None:
    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )


# --- dropped connections -----------------------------------------------------------------------

PHASES = {
    # the websocket upgrade of the reconnect: TCP aborted, no HTTP answer
    "handshake": lambda sim: sim.faults.drop_handshakes(),
    # HELLO arrived, the session is not subscribed yet
    "hello": lambda sim: sim.faults.drop_on("HELLO"),
    # HELLO answered, the charge point list was asked for
    "after_hello": lambda sim: sim.faults.drop_on("GET_CHARGE_POINTS"),
    # CHARGE_POINTS answered, the statuses and grids are being read
    "charge_points": lambda sim: sim.faults.drop_on("GET_CH_STATUS"),
}


@pytest.mark.parametrize("phase", list(PHASES))
async def test_drop_in_every_connection_phase(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    delays: list[float],
    caplog: pytest.LogCaptureFixture,
    phase: str,
) -> None:
    """A reconnect that dies half-way counts as failed: the backoff grows, then it recovers."""
    rig = await start(hass, simulator)
    PHASES[phase](simulator)
    await simulator.faults.drop_connections()
    await wait_for(hass, lambda: delays == [1])
    assert rig.coordinator.connected  # within the grace period

    fire(hass, 1)  # the reconnect meets the fault
    await wait_for(hass, lambda: delays == [1, 2])
    assert not rig.coordinator.link_up
    assert rig.coordinator.reconnects == 2
    if phase != "handshake":
        assert rig.hellos() == 2
    assert our_lines(caplog).count("Blue Current connection ended: BlueCurrentConnectionError") == 2
    rig.assert_intact()

    await rig.expire_grace()  # also fires the 2 s reconnect, which succeeds
    await rig.recovered()
    assert rig.hellos() == (2 if phase == "handshake" else 3)
    assert our_lines(caplog, logging.INFO)[-2:] == [
        "Connection to Blue Current lost; entities are unavailable until it is back",
        "Connection to Blue Current restored",
    ]
    await rig.unload()


async def test_drop_during_a_command(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, delays: list[float]
) -> None:
    """The socket dies while an action waits for its result: the action fails, translated."""
    rig = await start(hass, simulator)
    simulator.faults.drop_on("SOFT_RESET")
    with pytest.raises(HomeAssistantError) as err:
        await press(hass, SOFT_RESET)
    assert err.value.translation_key == "not_connected"
    await wait_for(hass, lambda: delays == [1])
    assert simulator.commands("SOFT_RESET", evse_id="BCU101")
    rig.assert_intact()

    await rig.expire_grace()
    await rig.recovered()
    await press(hass, SOFT_RESET)  # works again
    assert len(simulator.commands("SOFT_RESET")) == 2
    await rig.unload()


async def test_half_open_connection_is_detected_by_the_ping_timeout(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    delays: list[float],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No pong, no data, no close: the keepalive notices and the loop reconnects."""
    client_with(monkeypatch, ping_interval=0.2, ping_timeout=0.3)
    rig = await start(hass, simulator)
    simulator.faults.stop_answering()
    await wait_for(hass, lambda: not rig.coordinator.link_up, timeout=5)
    assert delays == [1]
    assert "Blue Current connection ended: BlueCurrentConnectionError" in our_lines(caplog)

    simulator.faults.resume_answering()
    await rig.expire_grace()
    await rig.recovered()
    assert rig.hellos() == 2
    await rig.unload()


async def test_slow_server_within_the_timeouts(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, delays: list[float]
) -> None:
    """Replies that take a while still make a working connection."""
    rig = await start(hass, simulator)
    simulator.faults.delay_replies(0.3)
    await simulator.faults.drop_connections()
    await wait_for(hass, lambda: delays == [1])
    await rig.recover(delays)
    assert delays == [1]
    await press(hass, SOFT_RESET)
    simulator.faults.delay_replies(0)
    await rig.unload()


async def test_slow_server_beyond_the_request_timeout(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    delays: list[float],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server slower than the request timeout: each attempt gives up, the backoff grows."""
    client_with(monkeypatch, request_timeout=0.3)
    rig = await start(hass, simulator)
    simulator.faults.delay_replies(0.6)
    await simulator.faults.drop_connections()
    await wait_for(hass, lambda: delays == [1])
    for count in (2, 3):
        fire(hass, delays[-1])
        await wait_for(hass, lambda count=count: len(delays) == count)
    assert delays == [1, 2, 4]
    assert not rig.coordinator.link_up
    assert our_lines(caplog).count("Blue Current connection ended: BlueCurrentConnectionError") == 3
    rig.assert_intact()

    simulator.faults.delay_replies(0)
    await rig.expire_grace()
    fire(hass, delays[-1])
    await rig.recovered()
    await rig.unload()


# --- frames the integration cannot use ---------------------------------------------------------

UNUSABLE = {
    "malformed_json": '{"object": "CH_STATUS", "evse_id": "BCU101"',
    "not_an_object": '["CH_STATUS", "BCU101"]',
    "no_object": '{"evse_id": "BCU101", "data": {"actual_kwh": 99}}',
    "empty_object": '{"object": "", "evse_id": "BCU101"}',
    "unknown_object": '{"object": "FIRMWARE_UPDATE", "evse_id": "BCU101"}',
    "wrong_typed_data": '{"object": "CH_STATUS", "evse_id": "BCU101", "data": "charging"}',
    "missing_evse_id": '{"object": "CH_STATUS", "data": {"actual_kwh": 99}}',
    "wrong_typed_evse_id": '{"object": "CH_STATUS", "data": {"evse_id": ["BCU101"]}}',
    "error_without_code": '{"object": "ERROR", "message": "Unknown error"}',
    "nested_too_deep": "[" * 50_000 + "]" * 50_000,
}


@pytest.mark.parametrize("frame", list(UNUSABLE.values()), ids=list(UNUSABLE))
async def test_unusable_frame_is_counted_and_dropped(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    caplog: pytest.LogCaptureFixture,
    frame: str,
) -> None:
    """An unusable frame is counted and logged (its size only); the link and states stay."""
    rig = await start(hass, simulator)
    before = rig.linked_states()
    dropped = rig.coordinator.client.dropped_messages
    await simulator.faults.send_raw(frame)
    await wait_for(hass, lambda: rig.coordinator.client.dropped_messages == dropped + 1)
    await settle(hass, 0.05)
    assert any(line.startswith("Dropped a ") for line in our_lines(caplog))
    assert rig.linked_states() == before
    assert rig.coordinator.link_up
    assert rig.hellos() == 1
    rig.assert_intact()

    await simulator.plug_in("BCU102")  # the next good push still lands
    await wait_for(hass, lambda: rig.coordinator.data.charge_points["BCU102"].vehicle_connected)
    await rig.unload()


def status_push(**data: Any) -> dict[str, Any]:
    return {"object": "CH_STATUS", "evse_id": "BCU101", "data": {"evse_id": "BCU101", **data}}


async def test_missing_fields_keep_their_values(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """A push with only some keys changes those; the rest keep their last value."""
    rig = await start(hass, simulator)
    voltage, activity = rig.state(VOLTAGE), rig.state(ACTIVITY)
    await simulator.faults.send_object(status_push(actual_kwh=99.5))
    await wait_for(hass, lambda: float(rig.state(ENERGY)) == 99.5)
    assert (rig.state(VOLTAGE), rig.state(ACTIVITY)) == (voltage, activity)
    assert rig.coordinator.client.dropped_messages == 0
    rig.assert_intact()
    await rig.unload()


async def test_extra_fields_are_ignored(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """Keys the integration does not know do not stop it from reading the ones it does."""
    rig = await start(hass, simulator)
    frame = status_push(actual_kwh=42.25, firmware={"version": [1, 2]}, new_flag=True)
    frame["sequence"] = 12345
    await simulator.faults.send_object(frame)
    await wait_for(hass, lambda: float(rig.state(ENERGY)) == 42.25)
    assert rig.coordinator.client.dropped_messages == 0
    rig.assert_intact()
    await rig.unload()


async def test_wrong_typed_fields_become_unknown(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """A value of the wrong type is unusable: that sensor is unknown, the frame still counts."""
    rig = await start(hass, simulator)
    voltage = rig.state(VOLTAGE)
    await simulator.faults.send_object(
        status_push(actual_kwh={"kwh": 1}, activity=7, actual_p1=[16], total_cost=12.5)
    )
    await wait_for(hass, lambda: rig.state(ENERGY) == STATE_UNKNOWN)
    assert rig.state(ACTIVITY) == STATE_UNKNOWN
    assert rig.state(VOLTAGE) == voltage  # not in the frame: kept
    assert float(rig.state("sensor.driveway_session_cost")) == 12.5
    assert rig.coordinator.client.dropped_messages == 0
    assert rig.coordinator.link_up
    rig.assert_intact()
    await rig.unload()


async def test_status_for_an_unknown_charge_point(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    """A push for a point the account does not have creates nothing and changes nothing."""
    rig = await start(hass, simulator)
    before = rig.linked_states()
    frame = status_push(actual_kwh=5)
    frame["evse_id"] = frame["data"]["evse_id"] = "BCU999"
    await simulator.faults.send_object(frame)
    await simulator.faults.send_object(
        {"object": "GRID_CURRENT", "evse_id": "BCU999", "grid_actual_p1": 99}
    )
    await wait_for(hass, lambda: "Ignoring grid current of unknown grid" in our_lines(caplog))
    assert "Ignoring status of unknown charge point BCU999" in our_lines(caplog)
    assert "BCU999" not in rig.coordinator.data.charge_points
    assert rig.linked_states() == before
    rig.assert_intact()
    await rig.unload()


async def test_charge_point_list_with_an_unusable_entry_removes_nothing(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    """An entry that cannot be read does not make its charge point (and device) go away."""
    rig = await start(hass, simulator)
    # The periodic refresh gets a list whose second entry lost its evse_id.
    simulator.faults.fail_next("GET_CHARGE_POINTS", stage="none")
    fire(hass, CHARGE_POINTS_REFRESH_INTERVAL.total_seconds())
    await wait_for(hass, lambda: len(ha_commands(simulator, "GET_CHARGE_POINTS")) == 2)
    entries = [
        {"evse_id": "BCU101", "name": "Driveway", "smart_charging": False},
        {"evse_id": None, "name": "Garage", "smart_charging": False},
    ]
    await simulator.faults.send_object({"object": "CHARGE_POINTS", "data": entries})
    await wait_for(hass, lambda: "Skipping charge point entry" in caplog.text)
    await settle(hass, 0.1)
    assert set(rig.coordinator.data.charge_points) == {"BCU101", "BCU102"}
    rig.assert_available()
    rig.assert_intact()
    await rig.unload()


# --- ERROR objects, closes and handshake rejections --------------------------------------------


@pytest.mark.parametrize(
    ("code", "message", "translation_key"),
    [
        (0, "Unknown command", "server_unknown_command"),
        (2, "Not authorized", "server_not_authorized"),
        (9, "Unknown error", "server_unknown_error"),
        (77, "forbidden", "server_refused"),
    ],
    ids=["0", "2", "9", "unknown"],
)
async def test_error_object_fails_the_action_and_keeps_the_socket(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    delays: list[float],
    caplog: pytest.LogCaptureFixture,
    code: int,
    message: str,
    translation_key: str,
) -> None:
    """An ERROR in answer to an action fails that action; the connection stays up.

    The user reads a translated sentence; the raw code is only in the log.
    """
    rig = await start(hass, simulator)
    simulator.faults.error_next("SOFT_RESET", code, message)
    with pytest.raises(HomeAssistantError) as err:
        await press(hass, SOFT_RESET)
    assert err.value.translation_key == translation_key
    assert err.value.translation_placeholders is None
    assert f"Blue Current answered with server error {code}" in caplog.text
    await settle(hass, 0.1)
    assert delays == []
    assert rig.coordinator.link_up
    assert rig.hellos() == 1
    await press(hass, SOFT_RESET)  # the next command goes out on the same socket
    assert not ir.async_get(hass).issues
    rig.assert_available()
    rig.assert_intact()
    await rig.unload()


async def test_unsolicited_error_object_reconnects(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    delays: list[float],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An ERROR that answers nothing the client waits for ends the socket; the loop reconnects."""
    rig = await start(hass, simulator)
    await simulator.faults.send_object({"object": "ERROR", "error": 9, "message": "Unknown"})
    await wait_for(hass, lambda: delays == [1])
    assert "Blue Current connection ended: BlueCurrentServerError" in our_lines(caplog)
    assert not ir.async_get(hass).issues
    rig.assert_intact()

    await rig.expire_grace()
    await rig.recovered()
    assert rig.hellos() == 2
    await rig.unload()


async def test_error_1_starts_reauth_and_ends_the_loop(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    delays: list[float],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """ERROR 1 (invalid auth token) on the live socket: reauthenticate, stop reconnecting."""
    rig = await start(hass, simulator)
    await simulator.faults.send_object({"object": "ERROR", "error": 1, "message": "Invalid"})
    await wait_for(hass, lambda: bool(hass.config_entries.flow.async_progress_by_handler(DOMAIN)))
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert "Blue Current refused the API token; please reauthenticate" in our_lines(
        caplog, logging.WARNING
    )
    task = rig.coordinator._loop_task
    assert task is not None
    await wait_for(hass, task.done)
    assert delays == []

    attempts = simulator.connection_attempts
    await rig.expire_grace()
    fire(hass, RECONNECT_MAX_DELAY)
    await settle(hass, 0.1)
    assert simulator.connection_attempts == attempts
    assert len(rig.states()) == len(rig.unique_ids)
    assert await hass.config_entries.async_unload(rig.entry.entry_id)
    await hass.async_block_till_done()


LIMITS = {
    "error_42": lambda sim: sim.faults.send_object(
        {"object": "ERROR", "error": 42, "message": "Request limit reached"}
    ),
    "close_4001": lambda sim: sim.faults.drop_connections(code=4001),
    "handshake_rejected": None,  # see below: the reconnect is refused
}


@pytest.mark.parametrize("signal", list(LIMITS))
async def test_request_limit_raises_a_repair_issue_until_the_reset(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    delays: list[float],
    caplog: pytest.LogCaptureFixture,
    signal: str,
) -> None:
    """Every limit signal: repair issue, no attempt before the reset, then back with data."""
    rig = await start(hass, simulator)
    if (inject := LIMITS[signal]) is not None:
        await inject(simulator)
    else:
        simulator.faults.reject_handshakes("Request limit reached")
        await simulator.faults.drop_connections()
        await wait_for(hass, lambda: delays == [1])
        fire(hass, 1)
    issue_id = f"request_limit_reached_{rig.entry.entry_id}"
    await wait_for(hass, lambda: ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None)
    assert any(
        line.startswith("Blue Current's daily request limit is reached; reconnecting after ")
        for line in our_lines(caplog, logging.WARNING)
    )
    reset_at = rig.coordinator.limited_until
    assert reset_at is not None
    rig.assert_intact()
    with pytest.raises(HomeAssistantError) as err:  # still available: within the grace period
        await press(hass, SOFT_RESET)
    assert err.value.translation_key == "request_limit_reached"

    attempts = simulator.connection_attempts
    await rig.expire_grace()
    fire(hass, RECONNECT_MAX_DELAY)  # far beyond any backoff: still silent
    await settle(hass, 0.1)
    assert simulator.connection_attempts == attempts

    async_fire_time_changed(hass, reset_at + timedelta(seconds=1))
    await wait_for(hass, lambda: rig.coordinator.link_up)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    rig.assert_available()
    rig.assert_intact()
    await rig.unload()


async def test_already_connected_rejection_keeps_retrying(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, delays: list[float]
) -> None:
    """ "Already connected" refusals are retried with a growing delay, never given up."""
    rig = await start(hass, simulator)
    simulator.faults.reject_handshakes("Already connected", count=3)
    await simulator.faults.drop_connections()
    await wait_for(hass, lambda: delays == [1])
    for count in (2, 3, 4):
        fire(hass, delays[-1])
        await wait_for(hass, lambda count=count: len(delays) == count)
    assert delays == [1, 2, 4, 8]
    assert not ir.async_get(hass).issues
    await rig.expire_grace()
    await rig.recover(delays)
    await rig.unload()


# --- floods and oversized frames ---------------------------------------------------------------


async def test_message_flood(hass: HomeAssistant, simulator: BlueCurrentSimulator) -> None:
    """Thousands of pushes back to back: all read in order, entities woken only on change."""
    rig = await start(hass, simulator)
    woken = {"BCU101": 0, "BCU102": 0}

    def counter(key: str) -> Callable[[], None]:
        def count() -> None:
            woken[key] += 1

        return count

    for key in woken:
        rig.entry.async_on_unload(rig.coordinator.async_add_key_listener(key, counter(key)))
    same = status_push(actual_kwh=500.0)
    await simulator.faults.flood([same] * 2000)
    await wait_for(hass, lambda: float(rig.state(ENERGY)) == 500)
    await settle(hass, 0.05)
    assert woken == {"BCU101": 1, "BCU102": 0}  # identical frames change nothing

    # (a session energy above 1000 kWh is a broken frame: unknown)
    rising = [status_push(actual_kwh=round(600 + index / 10, 1)) for index in range(3000)]
    await simulator.faults.flood(rising)
    await wait_for(hass, lambda: float(rig.state(ENERGY)) == 899.9)
    assert rig.coordinator.client.dropped_messages == 0
    assert rig.coordinator.link_up
    assert rig.hellos() == 1
    rig.assert_intact()
    await rig.unload()


async def test_oversized_frame_ends_the_connection(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    delays: list[float],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A frame over the 16 MiB bound is not read: the socket is closed and opened again."""
    rig = await start(hass, simulator)
    await simulator.faults.send_oversized(MAX_FRAME_SIZE)
    await wait_for(hass, lambda: delays == [1])
    assert "Blue Current connection ended: BlueCurrentConnectionError" in our_lines(caplog)
    assert rig.coordinator.client.dropped_messages == 0
    await rig.recover(delays)
    assert rig.hellos() == 2
    await rig.unload()
