"""Fuzzing the parsers: whatever the server sends, a parser returns a model or raises
VeChargeParseError, never anything else."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from custom_components.ev_charge_points.api.vecharge import (
    ChargerStatus,
    VeChargeParseError,
    parse_charger_document,
    parse_meter_log,
    parse_server_message,
    parse_status_change,
)

from .helpers import SEED_DOCUMENT, SEED_LOG

PARSERS = (parse_charger_document, parse_meter_log, parse_status_change, parse_server_message)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
# Values for the fields the parsers read, so the fuzzing reaches past the first key check.
field_values = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
seed_log_keys = list(json.loads(SEED_LOG))
seed_doc_keys = list(json.loads(SEED_DOCUMENT)["_doc"])


def _parse_all(payload: Any) -> None:
    for parser in PARSERS:
        with contextlib.suppress(VeChargeParseError):
            parser(payload)


@given(json_values)
def test_any_json_value(payload: Any) -> None:
    _parse_all(payload)


@given(json_values)
def test_any_json_value_as_text(payload: Any) -> None:
    _parse_all(json.dumps(payload))


@given(st.text(max_size=60) | st.binary(max_size=60))
def test_any_text(payload: str | bytes) -> None:
    _parse_all(payload)


@given(st.dictionaries(st.sampled_from(seed_log_keys), field_values))
def test_logs_with_odd_field_values(fields: dict[str, Any]) -> None:
    payload = json.loads(SEED_LOG) | fields
    try:
        log = parse_meter_log(payload)
    except VeChargeParseError:
        return
    assert log.voltage is None or isinstance(log.voltage, float)


@given(st.dictionaries(st.sampled_from(seed_doc_keys), field_values))
def test_documents_with_odd_field_values(fields: dict[str, Any]) -> None:
    payload = json.loads(SEED_DOCUMENT)
    payload["_doc"] |= fields
    try:
        document = parse_charger_document(json.dumps(payload))
    except VeChargeParseError:
        return
    assert document.status in set(ChargerStatus)


@given(st.decimals(min_value=-1e6, max_value=1e6, places=2, allow_nan=False))
def test_two_decimal_strings_read_as_their_value(value: Any) -> None:
    payload = json.loads(SEED_LOG) | {"power": f"{value:.2f}"}
    assert parse_meter_log(payload).power == float(f"{value:.2f}")
