"""Constants for the EV Charge Points integration."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Final

DOMAIN: Final = "ev_charge_points"
LOGGER = logging.getLogger(__package__)

MANUFACTURER_BLUE_CURRENT: Final = "Blue Current"

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
# The account's charge point list is re-read this often (and after every reconnect).
CHARGE_POINTS_REFRESH_INTERVAL: Final = timedelta(minutes=15)

ISSUE_REQUEST_LIMIT: Final = "request_limit_reached"

# Largest websocket frame read from Blue Current. The charge-point list of an account with
# 1000 charge points is about 1.4 MB, over the websockets default of 1 MiB; anything larger
# than this bound closes the connection instead of filling memory.
MAX_FRAME_SIZE: Final = 16 << 20
