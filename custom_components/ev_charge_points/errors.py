"""What a client error means to the user: one translation per kind of failure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util

from .api.bluecurrent import (
    BlueCurrentAlreadyConnectedError,
    BlueCurrentCommandRejectedError,
    BlueCurrentCommandTimeoutError,
    BlueCurrentNoActiveSessionError,
    BlueCurrentRequestLimitError,
)
from .const import DOMAIN

if TYPE_CHECKING:
    from datetime import datetime


def format_reset_time(reset_at: datetime) -> str:
    """The limit reset as "HH:MM" in Home Assistant's time zone."""
    return dt_util.as_local(reset_at).strftime("%H:%M")


def translated_error[E: HomeAssistantError](
    err: BaseException, *, fallback_key: str, error_type: type[E]
) -> E:
    """Build `error_type` with the translation that explains `err`.

    Failures with a meaning of their own (no session, rejected, timeout, request limit,
    already connected) get their own message wherever they happen; anything else gets the
    caller's `fallback_key`, whose message shows the error's name.
    """
    key: str
    placeholders: dict[str, str]
    match err:
        case BlueCurrentNoActiveSessionError():
            key, placeholders = "no_active_session", {}
        case BlueCurrentCommandRejectedError():
            key, placeholders = "command_rejected", {"reason": err.reason}
        case BlueCurrentCommandTimeoutError():
            key, placeholders = "command_timeout", {}
        case BlueCurrentRequestLimitError():
            key, placeholders = (
                "request_limit_reached",
                {"reset_time": format_reset_time(err.reset_at)},
            )
        case BlueCurrentAlreadyConnectedError():
            key, placeholders = "already_connected", {}
        case _:
            key, placeholders = fallback_key, {"error": str(err) or type(err).__name__}
    return error_type(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )
