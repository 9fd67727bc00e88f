"""veCharge's failures with a meaning of their own, as translation keys."""

from __future__ import annotations

from custom_components.ev_charge_points.api.vecharge import (
    VeChargeCommandRejectedError,
    VeChargeRefusedError,
    VeChargeTimeoutError,
)


def explain(err: BaseException) -> tuple[str, dict[str, str]] | None:
    """Unconfirmed, rejected, refused; None for the rest (shown with the error's text)."""
    match err:
        case VeChargeTimeoutError():
            return "command_timeout", {}
        case VeChargeCommandRejectedError():
            return "command_rejected", {"reason": str(err) or type(err).__name__}
        case VeChargeRefusedError():
            return "vecharge_refused", {}
        case _:
            return None
