"""Constants of the go-e brand: entry keys and the polling schedule."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

BRAND: Final = "goe"
MANUFACTURER: Final = "go-e"

# Keys in entry.data.
CONF_CONNECTION: Final = "connection"  # "local" or "cloud"
CONF_HOST: Final = "host"
CONF_SERIAL: Final = "serial"
CONF_API_KEY: Final = "api_key"
CONF_KIND: Final = "kind"  # "charger" or "controller", detected by the flow
CONNECTION_LOCAL: Final = "local"
CONNECTION_CLOUD: Final = "cloud"

# Polling (see coordinator.py). A car connected: a small sentinel read every 9 s, so a change
# on the device shows within 10 s; the meter (live keys) every 2 minutes. Idle: a sentinel
# read every 31 s: no more requests than a plain 30 s poll (Home Assistant starts the next
# poll up to a second early, on a whole second). The configuration keys (rarely
# changed, mostly by us) with the live ones every 10 minutes and right after a write.
FAST_INTERVAL: Final = timedelta(seconds=9)
IDLE_INTERVAL: Final = timedelta(seconds=31)
LIVE_INTERVAL: Final = timedelta(minutes=2)
CONFIG_INTERVAL: Final = timedelta(minutes=10)
# The charger's logic runs once per second: a write's effects (alw, modelStatus) are read
# back this long after the write's own confirming read.
AFTER_WRITE_DELAY: Final = timedelta(seconds=2)
# The cloud caches a status (`age`); asking for fresher data than this costs the device a
# round trip, so the cloud is polled no faster than this.
CLOUD_FAST_INTERVAL: Final = timedelta(seconds=10)
CLOUD_IDLE_INTERVAL: Final = timedelta(seconds=60)
CLOUD_MAX_AGE: Final = 10
