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
RECONNECT_MAX_DELAY: Final = 300.0
# The account's charge point list is re-read this often (and after every reconnect).
CHARGE_POINTS_REFRESH_INTERVAL: Final = timedelta(minutes=15)

ISSUE_REQUEST_LIMIT: Final = "request_limit_reached"
