"""Reading the fields of a received command; a field the server cannot use raises PayloadError.

The dispatcher answers a PayloadError with ERROR 9 "Unknown error" (the doc is silent, §3.9).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import TYPE_CHECKING, Any

from .physics import parse_hhmm
from .protocol import DAY_CODES

if TYPE_CHECKING:
    from datetime import time

    from .protocol import JSONObject


class PayloadError(ValueError):
    """A command carried a field the server cannot use (answered with ERROR 9)."""


def require(payload: JSONObject, key: str, kind: type | tuple[type, ...]) -> Any:
    """`payload[key]` if it is of `kind` (a bool is no int unless `kind` names bool)."""
    value = payload.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _kinds(kind)):
        raise PayloadError(f"{key} missing or of the wrong type")
    return value


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def day_codes(value: Any) -> list[str]:
    """Override-current days: a list of MO..SU, deduplicated in week order."""
    if not isinstance(value, list) or not all(isinstance(d, str) for d in value):
        raise PayloadError("days must be a list of day codes")
    days = [d.upper() for d in value]
    if any(d not in DAY_CODES for d in days):
        raise PayloadError("unknown day code")
    return sorted(set(days), key=DAY_CODES.index)


def hhmm(value: Any) -> time:
    """A "HH:MM" time."""
    try:
        return parse_hhmm(value)
    except (TypeError, ValueError) as err:
        raise PayloadError(str(err)) from err


def schedule_id(value: Any) -> str:
    """An override schedule id, normalised to its decimal string."""
    # LIB sends the id as the string it was given (edit) or as an int (clear) (§2.1)
    if isinstance(value, bool):
        raise PayloadError("schedule_id")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip().isdigit():
        return str(int(value.strip()))
    raise PayloadError("schedule_id")


def delayed_days(value: Any) -> frozenset[int]:
    """The weekdays (1..7) of SAVE_SCHEDULE_DELAYED_CHARGING."""
    # LIB 1.3.x sends "[1,4]"; the docs show "0,1,2"; accept a list too
    if isinstance(value, str):
        text = value.strip().removeprefix("[").removesuffix("]")
        try:
            numbers = [int(x) for x in text.split(",") if x.strip()]
        except ValueError as err:
            raise PayloadError("days") from err
    elif isinstance(value, list) and all(isinstance(x, int) for x in value):
        numbers = list(value)
    else:
        raise PayloadError("days")
    if not numbers or any(n < 1 or n > 7 for n in numbers):
        raise PayloadError("days must be 1..7")
    return frozenset(numbers)


def price_settings_changes(payload: JSONObject) -> dict[str, Any]:
    """Fields of PATCH_PRICE_BASED_CHARGING_SETTINGS (any subset) after validation."""
    changes: dict[str, Any] = {}
    if "expected_departure_time" in payload:
        hhmm(payload["expected_departure_time"])
        changes["expected_departure_time"] = payload["expected_departure_time"]
    for key, low, high in (
        ("current_battery_pct", 0, 100),
        ("minimum_pct", 0, 100),
        ("battery_size_kwh", 1, 1000),
    ):
        if key in payload:
            number = require(payload, key, (int, float))
            if not low <= number <= high:
                raise PayloadError(key)
            changes[key] = int(number)
    return changes


SJCL_KEYS = frozenset({"iv", "v", "iter", "ks", "ts", "mode", "adata", "cipher", "salt", "ct"})


def is_sjcl_envelope(text: str) -> bool:
    """Whether `text` is a well-formed SJCL AES-CCM JSON envelope (§1.4); it is not decrypted."""
    try:
        envelope = json.loads(text)
    except ValueError:
        return False
    return (
        isinstance(envelope, dict)
        and set(envelope) >= SJCL_KEYS
        and envelope["cipher"] == "aes"
        and envelope["mode"] == "ccm"
        and all(isinstance(envelope[k], int) for k in ("v", "iter", "ks", "ts"))
        and all(_is_base64(envelope[k]) for k in ("iv", "salt", "ct"))
    )


def _is_base64(value: object) -> bool:
    if not isinstance(value, str) or not value:
        return False
    try:
        base64.b64decode(value, validate=True)
    except (ValueError, binascii.Error):
        return False
    return True
