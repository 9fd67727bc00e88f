"""Turn a refusal from the server into the right exception.

How the real server refuses a bad token or an unknown charger is not documented (protocol doc §5,
§7). The readings handled here: an HTTP status on the handshake (401/403, 404), a Socket.IO
CONNECT_ERROR or an `error` event whose message says what was wrong. Messages are matched on
words, not on one exact wording, because the wording is unknown.
"""

from __future__ import annotations

from http import HTTPStatus

from .exceptions import (
    VeChargeAuthError,
    VeChargeRefusedError,
    VeChargeServerError,
    VeChargeUnknownChargerError,
)

_CHARGER_WORDS = ("charger", "device")
_MISSING_WORDS = ("not found", "unknown", "invalid", "no such", "does not exist", "not exist")
_AUTH_WORDS = ("auth", "token", "unauthori", "forbidden", "jwt", "login", "bearer")


def refusal_from_message(message: str) -> VeChargeRefusedError:
    """Classify a refusal message: unknown charger, bad token, or a refusal of another kind."""
    text = message.lower()
    mentions_charger = any(word in text for word in _CHARGER_WORDS)
    if mentions_charger and any(word in text for word in _MISSING_WORDS):
        return VeChargeUnknownChargerError(message)
    if any(word in text for word in _AUTH_WORDS):
        return VeChargeAuthError(message)
    return VeChargeRefusedError(message)


def refusal_from_status(
    status: int, message: str = ""
) -> VeChargeRefusedError | VeChargeServerError:
    """Classify an HTTP status the server refused a request with."""
    detail = message
    if not detail and status in HTTPStatus:
        detail = HTTPStatus(status).phrase
    if status in {HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN}:
        return VeChargeAuthError(detail or str(status))
    if status == HTTPStatus.NOT_FOUND:
        return VeChargeUnknownChargerError(detail or str(status))
    if HTTPStatus.BAD_REQUEST <= status < HTTPStatus.INTERNAL_SERVER_ERROR:
        return refusal_from_message(detail or str(status))
    return VeChargeServerError(status, message)
