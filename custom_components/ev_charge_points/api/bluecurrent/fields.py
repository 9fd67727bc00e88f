"""Tolerant field readers shared by the websocket models and the REST models.

A reader returns None for a value it cannot use (wrong type, not finite, empty) instead of
raising: one odd field must not cost the rest of a frame. Only `mapping` and `req_str` raise,
for what a model cannot do without.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .exceptions import BlueCurrentParseError


def mapping(value: object, what: str) -> Mapping[str, Any]:
    """`value` as an object; a parse error naming `what` otherwise."""
    if not isinstance(value, Mapping):
        raise BlueCurrentParseError(f"{what} is not an object")
    return value


def opt_str(value: object) -> str | None:
    """A text (a numeric id as its text)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        # Ids are strings on the wire, but a numeric id is still usable.
        return str(value)
    return None


def req_str(data: Mapping[str, Any], key: str, what: str) -> str:
    """A text the model cannot do without; a parse error otherwise."""
    value = opt_str(data.get(key))
    if not value:
        raise BlueCurrentParseError(f"{what} has no usable '{key}'")
    return value


def opt_float(value: object) -> float | None:
    """A finite number (a numeric text too)."""
    if type(value) is float or type(value) is int:
        # The usual case (every pushed measurement), without the checks below.
        try:
            number = float(value)
        except OverflowError:
            return None
        return number if math.isfinite(number) else None
    if isinstance(value, bool):
        return None
    if not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def opt_int(value: object) -> int | None:
    """A whole number."""
    number = opt_float(value)
    if number is None or not number.is_integer():
        return None
    return int(number)


def opt_bool(value: object) -> bool | None:
    """A boolean (also 0/1 and "true"/"false")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def text(value: object) -> str | None:
    """A REST text: stripped, None when empty; numbers as their text."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float):
        return str(value)
    return None


def number(value: object) -> float | None:
    """A REST number; a text may use a decimal comma. None when not finite."""
    if isinstance(value, str):
        return opt_float(value.strip().replace(",", "."))
    return opt_float(value)
