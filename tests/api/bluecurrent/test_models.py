"""Parsers of every server object of §3, and the error mappings of §3.9/§5.1."""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from websockets.datastructures import Headers

from custom_components.ev_charge_points.api.bluecurrent import (
    Account,
    Activity,
    ApiTokenStatus,
    BlueCurrentAlreadyConnectedError,
    BlueCurrentCommandRejectedError,
    BlueCurrentCommandTimeoutError,
    BlueCurrentConnectionError,
    BlueCurrentInvalidTokenError,
    BlueCurrentNoActiveSessionError,
    BlueCurrentParseError,
    BlueCurrentRequestLimitError,
    BlueCurrentServerError,
    ChargeCards,
    ChargePoints,
    ChargePointSettings,
    ChargePointStatus,
    CommandResult,
    GridCurrent,
    GridStatus,
    Hello,
    OverrideCurrentCleared,
    OverrideCurrentList,
    OverrideCurrentSaved,
    PasswordStatus,
    ServerErrorMessage,
    Setting,
    SettingResult,
    Sustainability,
    UndocumentedMessage,
    VehicleStatus,
    Weekday,
    next_reset,
    parse_message,
)
from custom_components.ev_charge_points.api.bluecurrent.client import (
    command_error,
    handshake_error,
    server_error,
)

from .helpers import CH_STATUS

CARD = {"uid": "A1B2C3", "id": "NL-ABC-123456-0", "name": "Card", "customer_name": "Me", "valid": 1}

CHARGE_POINT: dict[str, Any] = {
    "evse_id": "BCU101",
    "name": "",
    "model_type": "H:MOVE-C32T2",
    "chargepoint_type": "HIDDEN",
    "is_cable": True,
    "activity": "available",
    "public_charging": {"value": True, "permission": "write"},
    "plug_and_charge": {"value": False, "permission": "write"},
    "plug_and_charge_notification": False,
    "smart_charging": True,
    "smart_charging_dynamic": True,
    "delayed_charging": {"value": False, "permission": "write"},
    "price_based_charging": {"value": True},
    "default_card": {
        "uid": "BCU-APP",
        "id": "BCU-APP",
        "name": "",
        "customer_name": "",
        "valid": 1,
    },
    "tariff": {
        "tariff_id": "NLBCUT994",
        "price_ex_vat": 0.2397,
        "start_price_ex_vat": 0.0,
        "price_in_vat": 0.2613,
        "start_price_in_vat": 0.0,
        "currency": "EUR",
        "permission": "read",
    },
    "led_interaction": {"value": False, "permission": "read"},
    "publish_location": {"value": False, "permission": "write"},
    "location": {
        "x_coord": 52.09,
        "y_coord": 5.12,
        "street": "Europalaan",
        "housenumber": "100",
        "zipcode": "3526KS",
        "city": "Utrecht",
        "country": "NL",
    },
}

CH_SETTINGS: dict[str, Any] = {
    "object": "CH_SETTINGS",
    "data": {
        "evse_id": "BCU101",
        "model_type": "H:MOVE-C32T2",
        "chargepoint_type": "HIDDEN",
        "is_cable": True,
        "plug_and_charge": {"value": True, "permission": "write"},
        "public_charging": {"value": False, "permission": "write"},
        "smart_charging": True,
        "smart_charging_dynamic": True,
        "plug_and_charge_notification": False,
        "default_card": CARD,
        "preferred_card": CARD,
        "plug_and_charge_card": CARD,
        "led_intensity": {"value": 0, "permission": "none"},
        "led_interaction": {"value": False, "permission": "none"},
    },
}


def status(**data: Any) -> ChargePointStatus:
    message = parse_message({"object": "CH_STATUS", "evse_id": "BCU101", "data": data})
    assert isinstance(message, ChargePointStatus)
    return message


# --- authentication and account -------------------------------------------------------------


def test_status_api_token() -> None:
    ok = parse_message(
        {"object": "STATUS_API_TOKEN", "success": True, "token": "3f2c9a", "customer_id": "12345"}
    )
    assert ok == ApiTokenStatus(success=True, token="3f2c9a", customer_id="12345")
    assert "3f2c9a" not in repr(ok)
    bad = parse_message({"object": "STATUS_API_TOKEN", "success": False, "error": "bad"})
    assert bad == ApiTokenStatus(success=False, token=None, customer_id=None, error="bad")
    with pytest.raises(BlueCurrentParseError):
        parse_message({"object": "STATUS_API_TOKEN", "success": True, "token": "3f2c9a"})


def test_status_password() -> None:
    assert parse_message({"object": "STATUS_PASSWORD", "accepted": True, "token": "abc"}) == (
        PasswordStatus(accepted=True, token="abc")
    )
    assert not parse_message({"object": "STATUS_PASSWORD"}).accepted  # type: ignore[union-attr]


def test_hello() -> None:
    assert parse_message({"object": "HELLO"}) == Hello()
    assert parse_message({"object": "HELLO", "anything": [1, 2]}) == Hello()


def test_account() -> None:
    account = parse_message(
        {
            "object": "ACCOUNT",
            "full_name": "Me",
            "email": "me@example.com",
            "login": "me@example.com",
            "should_reset_password": False,
            "developer_mode_enabled": False,
            "tel": "",
            "marketing_target": "bluecurrent",
            "first_login_app": "01-JAN-20",
            "hubspot_user_identity": "x",
        }
    )
    assert isinstance(account, Account)
    assert account.login == "me@example.com"
    assert account.full_name == "Me"
    assert account.first_login_app == date(2020, 1, 1)
    assert account.developer_mode_enabled is False
    assert "example.com" not in repr(account)


def test_charge_cards() -> None:
    cards = parse_message(
        {
            "object": "CHARGE_CARDS",
            "default_card": {"uid": "BCU-APP", "id": "BCU-APP"},
            "cards": [
                {
                    **CARD,
                    "date_created": "2023-06-27",
                    "date_modified": "2023-07-11",
                    "date_became_invalid": "",
                },
                {"name": "no uid, skipped"},
                "not a card",
            ],
        }
    )
    assert isinstance(cards, ChargeCards)
    assert [card.uid for card in cards.cards] == ["A1B2C3"]
    card = cards.cards[0]
    assert card.valid is True
    assert card.date_created == date(2023, 6, 27)
    assert card.date_became_invalid is None
    assert cards.default_card is not None
    assert cards.default_card.uid == "BCU-APP"
    assert "A1B2C3" not in repr(cards)
    empty = parse_message({"object": "CHARGE_CARDS", "cards": []})
    assert empty == ChargeCards(cards=(), default_card=None)


# --- charge points ---------------------------------------------------------------------------


def test_charge_points_full_entry() -> None:
    points = parse_message({"object": "CHARGE_POINTS", "data": [CHARGE_POINT]})
    assert isinstance(points, ChargePoints)
    (point,) = points.charge_points
    assert point.evse_id == "BCU101"
    assert point.model_type == "H:MOVE-C32T2"
    assert point.activity is Activity.AVAILABLE
    assert point.public_charging == Setting(True, "write")
    assert point.linked_charge_cards_only is False
    assert point.plug_and_charge == Setting(False, "write")
    assert point.smart_charging is True
    assert point.delayed_charging.value is False
    assert point.price_based_charging == Setting(True, None)
    assert point.default_card is not None
    assert point.default_card.uid == "BCU-APP"
    assert point.tariff is not None
    assert point.tariff.price_in_vat == pytest.approx(0.2613)
    assert point.tariff.currency == "EUR"
    assert point.location is not None
    assert point.location.latitude == pytest.approx(52.09)
    assert point.location.longitude == pytest.approx(5.12)
    assert "Europalaan" not in repr(point)
    assert "52.09" not in repr(point)


def test_charge_points_tolerates_old_and_odd_entries(caplog: pytest.LogCaptureFixture) -> None:
    old_format = {
        "evse_id": "BCU102",
        "public_charging": False,
        "plug_and_charge": True,
        "x_coord": 1.5,
        "y_coord": 2.5,
        "activity": "hovering",
        "plug_and_charge_charge_card": CARD,
    }
    with caplog.at_level(logging.DEBUG):
        points = parse_message(
            {"object": "CHARGE_POINTS", "data": [old_format, {"name": "no evse"}, 7]}
        )
    assert isinstance(points, ChargePoints)
    (point,) = points.charge_points
    assert point.public_charging == Setting(False, None)
    assert point.linked_charge_cards_only is True
    assert point.plug_and_charge.value is True
    assert point.smart_charging is False
    assert point.activity is None
    assert "Unknown activity" in caplog.text
    assert point.plug_and_charge_card is not None
    assert point.plug_and_charge_card.uid == "A1B2C3"
    assert point.location is not None
    assert point.location.latitude == 1.5
    with pytest.raises(BlueCurrentParseError):
        parse_message({"object": "CHARGE_POINTS"})


def test_ch_status_full() -> None:
    message = parse_message(CH_STATUS)
    assert isinstance(message, ChargePointStatus)
    assert message.evse_id == "BCU101"
    assert message.activity is Activity.CHARGING
    assert message.vehicle_status is VehicleStatus.READY
    assert message.voltages == (229.0, 231.0, 230.0)
    assert message.currents == (16.0, 16.0, 16.0)
    assert message.session_energy_kwh == pytest.approx(7.42)
    assert message.max_usage == 20
    assert message.smart_charging_max_usage == 6
    assert message.max_offline == 10
    assert message.offline_since is None
    assert message.session_start == datetime(2025, 3, 1, 17, 2, 11, tzinfo=UTC)
    assert message.session_stop == datetime(2025, 2, 28, 6, 48, 40, tzinfo=UTC)
    assert message.total_cost == pytest.approx(9.93)
    assert message.present == {
        "activity",
        "vehicle_status",
        "voltages",
        "currents",
        "session_energy_kwh",
        "max_usage",
        "smart_charging_max_usage",
        "max_offline",
        "offline_since",
        "session_start",
        "session_stop",
        "total_cost",
    }


@pytest.mark.parametrize(
    ("letter", "expected"),
    [
        ("A", VehicleStatus.STANDBY),
        ("B", VehicleStatus.VEHICLE_DETECTED),
        ("C", VehicleStatus.READY),
        ("D", VehicleStatus.READY_VENTILATION),
        ("E", VehicleStatus.NO_POWER),
        ("F", VehicleStatus.VEHICLE_ERROR),
        ("G", None),
        ("", None),
        (None, None),
        (3, None),
    ],
)
def test_vehicle_letters(letter: object, expected: VehicleStatus | None) -> None:
    assert status(vehicle_status=letter).vehicle_status is expected


@pytest.mark.parametrize("activity", list(Activity))
def test_every_activity(activity: Activity) -> None:
    assert status(activity=activity.value).activity is activity


def test_ch_status_merged_onto_keeps_absent_fields() -> None:
    full = parse_message(CH_STATUS)
    assert isinstance(full, ChargePointStatus)
    push = status(actual_p1=8, actual_p2=8, actual_p3=8, activity="charging")
    merged = push.merged_onto(full)
    assert merged.currents == (8.0, 8.0, 8.0)
    assert merged.voltages == (229.0, 231.0, 230.0)
    assert merged.session_start == full.session_start
    assert merged.total_cost == full.total_cost
    assert merged.present == full.present
    # An explicit "" clears a timestamp; an explicit null clears a value.
    cleared = status(start_datetime="", total_cost=None).merged_onto(full)
    assert cleared.session_start is None
    assert cleared.total_cost is None
    assert cleared.session_stop == full.session_stop
    # Nothing to merge onto, or another charge point: unchanged.
    assert push.merged_onto(None) is push
    other = parse_message(
        {"object": "CH_STATUS", "evse_id": "BCU102", "data": {"activity": "error"}}
    )
    assert isinstance(other, ChargePointStatus)
    assert other.merged_onto(full) is other


def test_ch_status_evse_id_sources() -> None:
    only_inner = parse_message({"object": "CH_STATUS", "data": {"evse_id": "BCU7"}})
    assert isinstance(only_inner, ChargePointStatus)
    assert only_inner.evse_id == "BCU7"
    assert only_inner.present == frozenset()
    with pytest.raises(BlueCurrentParseError):
        parse_message({"object": "CH_STATUS", "data": {"activity": "charging"}})
    with pytest.raises(BlueCurrentParseError):
        parse_message({"object": "CH_STATUS", "evse_id": "BCU7", "data": [1]})


@pytest.mark.parametrize("key", ["plug_and_charge_card", "plug_and_charge_charge_card"])
def test_ch_settings(key: str) -> None:
    frame = {"object": "CH_SETTINGS", "data": dict(CH_SETTINGS["data"])}
    frame["data"][key] = frame["data"].pop("plug_and_charge_card")
    settings_ = parse_message(frame)
    assert isinstance(settings_, ChargePointSettings)
    assert settings_.evse_id == "BCU101"
    assert settings_.plug_and_charge == Setting(True, "write")
    assert settings_.public_charging.value is False
    assert settings_.linked_charge_cards_only is True
    assert settings_.smart_charging is True
    assert settings_.led_intensity == 0
    assert settings_.led_interaction == Setting(False, "none")
    assert settings_.plug_and_charge_card is not None
    assert settings_.plug_and_charge_card.uid == "A1B2C3"
    assert settings_.preferred_card is not None
    assert "plug_and_charge_card" in settings_.present
    assert "smart_charging" in settings_.present


def test_ch_settings_partial() -> None:
    partial = parse_message(
        {"object": "CH_SETTINGS", "data": {"evse_id": "BCU101", "smart_charging": False}}
    )
    assert isinstance(partial, ChargePointSettings)
    assert partial.present == {"smart_charging"}
    assert partial.plug_and_charge == Setting(None, None)
    assert partial.linked_charge_cards_only is None


# --- grid --------------------------------------------------------------------------------------


def test_grid_status() -> None:
    grid = parse_message(
        {
            "object": "GRID_STATUS",
            "data": {
                "id": "GRID-BCU101",
                "grid_actual_p1": 12,
                "grid_actual_p2": 14,
                "grid_actual_p3": 15,
                "grid_max_install": 40,
                "grid_max_reserved": 25,
            },
        }
    )
    assert grid == GridStatus(
        grid_id="GRID-BCU101",
        evse_id=None,
        currents=(12.0, 14.0, 15.0),
        max_installed=40.0,
        max_reserved=25.0,
    )
    assert isinstance(grid, GridStatus)
    named_by_evse = parse_message({"object": "GRID_STATUS", "evse_id": "BCU9", "data": {}})
    assert isinstance(named_by_evse, GridStatus)
    # No id: the grid of the charge point asked for (the coordinator knows it).
    assert named_by_evse.grid_id is None
    assert named_by_evse.evse_id == "BCU9"
    anonymous = parse_message({"object": "GRID_STATUS", "data": {"grid_actual_p1": 1}})
    assert isinstance(anonymous, GridStatus)
    assert anonymous.grid_id is None


def test_grid_current_has_top_level_phases() -> None:
    push = parse_message(
        {
            "object": "GRID_CURRENT",
            "evse_id": "BCU101",
            "grid_actual_p1": 12,
            "grid_actual_p2": 14,
            "grid_actual_p3": 15,
        }
    )
    assert push == GridCurrent(evse_id="BCU101", currents=(12.0, 14.0, 15.0))
    assert isinstance(push, GridCurrent)
    with pytest.raises(BlueCurrentParseError):
        parse_message({"object": "GRID_CURRENT", "evse_id": "BCU101"})


# --- app-only objects ----------------------------------------------------------------------


def test_sustainability_and_undocumented() -> None:
    assert parse_message({"object": "SUSTAINABILITY_STATUS", "trees": 1, "co2": 12.345}) == (
        Sustainability(trees=1, co2=12.345)
    )
    for name in ("SESSIONS", "STATUS"):
        message = parse_message({"object": name, "data": [{"x": 1}]})
        assert isinstance(message, UndocumentedMessage)
        assert message.object_name == name


# --- command results -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        "SET_OPERATIVE",
        "SET_INOPERATIVE",
        "SOFT_RESET",
        "REBOOT",
        "UNLOCK_CONNECTOR",
        "START_SESSION",
        "STOP_SESSION",
        "SET_PLUG_AND_CHARGE_CHARGE_CARD",
        "SET_DELAYED_CHARGING",
        "SET_PUBLIC_CHARGING",
        "SET_PLUG_AND_CHARGE",
    ],
)
def test_received_results(command: str) -> None:
    ack = parse_message({"object": f"RECEIVED_{command}", "success": True, "error": ""})
    assert ack == CommandResult(
        command=command, evse_id=None, success=True, error="", stage="received"
    )
    assert isinstance(ack, CommandResult)
    assert not ack.failed


@pytest.mark.parametrize(
    "command",
    ["SET_OPERATIVE", "SET_INOPERATIVE", "SOFT_RESET", "REBOOT", "START_SESSION", "STOP_SESSION"],
)
def test_status_results(command: str) -> None:
    done = parse_message(
        {
            "object": f"STATUS_{command}",
            "success": True,
            "flow_id": "",
            "evse_id": "BCU101",
            "result": {},
            "error": "",
        }
    )
    assert done == CommandResult(command, "BCU101", True, "", "status")
    failed = parse_message(
        {"object": f"STATUS_{command}", "success": False, "evse_id": "BCU101", "error": "REJECTED"}
    )
    assert isinstance(failed, CommandResult)
    assert failed.failed
    assert failed.error == "REJECTED"


def test_no_active_session_names_the_evse() -> None:
    message = parse_message(
        {
            "object": "RECEIVED_STOP_SESSION",
            "success": False,
            "error": "no active session for chargepoint: BCU101",
        }
    )
    assert message == CommandResult(
        "STOP_SESSION", "BCU101", False, "no active session for chargepoint: BCU101", "received"
    )


@pytest.mark.parametrize(
    ("name", "text", "setting", "value"),
    [
        ("STATUS_SET_PUBLIC_CHARGING", "set false", "linked_charge_cards_only", True),
        ("STATUS_SET_PUBLIC_CHARGING", "set true", "linked_charge_cards_only", False),
        ("STATUS_SET_PLUG_AND_CHARGE", "set true", "plug_and_charge", True),
        ("STATUS_SET_PLUG_AND_CHARGE", "set false", "plug_and_charge", False),
    ],
)
def test_setting_results(name: str, text: str, setting: str, value: bool) -> None:
    result = parse_message(
        {
            "object": name,
            "success": True,
            "flow_id": "",
            "evse_id": "BCU101",
            "result": {"setting": text},
            "error": "",
        }
    )
    assert result == SettingResult("BCU101", setting, value, True, "")


def test_setting_result_failure_and_garbage() -> None:
    failed = parse_message(
        {"object": "STATUS_SET_PLUG_AND_CHARGE", "success": False, "evse_id": "B", "error": "X"}
    )
    assert isinstance(failed, SettingResult)
    assert failed.failed
    with pytest.raises(BlueCurrentParseError):
        parse_message({"object": "STATUS_SET_PLUG_AND_CHARGE", "success": True, "error": ""})


# --- override-current schedules ---------------------------------------------------------------

SCHEDULE = {
    "schedule_id": "122",
    "charge_points": ["BCU101", "BCU102"],
    "override_current": 10,
    "start_time": "10:00",
    "stop_time": "20:00",
    "override_start_days": "MO,TH",
    "override_end_days": "WE,FR",
}


def test_list_override_current() -> None:
    listing = parse_message(
        {
            "object": "LIST_OVERRIDE_CURRENT",
            "data": [
                SCHEDULE,
                {**SCHEDULE, "schedule_id": 7, "override_start_days": ["SA", "su", "XX"]},
                {**SCHEDULE, "start_time": "late"},
            ],
        }
    )
    assert isinstance(listing, OverrideCurrentList)
    first, second = listing.schedules
    assert first.schedule_id == "122"
    assert first.charge_points == ("BCU101", "BCU102")
    assert first.current == 10.0
    assert first.start_time == time(10, 0)
    assert first.stop_time == time(20, 0)
    assert first.start_days == (Weekday.MO, Weekday.TH)
    assert first.stop_days == (Weekday.WE, Weekday.FR)
    assert second.schedule_id == "7"
    assert second.start_days == (Weekday.SA, Weekday.SU)
    assert parse_message({"object": "LIST_OVERRIDE_CURRENT", "data": []}) == OverrideCurrentList(())


@pytest.mark.parametrize("name", ["POST_SET_OVERRIDE_CURRENT", "POST_EDIT_OVERRIDE_CURRENT"])
def test_post_set_and_edit(name: str) -> None:
    saved = parse_message({"object": name, "data": SCHEDULE})
    assert isinstance(saved, OverrideCurrentSaved)
    assert saved.command == name
    assert saved.schedule is not None
    assert saved.schedule.schedule_id == "122"
    assert not saved.failed
    refused = parse_message({"object": name, "success": False, "error": "overlap"})
    assert isinstance(refused, OverrideCurrentSaved)
    assert refused.failed
    with pytest.raises(BlueCurrentParseError):
        parse_message({"object": name, "success": True})


def test_post_clear() -> None:
    assert parse_message({"object": "POST_CLEAR_OVERRIDE_CURRENT", "success": True}) == (
        OverrideCurrentCleared(None, True, "")
    )
    cleared = parse_message({"object": "POST_CLEAR_OVERRIDE_CURRENT", "schedule_id": 123})
    assert cleared == OverrideCurrentCleared("123", None, "")


# --- ERROR and exception mapping -------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "message", "expected_message"),
    [
        (0, "Unknown command", "Unknown command"),
        (1, "Invalid Auth Token", "Invalid Auth Token"),
        (2, "Not authorized", "Not authorized"),
        (9, "Unknown error", "Unknown error"),
        (42, "Request limit reached", "Request limit reached"),
        (7, "forbidden", "forbidden"),
        (1, None, "Invalid Auth Token"),
        (13, None, ""),
    ],
)
def test_error_object(code: int, message: str | None, expected_message: str) -> None:
    frame: dict[str, Any] = {"object": "ERROR", "error": code}
    if message is not None:
        frame["message"] = message
    assert parse_message(frame) == ServerErrorMessage(code, expected_message)


def test_error_object_without_code_is_unusable() -> None:
    with pytest.raises(BlueCurrentParseError):
        parse_message({"object": "ERROR", "message": "Request limit reached"})


def test_server_error_mapping() -> None:
    before = datetime.now(UTC)
    limit = server_error(ServerErrorMessage(42, "Request limit reached"))
    assert isinstance(limit, BlueCurrentRequestLimitError)
    assert limit.reset_at == next_reset(before)
    assert isinstance(server_error(ServerErrorMessage(1, "x")), BlueCurrentInvalidTokenError)
    not_authorized = server_error(ServerErrorMessage(2, "Not authorized"))
    assert isinstance(not_authorized, BlueCurrentServerError)
    assert not_authorized.code == 2
    assert isinstance(
        server_error(ServerErrorMessage(2, "Not authorized"), at_auth=True),
        BlueCurrentInvalidTokenError,
    )
    for code in (0, 9, 7):
        error = server_error(ServerErrorMessage(code, "forbidden"))
        assert isinstance(error, BlueCurrentServerError)
        assert (error.code, error.message) == (code, "forbidden")


def test_command_error_mapping() -> None:
    no_session = command_error(
        "STOP_SESSION", "BCU101", "no active session for chargepoint: BCU101"
    )
    assert isinstance(no_session, BlueCurrentNoActiveSessionError)
    assert isinstance(no_session, BlueCurrentCommandRejectedError)
    assert (no_session.command, no_session.evse_id) == ("STOP_SESSION", "BCU101")
    assert isinstance(command_error("REBOOT", "B", "TIMEOUT"), BlueCurrentCommandTimeoutError)
    rejected = command_error("REBOOT", "B", "REJECTED")
    assert type(rejected) is BlueCurrentCommandRejectedError
    assert rejected.reason == "REJECTED"
    other = command_error("REBOOT", "B", "cable locked")
    assert type(other) is BlueCurrentCommandRejectedError


def test_handshake_error_mapping() -> None:
    limit = handshake_error(403, Headers({"x-websocket-reject-reason": "Request limit reached"}))
    assert isinstance(limit, BlueCurrentRequestLimitError)
    assert limit.reset_at.tzinfo is UTC
    already = handshake_error(403, Headers({"X-Websocket-Reject-Reason": "Already connected"}))
    assert isinstance(already, BlueCurrentAlreadyConnectedError)
    assert type(handshake_error(500, Headers())) is BlueCurrentConnectionError
    assert type(handshake_error(403, Headers({"x-websocket-reject-reason": "nope"}))) is (
        BlueCurrentConnectionError
    )


# --- unusable frames --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "frame",
    [
        None,
        [],
        "CH_STATUS",
        {},
        {"object": ""},
        {"object": None},
        {"object": 5},
        {"command": "HELLO"},
        {"object": "NEVER_HEARD_OF_IT"},
        {"object": "STATUS_"},
        {"object": "CHARGE_POINTS", "data": {"evse_id": "x"}},
    ],
)
def test_unusable_frames_raise_parse_error(frame: object) -> None:
    with pytest.raises(BlueCurrentParseError):
        parse_message(frame)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(
        ["", "A", "C", "charging", "MO,TH", "10:00", "set true", "20250101 00:00:00"]
    ),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children)
    ),
    max_leaves=12,
)
NAMES = [
    "STATUS_API_TOKEN",
    "STATUS_PASSWORD",
    "HELLO",
    "ACCOUNT",
    "CHARGE_CARDS",
    "CHARGE_POINTS",
    "CH_STATUS",
    "CH_SETTINGS",
    "GRID_STATUS",
    "GRID_CURRENT",
    "SUSTAINABILITY_STATUS",
    "SESSIONS",
    "STATUS",
    "RECEIVED_START_SESSION",
    "STATUS_STOP_SESSION",
    "STATUS_SET_PUBLIC_CHARGING",
    "STATUS_SET_PLUG_AND_CHARGE",
    "LIST_OVERRIDE_CURRENT",
    "POST_SET_OVERRIDE_CURRENT",
    "POST_EDIT_OVERRIDE_CURRENT",
    "POST_CLEAR_OVERRIDE_CURRENT",
    "ERROR",
]
KEYS = sorted(
    set(CHARGE_POINT)
    | set(CH_STATUS["data"])
    | set(CH_SETTINGS["data"])
    | set(SCHEDULE)
    | set(CARD)
    | {"id", "grid_actual_p1", "grid_max_install", "success", "error", "token", "customer_id"}
    | {"message", "result", "cards", "default_card", "accepted", "trees", "co2", "login"}
)
FIELDS = st.dictionaries(st.sampled_from(KEYS), JSON, max_size=8)
FRAMES = st.builds(
    lambda name, fields, data: {"object": name, **fields, **({} if data is None else data)},
    st.sampled_from(NAMES),
    FIELDS,
    st.none() | st.fixed_dictionaries({"data": FIELDS | st.lists(FIELDS, max_size=3) | JSON}),
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_any_json_value_only_raises_parse_error(value: object) -> None:
    with contextlib.suppress(BlueCurrentParseError):
        parse_message(value)


@settings(max_examples=400, deadline=None)
@given(FRAMES)
def test_any_plausible_frame_only_raises_parse_error(frame: dict[str, Any]) -> None:
    try:
        message = parse_message(frame)
    except BlueCurrentParseError:
        return
    repr(message)  # models must also be printable
    if isinstance(message, ChargePointStatus):
        assert message.merged_onto(message) == message
