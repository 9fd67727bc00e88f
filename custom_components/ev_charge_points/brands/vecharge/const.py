"""Constants of the veCharge brand."""

from __future__ import annotations

from typing import Final

from custom_components.ev_charge_points.model import Capability

BRAND: Final = "vecharge"
MANUFACTURER: Final = "veCharge"

# Key in entry.data: the charger id (the document's `_id`, on the charger's QR code).
CONF_CHARGER_ID: Final = "charger_id"

# How long an on/off command waits for the server's `statusChanged` that confirms it.
COMMAND_TIMEOUT: Final = 15.0

# A connection that ends (other than by a switch-off) before it lasted this long does not
# start the reconnect backoff over (seconds).
STABLE_CONNECTION: Final = 60.0

# What every veCharge charger offers (the protocol has no model flags). SESSIONS: the session
# energy and the shared lifetime energy meter (veCharge's energy is a per-session counter).
VECHARGE_CAPABILITIES: Final = frozenset(
    {
        Capability.STATUS,
        Capability.METERING,
        Capability.SESSIONS,
        Capability.CHARGING_SWITCH,
    }
)
