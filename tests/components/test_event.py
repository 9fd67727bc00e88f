"""The charging session event: fires once per ended session, with what it brought."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING
from unittest.mock import patch

import pytest
from homeassistant.const import STATE_UNKNOWN, Platform
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    snapshot_platform,
)

from custom_components.ev_charge_points.const import DOMAIN, RECONNECT_MAX_DELAY

from .helpers import START, coordinator_of, make_entry, settle, setup_entry, wait_for

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers import entity_registry as er
    from syrupy.assertion import SnapshotAssertion

    from simulators.bluecurrent import BlueCurrentSimulator

DRIVEWAY = "event.driveway_charging_session"
GARAGE = "event.garage_charging_session"


@pytest.fixture
async def entry(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> AsyncIterator[MockConfigEntry]:
    """The account with only the event platform."""
    entry = make_entry(simulator)
    with patch("custom_components.ev_charge_points.PLATFORMS", [Platform.EVENT]):
        await setup_entry(hass, entry)
        yield entry


def _device_id(hass: HomeAssistant, evse_id: str) -> str:
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, evse_id)})
    assert device is not None
    return device.id


async def test_events(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Nothing has fired at setup: the last session of the first status is no news."""
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)
    assert hass.states.get(DRIVEWAY).state == STATE_UNKNOWN


async def test_stopped_session_fires_once_with_its_totals(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """Stopping the running session: energy, cost, duration; no card (plug and charge)."""
    await hass.services.async_call(
        DOMAIN,
        "stop_charge_session",
        {"device_id": _device_id(hass, "BCU101")},
        blocking=True,
    )
    await wait_for(hass, lambda: hass.states.get(DRIVEWAY).state != STATE_UNKNOWN)
    state = hass.states.get(DRIVEWAY)
    attributes = dict(state.attributes)
    energy = attributes.pop("energy")
    assert energy == pytest.approx(5.2, abs=0.1)
    assert attributes.pop("cost") == pytest.approx(0.5 + 0.25 * energy, abs=0.01)
    assert attributes == {
        "event_type": "session_ended",
        "event_types": ["session_ended"],
        "currency": "EUR",
        "started": (START - timedelta(minutes=30)).isoformat(),
        "stopped": START.isoformat(),
        "duration": 1800,
        "card": None,
        "card_id": None,
        "friendly_name": "Driveway Charging session",
    }
    fired = state.state

    await simulator.push_status("BCU101")  # the same stop again
    await simulator.unplug("BCU101")  # no session left to end
    await settle(hass)
    assert hass.states.get(DRIVEWAY).state == fired
    assert hass.states.get(GARAGE).state == STATE_UNKNOWN


async def test_session_started_with_a_card_names_the_card(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """A session started from Home Assistant with a card reports that card (never its uid)."""
    await simulator.plug_in("BCU102", phases=1)
    await hass.services.async_call(
        DOMAIN,
        "start_charge_session",
        {"device_id": _device_id(hass, "BCU102"), "charge_card": "NL-BCU-123456-7"},
        blocking=True,
    )
    await simulator.clock.advance(600)
    await simulator.unplug("BCU102")
    await wait_for(hass, lambda: hass.states.get(GARAGE).state != STATE_UNKNOWN)
    attributes = hass.states.get(GARAGE).attributes
    assert attributes["card"] == "Owner card"
    assert attributes["card_id"] == "NL-BCU-123456-7"
    assert attributes["duration"] == 600
    assert attributes["energy"] > 0
    assert "04A1B2C3D4E5F6" not in str(attributes)


async def test_session_that_ended_during_an_outage_fires_after_it(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """A session that ended while the link was down is reported once the link is back."""
    coordinator = coordinator_of(entry)
    await simulator.faults.go_offline()
    await wait_for(hass, lambda: not coordinator.link_up)
    await simulator.unplug("BCU101")
    assert hass.states.get(DRIVEWAY).state == STATE_UNKNOWN

    await simulator.faults.come_back()
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=RECONNECT_MAX_DELAY))
    await wait_for(hass, lambda: "duration" in hass.states.get(DRIVEWAY).attributes)
    assert hass.states.get(DRIVEWAY).attributes["duration"] == 1800
