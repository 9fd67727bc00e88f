"""Timestamp parsing and the daily reset time (§4.3, §5.2)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, timezone

import pytest

from custom_components.ev_charge_points.api.bluecurrent import (
    next_reset,
    parse_rest_timestamp,
    parse_timestamp,
)
from custom_components.ev_charge_points.api.bluecurrent.timeutil import AMSTERDAM


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMSTERDAM)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20250301 18:02:11", utc(2025, 3, 1, 17, 2, 11)),  # CET, UTC+1
        ("20250701 12:00:00", utc(2025, 7, 1, 10, 0, 0)),  # CEST, UTC+2
        ("20011101 00:00:00+00:00", utc(2001, 11, 1, 0, 0, 0)),
        ("20250701 12:00:00+0100", utc(2025, 7, 1, 11, 0, 0)),
        ("20250701 12:00:00-05:00", utc(2025, 7, 1, 17, 0, 0)),
        ("20250701 12:00:00Z", utc(2025, 7, 1, 12, 0, 0)),
        (" 20250701 12:00:00 ", utc(2025, 7, 1, 10, 0, 0)),
        # Autumn repeated hour: the first (summer-time) occurrence.
        ("20251026 02:30:00", utc(2025, 10, 26, 0, 30, 0)),
    ],
)
def test_parse_timestamp(text: str, expected: datetime) -> None:
    parsed = parse_timestamp(text)
    assert parsed == expected
    assert parsed is not None
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize("value", ["", None])
def test_parse_timestamp_empty_means_none(value: object, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        assert parse_timestamp(value) is None
    assert not caplog.records


@pytest.mark.parametrize(
    "value",
    [
        "2025-03-01T18:02:11",
        "01-03-2025 18:02:11",
        "20251301 00:00:00",
        "20250230 00:00:00",
        "20250101 25:00:00",
        "20250101 00:00:00+25:00",
        "garbage",
        20250101,
        1.5,
        ["20250101 00:00:00"],
        {"a": 1},
        True,
    ],
)
def test_parse_timestamp_unrecognised(value: object, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        assert parse_timestamp(value) is None
    assert "timestamp" in caplog.text


def test_parse_rest_timestamp() -> None:
    assert parse_rest_timestamp("01-07-2023 12:34:56") == utc(2023, 7, 1, 10, 34, 56)
    assert parse_rest_timestamp("15-01-2024 08:00:00") == utc(2024, 1, 15, 7, 0, 0)
    assert parse_rest_timestamp("") is None
    assert parse_rest_timestamp(None) is None
    assert parse_rest_timestamp("20230701 12:34:56") is None
    assert parse_rest_timestamp("32-01-2024 08:00:00") is None


def test_next_reset_ordinary_day() -> None:
    now = local(2025, 6, 10, 10, 30, 0)
    reset = next_reset(now)
    assert reset == local(2025, 6, 11, 0, 0, 30)
    assert reset.tzinfo is UTC
    # The LIB example: 13 h 30 m 30 s at 10:30.
    assert reset - now.astimezone(UTC) == timedelta(hours=13, minutes=30, seconds=30)


def test_next_reset_just_after_midnight_is_today() -> None:
    now = local(2025, 6, 10, 0, 0, 10)
    assert next_reset(now) == local(2025, 6, 10, 0, 0, 30)
    assert next_reset(now) - now.astimezone(UTC) == timedelta(seconds=20)


def test_next_reset_exactly_at_reset_is_tomorrow() -> None:
    assert next_reset(local(2025, 6, 10, 0, 0, 30)) == local(2025, 6, 11, 0, 0, 30)
    assert next_reset(local(2025, 6, 10, 0, 0, 29)) == local(2025, 6, 10, 0, 0, 30)


def test_next_reset_march_switch_day() -> None:
    # 30 March 2025: clocks go from 02:00 CET to 03:00 CEST; that day has 23 hours.
    before_switch = local(2025, 3, 30, 0, 30, 0)  # 23:30 UTC on the 29th
    reset = next_reset(before_switch)
    assert reset == utc(2025, 3, 30, 22, 0, 30)  # 31 March 00:00:30 CEST
    assert reset - before_switch.astimezone(UTC) == timedelta(hours=22, minutes=30, seconds=30)
    # The 00:00:10 edge on the switch day: today's reset, 20 s away.
    edge = local(2025, 3, 30, 0, 0, 10)
    assert next_reset(edge) - edge.astimezone(UTC) == timedelta(seconds=20)
    # The evening before the switch: midnight is still CET.
    assert next_reset(local(2025, 3, 29, 23, 0, 0)) == utc(2025, 3, 29, 23, 0, 30)


def test_next_reset_october_switch_day() -> None:
    # 26 October 2025: clocks go from 03:00 CEST back to 02:00 CET; that day has 25 hours.
    before_switch = local(2025, 10, 26, 0, 30, 0)  # 22:30 UTC on the 25th
    reset = next_reset(before_switch)
    assert reset == utc(2025, 10, 26, 23, 0, 30)  # 27 October 00:00:30 CET
    assert reset - before_switch.astimezone(UTC) == timedelta(hours=24, minutes=30, seconds=30)
    edge = local(2025, 10, 26, 0, 0, 10)
    assert next_reset(edge) == utc(2025, 10, 25, 22, 0, 30)
    # In the repeated hour (second pass, CET) the reset is still the next local midnight.
    second_pass = utc(2025, 10, 26, 1, 30, 0)  # 02:30 CET
    assert next_reset(second_pass) == utc(2025, 10, 26, 23, 0, 30)


def test_next_reset_accepts_any_timezone_and_naive_utc() -> None:
    new_york = timezone(timedelta(hours=-5))
    now = datetime(2025, 1, 15, 20, 0, 0, tzinfo=new_york)  # 02:00 on the 16th in Amsterdam
    assert next_reset(now) == local(2025, 1, 17, 0, 0, 30)
    assert next_reset(datetime(2025, 1, 15, 12, 0, 0)) == local(2025, 1, 16, 0, 0, 30)  # noqa: DTZ001
