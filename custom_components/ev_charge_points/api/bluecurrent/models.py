"""Typed models of the Blue Current server objects, parsed with `from_dict`.

Parsers are tolerant: optional fields of the wrong type become None, unknown enum values
become None (logged at debug level). A frame the client cannot use at all raises
`BlueCurrentParseError`; its message names keys only, never values, so it is safe to log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, Final, Literal, Self

from .const import (
    ERROR_MESSAGES,
    OBJ_ACCOUNT,
    OBJ_CH_SETTINGS,
    OBJ_CH_STATUS,
    OBJ_CHARGE_CARDS,
    OBJ_CHARGE_POINTS,
    OBJ_ERROR,
    OBJ_GRID_CURRENT,
    OBJ_GRID_STATUS,
    OBJ_HELLO,
    OBJ_LIST_OVERRIDE_CURRENT,
    OBJ_POST_CLEAR_OVERRIDE_CURRENT,
    OBJ_POST_EDIT_OVERRIDE_CURRENT,
    OBJ_POST_SET_OVERRIDE_CURRENT,
    OBJ_SESSIONS,
    OBJ_STATUS,
    OBJ_STATUS_API_TOKEN,
    OBJ_STATUS_PASSWORD,
    OBJ_STATUS_SET_PLUG_AND_CHARGE,
    OBJ_STATUS_SET_PUBLIC_CHARGING,
    OBJ_SUSTAINABILITY_STATUS,
    RECEIVED_PREFIX,
    SETTING_LINKED_CHARGE_CARDS_ONLY,
    SETTING_PLUG_AND_CHARGE,
    STATUS_PREFIX,
)
from .exceptions import BlueCurrentParseError
from .fields import mapping, opt_bool, opt_float, opt_int, opt_str, req_str
from .timeutil import parse_app_date, parse_date, parse_timestamp

_LOGGER = logging.getLogger(__name__)

type Phases = tuple[float | None, float | None, float | None]


# --- enums -------------------------------------------------------------------------------


class Activity(StrEnum):
    """What a charge point is doing (`activity`)."""

    AVAILABLE = "available"
    CHARGING = "charging"
    UNAVAILABLE = "unavailable"
    OFFLINE = "offline"
    ERROR = "error"
    DELAYED = "delayed"


class VehicleStatus(StrEnum):
    """IEC 61851 vehicle state, sent as the letters A-F."""

    STANDBY = "standby"
    VEHICLE_DETECTED = "vehicle_detected"
    READY = "ready"
    READY_VENTILATION = "ready_ventilation"
    NO_POWER = "no_power"
    VEHICLE_ERROR = "vehicle_error"


class Weekday(StrEnum):
    """Day codes of override-current schedules."""

    MO = "MO"
    TU = "TU"
    WE = "WE"
    TH = "TH"
    FR = "FR"
    SA = "SA"
    SU = "SU"


VEHICLE_LETTERS: Final[dict[str, VehicleStatus]] = {
    "A": VehicleStatus.STANDBY,
    "B": VehicleStatus.VEHICLE_DETECTED,
    "C": VehicleStatus.READY,
    "D": VehicleStatus.READY_VENTILATION,
    "E": VehicleStatus.NO_POWER,
    "F": VehicleStatus.VEHICLE_ERROR,
}


# --- tolerant field readers ----------------------------------------------------------------


def _error_text(value: object) -> str:
    # `error` is "" when there is none; null or a missing key mean the same.
    return value if isinstance(value, str) else ""


def _activity(value: object) -> Activity | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return Activity(value.strip().lower())
        except ValueError:
            pass
    _LOGGER.debug("Unknown activity %.30r", value)
    return None


def _vehicle_status(value: object) -> VehicleStatus | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and (status := VEHICLE_LETTERS.get(value.strip().upper())):
        return status
    _LOGGER.debug("Unknown vehicle status %.30r", value)
    return None


def _weekdays(value: object) -> tuple[Weekday, ...]:
    """Days as a comma string ("MO,TH", the wire form) or a list; unknown codes are skipped."""
    items: Iterable[object]
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list | tuple):
        items = value
    else:
        return ()
    days: list[Weekday] = []
    for item in items:
        code = item.strip().upper() if isinstance(item, str) else item
        try:
            days.append(Weekday(code))
        except ValueError:
            if code != "":
                _LOGGER.debug("Unknown day code %.10r", item)
    return tuple(days)


def _clock_time(value: object, key: str) -> time:
    if isinstance(value, str):
        try:
            return time.fromisoformat(value.strip())
        except ValueError:
            pass
    raise BlueCurrentParseError(f"schedule has no usable '{key}'")


def _phases(data: Mapping[str, Any], keys: tuple[str, str, str]) -> Phases:
    return (
        opt_float(data.get(keys[0])),
        opt_float(data.get(keys[1])),
        opt_float(data.get(keys[2])),
    )


_VOLTAGE_KEYS: Final = ("actual_v1", "actual_v2", "actual_v3")
_CURRENT_KEYS: Final = ("actual_p1", "actual_p2", "actual_p3")
_GRID_CURRENT_KEYS: Final = ("grid_actual_p1", "grid_actual_p2", "grid_actual_p3")

# Parsed websocket timestamps by their text: every push of a charge point repeats its
# session start. Only usable values are kept (an unusable one is logged each time).
_TIMESTAMPS: dict[str, datetime] = {}
_TIMESTAMPS_MAX: Final = 1024


def _timestamp(value: object) -> datetime | None:
    """`parse_timestamp`, remembered per text."""
    if isinstance(value, str) and (known := _TIMESTAMPS.get(value)) is not None:
        return known
    parsed = parse_timestamp(value)
    if parsed is not None and isinstance(value, str):
        if len(_TIMESTAMPS) >= _TIMESTAMPS_MAX:
            _TIMESTAMPS.clear()
        _TIMESTAMPS[value] = parsed
    return parsed


def _payload(frame: Mapping[str, Any]) -> Mapping[str, Any]:
    """The `data` object of a frame; a bare data object (REST, tests) is accepted too."""
    if "data" in frame:
        return mapping(frame["data"], "data")
    return frame


# --- small value objects -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Setting:
    """A `{value, permission}` setting; a plain boolean (2022 format) is accepted too."""

    value: bool | None = None
    permission: str | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a setting object; anything unusable gives an empty setting."""
        if isinstance(data, Mapping):
            return cls(opt_bool(data.get("value")), opt_str(data.get("permission")))
        return cls(opt_bool(data), None)


@dataclass(frozen=True, slots=True)
class ChargeCardRef:
    """A reference to a charge card inside a charge point. uid "BCU-APP" means no card."""

    uid: str | None = field(default=None, repr=False)
    id: str | None = field(default=None, repr=False)
    name: str | None = field(default=None, repr=False)
    customer_name: str | None = field(default=None, repr=False)
    valid: bool | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self | None:
        """Parse a card reference; None when absent or not an object."""
        if not isinstance(data, Mapping):
            return None
        return cls(
            uid=opt_str(data.get("uid")),
            id=opt_str(data.get("id")),
            name=opt_str(data.get("name")),
            customer_name=opt_str(data.get("customer_name")),
            valid=opt_bool(data.get("valid")),
        )


@dataclass(frozen=True, slots=True)
class ChargeCard:
    """A charge card of the account."""

    uid: str = field(repr=False)
    id: str | None = field(default=None, repr=False)
    name: str | None = field(default=None, repr=False)
    customer_name: str | None = field(default=None, repr=False)
    valid: bool | None = None
    date_created: date | None = None
    date_modified: date | None = None
    date_became_invalid: date | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse one entry of CHARGE_CARDS.cards."""
        card = mapping(data, "charge card")
        return cls(
            uid=req_str(card, "uid", "charge card"),
            id=opt_str(card.get("id")),
            name=opt_str(card.get("name")),
            customer_name=opt_str(card.get("customer_name")),
            valid=opt_bool(card.get("valid")),
            date_created=parse_date(card.get("date_created")),
            date_modified=parse_date(card.get("date_modified")),
            date_became_invalid=parse_date(card.get("date_became_invalid")),
        )


@dataclass(frozen=True, slots=True)
class Tariff:
    """Price per kWh and start fee of a charge point."""

    tariff_id: str | None = None
    price_ex_vat: float | None = None
    start_price_ex_vat: float | None = None
    price_in_vat: float | None = None
    start_price_in_vat: float | None = None
    currency: str | None = None
    vat_percentage: float | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self | None:
        """Parse a tariff; None when absent."""
        if not isinstance(data, Mapping):
            return None
        return cls(
            tariff_id=opt_str(data.get("tariff_id")),
            price_ex_vat=opt_float(data.get("price_ex_vat")),
            start_price_ex_vat=opt_float(data.get("start_price_ex_vat")),
            price_in_vat=opt_float(data.get("price_in_vat")),
            start_price_in_vat=opt_float(data.get("start_price_in_vat")),
            currency=opt_str(data.get("currency")),
            vat_percentage=opt_float(data.get("vat_percentage")),
        )


@dataclass(frozen=True, slots=True)
class Location:
    """Where a charge point is (personal data: kept out of repr)."""

    latitude: float | None = field(default=None, repr=False)
    longitude: float | None = field(default=None, repr=False)
    street: str | None = field(default=None, repr=False)
    housenumber: str | None = field(default=None, repr=False)
    zipcode: str | None = field(default=None, repr=False)
    city: str | None = field(default=None, repr=False)
    country: str | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self | None:
        """Parse a location (`x_coord` is the latitude, `y_coord` the longitude)."""
        if not isinstance(data, Mapping):
            return None
        return cls(
            latitude=opt_float(data.get("x_coord")),
            longitude=opt_float(data.get("y_coord")),
            street=opt_str(data.get("street")),
            housenumber=opt_str(data.get("housenumber")),
            zipcode=opt_str(data.get("zipcode")),
            city=opt_str(data.get("city")),
            country=opt_str(data.get("country")),
        )


def _pnc_card(data: Mapping[str, Any]) -> ChargeCardRef | None:
    # The real key is unknown (§3.4): accept both spellings.
    for key in ("plug_and_charge_card", "plug_and_charge_charge_card"):
        if (card := ChargeCardRef.from_dict(data.get(key))) is not None:
            return card
    return None


# --- charge points -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChargePoint:
    """One entry of CHARGE_POINTS."""

    evse_id: str
    name: str | None = None
    model_type: str | None = None
    chargepoint_type: str | None = None
    is_cable: bool | None = None
    activity: Activity | None = None
    public_charging: Setting = Setting()
    plug_and_charge: Setting = Setting()
    plug_and_charge_notification: bool | None = None
    smart_charging: bool = False
    smart_charging_dynamic: bool | None = None
    delayed_charging: Setting = Setting()
    price_based_charging: Setting = Setting()
    default_card: ChargeCardRef | None = None
    preferred_card: ChargeCardRef | None = None
    plug_and_charge_card: ChargeCardRef | None = None
    tariff: Tariff | None = None
    led_interaction: Setting = Setting()
    publish_location: Setting = Setting()
    location: Location | None = None

    @property
    def linked_charge_cards_only(self) -> bool | None:
        """True when only the account's linked cards may charge (= not public charging)."""
        value = self.public_charging.value
        return None if value is None else not value

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse one entry of CHARGE_POINTS.data."""
        point = mapping(data, "charge point")
        location = point.get("location")
        if location is None and "x_coord" in point:
            location = point  # 2022 format: coordinates at the top level
        return cls(
            evse_id=req_str(point, "evse_id", "charge point"),
            name=opt_str(point.get("name")),
            model_type=opt_str(point.get("model_type")),
            chargepoint_type=opt_str(point.get("chargepoint_type")),
            is_cable=opt_bool(point.get("is_cable")),
            activity=_activity(point.get("activity")),
            public_charging=Setting.from_dict(point.get("public_charging")),
            plug_and_charge=Setting.from_dict(point.get("plug_and_charge")),
            plug_and_charge_notification=opt_bool(point.get("plug_and_charge_notification")),
            smart_charging=bool(opt_bool(point.get("smart_charging"))),
            smart_charging_dynamic=opt_bool(point.get("smart_charging_dynamic")),
            delayed_charging=Setting.from_dict(point.get("delayed_charging")),
            price_based_charging=Setting.from_dict(point.get("price_based_charging")),
            default_card=ChargeCardRef.from_dict(point.get("default_card")),
            preferred_card=ChargeCardRef.from_dict(point.get("preferred_card")),
            plug_and_charge_card=_pnc_card(point),
            tariff=Tariff.from_dict(point.get("tariff")),
            led_interaction=Setting.from_dict(point.get("led_interaction")),
            publish_location=Setting.from_dict(point.get("publish_location")),
            location=Location.from_dict(location),
        )


@dataclass(frozen=True, slots=True)
class ChargePoints:
    """CHARGE_POINTS: the account's charge points. Unusable entries are skipped.

    `skipped` counts them: such a list is incomplete, and a charge point missing from it
    may be one of the unreadable entries rather than one that left the account.
    """

    charge_points: tuple[ChargePoint, ...]
    skipped: int = 0

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a CHARGE_POINTS frame."""
        frame = mapping(data, "CHARGE_POINTS")
        entries = frame.get("data")
        if not isinstance(entries, list):
            raise BlueCurrentParseError("CHARGE_POINTS has no 'data' list")
        points: list[ChargePoint] = []
        skipped = 0
        for entry in entries:
            try:
                points.append(ChargePoint.from_dict(entry))
            except BlueCurrentParseError as err:
                skipped += 1
                _LOGGER.debug("Skipping charge point entry: %s", err)
        return cls(tuple(points), skipped)


# CH_STATUS model field -> wire keys that feed it.
_STATUS_KEYS: Final[dict[str, tuple[str, ...]]] = {
    "activity": ("activity",),
    "vehicle_status": ("vehicle_status",),
    "voltages": _VOLTAGE_KEYS,
    "currents": _CURRENT_KEYS,
    "session_energy_kwh": ("actual_kwh",),
    "max_usage": ("max_usage",),
    "smart_charging_max_usage": ("smartcharging_max_usage",),
    "max_offline": ("max_offline",),
    "offline_since": ("offline_since",),
    "session_start": ("start_datetime",),
    "session_stop": ("stop_datetime",),
    "total_cost": ("total_cost",),
}
# The same, by wire key.
_STATUS_FIELD_OF: Final[dict[str, str]] = {
    key: name for name, keys in _STATUS_KEYS.items() for key in keys
}


@dataclass(frozen=True, slots=True)
class ChargePointStatus:
    """CH_STATUS (reply and push). `present` names the fields the frame carried."""

    evse_id: str
    activity: Activity | None = None
    vehicle_status: VehicleStatus | None = None
    voltages: Phases = (None, None, None)
    currents: Phases = (None, None, None)
    session_energy_kwh: float | None = None
    max_usage: float | None = None
    smart_charging_max_usage: float | None = None
    max_offline: float | None = None
    offline_since: datetime | None = None
    session_start: datetime | None = None
    session_stop: datetime | None = None
    total_cost: float | None = None
    present: frozenset[str] = frozenset()

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a CH_STATUS frame (or its bare `data` object)."""
        frame = mapping(data, "CH_STATUS")
        status = _payload(frame)
        evse_id = opt_str(frame.get("evse_id")) or req_str(status, "evse_id", "CH_STATUS")
        present = frozenset(
            map(_STATUS_FIELD_OF.__getitem__, status.keys() & _STATUS_FIELD_OF.keys())
        )
        return cls(
            evse_id=evse_id,
            activity=_activity(status.get("activity")),
            vehicle_status=_vehicle_status(status.get("vehicle_status")),
            voltages=_phases(status, _VOLTAGE_KEYS),
            currents=_phases(status, _CURRENT_KEYS),
            session_energy_kwh=opt_float(status.get("actual_kwh")),
            max_usage=opt_float(status.get("max_usage")),
            smart_charging_max_usage=opt_float(status.get("smartcharging_max_usage")),
            max_offline=opt_float(status.get("max_offline")),
            offline_since=_timestamp(status.get("offline_since")),
            session_start=_timestamp(status.get("start_datetime")),
            session_stop=_timestamp(status.get("stop_datetime")),
            total_cost=opt_float(status.get("total_cost")),
            present=present,
        )

    def merged_onto(self, previous: ChargePointStatus | None) -> ChargePointStatus:
        """Return this status with the fields it did not carry taken from `previous`."""
        if previous is None or previous.evse_id != self.evse_id:
            return self
        if previous.present <= self.present:
            return self  # the usual full push: nothing to take over
        kept = {
            name: getattr(previous, name)
            for name in _STATUS_KEYS
            if name not in self.present and name in previous.present
        }
        return replace(self, **kept, present=self.present | previous.present)


_SETTINGS_KEYS: Final[dict[str, tuple[str, ...]]] = {
    "plug_and_charge": ("plug_and_charge",),
    "public_charging": ("public_charging",),
    "smart_charging": ("smart_charging",),
    "smart_charging_dynamic": ("smart_charging_dynamic",),
    "model_type": ("model_type",),
    "is_cable": ("is_cable",),
    "chargepoint_type": ("chargepoint_type",),
    "plug_and_charge_notification": ("plug_and_charge_notification",),
    "led_intensity": ("led_intensity",),
    "led_interaction": ("led_interaction",),
    "default_card": ("default_card",),
    "preferred_card": ("preferred_card",),
    "plug_and_charge_card": ("plug_and_charge_card", "plug_and_charge_charge_card"),
}


@dataclass(frozen=True, slots=True)
class ChargePointSettings:
    """CH_SETTINGS. `present` names the fields the frame carried."""

    evse_id: str
    plug_and_charge: Setting = Setting()
    public_charging: Setting = Setting()
    smart_charging: bool | None = None
    smart_charging_dynamic: bool | None = None
    model_type: str | None = None
    is_cable: bool | None = None
    chargepoint_type: str | None = None
    plug_and_charge_notification: bool | None = None
    led_intensity: int | None = None
    led_interaction: Setting = Setting()
    default_card: ChargeCardRef | None = None
    preferred_card: ChargeCardRef | None = None
    plug_and_charge_card: ChargeCardRef | None = None
    present: frozenset[str] = frozenset()

    @property
    def linked_charge_cards_only(self) -> bool | None:
        """True when only the account's linked cards may charge (= not public charging)."""
        value = self.public_charging.value
        return None if value is None else not value

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a CH_SETTINGS frame (or its bare `data` object)."""
        frame = mapping(data, "CH_SETTINGS")
        settings = _payload(frame)
        evse_id = opt_str(settings.get("evse_id")) or req_str(frame, "evse_id", "CH_SETTINGS")
        led_intensity = settings.get("led_intensity")
        if isinstance(led_intensity, Mapping):
            led_intensity = led_intensity.get("value")
        return cls(
            evse_id=evse_id,
            plug_and_charge=Setting.from_dict(settings.get("plug_and_charge")),
            public_charging=Setting.from_dict(settings.get("public_charging")),
            smart_charging=opt_bool(settings.get("smart_charging")),
            smart_charging_dynamic=opt_bool(settings.get("smart_charging_dynamic")),
            model_type=opt_str(settings.get("model_type")),
            is_cable=opt_bool(settings.get("is_cable")),
            chargepoint_type=opt_str(settings.get("chargepoint_type")),
            plug_and_charge_notification=opt_bool(settings.get("plug_and_charge_notification")),
            led_intensity=opt_int(led_intensity),
            led_interaction=Setting.from_dict(settings.get("led_interaction")),
            default_card=ChargeCardRef.from_dict(settings.get("default_card")),
            preferred_card=ChargeCardRef.from_dict(settings.get("preferred_card")),
            plug_and_charge_card=_pnc_card(settings),
            present=frozenset(
                name
                for name, keys in _SETTINGS_KEYS.items()
                if any(key in settings for key in keys)
            ),
        )


# --- grid ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GridStatus:
    """GRID_STATUS: building load per phase and the grid's capacity (A).

    `grid_id` is None when the reply carries no `id`: the grid is then the one of the charge
    point the request was for (the coordinator knows it).
    """

    grid_id: str | None
    evse_id: str | None = None
    currents: Phases = (None, None, None)
    max_installed: float | None = None
    max_reserved: float | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a GRID_STATUS frame (or its bare `data` object)."""
        frame = mapping(data, "GRID_STATUS")
        grid = _payload(frame)
        evse_id = opt_str(grid.get("evse_id")) or opt_str(frame.get("evse_id"))
        return cls(
            grid_id=opt_str(grid.get("id")) or None,
            evse_id=evse_id,
            currents=_phases(grid, _GRID_CURRENT_KEYS),
            max_installed=opt_float(grid.get("grid_max_install")),
            max_reserved=opt_float(grid.get("grid_max_reserved")),
        )


@dataclass(frozen=True, slots=True)
class GridCurrent:
    """GRID_CURRENT push: building load per phase, with the phases at the top level."""

    evse_id: str | None
    currents: Phases
    grid_id: str | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a GRID_CURRENT frame."""
        frame = mapping(data, "GRID_CURRENT")
        # The phases are top-level on the wire; a `data` object is accepted as a fallback.
        source = frame
        if "grid_actual_p1" not in frame and isinstance(frame.get("data"), Mapping):
            source = frame["data"]
        currents = _phases(source, _GRID_CURRENT_KEYS)
        if currents == (None, None, None):
            raise BlueCurrentParseError("GRID_CURRENT has no 'grid_actual_p1..3'")
        evse_id = opt_str(frame.get("evse_id")) or opt_str(source.get("evse_id"))
        grid_id = opt_str(frame.get("id")) or opt_str(source.get("id"))
        return cls(evse_id=evse_id, currents=currents, grid_id=grid_id)


# --- cards, account, misc --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChargeCards:
    """CHARGE_CARDS: the account's cards and its default card."""

    cards: tuple[ChargeCard, ...]
    default_card: ChargeCardRef | None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a CHARGE_CARDS frame. Unusable card entries are skipped."""
        frame = mapping(data, "CHARGE_CARDS")
        entries = frame.get("cards")
        if entries is None:
            entries = []
        if not isinstance(entries, list):
            raise BlueCurrentParseError("CHARGE_CARDS 'cards' is not a list")
        cards: list[ChargeCard] = []
        for entry in entries:
            try:
                cards.append(ChargeCard.from_dict(entry))
            except BlueCurrentParseError as err:
                _LOGGER.debug("Skipping charge card entry: %s", err)
        return cls(tuple(cards), ChargeCardRef.from_dict(frame.get("default_card")))


@dataclass(frozen=True, slots=True)
class Account:
    """ACCOUNT (personal data: kept out of repr)."""

    full_name: str | None = field(default=None, repr=False)
    email: str | None = field(default=None, repr=False)
    login: str | None = field(default=None, repr=False)
    should_reset_password: bool | None = None
    developer_mode_enabled: bool | None = None
    tel: str | None = field(default=None, repr=False)
    marketing_target: str | None = None
    first_login_app: date | None = None
    hubspot_user_identity: str | None = field(default=None, repr=False)

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse an ACCOUNT frame."""
        frame = mapping(data, "ACCOUNT")
        return cls(
            full_name=opt_str(frame.get("full_name")),
            email=opt_str(frame.get("email")),
            login=opt_str(frame.get("login")),
            should_reset_password=opt_bool(frame.get("should_reset_password")),
            developer_mode_enabled=opt_bool(frame.get("developer_mode_enabled")),
            tel=opt_str(frame.get("tel")),
            marketing_target=opt_str(frame.get("marketing_target")),
            first_login_app=parse_app_date(frame.get("first_login_app")),
            hubspot_user_identity=opt_str(frame.get("hubspot_user_identity")),
        )


@dataclass(frozen=True, slots=True)
class ApiTokenStatus:
    """STATUS_API_TOKEN: result of VALIDATE_API_TOKEN."""

    success: bool
    token: str | None = field(repr=False)
    customer_id: str | None
    error: str = ""

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a STATUS_API_TOKEN frame; a success without token or customer id is unusable."""
        frame = mapping(data, "STATUS_API_TOKEN")
        success = opt_bool(frame.get("success")) is True
        token = opt_str(frame.get("token"))
        customer_id = opt_str(frame.get("customer_id"))
        if success and (not token or not customer_id):
            raise BlueCurrentParseError("STATUS_API_TOKEN success without 'token'/'customer_id'")
        return cls(success, token, customer_id, _error_text(frame.get("error")))


@dataclass(frozen=True, slots=True)
class PasswordStatus:
    """STATUS_PASSWORD: result of VALIDATE_PASSWORD on the app socket."""

    accepted: bool
    token: str | None = field(repr=False)

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a STATUS_PASSWORD frame; a missing `accepted` counts as refused."""
        frame = mapping(data, "STATUS_PASSWORD")
        accepted = opt_bool(frame.get("accepted")) is True
        token = opt_str(frame.get("token"))
        return cls(accepted and bool(token), token)


@dataclass(frozen=True, slots=True)
class Hello:
    """HELLO: the server accepted the subscription (content unknown)."""

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a HELLO frame."""
        mapping(data, "HELLO")
        return cls()


@dataclass(frozen=True, slots=True)
class Sustainability:
    """SUSTAINABILITY_STATUS (app socket)."""

    trees: int | None
    co2: float | None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a SUSTAINABILITY_STATUS frame."""
        frame = mapping(data, "SUSTAINABILITY_STATUS")
        return cls(opt_int(frame.get("trees")), opt_float(frame.get("co2")))


@dataclass(frozen=True, slots=True)
class UndocumentedMessage:
    """SESSIONS / STATUS (app socket, documented as not working): kept only by name."""

    object_name: str
    data: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a frame whose content nobody documented."""
        frame = mapping(data, "object")
        return cls(req_str(frame, "object", "frame"), frame.get("data"))


# --- command results -------------------------------------------------------------------------


def _evse_from_error(error: str) -> str | None:
    # "no active session for chargepoint: BCU101" names the evse when the frame does not.
    marker = "for chargepoint:"
    if marker in error:
        return error.rsplit(marker, 1)[1].strip() or None
    return None


@dataclass(frozen=True, slots=True)
class CommandResult:
    """RECEIVED_<CMD> (stage "received") or STATUS_<CMD> (stage "status") of an action."""

    command: str
    evse_id: str | None
    success: bool | None
    error: str
    stage: Literal["received", "status"] = "status"

    @property
    def failed(self) -> bool:
        """True when the server reported an error or success false."""
        return bool(self.error) or self.success is False

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a RECEIVED_* or STATUS_* frame."""
        frame = mapping(data, "result")
        name = req_str(frame, "object", "result")
        stage: Literal["received", "status"]
        if name.startswith(RECEIVED_PREFIX):
            stage, command = "received", name.removeprefix(RECEIVED_PREFIX)
        elif name.startswith(STATUS_PREFIX):
            stage, command = "status", name.removeprefix(STATUS_PREFIX)
        else:
            raise BlueCurrentParseError("result object is neither RECEIVED_ nor STATUS_")
        if not command:
            raise BlueCurrentParseError("result object names no command")
        error = _error_text(frame.get("error"))
        return cls(
            command=command,
            evse_id=opt_str(frame.get("evse_id")) or _evse_from_error(error),
            success=opt_bool(frame.get("success")),
            error=error,
            stage=stage,
        )


@dataclass(frozen=True, slots=True)
class SettingResult:
    """STATUS_SET_PUBLIC_CHARGING / STATUS_SET_PLUG_AND_CHARGE, as the confirmed setting.

    `setting` is "linked_charge_cards_only" (the inverted public-charging flag) or
    "plug_and_charge". `value` is only meaningful when `failed` is false.
    """

    evse_id: str | None
    setting: str
    value: bool
    success: bool | None = None
    error: str = ""

    @property
    def failed(self) -> bool:
        """True when the server reported an error or success false."""
        return bool(self.error) or self.success is False

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a setting result; `result.setting` is "set true" / "set false"."""
        frame = mapping(data, "setting result")
        name = req_str(frame, "object", "setting result")
        if name == OBJ_STATUS_SET_PUBLIC_CHARGING:
            setting = SETTING_LINKED_CHARGE_CARDS_ONLY
        elif name == OBJ_STATUS_SET_PLUG_AND_CHARGE:
            setting = SETTING_PLUG_AND_CHARGE
        else:
            raise BlueCurrentParseError("not a setting result")
        success = opt_bool(frame.get("success"))
        error = _error_text(frame.get("error"))
        result = frame.get("result")
        text = result.get("setting") if isinstance(result, Mapping) else None
        if not isinstance(text, str):
            if not error and success is not False:
                raise BlueCurrentParseError("setting result has no 'result.setting'")
            text = ""
        on = "true" in text
        return cls(
            evse_id=opt_str(frame.get("evse_id")),
            setting=setting,
            value=not on if setting == SETTING_LINKED_CHARGE_CARDS_ONLY else on,
            success=success,
            error=error,
        )


# --- override-current schedules --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OverrideCurrentSchedule:
    """A user current cap (A) over a weekly window for some charge points."""

    schedule_id: str
    charge_points: tuple[str, ...]
    current: float
    start_time: time
    stop_time: time
    start_days: tuple[Weekday, ...]
    stop_days: tuple[Weekday, ...]

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a schedule; days come as comma strings ("MO,TH"), lists are accepted."""
        schedule = mapping(data, "schedule")
        points = schedule.get("charge_points")
        if isinstance(points, str):
            points = [points]
        if not isinstance(points, list):
            raise BlueCurrentParseError("schedule has no 'charge_points' list")
        current = opt_float(schedule.get("override_current"))
        if current is None:
            raise BlueCurrentParseError("schedule has no usable 'override_current'")
        return cls(
            schedule_id=req_str(schedule, "schedule_id", "schedule"),
            charge_points=tuple(point for point in points if isinstance(point, str)),
            current=current,
            start_time=_clock_time(schedule.get("start_time"), "start_time"),
            stop_time=_clock_time(schedule.get("stop_time"), "stop_time"),
            start_days=_weekdays(schedule.get("override_start_days")),
            stop_days=_weekdays(schedule.get("override_end_days")),
        )


@dataclass(frozen=True, slots=True)
class OverrideCurrentList:
    """LIST_OVERRIDE_CURRENT. Unusable schedules are skipped."""

    schedules: tuple[OverrideCurrentSchedule, ...]

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a LIST_OVERRIDE_CURRENT frame."""
        frame = mapping(data, "LIST_OVERRIDE_CURRENT")
        entries = frame.get("data")
        if entries is None:
            entries = []
        if not isinstance(entries, list):
            raise BlueCurrentParseError("LIST_OVERRIDE_CURRENT 'data' is not a list")
        schedules: list[OverrideCurrentSchedule] = []
        for entry in entries:
            try:
                schedules.append(OverrideCurrentSchedule.from_dict(entry))
            except BlueCurrentParseError as err:
                _LOGGER.debug("Skipping override schedule: %s", err)
        return cls(tuple(schedules))


@dataclass(frozen=True, slots=True)
class OverrideCurrentSaved:
    """POST_SET_OVERRIDE_CURRENT / POST_EDIT_OVERRIDE_CURRENT: the stored schedule."""

    command: str
    schedule: OverrideCurrentSchedule | None
    success: bool | None = None
    error: str = ""

    @property
    def failed(self) -> bool:
        """True when the server reported an error or sent no schedule."""
        return bool(self.error) or self.success is False or self.schedule is None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a POST_SET/POST_EDIT reply; a failure may come without `data`."""
        frame = mapping(data, "override reply")
        command = req_str(frame, "object", "override reply")
        success = opt_bool(frame.get("success"))
        error = _error_text(frame.get("error"))
        schedule = None
        if frame.get("data") is not None:
            schedule = OverrideCurrentSchedule.from_dict(frame["data"])
        elif not error and success is not False:
            raise BlueCurrentParseError("override reply has no 'data'")
        return cls(command, schedule, success, error)


@dataclass(frozen=True, slots=True)
class OverrideCurrentCleared:
    """POST_CLEAR_OVERRIDE_CURRENT (content unknown; read what is there)."""

    schedule_id: str | None = None
    success: bool | None = None
    error: str = ""

    @property
    def failed(self) -> bool:
        """True when the server reported an error or success false."""
        return bool(self.error) or self.success is False

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a POST_CLEAR_OVERRIDE_CURRENT frame."""
        frame = mapping(data, "POST_CLEAR_OVERRIDE_CURRENT")
        schedule_id = opt_str(frame.get("schedule_id"))
        if schedule_id is None and isinstance(frame.get("data"), Mapping):
            schedule_id = opt_str(frame["data"].get("schedule_id"))
        return cls(schedule_id, opt_bool(frame.get("success")), _error_text(frame.get("error")))


@dataclass(frozen=True, slots=True)
class ServerErrorMessage:
    """ERROR {error: code, message}."""

    code: int
    message: str

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse an ERROR frame; a missing message falls back to the documented text."""
        frame = mapping(data, "ERROR")
        code = opt_int(frame.get("error"))
        if code is None:
            raise BlueCurrentParseError("ERROR has no numeric 'error'")
        message = opt_str(frame.get("message")) or ERROR_MESSAGES.get(code, "")
        return cls(code, message)


type BlueCurrentMessage = (
    ApiTokenStatus
    | PasswordStatus
    | Hello
    | Account
    | ChargeCards
    | ChargePoints
    | ChargePointStatus
    | ChargePointSettings
    | GridStatus
    | GridCurrent
    | Sustainability
    | UndocumentedMessage
    | SettingResult
    | CommandResult
    | OverrideCurrentList
    | OverrideCurrentSaved
    | OverrideCurrentCleared
    | ServerErrorMessage
)

_PARSERS: Final[dict[str, Any]] = {
    OBJ_STATUS_API_TOKEN: ApiTokenStatus.from_dict,
    OBJ_STATUS_PASSWORD: PasswordStatus.from_dict,
    OBJ_HELLO: Hello.from_dict,
    OBJ_ACCOUNT: Account.from_dict,
    OBJ_CHARGE_CARDS: ChargeCards.from_dict,
    OBJ_CHARGE_POINTS: ChargePoints.from_dict,
    OBJ_CH_STATUS: ChargePointStatus.from_dict,
    OBJ_CH_SETTINGS: ChargePointSettings.from_dict,
    OBJ_GRID_STATUS: GridStatus.from_dict,
    OBJ_GRID_CURRENT: GridCurrent.from_dict,
    OBJ_SUSTAINABILITY_STATUS: Sustainability.from_dict,
    OBJ_SESSIONS: UndocumentedMessage.from_dict,
    OBJ_STATUS: UndocumentedMessage.from_dict,
    OBJ_STATUS_SET_PUBLIC_CHARGING: SettingResult.from_dict,
    OBJ_STATUS_SET_PLUG_AND_CHARGE: SettingResult.from_dict,
    OBJ_LIST_OVERRIDE_CURRENT: OverrideCurrentList.from_dict,
    OBJ_POST_SET_OVERRIDE_CURRENT: OverrideCurrentSaved.from_dict,
    OBJ_POST_EDIT_OVERRIDE_CURRENT: OverrideCurrentSaved.from_dict,
    OBJ_POST_CLEAR_OVERRIDE_CURRENT: OverrideCurrentCleared.from_dict,
    OBJ_ERROR: ServerErrorMessage.from_dict,
}


def object_name(frame: object) -> str:
    """The `object` name of a server frame; raises BlueCurrentParseError if there is none."""
    if not isinstance(frame, Mapping):
        raise BlueCurrentParseError("frame is not a JSON object")
    name = frame.get("object")
    if not isinstance(name, str) or not name:
        raise BlueCurrentParseError("frame has no 'object'")
    return name


def parse_message(frame: object) -> BlueCurrentMessage:
    """Turn one decoded server frame into its model.

    Raises:
        BlueCurrentParseError: the frame is not an object, has no or an unknown `object`,
            or lacks what its model needs. Nothing else is ever raised.

    """
    name = object_name(frame)
    parser = _PARSERS.get(name)
    if parser is None:
        if name.startswith((RECEIVED_PREFIX, STATUS_PREFIX)):
            parser = CommandResult.from_dict
        else:
            raise BlueCurrentParseError(f"unknown object {name[:60]!r}")
    try:
        message: BlueCurrentMessage = parser(frame)
    except BlueCurrentParseError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError, OverflowError) as err:
        # Defensive: a parser must never leak anything but a parse error.
        raise BlueCurrentParseError(
            f"{name[:60]} could not be parsed ({type(err).__name__})"
        ) from err
    return message
