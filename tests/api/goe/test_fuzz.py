"""Parsers never raise on junk: any JSON value gives a model or GoeInvalidResponseError."""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from custom_components.ev_charge_points.api.goe import (
    GoeChargerStatus,
    GoeControllerStatus,
    GoeInvalidResponseError,
    detect_device_kind,
)

from .payloads import CHARGING, CONTROLLER, IDLE_V4

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=6) | st.dictionaries(st.text(max_size=6), children, max_size=6)
    ),
    max_leaves=20,
)
known_keys = st.sampled_from(sorted({*IDLE_V4, *CHARGING, *CONTROLLER}))
# Real payloads with some keys replaced by junk: the parsers meet realistic shapes.
mutated = st.builds(
    lambda base, changes: {**base, **changes},
    st.sampled_from([IDLE_V4, CHARGING, CONTROLLER]),
    st.dictionaries(known_keys, json_values, max_size=8),
)


def _parse_all(data: Any) -> None:
    for parse in (GoeChargerStatus.from_wire, GoeControllerStatus.from_wire, detect_device_kind):
        with contextlib.suppress(GoeInvalidResponseError):
            parse(data)


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_any_json_value(data: Any) -> None:
    _parse_all(data)


@settings(max_examples=100, deadline=None)
@given(mutated)
def test_mutated_real_payloads(data: dict[str, Any]) -> None:
    _parse_all(data)
    status = GoeChargerStatus.from_wire(data)
    assert status.keys == set(data)
    if status.energy is not None:
        assert len(status.energy.voltages) == 3
