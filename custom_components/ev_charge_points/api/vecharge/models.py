"""Typed, frozen models of what the veCharge server pushes, and their parsers.

Payloads arrive either as JSON text (what the seed's server sends: `42["newLog","{...}"]`) or as
JSON objects; numbers in `newLog` arrive as strings ("230.00"). Every parser raises
`VeChargeParseError` on a payload it cannot read, never anything else.
"""

from __future__ import annotations

import enum
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .exceptions import VeChargeParseError

type JSONObject = dict[str, Any]


class ChargerStatus(enum.StrEnum):
    """The relay state the server reports."""

    ON = "ON"
    OFF = "OFF"


class DisconnectReason(enum.StrEnum):
    """Why a connection ended; see `Disconnected.expected`."""

    CHARGER_OFF = "charger_off"
    """The server announced `statusChanged OFF` and closed the socket (the seed's normal path)."""
    SERVER_CLOSED = "server_closed"
    """The server closed the socket without announcing OFF first (e.g. the disconnect API)."""
    CONNECTION_LOST = "connection_lost"
    """The transport failed (network drop, missed pings)."""
    REFUSED = "refused"
    """The server sent an `error` event and closed: the token or charger id was refused."""
    CLIENT_CLOSED = "client_closed"
    """We called `disconnect()`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargerDocument:
    """The `chargerConnected` snapshot (the charger's document, `_doc` or flat)."""

    charger_id: str | None
    status: ChargerStatus
    desired_status: ChargerStatus | None
    reported_status: ChargerStatus | None
    power: float | None
    voltage: float | None
    current: float | None
    energy: float | None
    previous_energy: float | None
    current_user: str | None
    is_active: bool | None
    wifi_connectivity: bool | None
    charger_mode: str | None
    operator: str | None
    address: str | None
    latitude: float | None
    longitude: float | None
    connected_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusChange:
    """A `statusChanged` event: the relay switched."""

    status: ChargerStatus


@dataclass(frozen=True, slots=True, kw_only=True)
class MeterLog:
    """A `newLog` event: one live meter sample while the charger is on."""

    device_id: str | None
    charger_id: str | None
    user_id: str | None
    voltage: float | None
    current: float | None
    power: float | None
    energy: float | None
    created_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerMessage:
    """An `error` event: a message from the server (e.g. the charger is held by someone else)."""

    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Disconnected:
    """The end of one connection; always the last event of a `connect()`."""

    reason: DisconnectReason
    error: Exception | None = None

    @property
    def expected(self) -> bool:
        """Whether this is a normal end (charger off, or our own disconnect), not a failure."""
        return self.reason in {DisconnectReason.CHARGER_OFF, DisconnectReason.CLIENT_CLOSED}


type VeChargeEvent = ChargerDocument | StatusChange | MeterLog | ServerMessage | Disconnected


def decode_payload(data: Any) -> JSONObject:
    """Return the payload as a JSON object, decoding it first when it arrives as JSON text."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as err:
            raise VeChargeParseError(f"payload is not JSON: {err}") from None
    if not isinstance(data, dict):
        raise VeChargeParseError(f"payload is not an object: {type(data).__name__}")
    return data


def _number(payload: JSONObject, key: str) -> float | None:
    value = payload.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        raise VeChargeParseError(f"{key}: boolean where a number belongs")
    if isinstance(value, int | float):
        result = float(value)
    elif isinstance(value, str):
        try:
            result = float(value.strip())
        except ValueError:
            raise VeChargeParseError(f"{key}: {value!r} is not a number") from None
    else:
        raise VeChargeParseError(f"{key}: {type(value).__name__} is not a number")
    if not math.isfinite(result):
        raise VeChargeParseError(f"{key}: {value!r} is not finite")
    return result


def _text(payload: JSONObject, key: str) -> str | None:
    value = payload.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise VeChargeParseError(f"{key}: {type(value).__name__} is not text")


def _flag(payload: JSONObject, key: str) -> bool | None:
    value = payload.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise VeChargeParseError(f"{key}: {type(value).__name__} is not a boolean")


def _status(payload: JSONObject, key: str) -> ChargerStatus | None:
    value = payload.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return ChargerStatus(value.strip().upper())
        except ValueError:
            pass
    raise VeChargeParseError(f"{key}: {value!r} is neither ON nor OFF")


def _timestamp(payload: JSONObject, key: str) -> datetime | None:
    value = payload.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise VeChargeParseError(f"{key}: {type(value).__name__} is not a timestamp")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise VeChargeParseError(f"{key}: {value!r} is not ISO-8601") from None
    # The server writes UTC with a "Z"; a naive value is read as UTC as well.
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _coordinates(payload: JSONObject) -> tuple[float | None, float | None]:
    location = payload.get("location")
    if location is None:
        return None, None
    coordinates = location.get("coordinates") if isinstance(location, dict) else None
    if (
        not isinstance(coordinates, list)
        or len(coordinates) != 2  # noqa: PLR2004 - GeoJSON point: [longitude, latitude]
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates)
        or not all(math.isfinite(c) for c in coordinates)
    ):
        raise VeChargeParseError("location is not a GeoJSON point")
    longitude, latitude = (float(c) for c in coordinates)
    return latitude, longitude


def parse_charger_document(data: Any) -> ChargerDocument:
    """Parse `chargerConnected`: the Mongoose form (fields under `_doc`) or a flat document."""
    payload = decode_payload(data)
    document = payload.get("_doc", payload)
    if not isinstance(document, dict):
        raise VeChargeParseError("_doc is not an object")
    status = _status(document, "status")
    if status is None:
        raise VeChargeParseError("the charger document has no status")
    latitude, longitude = _coordinates(document)
    return ChargerDocument(
        charger_id=_text(document, "_id"),
        status=status,
        desired_status=_status(document, "desiredDgStatus"),
        reported_status=_status(document, "reportedDgStatus"),
        power=_number(document, "power"),
        voltage=_number(document, "voltage"),
        current=_number(document, "current"),
        energy=_number(document, "energy"),
        previous_energy=_number(document, "prev_energy"),
        current_user=_text(document, "currentUser"),
        is_active=_flag(document, "isActive"),
        wifi_connectivity=_flag(document, "wifiConnectivity"),
        charger_mode=_text(document, "chargerMode"),
        operator=_text(document, "operator"),
        address=_text(document, "address"),
        latitude=latitude,
        longitude=longitude,
        connected_at=_timestamp(document, "connectedTimestamp"),
    )


def parse_status_change(data: Any) -> StatusChange:
    """Parse `statusChanged` (`{"status": "ON"}` or `{"status": "OFF"}`)."""
    status = _status(decode_payload(data), "status")
    if status is None:
        raise VeChargeParseError("statusChanged has no status")
    return StatusChange(status=status)


def parse_meter_log(data: Any) -> MeterLog:
    """Parse `newLog`; voltage, current and power arrive as strings, energy as a number."""
    payload = decode_payload(data)
    log = MeterLog(
        device_id=_text(payload, "deviceId"),
        charger_id=_text(payload, "chargerId"),
        user_id=_text(payload, "userId"),
        voltage=_number(payload, "voltage"),
        current=_number(payload, "current"),
        power=_number(payload, "power"),
        energy=_number(payload, "energy"),
        created_at=_timestamp(payload, "createdAt"),
    )
    if (log.voltage, log.current, log.power, log.energy) == (None, None, None, None):
        raise VeChargeParseError("newLog carries no measurement")
    return log


def parse_server_message(data: Any) -> ServerMessage:
    """Parse an `error` event: plain text, JSON text or an object with a message."""
    if isinstance(data, str):
        try:
            decoded = json.loads(data)
        except ValueError:
            return ServerMessage(message=data)
        data = decoded
    if isinstance(data, str):
        return ServerMessage(message=data)
    if isinstance(data, dict):
        message = data.get("message", data.get("error"))
        if isinstance(message, str):
            return ServerMessage(message=message)
    raise VeChargeParseError("error event carries no message")
