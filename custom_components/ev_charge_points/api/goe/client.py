"""Async client of the go-e HTTP API v2 (charger and controller, local or cloud).

One `GoeClient` talks to one device through one endpoint (`LocalEndpoint` or `CloudEndpoint`);
the aiohttp session is injected and never closed here. Reads are filtered `/api/status`
requests; writes are `/api/set` with JSON-encoded values, checked key by key.

Firmware families differ on a filter key the device does not know (§2.3): V3/V4 leave it out
of a 200 reply, CORE/PRO answer 400 with the supported keys in the body. The client learns such
keys (`unsupported_keys`) and stops asking for them; an update is never lost to one of them.
"""

from __future__ import annotations

import asyncio
import json
import logging
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Final

import aiohttp
from yarl import URL

from .const import (
    CHARGER_GROUPS,
    CONTROLLER_GROUPS,
    GROUP_KEYS,
    ForceState,
    KeyGroup,
    LogicMode,
    PhaseSwitchMode,
)
from .encoding import encode_filter, encode_legacy_filter, encode_set_query
from .exceptions import (
    GoeApiDisabledError,
    GoeAuthError,
    GoeBusyError,
    GoeCloudForbiddenError,
    GoeConnectionError,
    GoeHttpError,
    GoeInvalidResponseError,
    GoeKeyRejectedError,
    GoeNoRecentStatusError,
    GoeTimeoutError,
)
from .models import GoeChargerStatus, GoeControllerStatus, GoeDeviceInfo, device_info

if TYPE_CHECKING:
    import ssl
    from collections.abc import Iterable, Mapping
    from datetime import datetime

    from .encoding import JsonValue
    from .endpoint import Endpoint

_LOGGER = logging.getLogger(__name__)

DEFAULT_TIMEOUT: Final = 10.0
BUSY_MARKER: Final = "api lock"
HTTP_OK: Final = 200
HTTP_ACCEPTED: Final = 202
HTTP_BAD_REQUEST: Final = 400
HTTP_UNAUTHORIZED: Final = 401
HTTP_FORBIDDEN: Final = 403
HTTP_NOT_FOUND: Final = 404
HTTP_UNPROCESSABLE: Final = 422
HTTP_SERVER_ERROR: Final = 500
LEGACY_FILTER_LIMIT: Final = 10
COMMA_FILTER_SINCE: Final = (51, 4)


class _Reply:
    """One HTTP answer: status, decoded text and the cloud's Last-Modified."""

    __slots__ = ("body", "last_modified", "status")

    def __init__(self, status: int, body: str, last_modified: datetime | None) -> None:
        self.status = status
        self.body = body
        self.last_modified = last_modified

    def json_object(self) -> dict[str, Any] | None:
        """The body as a JSON object, or None."""
        try:
            data = json.loads(self.body)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None


def _parse_http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def needs_legacy_filter(firmware: str | None) -> bool:
    """Whether firmware `fwv` predates the comma filter (051.4); unknown versions do not."""
    if not firmware:
        return False
    major, _, minor = firmware.strip().partition(".")
    try:
        version = (int(major), int(minor.split("-")[0] or 0))
    except ValueError:
        return False
    return version < COMMA_FILTER_SINCE


def keys_of(groups: Iterable[KeyGroup]) -> list[str]:
    """The status keys of `groups`, each once, in order."""
    return list(dict.fromkeys(key for group in groups for key in GROUP_KEYS[group]))


class GoeClient:
    """Read and write one go-e charger or controller."""

    def __init__(
        self,
        endpoint: Endpoint,
        session: aiohttp.ClientSession,
        *,
        request_timeout: float = DEFAULT_TIMEOUT,
        ssl_context: ssl.SSLContext | None = None,
        legacy_filter: bool = False,
    ) -> None:
        """Use `session` (owned by the caller) to reach `endpoint`.

        `legacy_filter` sends the JSON-array filter of firmware <= 051.3 (see
        `needs_legacy_filter`); newer firmware takes the comma list.
        """
        self.endpoint = endpoint
        self.legacy_filter = legacy_filter
        self._session = session
        self._timeout = request_timeout
        self._ssl: ssl.SSLContext | bool = ssl_context if ssl_context is not None else True
        self._unsupported: set[str] = set()

    @property
    def unsupported_keys(self) -> frozenset[str]:
        """Keys the device did not answer for; they are left out of later filters."""
        return frozenset(self._unsupported)

    def forget_unsupported_keys(self) -> None:
        """Ask for every key again (after a firmware update, say)."""
        self._unsupported.clear()

    # --- transport -----------------------------------------------------------------------

    async def _get(self, path: str, query: str) -> _Reply:
        url = URL(f"{self.endpoint.url}{path}{'?' + query if query else ''}", encoded=True)
        try:
            async with (
                asyncio.timeout(self._timeout),
                self._session.get(url, headers=self.endpoint.headers(), ssl=self._ssl) as resp,
            ):
                raw = await resp.read()
                last_modified = _parse_http_date(resp.headers.get("Last-Modified"))
                status = resp.status
        except TimeoutError as err:
            raise GoeTimeoutError(f"no answer from go-e within {self._timeout} s") from err
        except (aiohttp.ClientError, OSError) as err:
            raise GoeConnectionError(f"cannot reach go-e at {self.endpoint.url}: {err}") from err
        _LOGGER.debug("GET %s -> %s (%d bytes)", path, status, len(raw))
        return _Reply(status, raw.decode("utf-8", errors="replace"), last_modified)

    def _raise_for_error(self, reply: _Reply) -> None:
        """Map the documented error answers (§2.3, §3.2) onto exceptions."""
        status, body = reply.status, reply.body
        if status == HTTP_SERVER_ERROR and BUSY_MARKER in body:
            raise GoeBusyError("the go-e firmware is busy (api lock); try again later")
        if self.endpoint.is_cloud:
            if status == HTTP_UNAUTHORIZED:
                raise GoeAuthError("the go-e cloud refused the API key")
            if status == HTTP_FORBIDDEN:
                raise GoeCloudForbiddenError(
                    "go-e cloud: device offline, cloud API (cae) off, or wrong API key"
                )
            if status == HTTP_NOT_FOUND:
                raise GoeNoRecentStatusError("go-e cloud: no status from the device recently")
        elif status == HTTP_NOT_FOUND:
            raise GoeApiDisabledError(body)
        raise GoeHttpError(status, body)

    # --- reads ---------------------------------------------------------------------------

    def _status_query(self, filter_value: str) -> str:
        query = f"filter={filter_value}"
        max_age = getattr(self.endpoint, "max_age", None)
        if max_age is not None:
            query += f"&age={int(max_age)}"
        return query

    async def _read_full(self) -> tuple[dict[str, Any], datetime | None]:
        """Every key: an empty filter (CORE/PRO fw 60.3 answer that with 400 + full body)."""
        reply = await self._get("/api/status", self._status_query(""))
        data = reply.json_object()
        if reply.status not in (HTTP_OK, HTTP_BAD_REQUEST) or (
            reply.status == HTTP_BAD_REQUEST and data is None
        ):
            self._raise_for_error(reply)
        if data is None:
            raise GoeInvalidResponseError("go-e status is not a JSON object")
        return data, reply.last_modified

    async def get_raw_status(
        self, keys: Iterable[str] | None = None
    ) -> tuple[dict[str, Any], datetime | None]:
        """The values of `keys` (all keys when None) and the cloud's Last-Modified."""
        if keys is None:
            return await self._read_full()
        wanted = [key for key in dict.fromkeys(keys) if key not in self._unsupported]
        if not wanted:
            return {}, None
        if not self.legacy_filter:
            return await self._read_filtered(wanted, encode_filter(wanted))
        # fw <= 051.3 only reads the JSON-array form and runs short of memory beyond about
        # 10 entries, so ask in slices and merge.
        merged: dict[str, Any] = {}
        last_modified: datetime | None = None
        for start in range(0, len(wanted), LEGACY_FILTER_LIMIT):
            chunk = wanted[start : start + LEGACY_FILTER_LIMIT]
            data, last_modified = await self._read_filtered(chunk, encode_legacy_filter(chunk))
            merged.update(data)
        return merged, last_modified

    async def _read_filtered(
        self, wanted: list[str], filter_value: str
    ) -> tuple[dict[str, Any], datetime | None]:
        reply = await self._get("/api/status", self._status_query(filter_value))
        data = reply.json_object()
        if reply.status == HTTP_BAD_REQUEST:
            # CORE/PRO: an unknown filter key gives 400; the body should still hold every
            # supported key. Without that body, learn the supported keys from one full read.
            if data is None:
                _LOGGER.debug("400 without a body for a filtered status; reading everything")
                data, _ = await self._read_full()
        elif reply.status != HTTP_OK:
            self._raise_for_error(reply)
        if data is None:
            raise GoeInvalidResponseError("go-e status is not a JSON object")
        missing = [key for key in wanted if key not in data]
        if missing:
            _LOGGER.debug("go-e does not know %s; no longer asking for them", missing)
            self._unsupported.update(missing)
        return {key: data[key] for key in wanted if key in data}, reply.last_modified

    async def get_charger_status(
        self, groups: Iterable[KeyGroup] = CHARGER_GROUPS, *, extra_keys: Iterable[str] = ()
    ) -> GoeChargerStatus:
        """A charger's status with only the keys of `groups` (plus `extra_keys`)."""
        data, last_modified = await self.get_raw_status([*keys_of(groups), *extra_keys])
        return GoeChargerStatus.from_wire(data, last_modified=last_modified)

    async def get_controller_status(
        self, groups: Iterable[KeyGroup] = CONTROLLER_GROUPS, *, extra_keys: Iterable[str] = ()
    ) -> GoeControllerStatus:
        """A controller's categories and sensors."""
        data, last_modified = await self.get_raw_status([*keys_of(groups), *extra_keys])
        return GoeControllerStatus.from_wire(data, last_modified=last_modified)

    async def detect(self) -> GoeDeviceInfo:
        """Read the full status once and tell charger from controller (for the config flow)."""
        data, _ = await self._read_full()
        return device_info(data)

    # --- writes --------------------------------------------------------------------------

    async def set_values(self, values: Mapping[str, JsonValue]) -> frozenset[str]:
        """Write `values` in one `/api/set`; return the accepted keys or raise for a refusal."""
        reply = await self._get("/api/set", encode_set_query(values))
        results = reply.json_object()
        cloud = self.endpoint.is_cloud
        if cloud and reply.status == HTTP_ACCEPTED and not (results or {}).keys() & values.keys():
            # The cloud's 202 body is (inferred); unless it is a per-key map, 202 itself
            # means "forwarded" (with no promise the device applied it).
            return frozenset(values)
        if reply.status not in (HTTP_OK, HTTP_ACCEPTED, HTTP_SERVER_ERROR, HTTP_UNPROCESSABLE):
            self._raise_for_error(reply)
        if results is None:
            if reply.status == HTTP_UNPROCESSABLE:
                first = next(iter(values))
                raise GoeKeyRejectedError(first, "the cloud rejected every key")
            if reply.status == HTTP_SERVER_ERROR:
                self._raise_for_error(reply)
            raise GoeInvalidResponseError("go-e set result is not a JSON object")
        return self._check_results(values, results)

    @staticmethod
    def _check_results(values: Mapping[str, Any], results: dict[str, Any]) -> frozenset[str]:
        accepted = frozenset(key for key in values if results.get(key) is True)
        rejected = {
            key: (str(results[key]) if key in results else "the device did not confirm this key")
            for key in values
            if key not in accepted
        }
        if rejected:
            key, text = next(iter(rejected.items()))
            raise GoeKeyRejectedError(key, text, rejected=rejected, accepted=accepted)
        return accepted

    async def set_current_limit(self, amps: int) -> None:
        """`amp`: the charging current limit (6 ... `ama` A)."""
        await self.set_values({"amp": int(amps)})

    async def set_absolute_max_current(self, amps: int) -> None:
        """`ama`: the ceiling of `amp`."""
        await self.set_values({"ama": int(amps)})

    async def set_temporary_current_limit(self, amps: int | None) -> None:
        """`tcl`: a limit that lapses after 10 minutes unless written again (None clears)."""
        await self.set_values({"tcl": None if amps is None else int(amps)})

    async def set_force_state(self, state: ForceState) -> None:
        """`frc`: neutral (own logic), off (stop now) or on (charge now)."""
        await self.set_values({"frc": int(state)})

    async def set_phase_mode(self, mode: PhaseSwitchMode) -> None:
        """`psm`: automatic, force 1-phase or force 3-phase."""
        await self.set_values({"psm": int(mode)})

    async def set_logic_mode(self, mode: LogicMode) -> None:
        """`lmo`: default, eco or automatic stop."""
        await self.set_values({"lmo": int(mode)})

    async def set_use_pv_surplus(self, *, enabled: bool) -> None:
        """`fup`: charge from PV surplus (needs `lmo` eco)."""
        await self.set_values({"fup": enabled})

    async def set_energy_limit(self, watt_hours: float | None) -> None:
        """`dwo`: stop the session after this many Wh; None switches the limit off."""
        await self.set_values({"dwo": watt_hours})

    async def set_friendly_name(self, name: str) -> None:
        """`fna`: the device name (sent quoted, as the API requires)."""
        await self.set_values({"fna": name})

    async def push_inverter_data(
        self, grid_power: float, pv_power: float | None = None, battery_power: float | None = None
    ) -> None:
        """`ids`: PV data for the surplus logic; resend at least every 5 s. Export is < 0."""
        payload: dict[str, JsonValue] = {"pGrid": grid_power}
        if pv_power is not None:
            payload["pPv"] = pv_power
        if battery_power is not None:
            payload["pAkku"] = battery_power
        await self.set_values({"ids": payload})

    async def reboot(self) -> None:
        """`rst`: restart the device (any value)."""
        await self.set_values({"rst": True})
