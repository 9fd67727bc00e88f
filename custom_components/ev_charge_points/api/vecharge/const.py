"""Wire constants of the veCharge cloud (see /work/shared/protocols/vecharge.md)."""

from __future__ import annotations

from typing import Final

DEFAULT_BASE_URL: Final = "https://library.vecharge.app"
SOCKETIO_PATH: Final = "socket.io"
DESIRED_STATE_PATH: Final = "/api/v1/charger/chargerDesiredState"

# Query parameters of the socket handshake (§2.2); the token value carries the "Bearer " prefix.
QUERY_TOKEN: Final = "token"  # noqa: S105 - a parameter name, not a secret
QUERY_CHARGER_ID: Final = "chargerId"
BEARER_PREFIX: Final = "Bearer "

EVENT_CHARGER_CONNECTED: Final = "chargerConnected"
EVENT_STATUS_CHANGED: Final = "statusChanged"
EVENT_NEW_LOG: Final = "newLog"
EVENT_ERROR: Final = "error"
