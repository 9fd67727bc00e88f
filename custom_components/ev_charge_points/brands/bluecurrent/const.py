"""Constants of the Blue Current brand."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

BRAND: Final = "bluecurrent"
MANUFACTURER: Final = "Blue Current"
# The only currency Blue Current bills in (the unit of a session cost without a tariff).
BILLING_CURRENCY: Final = "EUR"


def entry_title(customer_id: str) -> str:
    """The entry's name: recognisable, but not the account's e-mail (HA logs the title)."""
    return f"Blue Current (customer {customer_id})"


# The account's charge point list is re-read this often (and after every reconnect).
CHARGE_POINTS_REFRESH_INTERVAL: Final = timedelta(minutes=15)

# Grid loads come as GRID_CURRENT pushes (their interval is unknown, protocol §8): a grid
# that sent none this long after a connect, and never pushed before, has its status read once.
GRID_PUSH_WAIT: Final = timedelta(minutes=5)

ISSUE_REQUEST_LIMIT: Final = "request_limit_reached"
# If the first attempt after the daily reset is still refused (the server's day ends later
# than ours, clock skew), these delays follow before waiting for the next reset.
LIMIT_RESET_RETRY_DELAYS: Final = (
    timedelta(seconds=30),
    timedelta(minutes=1),
    timedelta(minutes=2),
    timedelta(minutes=4),
    timedelta(minutes=8),
)

# Largest websocket frame read from Blue Current. The charge-point list of an account with
# 1000 charge points is about 1.4 MB, over the websockets default of 1 MiB; anything larger
# than this bound closes the connection instead of filling memory.
MAX_FRAME_SIZE: Final = 16 << 20

# The option (select, actions) that means "no card": start a session without one.
NO_CARD_OPTION: Final = "no_card"

# Options of the app login (e-mail and password): asked for only where the app socket refuses
# the API token.
CONF_APP_USERNAME: Final = "app_username"
CONF_APP_PASSWORD: Final = "app_password"  # noqa: S105 - a key name
# The repair issue that asks for them.
ISSUE_APP_LOGIN: Final = "app_login_required"
