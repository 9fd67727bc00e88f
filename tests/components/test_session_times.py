"""Session start/stop sensors and `session_ended` survive bad frames (issue 14 item 1, issue 15)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN

from .helpers import ended_events, settle, state_of, wait_for
from .test_faults import start

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from simulators.bluecurrent import BlueCurrentSimulator

pytestmark = pytest.mark.usefixtures("entity_registry_enabled_by_default")

STARTED = "sensor.driveway_session_started"
STOPPED = "sensor.driveway_session_stopped"


async def test_bad_frames_never_blank_or_rewind_the_session_times(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """Null/empty times, a late frame and a reconnect: times stay, one end per session."""
    rig = await start(hass, simulator)
    ended = ended_events(hass)
    started = state_of(hass, STARTED)
    assert started not in (STATE_UNKNOWN, STATE_UNAVAILABLE)

    # Timestamps are not sent every time: they arrive null or empty.
    await simulator.faults.frames.send_status("BCU101", start_datetime=None, stop_datetime="")
    await simulator.faults.frames.send_status("BCU101", start_datetime="", stop_datetime=None)
    await settle(hass, 0.2)
    assert state_of(hass, STARTED) == started
    assert ended == []

    # The session ends: one event.
    await simulator.unplug("BCU101")
    await wait_for(hass, lambda: len(ended) == 1)
    stopped = state_of(hass, STOPPED)
    assert stopped not in (STATE_UNKNOWN, STATE_UNAVAILABLE)
    assert ended[0]["started"] is not None

    # A new session (ten minutes later), then one late frame of the previous one.
    await simulator.clock.advance(600)
    await simulator.plug_in("BCU101")
    await wait_for(hass, lambda: state_of(hass, STARTED) != started)
    new_start = state_of(hass, STARTED)
    await simulator.faults.frames.resend_status("BCU101", frames_back=1)
    await settle(hass, 0.2)
    assert state_of(hass, STARTED) == new_start
    # A session runs: the sensor shows no stop; the stop kept underneath is still the real one.
    assert state_of(hass, STOPPED) == STATE_UNKNOWN
    shown_stop = rig.coordinator.data.charge_points["BCU101"].shown_session_stop
    assert shown_stop is not None
    assert shown_stop.isoformat() == stopped
    # the ended session's stop again after it, and an empty stop: still one event
    await simulator.faults.frames.send_status("BCU101", stop_datetime="")
    await settle(hass, 0.2)
    assert len(ended) == 1, [(e["started"], e["stopped"], e["energy"]) for e in ended]

    # A reconnect reads the same status again: no session ended.
    await simulator.faults.drop_connections()
    await wait_for(hass, lambda: not rig.coordinator.link_up)
    await rig.expire_grace()
    await rig.recovered()
    await settle(hass, 0.2)
    assert len(ended) == 1
    assert state_of(hass, STARTED) == new_start
    await rig.unload()
