"""Exceptions raised by the go-e client; messages name keys and codes, never tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping


class GoeError(Exception):
    """Base of every error raised by this package."""


class GoeConnectionError(GoeError):
    """The device or the cloud could not be reached, or the connection broke."""


class GoeTimeoutError(GoeConnectionError):
    """No answer within the request timeout."""


class GoeApiDisabledError(GoeError):
    """The local HTTP API v2 is switched off (`hai`): switch on HTTP API v2 in the go-e app."""

    def __init__(self, body: str = "") -> None:
        """Keep the device's text (e.g. "Nothing matches the given URI")."""
        super().__init__(
            "The go-e HTTP API v2 is switched off: switch on HTTP API v2 in the go-e app"
            + (f" (device said: {body.strip()[:80]})" if body.strip() else "")
        )
        self.body = body


class GoeAuthError(GoeError):
    """The cloud refused the API key (wrong, regenerated or missing)."""


class GoeDeviceOfflineError(GoeError):
    """The cloud has no fresh data for the device: it is offline or the cloud API is off."""


class GoeNoRecentStatusError(GoeDeviceOfflineError):
    """Cloud 404: the key is fine but the device sent no status within `age` seconds."""


class GoeCloudForbiddenError(GoeDeviceOfflineError, GoeAuthError):
    """Cloud 403: the device is offline, its cloud API (`cae`) is off, or the key is wrong.

    The docs give 403 for "offline or cloud API not enabled" and leave the answer to a wrong
    key open (401 or 403), so a 403 is both kinds of error; callers decide which to assume.
    """


class GoeBusyError(GoeError):
    """The firmware could not take its API lock in time; try again later."""


class GoeInvalidResponseError(GoeError):
    """The answer is not what the API documents (not JSON, not an object, wrong shape)."""


class GoeUnsupportedDeviceError(GoeInvalidResponseError):
    """The status matches neither a go-e charger nor a go-e controller."""


class GoeHttpError(GoeError):
    """An HTTP status the API documents no meaning for."""

    def __init__(self, status: int, body: str = "") -> None:
        """Keep the status and the start of the body."""
        super().__init__(f"Unexpected HTTP {status} from the go-e API: {body.strip()[:120]}")
        self.status = status
        self.body = body


class GoeKeyRejectedError(GoeError):
    """`/api/set` refused at least one key; `key`/`text` name the first, `rejected` all."""

    def __init__(
        self,
        key: str,
        text: str,
        *,
        rejected: Mapping[str, str] | None = None,
        accepted: frozenset[str] = frozenset(),
    ) -> None:
        """Keep the first rejected key, every rejection and the keys that were accepted."""
        others = len(rejected or {}) - 1
        more = f" (and {others} more key(s))" if others > 0 else ""
        super().__init__(f"go-e refused to set {key!r}: {text}{more}")
        self.key = key
        self.text = text
        self.rejected: dict[str, str] = dict(rejected or {key: text})
        self.accepted = accepted


class GoeValueError(GoeError, ValueError):
    """A value to be written cannot be encoded as JSON (NaN, infinity, unsupported type)."""
