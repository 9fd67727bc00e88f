"""Constants for the EV Charge Points integration."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Final

DOMAIN: Final = "ev_charge_points"
LOGGER = logging.getLogger(__package__)

# Entries of config entry version 1 were made when Blue Current was the only brand.
VERSION_1_BRAND: Final = "bluecurrent"

# Keys in entry.data (CONF_API_TOKEN and CONF_URL from homeassistant.const share these values).
CONF_API_TOKEN: Final = "api_token"  # noqa: S105 - a key name, not a secret
CONF_URL: Final = "url"

# Setup waits this long for the charge point list and every first status.
SETUP_TIMEOUT: Final = 30.0
# Entities stay available this long after the link drops: brief reconnects are not outages.
UNAVAILABLE_GRACE_PERIOD: Final = timedelta(seconds=60)
# Reconnect backoff: full jitter over min(cap, base * 2**attempt).
RECONNECT_BASE_DELAY: Final = 1.0
# Just under a minute: a server that comes back is seen within a minute, while an hour-long
# outage costs about 70 connection attempts (a fixed 5 s retry costs over 700).
RECONNECT_MAX_DELAY: Final = 58.0
# Each delay is drawn from the top tenth below its ceiling: enough to spread the reconnects
# of many installations after an outage without making the wait much shorter on average.
RECONNECT_JITTER: Final = 0.1
# The backoff starts over only after a connection stayed up this long: a server that accepts,
# serves data and drops again still meets a growing delay.
RECONNECT_STABLE_AFTER: Final = timedelta(minutes=5)

# The lowest current a charge point offers (IEC 61851); below it a car does not charge.
MIN_CHARGE_CURRENT: Final = 6.0
# The ceiling a current limit offers until the charge point reports its own maximum.
DEFAULT_MAX_CURRENT: Final = 32.0
# What the action forms call "No card" (start_charge_session, get_charging_sessions).
NO_CARD_OPTION: Final = "no_card"

# The key of the lifetime energy sensor: the one energy statistic of a charge point.
LIFETIME_ENERGY: Final = "lifetime_energy"
