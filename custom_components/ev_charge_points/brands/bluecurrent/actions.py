"""Blue Current's own actions: smart charging, boost, override currents, charge cards.

Registered once by the brand (`Brand.setup_actions`). A charge point of another brand gets
a translated validation error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util

from custom_components.ev_charge_points.api.bluecurrent import NO_CARD, Weekday
from custom_components.ev_charge_points.const import DEFAULT_MAX_CURRENT, DOMAIN, MIN_CHARGE_CURRENT
from custom_components.ev_charge_points.errors import validation_error
from custom_components.ev_charge_points.targets import (
    ATTR_CONFIG_ENTRY_ID,
    ChargePointTarget,
    resolve_account,
    resolve_charge_point,
    resolve_charge_points,
)

from .controls import OverrideWindow, SmartChargingProfile, boost_commands, is_limit_schedule
from .coordinator import BlueCurrentCoordinator

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from datetime import time

    from custom_components.ev_charge_points.api.bluecurrent import (
        BlueCurrentClient,
        ChargeCards,
        OverrideCurrentSchedule,
    )
    from custom_components.ev_charge_points.coordinator import EVChargePointsCoordinator


def _ours(coordinator: EVChargePointsCoordinator[Any], device: str) -> BlueCurrentCoordinator:
    """The coordinator as Blue Current's, or the error for a charge point of another brand."""
    if not isinstance(coordinator, BlueCurrentCoordinator):
        raise validation_error("action_not_supported", device=device)
    return coordinator


SERVICE_SET_DELAYED_CHARGING: Final = "set_delayed_charging"
SERVICE_SET_PRICE_BASED_CHARGING: Final = "set_price_based_charging"
SERVICE_BOOST: Final = "boost"
SERVICE_SET_OVERRIDE_CURRENT: Final = "set_override_current"
SERVICE_EDIT_OVERRIDE_CURRENT: Final = "edit_override_current"
SERVICE_CLEAR_OVERRIDE_CURRENT: Final = "clear_override_current"
SERVICE_LIST_OVERRIDE_CURRENTS: Final = "list_override_currents"
SERVICE_LIST_CHARGE_CARDS: Final = "list_charge_cards"

ATTR_DAYS: Final = "days"
ATTR_START_TIME: Final = "start_time"
ATTR_END_TIME: Final = "end_time"
ATTR_STOP_TIME: Final = "stop_time"
ATTR_START_DAYS: Final = "start_days"
ATTR_STOP_DAYS: Final = "stop_days"
ATTR_CURRENT: Final = "current"
ATTR_SCHEDULE_ID: Final = "schedule_id"
ATTR_DEPARTURE_TIME: Final = "departure_time"
ATTR_CURRENT_BATTERY_PCT: Final = "current_battery_pct"
ATTR_MINIMUM_PCT: Final = "minimum_pct"
ATTR_BATTERY_SIZE_KWH: Final = "battery_size_kwh"
ATTR_EXPECTED_KWH: Final = "expected_kwh"
ATTR_MINIMUM_KWH: Final = "minimum_kwh"


# Day names as Home Assistant's time condition writes them; the wire uses MO..SU or 1..7.
DAY_NAMES: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_ALIASES: Final[dict[str, int]] = {
    alias: index
    for index, (short, code, full) in enumerate(
        zip(
            DAY_NAMES,
            ("mo", "tu", "we", "th", "fr", "sa", "su"),
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
            strict=True,
        )
    )
    for alias in (short, code, full)
}
_WEEKDAYS: Final = tuple(Weekday)

# Ranges the vendor documents for the price-based settings (§6.1).
PERCENT_RANGE: Final = (1, 100)
BATTERY_SIZE_RANGE: Final = (1, 1000)

# Values are checked in the handlers, not the schemas, so that a wrong day, time or
# current gets a translated message instead of voluptuous' generic one.


def _no_bool(value: object) -> object:
    """Refuse true/false where a number is meant (int(True) would be 1)."""
    if isinstance(value, bool):
        raise vol.Invalid("expected a number, not true or false")
    return value


_INT = vol.All(_no_bool, vol.Coerce(int))
_FLOAT = vol.All(_no_bool, vol.Coerce(float))
_DEVICE = vol.Required(ATTR_DEVICE_ID)
_DEVICES = vol.All(cv.ensure_list, [cv.string], vol.Length(min=1))
_DAYS = vol.All(cv.ensure_list, [vol.Coerce(str)])
_TIME = vol.Coerce(str)

DEVICE_SCHEMA = vol.Schema({_DEVICE: cv.string})
DELAYED_SCHEMA = vol.Schema(
    {
        _DEVICE: cv.string,
        vol.Required(ATTR_DAYS): _DAYS,
        vol.Required(ATTR_START_TIME): _TIME,
        vol.Required(ATTR_END_TIME): _TIME,
    }
)
PRICE_BASED_SCHEMA = vol.Schema(
    {
        _DEVICE: cv.string,
        vol.Optional(ATTR_DEPARTURE_TIME): _TIME,
        vol.Optional(ATTR_CURRENT_BATTERY_PCT): _INT,
        vol.Optional(ATTR_MINIMUM_PCT): _INT,
        vol.Optional(ATTR_BATTERY_SIZE_KWH): _INT,
        vol.Optional(ATTR_EXPECTED_KWH): _FLOAT,
        vol.Optional(ATTR_MINIMUM_KWH): _FLOAT,
    }
)
SET_OVERRIDE_SCHEMA = vol.Schema(
    {
        _DEVICE: _DEVICES,
        vol.Required(ATTR_START_TIME): _TIME,
        vol.Required(ATTR_START_DAYS): _DAYS,
        vol.Required(ATTR_STOP_TIME): _TIME,
        vol.Optional(ATTR_STOP_DAYS): _DAYS,
        vol.Required(ATTR_CURRENT): _FLOAT,
    }
)
EDIT_OVERRIDE_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_SCHEDULE_ID): vol.Coerce(str),
        vol.Optional(ATTR_DEVICE_ID): _DEVICES,
        vol.Optional(ATTR_START_TIME): _TIME,
        vol.Optional(ATTR_START_DAYS): _DAYS,
        vol.Optional(ATTR_STOP_TIME): _TIME,
        vol.Optional(ATTR_STOP_DAYS): _DAYS,
        vol.Optional(ATTR_CURRENT): _FLOAT,
    }
)
CLEAR_OVERRIDE_SCHEMA = vol.All(
    vol.Schema(
        {
            vol.Exclusive(ATTR_DEVICE_ID, "target"): _DEVICES,
            vol.Exclusive(ATTR_SCHEDULE_ID, "target"): vol.Coerce(str),
        }
    ),
    cv.has_at_least_one_key(ATTR_DEVICE_ID, ATTR_SCHEDULE_ID),
)
ENTRY_SCHEMA = vol.Schema({vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string})


def _time(value: str) -> time:
    parsed = dt_util.parse_time(value.strip())
    if parsed is None:
        raise validation_error("invalid_time", time=value)
    return parsed.replace(second=0, microsecond=0)


def _day_indexes(values: list[str]) -> list[int]:
    """0 (Monday) to 6 (Sunday), in week order without repeats."""
    indexes: set[int] = set()
    invalid: list[str] = []
    for value in values:
        for part in filter(None, (part.strip() for part in value.split(","))):
            if (index := _DAY_ALIASES.get(part.casefold())) is None:
                invalid.append(part)  # only the wrong ones are named
            else:
                indexes.add(index)
    if invalid:
        raise validation_error("invalid_days", days=", ".join(f'"{day}"' for day in invalid))
    if not indexes:
        raise validation_error("no_days")
    return sorted(indexes)


def _weekdays(values: list[str]) -> tuple[Weekday, ...]:
    return tuple(_WEEKDAYS[index] for index in _day_indexes(values))


def _in_range(field: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise validation_error(
            "value_out_of_range", field=field, value=f"{value:g}", min=f"{low:g}", max=f"{high:g}"
        )


def _check_current(points: list[ChargePointTarget], current: float) -> None:
    """Between 6 A and the lowest maximum of the points (32 A when unknown)."""
    ceiling = min(
        (
            point.coordinator.data.charge_points[point.evse_id].max_usage or DEFAULT_MAX_CURRENT
            for point in points
        ),
        default=DEFAULT_MAX_CURRENT,
    )
    if not MIN_CHARGE_CURRENT <= current <= ceiling:
        raise validation_error(
            "current_out_of_range",
            current=f"{current:g}",
            min=f"{MIN_CHARGE_CURRENT:g}",
            max=f"{ceiling:g}",
        )


def _schedule_response(hass: HomeAssistant, schedule: OverrideCurrentSchedule) -> dict[str, Any]:
    registry = dr.async_get(hass)
    devices = [
        device.id
        for evse_id in schedule.charge_points
        if (device := registry.async_get_device(identifiers={(DOMAIN, evse_id)})) is not None
    ]
    return {
        "schedule_id": schedule.schedule_id,
        "charge_points": list(schedule.charge_points),
        "devices": devices,
        "current": schedule.current,
        "start_time": schedule.start_time.strftime("%H:%M"),
        "start_days": [DAY_NAMES[_WEEKDAYS.index(day)] for day in schedule.start_days],
        "stop_time": schedule.stop_time.strftime("%H:%M"),
        "stop_days": [DAY_NAMES[_WEEKDAYS.index(day)] for day in schedule.stop_days],
        "charge_current_limit": len(schedule.charge_points) == 1
        and is_limit_schedule(schedule, schedule.charge_points[0]),
    }


def _cards_response(cards: ChargeCards) -> dict[str, Any]:
    default = cards.default_card
    return {
        "cards": [
            {
                "uid": card.uid,
                "id": card.id,
                "name": card.name,
                "customer_name": card.customer_name,
                "valid": card.valid,
            }
            for card in cards.cards
        ],
        "default_card": (
            None
            if default is None or default.uid in (None, NO_CARD)
            else {"uid": default.uid, "id": default.id}
        ),
    }


# --- handlers --------------------------------------------------------------------------------


async def _async_set_delayed_charging(call: ServiceCall) -> None:
    point = resolve_charge_point(call.hass, call.data[ATTR_DEVICE_ID])
    days = [index + 1 for index in _day_indexes(call.data[ATTR_DAYS])]
    start = _time(call.data[ATTR_START_TIME])
    end = _time(call.data[ATTR_END_TIME])
    evse_id = point.evse_id

    def save(client: BlueCurrentClient) -> Awaitable[None]:
        return client.save_delayed_charging_schedule(evse_id, days, start, end)

    await _ours(point.coordinator, point.name).async_set_smart_charging(
        evse_id, SmartChargingProfile.DELAYED, then=save
    )


def _kwh_settings(call: ServiceCall, departure: object) -> tuple[float, float] | None:
    """Expected and minimum kWh, the older form of the settings, validated; None if not given.

    Its command carries all three of departure time, expected and minimum energy.
    """
    expected = call.data.get(ATTR_EXPECTED_KWH)
    minimum = call.data.get(ATTR_MINIMUM_KWH)
    if expected is None and minimum is None:
        return None
    if departure is None or expected is None or minimum is None:
        raise validation_error("kwh_settings_incomplete")
    _in_range(ATTR_EXPECTED_KWH, expected, *BATTERY_SIZE_RANGE)
    _in_range(ATTR_MINIMUM_KWH, minimum, *BATTERY_SIZE_RANGE)
    if minimum > expected:
        raise validation_error("minimum_above_expected")
    return float(expected), float(minimum)


async def _async_set_price_based_charging(call: ServiceCall) -> None:
    point = resolve_charge_point(call.hass, call.data[ATTR_DEVICE_ID])
    settings: dict[str, Any] = {}
    if (departure := call.data.get(ATTR_DEPARTURE_TIME)) is not None:
        settings["departure"] = _time(departure)
    for field, (low, high) in (
        (ATTR_CURRENT_BATTERY_PCT, PERCENT_RANGE),
        (ATTR_MINIMUM_PCT, PERCENT_RANGE),
        (ATTR_BATTERY_SIZE_KWH, BATTERY_SIZE_RANGE),
    ):
        if (value := call.data.get(field)) is not None:
            _in_range(field, value, low, high)
            settings[field] = value
    kwh = _kwh_settings(call, settings.get("departure"))
    evse_id = point.evse_id
    then: Callable[[BlueCurrentClient], Awaitable[None]] | None = None
    if settings or kwh is not None:

        async def then(client: BlueCurrentClient) -> None:
            if kwh is not None:
                expected, minimum = kwh
                await client.set_price_based_settings_kwh(
                    evse_id,
                    departure=settings["departure"],
                    expected_kwh=expected,
                    minimum_kwh=minimum,
                )
                if settings.keys() == {"departure"}:
                    return  # the departure time went with the kWh figures
            await client.set_price_based_settings(evse_id, **settings)

    await _ours(point.coordinator, point.name).async_set_smart_charging(
        evse_id, SmartChargingProfile.PRICE_BASED, then=then
    )


async def _async_boost(call: ServiceCall) -> None:
    point = resolve_charge_point(call.hass, call.data[ATTR_DEVICE_ID])
    coordinator = _ours(point.coordinator, point.name)
    charge_point = coordinator.data.charge_points[point.evse_id]
    if not boost_commands(charge_point):
        raise validation_error("boost_not_possible", device=point.name)
    await coordinator.async_boost(point.evse_id)


def _window(
    data: dict[str, Any], base: OverrideWindow | None, points: list[ChargePointTarget]
) -> OverrideWindow:
    """The window from the call; what an edit leaves out keeps the schedule's value."""

    def pick[T](key: str, parse: Callable[[Any], T], fallback: T | None) -> T:
        if key in data:
            return parse(data[key])
        assert fallback is not None  # noqa: S101 - required keys are in the schema
        return fallback

    start_days = pick(ATTR_START_DAYS, _weekdays, base.start_days if base else None)
    window = OverrideWindow(
        start_time=pick(ATTR_START_TIME, _time, base.start_time if base else None),
        start_days=start_days,
        stop_time=pick(ATTR_STOP_TIME, _time, base.stop_time if base else None),
        # Without stop days each start day's window ends on the same day.
        stop_days=pick(ATTR_STOP_DAYS, _weekdays, base.stop_days if base else start_days),
        current=pick(ATTR_CURRENT, float, base.current if base else None),
    )
    if ATTR_CURRENT in data or ATTR_DEVICE_ID in data:
        _check_current(points, window.current)
    return window


async def _async_set_override_current(call: ServiceCall) -> None:
    points = resolve_charge_points(call.hass, call.data[ATTR_DEVICE_ID])
    window = _window(dict(call.data), None, points)
    await _ours(points[0].coordinator, points[0].name).async_set_override(
        [point.evse_id for point in points], window
    )


def _loaded_accounts(hass: HomeAssistant) -> list[BlueCurrentCoordinator]:
    return [
        coordinator
        for entry in hass.config_entries.async_loaded_entries(DOMAIN)
        if isinstance(coordinator := entry.runtime_data.coordinator, BlueCurrentCoordinator)
    ]


def _find_schedule(
    hass: HomeAssistant, schedule_id: str
) -> tuple[BlueCurrentCoordinator, OverrideCurrentSchedule] | None:
    for coordinator in _loaded_accounts(hass):
        if (schedule := (coordinator.override_schedules or {}).get(schedule_id)) is not None:
            return coordinator, schedule
    return None


async def _async_schedule(
    hass: HomeAssistant, schedule_id: str
) -> tuple[BlueCurrentCoordinator, OverrideCurrentSchedule]:
    """The account holding the schedule; the lists are read again before giving up."""
    schedule_id = schedule_id.strip()
    if (found := _find_schedule(hass, schedule_id)) is None:
        for coordinator in _loaded_accounts(hass):
            await coordinator.async_list_overrides()
        found = _find_schedule(hass, schedule_id)
    if found is None:
        raise validation_error("unknown_schedule", schedule_id=schedule_id)
    return found


async def _async_edit_override_current(call: ServiceCall) -> None:
    coordinator, schedule = await _async_schedule(call.hass, call.data[ATTR_SCHEDULE_ID])
    if ATTR_DEVICE_ID in call.data:
        points = resolve_charge_points(call.hass, call.data[ATTR_DEVICE_ID])
        if points[0].coordinator is not coordinator:
            raise validation_error("different_accounts")
        evse_ids = [point.evse_id for point in points]
    else:
        evse_ids = list(schedule.charge_points)
        points = [
            ChargePointTarget(coordinator.config_entry, coordinator, evse_id, evse_id)
            for evse_id in evse_ids
            if evse_id in coordinator.data.charge_points
        ]
    window = _window(dict(call.data), OverrideWindow.of(schedule), points)
    await coordinator.async_edit_override(schedule.schedule_id, evse_ids, window)


async def _async_clear_override_current(call: ServiceCall) -> None:
    if ATTR_SCHEDULE_ID in call.data:
        coordinator, schedule = await _async_schedule(call.hass, call.data[ATTR_SCHEDULE_ID])
        await coordinator.async_clear_override(schedule_id=schedule.schedule_id)
        return
    points = resolve_charge_points(call.hass, call.data[ATTR_DEVICE_ID])
    coordinator = _ours(points[0].coordinator, points[0].name)
    await coordinator.async_clear_override(evse_ids={point.evse_id for point in points})


async def _async_list_override_currents(call: ServiceCall) -> ServiceResponse:
    coordinator = _ours(resolve_account(call.hass, call.data[ATTR_CONFIG_ENTRY_ID]), "")
    schedules = await coordinator.async_list_overrides()
    return {"schedules": [_schedule_response(call.hass, schedule) for schedule in schedules]}


async def _async_list_charge_cards(call: ServiceCall) -> ServiceResponse:
    coordinator = _ours(resolve_account(call.hass, call.data[ATTR_CONFIG_ENTRY_ID]), "")
    return _cards_response(await coordinator.async_list_charge_cards())


@callback
def async_setup_actions(hass: HomeAssistant) -> None:
    """Register Blue Current's own actions (once, from async_setup)."""
    for name, handler, schema in (
        (SERVICE_SET_DELAYED_CHARGING, _async_set_delayed_charging, DELAYED_SCHEMA),
        (SERVICE_SET_PRICE_BASED_CHARGING, _async_set_price_based_charging, PRICE_BASED_SCHEMA),
        (SERVICE_BOOST, _async_boost, DEVICE_SCHEMA),
        (SERVICE_SET_OVERRIDE_CURRENT, _async_set_override_current, SET_OVERRIDE_SCHEMA),
        (SERVICE_EDIT_OVERRIDE_CURRENT, _async_edit_override_current, EDIT_OVERRIDE_SCHEMA),
        (SERVICE_CLEAR_OVERRIDE_CURRENT, _async_clear_override_current, CLEAR_OVERRIDE_SCHEMA),
    ):
        hass.services.async_register(DOMAIN, name, handler, schema=schema)
    for name, response_handler in (
        (SERVICE_LIST_OVERRIDE_CURRENTS, _async_list_override_currents),
        (SERVICE_LIST_CHARGE_CARDS, _async_list_charge_cards),
    ):
        hass.services.async_register(
            DOMAIN,
            name,
            response_handler,
            schema=ENTRY_SCHEMA,
            supports_response=SupportsResponse.ONLY,
        )
