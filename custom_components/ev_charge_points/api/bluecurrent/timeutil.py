"""Timestamps of the Blue Current API and the daily request-limit reset."""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Final
from zoneinfo import ZoneInfo

_LOGGER = logging.getLogger(__name__)

AMSTERDAM: Final = ZoneInfo("Europe/Amsterdam")
# Clients wait 30 s past local midnight so that the server's reset has surely happened.
RESET_TIME: Final = time(0, 0, 30)

_WS_TIMESTAMP = re.compile(
    r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2}) "
    r"(?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2})"
    r"(?:(?P<zulu>Z)|(?P<sign>[+-])(?P<off_h>\d{2}):?(?P<off_m>\d{2}))?"
)
_REST_TIMESTAMP = re.compile(
    r"(?P<day>\d{2})-(?P<month>\d{2})-(?P<year>\d{4}) "
    r"(?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2})"
)


def _build(match: re.Match[str], tzinfo: timezone | ZoneInfo) -> datetime:
    # fold=0: in the repeated autumn hour the first (summer-time) occurrence is taken.
    return datetime(
        int(match["year"]),
        int(match["month"]),
        int(match["day"]),
        int(match["hour"]),
        int(match["minute"]),
        int(match["second"]),
        tzinfo=tzinfo,
    )


def parse_timestamp(value: object) -> datetime | None:
    """Parse a websocket timestamp ("YYYYMMDD HH:MM:SS", optional offset) to aware UTC.

    Without an offset the time is Europe/Amsterdam local time. "" and None mean "no time";
    anything unrecognised is logged at debug level and also gives None.
    """
    if value is None or value == "":
        return None
    if not isinstance(value, str) or (match := _WS_TIMESTAMP.fullmatch(value.strip())) is None:
        _LOGGER.debug("Ignoring unrecognised timestamp %.40r", value)
        return None
    tzinfo: timezone | ZoneInfo
    if match["zulu"]:
        tzinfo = UTC
    elif match["sign"]:
        offset = timedelta(hours=int(match["off_h"]), minutes=int(match["off_m"]))
        if offset >= timedelta(hours=24):
            _LOGGER.debug("Ignoring timestamp with impossible offset %.40r", value)
            return None
        tzinfo = timezone(-offset if match["sign"] == "-" else offset)
    else:
        tzinfo = AMSTERDAM
    try:
        return _build(match, tzinfo).astimezone(UTC)
    except (ValueError, OverflowError):  # no such date, or beyond year 1..9999 in UTC
        _LOGGER.debug("Ignoring impossible timestamp %.40r", value)
        return None


def parse_rest_timestamp(value: object) -> datetime | None:
    """Parse a REST timestamp ("DD-MM-YYYY HH:MM:SS", Europe/Amsterdam) to aware UTC."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or (match := _REST_TIMESTAMP.fullmatch(value.strip())) is None:
        _LOGGER.debug("Ignoring unrecognised REST timestamp %.40r", value)
        return None
    try:
        return _build(match, AMSTERDAM).astimezone(UTC)
    except (ValueError, OverflowError):  # no such date, or beyond year 1..9999 in UTC
        _LOGGER.debug("Ignoring impossible REST timestamp %.40r", value)
        return None


def parse_date(value: object) -> date | None:
    """Parse an ISO date ("YYYY-MM-DD"); "" and anything unrecognised give None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        _LOGGER.debug("Ignoring unrecognised date %.40r", value)
        return None


def parse_app_date(value: object) -> date | None:
    """Parse the account's "01-JAN-20" style date; anything unrecognised gives None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.strptime(value.strip().title(), "%d-%b-%y").date()  # noqa: DTZ007
    except ValueError:
        _LOGGER.debug("Ignoring unrecognised date %.40r", value)
        return None


def next_reset(now: datetime) -> datetime:
    """Return the next 00:00:30 Europe/Amsterdam strictly after `now`, as aware UTC.

    The arithmetic is done on local calendar dates and only then converted, so a DST
    switch between now and midnight cannot shift the result by an hour (the wall-clock
    subtraction bug described in §5.2). A naive `now` is taken as UTC.
    """
    instant = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    local_day = instant.astimezone(AMSTERDAM).date()
    candidate = datetime.combine(local_day, RESET_TIME, tzinfo=AMSTERDAM).astimezone(UTC)
    if candidate <= instant:
        tomorrow = local_day + timedelta(days=1)
        candidate = datetime.combine(tomorrow, RESET_TIME, tzinfo=AMSTERDAM).astimezone(UTC)
    return candidate
