"""Validation of `/api/set` values, with the texts of the protocol doc §8 (prefixed `key: `)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

# A check returns None when the value is fine, else the reason (without the `key: ` prefix).
type Check = Callable[[Any], str | None]


def wire(value: Any) -> str:
    """The value as the firmware echoes it in its messages (JSON text)."""
    return json.dumps(value, separators=(",", ":"))


def is_number(value: Any) -> bool:
    """A JSON number (not a bool)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def integer(low: int, high: Callable[[], int] | int, *, nullable: bool = False) -> Check:
    """An integer within low..high (`high` may be read at write time, e.g. `ama`)."""

    def check(value: Any) -> str | None:
        if value is None and nullable:
            return None
        if not is_number(value) or float(value) != int(value):
            return f"value must be integer {wire(value)}"
        top = high() if callable(high) else high
        if not low <= int(value) <= top:
            # The firmware's wording for a range error is (inferred).
            return f"value out of range {low}..{top} ({wire(value)})"
        return None

    return check


def one_of(*allowed: int) -> Check:
    """One of a few integer codes."""

    def check(value: Any) -> str | None:
        if not is_number(value) or value not in allowed:
            return f"value must be one of {list(allowed)} ({wire(value)})"
        return None

    return check


def number(*, nullable: bool = False, minimum: float | None = None) -> Check:
    """Any number (or null)."""

    def check(value: Any) -> str | None:
        if value is None and nullable:
            return None
        if not is_number(value):
            return f"value must be number {wire(value)}"
        if minimum is not None and value < minimum:
            return f"value out of range ({wire(value)})"
        return None

    return check


def boolean(value: Any) -> str | None:
    """A JSON bool."""
    return None if isinstance(value, bool) else f"value must be bool {wire(value)}"


def string(value: Any) -> str | None:
    """A JSON string (the doc's text: `value must be string 0`)."""
    return None if isinstance(value, str) else f"value must be string {wire(value)}"


def anything(_value: Any) -> str | None:
    """Any value (`rst`, `cak`)."""
    return None


def ids_object(value: Any) -> str | None:
    """`ids`: null or an object with a numeric pGrid."""
    if value is None:
        return None
    if not isinstance(value, dict):
        return "value must be null or JsonObject"
    if not is_number(value.get("pGrid")):
        return "pGrid must be a number"
    for key in ("pPv", "pAkku"):
        if key in value and value[key] is not None and not is_number(value[key]):
            return f"{key} must be a number"
    return None


def int_list(max_length: int, low: int, high: int) -> Check:
    """An array of at most `max_length` integers in low..high (`clp`, `ips`)."""

    def check(value: Any) -> str | None:
        if not isinstance(value, list) or len(value) > max_length:
            return f"value must be array[{max_length}] {wire(value)}"
        if not all(is_number(item) and low <= item <= high for item in value):
            return f"value out of range {low}..{high} ({wire(value)})"
        return None

    return check


def bool_list(max_length: int) -> Check:
    """An array of bools (`iim`)."""

    def check(value: Any) -> str | None:
        if not isinstance(value, list) or len(value) > max_length:
            return f"value must be array[{max_length}] {wire(value)}"
        if not all(isinstance(item, bool) for item in value):
            return f"value must be array of bool {wire(value)}"
        return None

    return check


def name_list(max_length: int) -> Check:
    """`ccn`: null-padded names (null keeps the old name)."""

    def check(value: Any) -> str | None:
        if not isinstance(value, list) or len(value) > max_length:
            return f"value must be array[{max_length}] {wire(value)}"
        if not all(item is None or isinstance(item, str) for item in value):
            return f"value must be array of string or null {wire(value)}"
        return None

    return check
