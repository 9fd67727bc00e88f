"""Tolerant readers for single JSON values: a value of the wrong type becomes None, never raises."""

from __future__ import annotations

import math
from enum import IntEnum
from typing import Any


def as_float(value: Any) -> float | None:
    """A finite number (bools are not numbers here), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    result = float(value)
    return result if math.isfinite(result) else None


def as_int(value: Any) -> int | None:
    """An integral number, else None (3.0 counts as 3)."""
    number = as_float(value)
    if number is None or not number.is_integer():
        return None
    return int(number)


def as_bool(value: Any) -> bool | None:
    """A JSON boolean, else None."""
    return value if isinstance(value, bool) else None


def as_str(value: Any) -> str | None:
    """A JSON string, else None."""
    return value if isinstance(value, str) else None


def as_list(value: Any) -> list[Any]:
    """A JSON array, else an empty list."""
    return value if isinstance(value, list) else []


def as_code[E: IntEnum](enum: type[E], value: Any) -> E | int | None:
    """The enum member for a documented code, the bare int for a newer one, None for junk."""
    code = as_int(value)
    if code is None:
        return None
    try:
        return enum(code)
    except ValueError:
        return code


def float_tuple(value: Any) -> tuple[float | None, ...]:
    """Each array entry as a number or None; a non-array gives ()."""
    return tuple(as_float(item) for item in as_list(value))
