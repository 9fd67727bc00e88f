"""Blue Current's failures as translated sentences that say what to do.

Every server error code (§3.9 of the protocol notes) and every rejection reason the server is
known to give has a translation key of its own; the raw code goes to the log only. A reason
is free text from the server and may name a card or an address, so only its upper-case codes
(`REJECTED`, `CHARGE_POINT_BUSY`, ...) are logged, never the text itself.
"""

from __future__ import annotations

import logging
import re

from custom_components.ev_charge_points.api.bluecurrent import (
    BlueCurrentAlreadyConnectedError,
    BlueCurrentCommandRejectedError,
    BlueCurrentCommandTimeoutError,
    BlueCurrentInvalidTokenError,
    BlueCurrentNoActiveSessionError,
    BlueCurrentParseError,
    BlueCurrentRequestLimitError,
    BlueCurrentServerError,
)
from custom_components.ev_charge_points.api.bluecurrent.const import (
    CMD_START_SESSION,
    CMD_STOP_SESSION,
    ERROR_INVALID_AUTH_TOKEN,
    ERROR_NOT_AUTHORIZED,
    ERROR_UNKNOWN,
    ERROR_UNKNOWN_COMMAND,
)
from custom_components.ev_charge_points.errors import format_reset_time

_LOGGER = logging.getLogger(__name__)

# ERROR {error: code}: the codes the protocol notes list (42, the request limit, and 1 outside
# authentication arrive as their own exceptions). Any other code: "server_refused".
SERVER_ERROR_KEYS: dict[int, str] = {
    ERROR_UNKNOWN_COMMAND: "server_unknown_command",
    ERROR_INVALID_AUTH_TOKEN: "invalid_token",
    ERROR_NOT_AUTHORIZED: "server_not_authorized",
    ERROR_UNKNOWN: "server_unknown_error",
}

# Codes in a rejection's reason, most specific first; a reason without a known code is a
# plain refusal ("command_rejected", or the session-specific sentence for start/stop).
REJECTION_KEYS: tuple[tuple[str, str], ...] = (
    ("BUSY", "charge_point_busy"),  # CHARGE_POINT_BUSY
    ("FORBIDDEN", "server_not_authorized"),
    ("NOT_AUTHORIZED", "server_not_authorized"),
)
_COMMAND_REJECTION_KEYS: dict[str, str] = {
    CMD_START_SESSION: "start_session_rejected",
    CMD_STOP_SESSION: "stop_session_rejected",
}
_CODE = re.compile(r"\b[A-Z][A-Z_]{2,}\b")


def reason_codes(reason: str) -> list[str]:
    """The upper-case codes in a server's reason text (the only part that is logged)."""
    return _CODE.findall(reason)


def _rejection_key(err: BlueCurrentCommandRejectedError) -> str:
    text = err.reason.upper().replace(" ", "_")
    for code, key in REJECTION_KEYS:
        if code in text:
            return key
    return _COMMAND_REJECTION_KEYS.get(err.command, "command_rejected")


def explain(err: BaseException) -> tuple[str, dict[str, str]] | None:  # noqa: PLR0911
    """The translation of a Blue Current failure; None for the ones without a meaning here."""
    match err:
        case BlueCurrentNoActiveSessionError():
            return "no_active_session", {}
        case BlueCurrentCommandRejectedError():
            key = _rejection_key(err)
            _LOGGER.info(
                "Blue Current rejected %s (reason codes %s)",
                err.command,
                ", ".join(reason_codes(err.reason)) or "none",
            )
            return key, {}
        case BlueCurrentCommandTimeoutError():
            _LOGGER.info("No confirmation of %s from Blue Current in time", err.command)
            return "command_timeout", {}
        case BlueCurrentRequestLimitError():
            return "request_limit_reached", {"reset_time": format_reset_time(err.reset_at)}
        case BlueCurrentAlreadyConnectedError():
            return "already_connected", {}
        case BlueCurrentInvalidTokenError():
            return "invalid_token", {}
        case BlueCurrentServerError():
            # The message may repeat what the request carried: only the code is logged.
            _LOGGER.info("Blue Current answered with server error %d", err.code)
            return SERVER_ERROR_KEYS.get(err.code, "server_refused"), {}
        case BlueCurrentParseError():
            return "server_unreadable", {}
        case _:
            return None
