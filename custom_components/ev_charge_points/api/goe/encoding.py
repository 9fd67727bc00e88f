"""Encode `/api/set` values: each value JSON-encoded (strings quoted), then URL-encoded (§2.2)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import quote

from .exceptions import GoeValueError

if TYPE_CHECKING:
    from collections.abc import Mapping

type JsonValue = (
    None | bool | int | float | str | list[JsonValue] | tuple[JsonValue, ...] | dict[str, JsonValue]
)


def encode_value(value: JsonValue) -> str:
    """Compact JSON of `value`: `16`, `true`, `null`, `"name"`, `{"pGrid":-1200}`."""
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as err:
        raise GoeValueError(f"cannot encode a {type(value).__name__} for go-e: {err}") from err


def encode_set_query(values: Mapping[str, JsonValue]) -> str:
    """The query string of `/api/set`, every key and value fully percent-encoded."""
    if not values:
        raise GoeValueError("nothing to set")
    return "&".join(
        f"{quote(key, safe='')}={quote(encode_value(value), safe='')}"
        for key, value in values.items()
    )


def encode_filter(keys: list[str]) -> str:
    """The comma form of `filter=` (firmware >= 051.4); commas stay literal."""
    return ",".join(quote(key, safe="") for key in keys)


def encode_legacy_filter(keys: list[str]) -> str:
    """The JSON-array form of `filter=` (firmware <= 051.3), URL-encoded."""
    return quote(json.dumps(keys, separators=(",", ":")), safe="")
