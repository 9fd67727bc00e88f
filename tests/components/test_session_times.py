"""Session start/stop sensors and `session_ended` survive bad frames (issue 14 item 1, issue 15)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN

from custom_components.ev_charge_points.events import EVENT_CHARGE_POINT, EVENT_SESSION_ENDED

from .helpers import settle, wait_for
from .test_faults import start

if TYPE_CHECKING:
    from homeassistant.core import Event, HomeAssistant

    from simulators.bluecurrent import BlueCurrentSimulator

pytestmark = pytest.mark.usefixtures("entity_registry_enabled_by_default")

STARTED = "sensor.driveway_session_started"
STOPPED = "sensor.driveway_session_stopped"


def state(hass: HomeAssistant, entity_id: str) -> str:
    current = hass.states.get(entity_id)
    assert current is not None
    return current.state


def ended_events(hass: HomeAssistant) -> list[dict[str, Any]]:
    """Collect the `session_ended` events of the bus (what automations see)."""
    seen: list[dict[str, Any]] = []

    def _on(event: Event) -> None:
        if event.data["type"] == EVENT_SESSION_ENDED:
            seen.append(dict(event.data))

    hass.bus.async_listen(EVENT_CHARGE_POINT, _on)
    return seen


async def test_bad_frames_never_blank_or_rewind_the_session_times(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """Null/empty times, a late frame and a reconnect: times stay, one end per session."""
    rig = await start(hass, simulator)
    ended = ended_events(hass)
    started = state(hass, STARTED)
    assert started not in (STATE_UNKNOWN, STATE_UNAVAILABLE)

    # Timestamps are not sent every time: they arrive null or empty.
    await simulator.faults.frames.send_status("BCU101", start_datetime=None, stop_datetime="")
    await simulator.faults.frames.send_status("BCU101", start_datetime="", stop_datetime=None)
    await settle(hass, 0.2)
    assert state(hass, STARTED) == started
    assert ended == []

    # The session ends: one event.
    await simulator.unplug("BCU101")
    await wait_for(hass, lambda: len(ended) == 1)
    stopped = state(hass, STOPPED)
    assert stopped not in (STATE_UNKNOWN, STATE_UNAVAILABLE)
    assert ended[0]["started"] is not None

    # A new session (ten minutes later), then one late frame of the previous one.
    await simulator.clock.advance(600)
    await simulator.plug_in("BCU101")
    await wait_for(hass, lambda: state(hass, STARTED) != started)
    new_start = state(hass, STARTED)
    await simulator.faults.frames.resend_status("BCU101", frames_back=1)
    await settle(hass, 0.2)
    assert state(hass, STARTED) == new_start
    assert state(hass, STOPPED) == stopped
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
    assert state(hass, STARTED) == new_start
    await rig.unload()
