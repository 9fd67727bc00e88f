"""Exceptions raised by the veCharge client.

Callers catch `VeChargeError` and branch on the subclasses: a `VeChargeRefusedError` needs the
user (a new token, another charger id), so retrying it is pointless; a `VeChargeConnectionError`
(including `VeChargeTimeoutError`) is worth retrying with backoff.
"""

from __future__ import annotations


class VeChargeError(Exception):
    """Base of every error raised by this package."""


class VeChargeConnectionError(VeChargeError):
    """The server could not be reached, or the connection was lost."""


class VeChargeTimeoutError(VeChargeConnectionError):
    """The server did not answer in time."""


class VeChargeRefusedError(VeChargeError):
    """The server refused the token or the charger id; retrying will not help."""


class VeChargeAuthError(VeChargeRefusedError):
    """The bearer token was refused."""


class VeChargeUnknownChargerError(VeChargeRefusedError):
    """The server does not know the charger id (or not for this token)."""


class VeChargeCommandRejectedError(VeChargeError):
    """The server understood the request and declined it."""


class VeChargeServerError(VeChargeError):
    """The server failed (5xx or another unexpected status)."""

    def __init__(self, status: int, message: str = "") -> None:
        """Keep the HTTP status and what the server said."""
        super().__init__(
            f"Server error {status}: {message}" if message else f"Server error {status}"
        )
        self.status = status


class VeChargeInvalidResponseError(VeChargeError):
    """A reply could not be understood."""


class VeChargeParseError(VeChargeInvalidResponseError):
    """A pushed event payload could not be turned into a model."""
