"""Helpers for the integration tests (config entries, waiting on real sockets, HA time)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from freezegun import api as freezegun_api
from homeassistant.config_entries import ConfigEntryState
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.ev_charge_points.const import CONF_API_TOKEN, CONF_URL, DOMAIN
from custom_components.ev_charge_points.events import EVENT_CHARGE_POINT, EVENT_SESSION_ENDED
from simulators.bluecurrent.protocol import HA_PATH

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.core import Event, HomeAssistant

    from custom_components.ev_charge_points.brands.bluecurrent.coordinator import (
        BlueCurrentCoordinator,
    )
    from simulators.bluecurrent import BlueCurrentSimulator
    from simulators.bluecurrent.protocol import JSONObject


def _real_monotonic() -> float:
    # Looked up on freezegun's module at call time: freezegun replaces every module-level
    # reference to the clock functions (an imported `real_monotonic` included) while frozen.
    return freezegun_api.real_monotonic()


TOKEN = "test-token"
CUSTOMER_ID = "1001"
EMAIL = "owner@example.com"
# A fixed instant keeps the simulator's physics and the reset time predictable:
# 13:00 in Amsterdam, so the daily limit resets 11 h 00 m 30 s later.
START = datetime(2026, 3, 10, 12, 0, 0, tzinfo=dt_util.UTC)


def make_entry(simulator: BlueCurrentSimulator, token: str = TOKEN) -> MockConfigEntry:
    """A config entry for the simulator's test account."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=EMAIL,
        unique_id=CUSTOMER_ID,
        data={CONF_API_TOKEN: token, CONF_URL: simulator.url},
    )


def ha_commands(simulator: BlueCurrentSimulator, name: str) -> list[JSONObject]:
    """Payloads of the `name` commands that came in on /haserver.

    The app socket (pybluecurrent: history, account figures, app-only commands) sends some
    of the same commands (VALIDATE_API_TOKEN, HELLO, GET_CHARGE_POINTS); they are left out.
    """
    return [rc.payload for rc in simulator.received if rc.name == name and rc.path == HA_PATH]


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add the entry and set it up (the platforms included)."""
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await wait_for_first_import(hass, entry)


async def wait_for_first_import(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Wait until the history's first import (its app-socket connection) is over.

    Tests that inject faults into the simulator's next connection start after it, so the
    fault meets the connection the test means.
    """
    if entry.state is not ConfigEntryState.LOADED:
        return
    if (history := entry.runtime_data.history) is not None:
        await wait_for(hass, history.synced.is_set)


def coordinator_of(entry: MockConfigEntry) -> BlueCurrentCoordinator:
    """The coordinator of a loaded entry."""
    assert entry.state is ConfigEntryState.LOADED
    return entry.runtime_data.coordinator


async def wait_for(
    hass: HomeAssistant,
    predicate: Callable[[], bool],
    *,
    timeout: float = 5.0,  # noqa: ASYNC109 - asyncio.timeout stalls under a frozen loop clock
) -> None:
    """Wait (in real time: real sockets are involved) until `predicate()` holds.

    Only zero-length sleeps are used: under the `freezer` fixture the event loop's clock
    stands still, so the deadline is taken from the real monotonic clock.
    """
    deadline = _real_monotonic() + timeout
    while not predicate():
        if _real_monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0)
    await hass.async_block_till_done()


async def settle(hass: HomeAssistant, seconds: float = 0.2) -> None:
    """Give the sockets a moment of real time, for asserting that nothing happens."""
    deadline = _real_monotonic() + seconds
    while _real_monotonic() < deadline:  # noqa: ASYNC110 - the loop clock may be frozen
        await asyncio.sleep(0)
    await hass.async_block_till_done()


def fire(hass: HomeAssistant, seconds: float) -> None:
    """Run the Home Assistant timers due within `seconds` from now."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=seconds))


def disabled_by_integration(hass: HomeAssistant, entry: MockConfigEntry) -> list[er.RegistryEntry]:
    """The entry's entities that the integration creates disabled."""
    registry = er.async_get(hass)
    return [
        item
        for item in er.async_entries_for_config_entry(registry, entry.entry_id)
        if item.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    ]


async def reconnect(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    coordinator: BlueCurrentCoordinator,
    delays: list[float],
    *,
    code: int | None = None,
) -> None:
    """Drop the server's sockets (abort, or close with `code`); reconnect after the first delay.

    `delays` is the conftest fixture that records the backoff delays.
    """
    await simulator.faults.drop_connections(code=code)
    await wait_for(hass, lambda: delays == [1])
    fire(hass, delays[-1])
    await wait_for(hass, lambda: coordinator.link_up)


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    """The entity's state (it must exist)."""
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def ended_events(hass: HomeAssistant) -> list[dict[str, Any]]:
    """Collect the `session_ended` events of the bus (what automations see)."""
    seen: list[dict[str, Any]] = []

    def _on(event: Event) -> None:
        if event.data["type"] == EVENT_SESSION_ENDED:
            seen.append(dict(event.data))

    hass.bus.async_listen(EVENT_CHARGE_POINT, _on)
    return seen
