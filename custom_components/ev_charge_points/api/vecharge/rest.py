"""The REST side: PATCH `chargerDesiredState` to switch the charger on or off.

The method and body come from a real veCharge app (protocol doc §4); the success body is not
documented, so any 2xx is accepted unless its JSON body says `"status": "fail"` or `"error"`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import aiohttp

from .const import DESIRED_STATE_PATH
from .exceptions import (
    VeChargeCommandRejectedError,
    VeChargeConnectionError,
    VeChargeError,
    VeChargeInvalidResponseError,
    VeChargeRefusedError,
    VeChargeServerError,
    VeChargeTimeoutError,
)
from .refusal import refusal_from_status

if TYPE_CHECKING:
    import ssl

    from .models import ChargerStatus

_LOGGER = logging.getLogger(__name__)

_FAILURE_STATUSES = {"fail", "failed", "error"}


def _message_of(body: Any) -> str:
    if isinstance(body, dict):
        for key in ("message", "error", "msg"):
            if isinstance(body.get(key), str):
                return str(body[key])
    return ""


def _decode_body(text: str) -> Any:
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


async def patch_desired_state(
    session: aiohttp.ClientSession,
    *,
    base_url: str,
    token: str,
    charger_id: str,
    status: ChargerStatus,
    timeout: float,  # noqa: ASYNC109 - a request timeout, passed on from the client
    ssl_context: ssl.SSLContext | None = None,
) -> None:
    """Ask the server to switch `charger_id` to `status`; raise a `VeChargeError` on failure."""
    url = base_url.rstrip("/") + DESIRED_STATE_PATH
    body = {"status": status.value, "chargerId": charger_id}
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    try:
        async with asyncio.timeout(timeout):
            async with session.patch(
                url, json=body, headers=headers, ssl=ssl_context or True
            ) as response:
                text = await response.text()
                reply_status = response.status
    except TimeoutError as err:
        raise VeChargeTimeoutError(
            f"no answer to the desired-state request in {timeout} s"
        ) from err
    except aiohttp.ClientError as err:
        raise VeChargeConnectionError(f"desired-state request failed: {err}") from err
    reply = _decode_body(text)
    _LOGGER.debug("desired state %s for %s: HTTP %s", status, charger_id, reply_status)
    if not HTTPStatus.OK <= reply_status < HTTPStatus.MULTIPLE_CHOICES:
        error: VeChargeRefusedError | VeChargeServerError | VeChargeError = refusal_from_status(
            reply_status, _message_of(reply)
        )
        if isinstance(error, VeChargeRefusedError) and type(error) is VeChargeRefusedError:
            # A 4xx that names neither the token nor the charger: the request itself was declined.
            error = VeChargeCommandRejectedError(str(error))
        raise error
    if isinstance(reply, str):
        raise VeChargeInvalidResponseError(f"desired-state reply is not JSON: {reply[:80]!r}")
    if isinstance(reply, dict) and str(reply.get("status", "")).lower() in _FAILURE_STATUSES:
        raise VeChargeCommandRejectedError(_message_of(reply) or "the server declined the request")
