"""/api/set values: JSON-encoded, strings quoted, objects compact, everything URL-encoded."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

import pytest

from custom_components.ev_charge_points.api.goe import (
    GoeValueError,
    JsonValue,
    encode_set_query,
    encode_value,
)


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        (16, "16"),
        (3.14, "3.14"),
        (True, "true"),
        (None, "null"),
        ("my charger", '"my charger"'),
        ({"pGrid": -1200, "pPv": 3000, "pAkku": 0}, '{"pGrid":-1200,"pPv":3000,"pAkku":0}'),
        ([6, 10, 12], "[6,10,12]"),
    ],
)
def test_values_follow_the_doc_table(value: object, wire: str) -> None:
    assert encode_value(value) == wire  # type: ignore[arg-type]


def test_query_is_fully_url_encoded_and_round_trips() -> None:
    values: dict[str, JsonValue] = {
        "ids": {"pGrid": -1500, "pPv": 4200},
        "fna": 'A&B "x"',
        "amp": 10,
    }
    query = encode_set_query(values)
    assert query.startswith("ids=%7B%22pGrid%22%3A-1500%2C%22pPv%22%3A4200%7D&")
    assert " " not in query
    assert "&B" not in query
    decoded = {key: json.loads(raw) for key, raw in parse_qsl(query)}
    assert decoded == values


def test_nothing_to_set() -> None:
    with pytest.raises(GoeValueError):
        encode_set_query({})
