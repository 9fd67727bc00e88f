"""Async client for the veCharge (Valerio Electric) cloud: Socket.IO push and REST on/off.

No Home Assistant imports. See `client.VeChargeClient` for the connection lifecycle.
"""

from .client import EventCallback, EventStats, VeChargeClient
from .const import DEFAULT_BASE_URL
from .exceptions import (
    VeChargeAuthError,
    VeChargeCommandRejectedError,
    VeChargeConnectionError,
    VeChargeError,
    VeChargeInvalidResponseError,
    VeChargeParseError,
    VeChargeRefusedError,
    VeChargeServerError,
    VeChargeTimeoutError,
    VeChargeUnknownChargerError,
)
from .models import (
    ChargerDocument,
    ChargerStatus,
    Disconnected,
    DisconnectReason,
    MeterLog,
    ServerMessage,
    StatusChange,
    VeChargeEvent,
    decode_payload,
    parse_charger_document,
    parse_meter_log,
    parse_server_message,
    parse_status_change,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "ChargerDocument",
    "ChargerStatus",
    "DisconnectReason",
    "Disconnected",
    "EventCallback",
    "EventStats",
    "MeterLog",
    "ServerMessage",
    "StatusChange",
    "VeChargeAuthError",
    "VeChargeClient",
    "VeChargeCommandRejectedError",
    "VeChargeConnectionError",
    "VeChargeError",
    "VeChargeEvent",
    "VeChargeInvalidResponseError",
    "VeChargeParseError",
    "VeChargeRefusedError",
    "VeChargeServerError",
    "VeChargeTimeoutError",
    "VeChargeUnknownChargerError",
    "decode_payload",
    "parse_charger_document",
    "parse_meter_log",
    "parse_server_message",
    "parse_status_change",
]
