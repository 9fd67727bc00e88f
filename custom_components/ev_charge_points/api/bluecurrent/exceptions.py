"""Exceptions raised by the Blue Current client."""

from __future__ import annotations

from datetime import UTC, datetime

from .timeutil import next_reset


class BlueCurrentError(Exception):
    """Base of every error raised by this package."""


class BlueCurrentParseError(BlueCurrentError):
    """A server frame could not be turned into a model."""


class BlueCurrentConnectionError(BlueCurrentError):
    """Cannot connect, the handshake failed, the connection was lost or a ping timed out."""


class BlueCurrentInvalidTokenError(BlueCurrentError):
    """The API token or the auth token derived from it was refused."""


class BlueCurrentRequestLimitError(BlueCurrentError):
    """The daily request limit is reached; retry after `reset_at` (aware, UTC)."""

    def __init__(
        self, message: str = "Request limit reached", *, reset_at: datetime | None = None
    ) -> None:
        """Store the moment the limit resets (the next 00:00:30 Europe/Amsterdam by default)."""
        super().__init__(message)
        self.reset_at: datetime = reset_at or next_reset(datetime.now(UTC))


class BlueCurrentAlreadyConnectedError(BlueCurrentError):
    """The server refused the connection because this client is already connected."""


class BlueCurrentServerError(BlueCurrentError):
    """The server answered with an ERROR object that has no more specific meaning."""

    def __init__(self, code: int, message: str) -> None:
        """Keep the numeric code and the server's message."""
        super().__init__(f"Server error {code}: {message}")
        self.code = code
        self.message = message


class BlueCurrentCommandError(BlueCurrentError):
    """A setting or action was not carried out."""

    def __init__(self, command: str, evse_id: str | None, reason: str) -> None:
        """Keep the wire command, the charge point and the reason the server gave."""
        target = f" for {evse_id}" if evse_id else ""
        super().__init__(f"{command}{target} failed: {reason}")
        self.command = command
        self.evse_id = evse_id
        self.reason = reason


class BlueCurrentCommandRejectedError(BlueCurrentCommandError):
    """The server or the charge point refused the command."""


class BlueCurrentNoActiveSessionError(BlueCurrentCommandRejectedError):
    """The command needs a charging session and there is none."""


class BlueCurrentCommandTimeoutError(BlueCurrentCommandError):
    """The server reported a timeout, or no result arrived in time."""
