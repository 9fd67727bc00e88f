"""Charge point events: what the event entity, device triggers and the bus carry.

The base coordinator derives them from changes of the neutral model, for every brand.
"""

from __future__ import annotations

from typing import Final

from .const import DOMAIN

# Fired on the bus for device triggers: {"device_id", "type", ...session data}.
EVENT_CHARGE_POINT: Final = f"{DOMAIN}_event"
EVENT_VEHICLE_CONNECTED: Final = "vehicle_connected"
EVENT_VEHICLE_DISCONNECTED: Final = "vehicle_disconnected"
EVENT_CHARGING_STARTED: Final = "charging_started"
EVENT_CHARGING_STOPPED: Final = "charging_stopped"
EVENT_SESSION_ENDED: Final = "session_ended"
EVENT_OFFLINE: Final = "offline"
EVENT_ONLINE: Final = "online"
POINT_EVENTS: Final = (
    EVENT_VEHICLE_CONNECTED,
    EVENT_VEHICLE_DISCONNECTED,
    EVENT_CHARGING_STARTED,
    EVENT_CHARGING_STOPPED,
    EVENT_SESSION_ENDED,
    EVENT_OFFLINE,
    EVENT_ONLINE,
)
