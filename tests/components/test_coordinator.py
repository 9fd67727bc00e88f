"""The push coordinator against the simulator: pushes, reconnects, limits, dynamic devices."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.ev_charge_points.api.bluecurrent import next_reset
from custom_components.ev_charge_points.brands.bluecurrent.const import (
    CHARGE_POINTS_REFRESH_INTERVAL,
)
from custom_components.ev_charge_points.const import (
    DOMAIN,
    RECONNECT_MAX_DELAY,
    RECONNECT_STABLE_AFTER,
    UNAVAILABLE_GRACE_PERIOD,
)
from custom_components.ev_charge_points.model import ChargePointData, VehicleState
from custom_components.ev_charge_points.push import backoff_delay

from .helpers import (
    CUSTOMER_ID,
    EMAIL,
    START,
    TOKEN,
    coordinator_of,
    fire,
    ha_commands,
    make_entry,
    reconnect,
    settle,
    setup_entry,
    wait_for,
)

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

    from simulators.bluecurrent import BlueCurrentSimulator


def entity_states(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    """States of every enabled entity of the entry, except boost.

    Boost is available only while a smart-charging profile holds charging back, so it is
    unavailable in these scenarios whatever the connection does.
    """
    registry = er.async_get(hass)
    states = [
        hass.states.get(item.entity_id)
        for item in er.async_entries_for_config_entry(registry, entry.entry_id)
    ]
    return [
        state.state
        for state in states
        if state is not None and not state.entity_id.endswith("_boost")
    ]


def hellos(simulator: BlueCurrentSimulator) -> int:
    return len(ha_commands(simulator, "HELLO"))


# --- backoff -----------------------------------------------------------------------------------


def test_backoff_doubles_to_a_cap_under_a_minute_with_jitter() -> None:
    """1 s doubling to a cap just under a minute; each delay is jittered below its ceiling."""
    ceilings = [backoff_delay(n, uniform=lambda _low, high: high) for n in range(9)]
    assert ceilings == [1, 2, 4, 8, 16, 32, 58, 58, 58]
    assert RECONNECT_MAX_DELAY == 58
    assert backoff_delay(1000, uniform=lambda _low, high: high) == 58
    draws = [backoff_delay(3) for _ in range(200)]
    assert all(7.2 <= draw <= 8 for draw in draws)
    assert len(set(draws)) > 100  # jittered, not a fixed delay
    # An hour without a server costs about 70 attempts, and the server's return is seen
    # within a minute.
    elapsed, attempts = 0.0, 0
    while elapsed < 3600:
        elapsed += backoff_delay(attempts, uniform=lambda low, high: (low + high) / 2)
        attempts += 1
    assert attempts <= 72


# --- pushes ------------------------------------------------------------------------------------


async def test_push_wakes_only_its_charge_point(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """A CH_STATUS for one point wakes its listeners only; an unchanged one wakes nobody."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    coordinator = coordinator_of(entry)
    calls: dict[str, int] = {"BCU101": 0, "BCU102": 0, "GRID-BCU101": 0, "all": 0}

    def counter(key: str):  # type: ignore[no-untyped-def]
        def _count() -> None:
            calls[key] += 1

        return _count

    for key in ("BCU101", "BCU102", "GRID-BCU101"):
        entry.async_on_unload(coordinator.async_add_key_listener(key, counter(key)))
    entry.async_on_unload(coordinator.async_add_listener(counter("all")))
    assert not coordinator.data.charge_points["BCU102"].vehicle_connected

    await simulator.plug_in("BCU102", phases=1)
    await wait_for(hass, lambda: calls["BCU102"] > 0)
    assert coordinator.data.charge_points["BCU102"].vehicle_state is not VehicleState.STANDBY
    assert coordinator.data.charge_points["BCU102"].vehicle_connected
    assert calls["BCU101"] == 0
    assert calls["all"] == 0  # no fan-out to every entity of the account

    seen = calls["BCU102"]
    await simulator.push_status("BCU102")  # same values again
    await simulator.push_status("BCU101")
    await settle(hass)
    assert calls["BCU102"] == seen
    assert calls["BCU101"] == 0


async def test_grid_push_updates_the_grid(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """GRID_CURRENT (keyed by evse id on the wire) lands on the grid it belongs to."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    coordinator = coordinator_of(entry)
    woken: list[str] = []
    entry.async_on_unload(
        coordinator.async_add_key_listener("GRID-BCU101", lambda: woken.append("grid"))
    )
    before = coordinator.data.grids["GRID-BCU101"].current

    simulator.faults.send_object(
        {
            "object": "GRID_CURRENT",
            "evse_id": "BCU102",
            "grid_actual_p1": 30,
            "grid_actual_p2": 20,
            "grid_actual_p3": 10,
        }
    )
    await wait_for(hass, lambda: woken == ["grid"])
    grid = coordinator.data.grids["GRID-BCU101"]
    assert grid.current == (30, 20, 10) != before
    assert grid.max_current == 30
    assert grid.max_installed == 40  # kept from GRID_STATUS


async def test_malformed_frames_keep_the_connection(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """Garbage and frames without an object are dropped; the socket stays up."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    coordinator = coordinator_of(entry)

    await simulator.faults.send_raw("{not json")
    await simulator.faults.send_object({"no_object": True})
    await simulator.faults.send_object({"object": "CH_STATUS", "data": "nonsense"})
    await wait_for(hass, lambda: coordinator.client.dropped_messages >= 3)

    await simulator.plug_in("BCU102")
    await wait_for(hass, lambda: coordinator.data.charge_points["BCU102"].vehicle_connected)
    assert coordinator.link_up
    assert hellos(simulator) == 1


# --- reconnects --------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [None, 1011, 1000], ids=["tcp_abort", "abnormal", "clean"])
async def test_reconnects_after_a_drop(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, delays: list[float], code: int | None
) -> None:
    """Any kind of drop leads to a reconnect after the backoff, with fresh data."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    coordinator = coordinator_of(entry)

    await simulator.faults.drop_connections(code=code)
    await wait_for(hass, lambda: not coordinator.link_up)
    assert delays == [1]
    await settle(hass)
    assert hellos(simulator) == 1  # waits for the backoff, no reconnect storm
    assert STATE_UNAVAILABLE not in entity_states(hass, entry)  # within the grace period

    fire(hass, 1)
    await wait_for(hass, lambda: coordinator.link_up)
    assert hellos(simulator) == 2
    assert len(ha_commands(simulator, "GET_CHARGE_POINTS")) == 2  # the list is re-read
    assert len(simulator.commands("GET_CH_STATUS")) == 4  # every point again
    assert len(simulator.commands("GET_GRID_STATUS")) == 2  # not again: GRID_CURRENT pushes it
    assert simulator.open_connections == 1

    await simulator.plug_in("BCU102")
    await wait_for(hass, lambda: coordinator.data.charge_points["BCU102"].vehicle_connected)


async def test_backoff_grows_while_the_server_is_away(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    delays: list[float],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Refused connects double the delay; after a lasting connection it starts over."""
    freezer.move_to(START)
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    coordinator = coordinator_of(entry)

    await simulator.faults.go_offline()
    await wait_for(hass, lambda: delays == [1])
    for _ in range(3):
        pending, count = delays[-1], len(delays)
        fire(hass, pending - 1)  # not yet due: no attempt
        await settle(hass, 0.05)
        assert len(delays) == count
        fire(hass, pending)  # due: one refused attempt, then twice the delay
        await wait_for(hass, lambda count=count: len(delays) == count + 1)
    assert delays == [1, 2, 4, 8]
    assert coordinator.reconnects == 4

    await simulator.faults.come_back()
    fire(hass, 8)
    await wait_for(hass, lambda: coordinator.link_up)

    freezer.tick(RECONNECT_STABLE_AFTER)
    await simulator.faults.drop_connections(code=1011)
    await wait_for(hass, lambda: len(delays) == 5)
    assert delays[-1] == 1  # reset by the connection that delivered data for a while


async def test_backoff_grows_when_the_server_drops_after_serving(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, delays: list[float]
) -> None:
    """A server that accepts, serves data and drops again meets a growing delay."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    coordinator = coordinator_of(entry)
    for count in (1, 2, 3, 4):
        await simulator.faults.drop_connections(code=1011)
        await wait_for(hass, lambda count=count: len(delays) == count)
        fire(hass, delays[-1])
        await wait_for(hass, lambda: coordinator.link_up)
    assert delays == [1, 2, 4, 8]
    assert hellos(simulator) == 5


async def test_rejections_and_errors_do_not_end_the_loop(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, delays: list[float]
) -> None:
    """ "Already connected", an ERROR frame and an unusable handshake all lead to retries."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    coordinator = coordinator_of(entry)

    simulator.faults.reject_handshakes("Already connected", count=2)
    await simulator.faults.send_object({"object": "ERROR", "error": 9, "message": "Unknown error"})
    await wait_for(hass, lambda: not coordinator.link_up)
    for count in (2, 3):
        fire(hass, delays[-1])
        await wait_for(hass, lambda count=count: len(delays) == count)
    assert not coordinator.link_up
    fire(hass, delays[-1])
    await wait_for(hass, lambda: coordinator.link_up)
    assert hellos(simulator) == 2


async def test_unavailable_only_after_the_grace_period(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, delays: list[float]
) -> None:
    """Entities stay available through short outages and recover with the link."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    coordinator = coordinator_of(entry)
    assert entity_states(hass, entry)
    assert STATE_UNAVAILABLE not in entity_states(hass, entry)

    await simulator.faults.go_offline()
    await wait_for(hass, lambda: not coordinator.link_up)
    grace = UNAVAILABLE_GRACE_PERIOD.total_seconds()
    fire(hass, grace - 5)
    await settle(hass, 0.05)
    assert coordinator.connected
    assert STATE_UNAVAILABLE not in entity_states(hass, entry)

    fire(hass, grace + 1)
    await wait_for(hass, lambda: not coordinator.connected)
    assert set(entity_states(hass, entry)) == {STATE_UNAVAILABLE}
    with pytest.raises(HomeAssistantError) as err:
        await coordinator.async_execute("BCU101", lambda client: client.soft_reset("BCU101"))
    assert err.value.translation_key == "not_connected"

    await simulator.faults.come_back()
    fire(hass, RECONNECT_MAX_DELAY)
    await wait_for(hass, lambda: coordinator.connected)
    assert STATE_UNAVAILABLE not in entity_states(hass, entry)


# --- token and request limit -------------------------------------------------------------------


@pytest.mark.parametrize("trigger", ["command", "reconnect"])
async def test_revoked_token_starts_reauth_and_stops(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, delays: list[float], trigger: str
) -> None:
    """A token revoked while running: reauth is started and the loop stops retrying."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    coordinator = coordinator_of(entry)

    simulator.revoke_token(TOKEN)
    if trigger == "command":
        fire(hass, CHARGE_POINTS_REFRESH_INTERVAL.total_seconds())  # the periodic list refresh
    else:
        await simulator.faults.drop_connections(code=1011)
        await wait_for(hass, lambda: delays == [1])
        fire(hass, 1)
    await wait_for(hass, lambda: bool(hass.config_entries.flow.async_progress_by_handler(DOMAIN)))
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]

    attempts = simulator.connection_attempts
    fire(hass, RECONNECT_MAX_DELAY)
    await settle(hass)
    assert simulator.connection_attempts == attempts
    assert not coordinator.link_up


async def test_request_limit_waits_for_the_reset(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    freezer: FrozenDateTimeFactory,
    delays: list[float],
) -> None:
    """A spent budget: repair issue, silence until the reset, then data and no issue."""
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    freezer.move_to(START)
    simulator.clock.set(START)
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    coordinator = coordinator_of(entry)
    issue_id = f"request_limit_reached_{entry.entry_id}"

    simulator.set_request_limit(simulator.requests_today)
    await simulator.faults.drop_connections()
    await wait_for(hass, lambda: delays == [1])
    freezer.tick(1.5)
    async_fire_time_changed(hass)
    await wait_for(hass, lambda: ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None)

    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.WARNING
    assert not issue.is_fixable
    assert issue.translation_key == "request_limit_reached"
    assert issue.translation_placeholders == {"reset_time": "00:00", "title": entry.title}
    assert coordinator.limited_until == next_reset(START)
    with pytest.raises(HomeAssistantError) as err:
        await coordinator.async_execute("BCU101", lambda client: client.soft_reset("BCU101"))
    assert err.value.translation_key == "request_limit_reached"
    assert err.value.translation_placeholders == {"reset_time": "00:00"}

    attempts = simulator.connection_attempts
    for _ in range(10):  # ten hours: nothing is sent while the budget is spent
        freezer.tick(timedelta(hours=1))
        async_fire_time_changed(hass)
        await settle(hass, 0.01)
    assert simulator.connection_attempts == attempts
    assert set(entity_states(hass, entry)) == {STATE_UNAVAILABLE}

    after_reset = next_reset(START) + timedelta(seconds=1)
    simulator.clock.set(after_reset)
    freezer.move_to(after_reset)
    async_fire_time_changed(hass)
    await wait_for(hass, lambda: coordinator.connected)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    assert coordinator.limited_until is None
    assert STATE_UNAVAILABLE not in entity_states(hass, entry)
    assert simulator.connection_attempts == attempts + 1


# --- charge points joining and leaving ---------------------------------------------------------


async def test_charge_points_join_and_leave(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, delays: list[float]
) -> None:
    """The periodic list refresh and every reconnect add and remove devices."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    coordinator = coordinator_of(entry)
    devices = dr.async_get(hass)
    entities = er.async_get(hass)

    simulator.add_charge_point(TOKEN, {"evse_id": "BCU103", "name": "Carport"})
    fire(hass, CHARGE_POINTS_REFRESH_INTERVAL.total_seconds())
    await wait_for(
        hass, lambda: devices.async_get_device(identifiers={(DOMAIN, "BCU103")}) is not None
    )
    device = devices.async_get_device(identifiers={(DOMAIN, "BCU103")})
    assert device is not None
    assert device.name == "Carport"
    assert er.async_entries_for_device(entities, device.id)
    assert "GRID-BCU103" in coordinator.data.grids
    assert devices.async_get_device(identifiers={(DOMAIN, f"{CUSTOMER_ID}_GRID-BCU103")})

    simulator.remove_charge_point("BCU103")
    simulator.remove_charge_point("BCU102")
    await reconnect(hass, simulator, coordinator, delays, code=1011)
    assert set(coordinator.data.charge_points) == {"BCU101"}
    assert set(coordinator.data.grids) == {"GRID-BCU101"}
    assert devices.async_get_device(identifiers={(DOMAIN, "BCU102")}) is None
    assert devices.async_get_device(identifiers={(DOMAIN, "BCU103")}) is None
    assert devices.async_get_device(identifiers={(DOMAIN, f"{CUSTOMER_ID}_GRID-BCU103")}) is None
    assert devices.async_get_device(identifiers={(DOMAIN, "BCU101")}) is not None


# --- commands ----------------------------------------------------------------------------------


async def test_execute_maps_client_errors(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """Every command failure becomes a translated HomeAssistantError."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    coordinator = coordinator_of(entry)

    await coordinator.async_execute("BCU101", lambda client: client.soft_reset("BCU101"))
    assert simulator.commands("SOFT_RESET", evse_id="BCU101")

    simulator.faults.fail_next("REBOOT", "REJECTED")
    with pytest.raises(HomeAssistantError) as err:
        await coordinator.async_execute("BCU101", lambda client: client.reboot("BCU101"))
    assert err.value.translation_key == "command_rejected"
    assert err.value.translation_placeholders is None  # the raw reason stays in the log

    simulator.faults.fail_next("REBOOT", "TIMEOUT")
    with pytest.raises(HomeAssistantError) as err:
        await coordinator.async_execute("BCU101", lambda client: client.reboot("BCU101"))
    assert err.value.translation_key == "command_timeout"

    with pytest.raises(HomeAssistantError) as err:
        await coordinator.async_execute("BCU102", lambda client: client.stop_session("BCU102"))
    assert err.value.translation_key == "no_active_session"

    simulator.faults.error_next("SOFT_RESET", 9, "Unknown error")
    with pytest.raises(HomeAssistantError) as err:
        await coordinator.async_execute("BCU101", lambda client: client.soft_reset("BCU101"))
    assert err.value.translation_key == "server_unknown_error"


async def test_logs_carry_no_secrets(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    delays: list[float],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Setup, a reconnect and a refused token, all at debug level: no token, no e-mail."""
    caplog.set_level(logging.DEBUG, logger="custom_components.ev_charge_points")
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    auth_token = simulator.auth_token(TOKEN)
    assert auth_token

    await reconnect(hass, simulator, coordinator_of(entry), delays, code=1011)
    simulator.revoke_token(TOKEN)
    fire(hass, CHARGE_POINTS_REFRESH_INTERVAL.total_seconds())
    await wait_for(hass, lambda: bool(hass.config_entries.flow.async_progress_by_handler(DOMAIN)))

    ours = [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("custom_components.ev_charge_points")
    ]
    assert any("refused the API token" in line for line in ours)
    for secret in (TOKEN, EMAIL, auth_token, "Test Owner"):
        assert not [line for line in ours if secret in line]


# --- the model ---------------------------------------------------------------------------------


def test_power_is_the_per_phase_sum() -> None:
    """Power is sum(V x I) per phase, not the vendor's avg V x avg I x 1.732."""
    three = ChargePointData(
        id="X", name="X", manufacturer="M", voltage=(230, 231, 229), current=(16, 16, 16)
    )
    assert three.power == 230 * 16 + 231 * 16 + 229 * 16  # 11040 W, the vendor says 6.37 kW
    one = ChargePointData(
        id="X", name="X", manufacturer="M", voltage=(230, 230, 230), current=(16, 0, 0)
    )
    assert one.power == 3680
    assert one.average_current == 16  # unused phases do not dilute the mean
    partial = ChargePointData(
        id="X", name="X", manufacturer="M", voltage=(230, None, None), current=(10, 10, 10)
    )
    assert partial.power == 2300
    assert ChargePointData(id="X", name="X", manufacturer="M").power is None


def test_current_left_follows_the_active_limit() -> None:
    """The remaining current uses the smart-charging limit only while smart charging is on."""
    point = ChargePointData(
        id="X",
        name="X",
        manufacturer="M",
        current=(10, 6, 10),
        max_usage=16,
        smart_charging_max_usage=10,
        smart_charging=False,
    )
    assert point.average_current == 8.7
    assert point.current_left == 7.3
    point.smart_charging = True
    assert point.current_left == 1.3
    assert ChargePointData(id="X", name="X", manufacturer="M", max_usage=16).current_left is None
