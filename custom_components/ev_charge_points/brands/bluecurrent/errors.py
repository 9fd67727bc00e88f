"""Blue Current's failures with a meaning of their own, as translation keys."""

from __future__ import annotations

from custom_components.ev_charge_points.api.bluecurrent import (
    BlueCurrentAlreadyConnectedError,
    BlueCurrentCommandRejectedError,
    BlueCurrentCommandTimeoutError,
    BlueCurrentNoActiveSessionError,
    BlueCurrentRequestLimitError,
)
from custom_components.ev_charge_points.errors import format_reset_time


def explain(err: BaseException) -> tuple[str, dict[str, str]] | None:
    """No session, rejected, timeout, request limit, already connected; None for the rest."""
    match err:
        case BlueCurrentNoActiveSessionError():
            return "no_active_session", {}
        case BlueCurrentCommandRejectedError():
            return "command_rejected", {"reason": err.reason}
        case BlueCurrentCommandTimeoutError():
            return "command_timeout", {}
        case BlueCurrentRequestLimitError():
            return "request_limit_reached", {"reset_time": format_reset_time(err.reset_at)}
        case BlueCurrentAlreadyConnectedError():
            return "already_connected", {}
        case _:
            return None
