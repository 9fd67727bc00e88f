"""Property-based fuzzing of every parser: any JSON value gives a model or a counted drop.

test_models.py fuzzes `parse_message` (the dispatcher, which also wraps stray exceptions).
This file goes further: each model's own `from_dict` and the REST parsers (found by
introspection; each needs a valid seed here, which the fuzzing mutates field by field), the
timestamp parsers and `next_reset`, and the client's frame decoder, which must turn any text
into a model for its subscribers or into a counted, logged drop.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import logging
import math
import string
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from custom_components.ev_charge_points.api.bluecurrent import models, timeutil
from custom_components.ev_charge_points.api.bluecurrent.client import BlueCurrentClient
from custom_components.ev_charge_points.api.bluecurrent.exceptions import BlueCurrentParseError

from .helpers import CH_STATUS

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# --- strategies ------------------------------------------------------------------------------

# Values json.loads can return (ints within its digit limit; NaN and Infinity it accepts).
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=16)
    | st.sampled_from(
        [
            "",
            " ",
            "A",
            "f",
            "C",
            "charging",
            "DELAYED",
            "true",
            "False",
            "1",
            "0",
            "1e400",
            "-0",
            "nan",
            "MO,TH",
            "MO,,XX",
            "10:00",
            "24:00",
            "23:59:59.999999",
            "set true",
            "set false",
            "20250101 00:00:00",
            "20250230 12:00:00",
            "20250330 02:30:00",
            "20251026 02:30:00+01:00",
            "20250101 00:00:00+24:00",
            "01-01-2025 12:00:00",
            "31-02-2025 12:00:00",
            "2025-01-01",
            "2025-13-01",
            "01-JAN-20",
            "31-feb-20",
            "BCU-APP",
            "no active session for chargepoint: BCU101",
            "TIMEOUT",
            "REJECTED",
        ]
    )
)
# Scalars half of the time: st.recursive alone nearly always draws a list or an object.
JSON = SCALARS | st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=8,
)


CARD: dict[str, Any] = {
    "uid": "04A1B2C3",
    "id": "NL-BCU-123456-7",
    "name": "Card",
    "customer_name": "Owner",
    "valid": 1,
    "date_created": "2023-06-27",
    "date_modified": "2023-07-11",
    "date_became_invalid": "",
}
LOCATION = {
    "x_coord": 52.09,
    "y_coord": 5.12,
    "street": "Teststraat",
    "housenumber": "1",
    "zipcode": "1234AB",
    "city": "Utrecht",
    "country": "NL",
}
TARIFF = {
    "tariff_id": "NLBCUT994",
    "price_ex_vat": 0.2066,
    "start_price_ex_vat": 0.4132,
    "price_in_vat": 0.25,
    "start_price_in_vat": 0.5,
    "currency": "EUR",
    "vat_percentage": 21,
}
SETTING = {"value": True, "permission": "write"}
CHARGE_POINT: dict[str, Any] = {
    "evse_id": "BCU101",
    "name": "Driveway",
    "model_type": "H:MOVE-C32T2",
    "chargepoint_type": "HIDDEN",
    "is_cable": True,
    "activity": "charging",
    "public_charging": SETTING,
    "plug_and_charge": SETTING,
    "plug_and_charge_notification": False,
    "smart_charging": True,
    "smart_charging_dynamic": False,
    "delayed_charging": SETTING,
    "price_based_charging": {"value": False},
    "default_card": CARD,
    "preferred_card": CARD,
    "plug_and_charge_card": CARD,
    "plug_and_charge_charge_card": CARD,
    "tariff": TARIFF,
    "led_interaction": SETTING,
    "publish_location": SETTING,
    "location": LOCATION,
}
SCHEDULE = {
    "schedule_id": "101",
    "charge_points": ["BCU101", "BCU102"],
    "override_current": 10,
    "start_time": "10:00",
    "stop_time": "18:00",
    "override_start_days": "MO,TH",
    "override_end_days": ["MO", "TH"],
}
# A transaction as pybluecurrent hands it over (times parsed, naive Europe/Amsterdam).
TRANSACTION = {
    "transaction_id": 1,
    "chargepoint_id": "BCU101",
    "started_at": datetime(2025, 3, 1, 12, 0, 0),  # noqa: DTZ001 - as pybluecurrent gives it
    "end_time": datetime(2025, 3, 1, 14, 0, 0),  # noqa: DTZ001 - as pybluecurrent gives it
    "kwh": 12.5,
    "evse_name": "Driveway",
    "chargepoint_type": "HIDDEN",
    "card_id": "NL-BCU-123456-7",
    "card_name": "Card",
    "total_costs": 3.1,
    "total_costs_ex_vat": 2.56,
    "vat": 21,
    "currency": "EUR",
}
GRID_PHASES = {"grid_actual_p1": 10.5, "grid_actual_p2": "7", "grid_actual_p3": 0}

# A valid example of what each parser reads; the fuzzing mutates these field by field.
SEEDS: dict[str, Any] = {
    "models.Setting": SETTING,
    "models.ChargeCardRef": CARD,
    "models.ChargeCard": CARD,
    "models.Tariff": TARIFF,
    "models.Location": LOCATION,
    "models.ChargePoint": CHARGE_POINT,
    "models.ChargePoints": {"object": "CHARGE_POINTS", "data": [CHARGE_POINT, CHARGE_POINT]},
    "models.ChargePointStatus": CH_STATUS,
    "models.ChargePointSettings": {
        "object": "CH_SETTINGS",
        "data": {
            **{key: value for key, value in CHARGE_POINT.items() if key != "location"},
            "led_intensity": {"value": 30, "permission": "write"},
        },
    },
    "models.GridStatus": {
        "object": "GRID_STATUS",
        "data": {
            "id": "GRID-BCU101",
            "evse_id": "BCU101",
            **GRID_PHASES,
            "grid_max_install": 40,
            "grid_max_reserved": 25,
        },
    },
    "models.GridCurrent": {"object": "GRID_CURRENT", "evse_id": "BCU101", **GRID_PHASES},
    "models.ChargeCards": {"object": "CHARGE_CARDS", "cards": [CARD, CARD], "default_card": CARD},
    "models.Account": {
        "object": "ACCOUNT",
        "full_name": "Owner",
        "email": "owner@example.com",
        "login": "owner@example.com",
        "should_reset_password": False,
        "developer_mode_enabled": False,
        "tel": "",
        "marketing_target": "",
        "first_login_app": "01-JAN-20",
        "hubspot_user_identity": "x",
    },
    "models.ApiTokenStatus": {
        "object": "STATUS_API_TOKEN",
        "success": True,
        "token": "a1b2c3",
        "customer_id": "1001",
        "error": "",
    },
    "models.PasswordStatus": {"object": "STATUS_PASSWORD", "accepted": True, "token": "a1b2"},
    "models.Hello": {"object": "HELLO", "data": {}},
    "models.Sustainability": {"object": "SUSTAINABILITY_STATUS", "trees": 3, "co2": 12.5},
    "models.UndocumentedMessage": {"object": "SESSIONS", "data": [1, 2]},
    "models.CommandResult": {
        "object": "STATUS_STOP_SESSION",
        "evse_id": "BCU101",
        "success": False,
        "error": "no active session for chargepoint: BCU101",
    },
    "models.SettingResult": {
        "object": "STATUS_SET_PLUG_AND_CHARGE",
        "evse_id": "BCU101",
        "success": True,
        "result": {"setting": "set true"},
        "error": "",
    },
    "models.OverrideCurrentSchedule": SCHEDULE,
    "models.OverrideCurrentList": {"object": "LIST_OVERRIDE_CURRENT", "data": [SCHEDULE]},
    "models.OverrideCurrentSaved": {
        "object": "POST_SET_OVERRIDE_CURRENT",
        "success": True,
        "error": "",
        "data": SCHEDULE,
    },
    "models.OverrideCurrentCleared": {
        "object": "POST_CLEAR_OVERRIDE_CURRENT",
        "success": True,
        "error": "",
        "data": {"schedule_id": 101},
    },
    "models.ServerErrorMessage": {"object": "ERROR", "error": 42, "message": "Limit"},
}

_DROP = object()


def _without_dropped(value: dict[str, Any]) -> dict[str, Any]:
    return {key: item for key, item in value.items() if item is not _DROP}


def mutated(value: Any, depth: int = 3) -> st.SearchStrategy[Any]:
    """`value` with each field kept, mutated (recursively), replaced by any JSON, or dropped.

    Most fields stay usable, so a parser gets past its required ones and every field
    reader behind them meets odd values, missing keys and extra keys.
    """
    if isinstance(value, dict) and depth:
        fields = {
            key: st.one_of(st.just(item), mutated(item, depth - 1), st.just(_DROP))
            for key, item in value.items()
        }
        return st.fixed_dictionaries(fields, optional={"extra": JSON}).map(_without_dropped)
    if isinstance(value, list) and value and depth:
        return st.lists(mutated(value[0], depth - 1), max_size=3) | JSON
    return st.one_of(st.just(value), JSON)


MUTATED = {name: mutated(seed) for name, seed in SEEDS.items()}
FRAMES = st.one_of(*MUTATED.values())
ANY_INPUT = JSON | FRAMES

# Kept small enough for the test command (the parametrized parser test runs once per model).
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PER_PARSER = settings(FUZZ, max_examples=60)


# --- every from_dict ---------------------------------------------------------------------------


def _parsers() -> list[tuple[str, Any]]:
    """Every class with a `from_dict` in the models module."""
    found = []
    for module in (models,):
        for name, cls in vars(module).items():
            if (
                inspect.isclass(cls)
                and cls.__module__ == module.__name__
                and callable(getattr(cls, "from_dict", None))
            ):
                found.append((f"{module.__name__.rsplit('.', 1)[1]}.{name}", cls))
    return sorted(found, key=lambda item: item[0])


PARSERS = _parsers()


def test_every_model_is_fuzzed() -> None:
    """The introspection finds the models (a rename cannot empty the fuzzing silently)."""
    names = {name for name, _ in PARSERS}
    assert {
        "models.ChargePoint",
        "models.ChargePoints",
        "models.ChargePointStatus",
        "models.ChargePointSettings",
        "models.GridStatus",
        "models.GridCurrent",
        "models.ServerErrorMessage",
        "models.OverrideCurrentSchedule",
    } <= names
    assert len(names) >= 25


def _exercise(value: object) -> None:
    """Touch every property and repr of a parsed model, recursively: none may raise."""
    repr(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            _exercise(getattr(value, item.name))
        for name, attribute in inspect.getmembers(type(value)):
            if isinstance(attribute, property):
                getattr(value, name)
    elif isinstance(value, tuple | list | frozenset):
        for item in value:
            _exercise(item)


def _parse(cls: Any, value: object) -> object:
    return cls.from_dict(value)


def test_every_parser_has_a_seed() -> None:
    """A new parser needs a valid example here, or its fields would only meet random data."""
    assert sorted(SEEDS) == sorted(name for name, _ in PARSERS)
    for name, cls in PARSERS:
        _exercise(_parse(cls, SEEDS[name]))  # the seeds themselves parse


@pytest.mark.parametrize(("name", "cls"), PARSERS, ids=[name for name, _ in PARSERS])
@PER_PARSER
@given(data=st.data())
def test_from_dict_gives_a_model_or_a_parse_error(name: str, cls: Any, data: st.DataObject) -> None:
    """Called directly (without parse_message's safety net): a model, None, or a parse error."""
    # Mostly the parser's own seed, mutated; now and then anything at all. (Drawn in two
    # steps: `|` would flatten into one choice among every seed's strategy.)
    if data.draw(st.integers(min_value=0, max_value=3), label="seeded") > 0:
        value = data.draw(MUTATED[name], label="value")
    else:
        value = data.draw(ANY_INPUT, label="value")
    try:
        model = _parse(cls, value)
    except BlueCurrentParseError as err:
        str(err)
        return
    assert model is None or isinstance(model, cls), name
    _exercise(model)


STATUSES = mutated(SEEDS["models.ChargePointStatus"])


@FUZZ
@given(first_frame=STATUSES, second_frame=STATUSES)
def test_status_merge_is_total(first_frame: Any, second_frame: Any) -> None:
    """Any two statuses of one point merge; the result carries the union of their fields."""
    try:
        first = models.ChargePointStatus.from_dict(first_frame)
        second = models.ChargePointStatus.from_dict(second_frame)
    except BlueCurrentParseError:
        return
    assume(first.evse_id == second.evse_id)
    merged = second.merged_onto(first)
    assert merged.present == first.present | second.present
    _exercise(merged)


# --- timestamps ------------------------------------------------------------------------------

# Near-valid text ([0-9]: the wire uses ASCII digits; \d would also draw other scripts').
WS_LIKE = st.from_regex(
    r"\A ?[0-9]{4}[01][0-9][0-3][0-9] [0-2][0-9]:[0-6][0-9]:[0-6][0-9]"
    r"(Z|[+-][0-2][0-9]:?[0-6][0-9])? ?\Z"
)
REST_LIKE = st.from_regex(r"\A[0-3][0-9]-[01][0-9]-[0-9]{4} [0-2][0-9]:[0-6][0-9]:[0-6][0-9]\Z")
DATE_LIKE = st.from_regex(r"\A[0-9]{4}-[01][0-9]-[0-3][0-9]\Z") | st.from_regex(
    r"\A[0-3][0-9]-(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|Xyz)-[0-9]{2}\Z"
)


def _aware_utc(value: datetime | None) -> None:
    if value is not None:
        assert value.tzinfo is UTC


@FUZZ
@given(value=JSON | WS_LIKE)
@example(value="00010101 00:00:00")  # before year 1 in UTC: once an OverflowError
@example(value="99991231 23:59:59-23:00")  # after year 9999 in UTC
def test_parse_timestamp_is_total(value: object) -> None:
    """Any value: an aware UTC instant or None."""
    _aware_utc(timeutil.parse_timestamp(value))


@FUZZ
@given(value=WS_LIKE)
def test_parse_timestamp_keeps_local_wall_times(value: str) -> None:
    """A well-formed local time that exists in Amsterdam reads back as that wall time."""
    parsed = timeutil.parse_timestamp(value)
    text = value.strip()
    assume(len(text) == len("20250101 00:00:00"))  # no offset: Amsterdam time
    assume("0002" <= text[:4] <= "9998")  # away from the ends of datetime's range
    try:
        naive = datetime.strptime(text, "%Y%m%d %H:%M:%S")  # noqa: DTZ007 - a wall time
    except ValueError:
        assert parsed is None  # no such date or time
        return
    assert parsed is not None
    exists = naive.replace(tzinfo=AMSTERDAM).astimezone(UTC).astimezone(AMSTERDAM)
    if exists.replace(tzinfo=None) == naive:  # not in the spring-forward gap
        assert parsed.astimezone(AMSTERDAM).replace(tzinfo=None) == naive


@FUZZ
@given(value=JSON | REST_LIKE)
@example(value="01-01-0001 00:00:00")
def test_parse_rest_timestamp_is_total(value: object) -> None:
    _aware_utc(timeutil.parse_rest_timestamp(value))


@FUZZ
@given(value=JSON | DATE_LIKE)
def test_date_parsers_are_total(value: object) -> None:
    for parse in (timeutil.parse_date, timeutil.parse_app_date):
        parsed = parse(value)
        assert parsed is None or type(parsed) is date


OFFSETS = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
ZONES = st.sampled_from(
    [UTC, AMSTERDAM, ZoneInfo("America/St_Johns"), ZoneInfo("Pacific/Kiritimati")]
)


@FUZZ
@given(
    now=st.datetimes(
        min_value=datetime(1971, 1, 1),  # noqa: DTZ001 - naive bounds, zones applied by hypothesis
        max_value=datetime(2200, 1, 1),  # noqa: DTZ001
        timezones=st.none() | ZONES | OFFSETS,
    )
)
def test_next_reset_is_the_next_half_minute_past_midnight_in_amsterdam(now: datetime) -> None:
    """Strictly later, at most a day (and a DST hour) ahead, 00:00:30 local, aware UTC."""
    reset = timeutil.next_reset(now)
    instant = now.replace(tzinfo=UTC) if now.tzinfo is None else now
    assert reset.tzinfo is UTC
    assert reset > instant
    assert reset - instant <= timedelta(hours=25)
    local = reset.astimezone(AMSTERDAM)
    assert (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 30, 0)
    assert timeutil.next_reset(reset - timedelta(microseconds=1)) == reset


# --- the client's frame decoder ----------------------------------------------------------------

TEXT = (
    st.text(max_size=64)
    | st.text(alphabet=string.printable, max_size=64)
    | JSON.map(lambda value: json.dumps(value, allow_nan=True))
    | FRAMES.map(lambda frame: json.dumps(frame, allow_nan=True))
    | FRAMES.map(lambda frame: json.dumps(frame)[: len(json.dumps(frame)) // 2])  # cut off
    | st.binary(max_size=32)
    | st.integers(min_value=1, max_value=20000).map(lambda depth: "[" * depth + "]" * depth)
    | st.integers(min_value=1, max_value=20000).map(
        lambda depth: '{"a":' * depth + "1" + "}" * depth
    )
)


@settings(FUZZ, max_examples=200)
@given(raw=TEXT)
@example(raw="[" * 100_000 + "]" * 100_000)  # deeper than the JSON decoder recurses
@example(raw='{"a":' * 100_000 + "1" + "}" * 100_000)
@example(raw=b"\xff\xfe{}")  # not UTF-8
def test_any_frame_is_a_model_or_a_counted_logged_drop(raw: str | bytes) -> None:
    """The decoder never raises: subscribers get a model, or the frame is counted and logged.

    The log line names the size only, never the text.
    """
    client = BlueCurrentClient("token")
    seen: list[object] = []
    client.subscribe(seen.append)
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("custom_components.ev_charge_points.api.bluecurrent.client")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        message = client._handle(raw)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    if message is None:
        assert client.dropped_messages == 1
        assert seen == []
        drops = [r.getMessage() for r in records if r.getMessage().startswith("Dropped a ")]
        assert len(drops) == 1
        if isinstance(raw, str) and len(raw) > 12:
            assert raw not in drops[0]
    else:
        assert client.dropped_messages == 0
        assert seen == [message]
        _exercise(message)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, "1e999", "-inf", "NaN"])
def test_non_finite_numbers_are_no_value(value: object) -> None:
    """NaN and infinities (json.loads accepts them) become None, not a poisoned sensor."""
    status = models.ChargePointStatus.from_dict(
        {"object": "CH_STATUS", "data": {"evse_id": "X", "actual_kwh": value, "actual_v1": value}}
    )
    assert status.session_energy_kwh is None
    assert status.voltages[0] is None
    assert {"session_energy_kwh", "voltages"} <= status.present


# --- pybluecurrent's transactions ---------------------------------------------------------------


@given(transaction=mutated(TRANSACTION))
@FUZZ
def test_transaction_conversion_is_total(transaction: Any) -> None:
    """Whatever pybluecurrent hands over becomes a sane session or is skipped; never raises."""
    # Imported here: the rest of this module is about the HA-free client.
    from custom_components.ev_charge_points.brands.bluecurrent.sessions import (  # noqa: PLC0415
        session_from_transaction,
    )

    session = session_from_transaction(transaction if isinstance(transaction, dict) else {})
    if session is not None:
        assert session.energy >= 0
        assert session.end >= session.start
        assert session.id
        assert session.charge_point_id
