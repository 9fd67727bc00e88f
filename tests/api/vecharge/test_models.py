"""Parsing the three events from the seed's payloads, in both encodings, and rejecting junk."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from custom_components.ev_charge_points.api.vecharge import (
    ChargerStatus,
    Disconnected,
    DisconnectReason,
    VeChargeParseError,
    parse_charger_document,
    parse_meter_log,
    parse_server_message,
    parse_status_change,
)

from .helpers import SEED_DOCUMENT, SEED_LOG


@pytest.mark.parametrize("payload", [SEED_LOG, json.loads(SEED_LOG)], ids=["json_text", "object"])
def test_seed_log_reads_strings_as_numbers(payload: object) -> None:
    log = parse_meter_log(payload)
    assert log.voltage == 230.0
    assert log.current == 7.0
    assert log.power == 1577.8
    assert log.energy == 0.23
    assert log.device_id == "veChargePoint0125896"
    assert log.charger_id == "test"
    assert log.user_id == "pulse-test-user"
    assert log.created_at == datetime(2022, 1, 10, 13, 57, 59, 124000, tzinfo=UTC)


@pytest.mark.parametrize(
    "payload", [SEED_DOCUMENT, json.loads(SEED_DOCUMENT)], ids=["json_text", "object"]
)
def test_seed_document_reads_the_mongoose_doc(payload: object) -> None:
    document = parse_charger_document(payload)
    assert document.charger_id == "test"
    assert document.status is ChargerStatus.OFF
    assert document.desired_status is ChargerStatus.OFF
    assert document.previous_energy == 36.44
    assert document.energy == 0
    assert document.current_user == "pulse-test-user"
    assert document.charger_mode == "PUBLIC"
    assert (document.latitude, document.longitude) == (28.7186, 77.0608)  # GeoJSON is [lon, lat]
    assert document.connected_at == datetime(2022, 1, 10, 13, 55, 58, 347000, tzinfo=UTC)
    assert document.wifi_connectivity is True


def test_flat_document_is_read_as_well() -> None:
    flat = json.loads(SEED_DOCUMENT)["_doc"] | {"status": "ON", "energy": "1.5"}
    document = parse_charger_document(flat)
    assert document.status is ChargerStatus.ON
    assert document.energy == 1.5


@pytest.mark.parametrize("payload", ['{"status":"ON"}', {"status": "ON"}, {"status": "on"}])
def test_status_changed(payload: object) -> None:
    assert parse_status_change(payload).status is ChargerStatus.ON


@pytest.mark.parametrize(
    ("parser", "payload"),
    [
        (parse_status_change, '{"status":"MAYBE"}'),
        (parse_status_change, "{}"),
        (parse_status_change, "not json"),
        (parse_status_change, "[1,2]"),
        (parse_status_change, None),
        (parse_meter_log, '{"voltage":"abc"}'),
        (parse_meter_log, '{"voltage":"NaN"}'),
        (parse_meter_log, '{"voltage":true}'),
        (parse_meter_log, '{"deviceId":"x"}'),
        (parse_meter_log, '{"voltage":"230.00","createdAt":"yesterday"}'),
        (parse_charger_document, '{"_doc":"nope"}'),
        (parse_charger_document, '{"_doc":{"energy":1}}'),
        (parse_charger_document, '{"_doc":{"status":"OFF","location":{"coordinates":[1]}}}'),
        (parse_charger_document, '{"_doc":{"status":"OFF","isActive":"yes"}}'),
        (parse_server_message, {"code": 3}),
    ],
)
def test_malformed_payloads_raise_parse_error(parser: object, payload: object) -> None:
    with pytest.raises(VeChargeParseError):
        parser(payload)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("Charger already connected to other device", "Charger already connected to other device"),
        ('"Authentication error"', "Authentication error"),
        ({"message": "Authentication error"}, "Authentication error"),
    ],
)
def test_error_event_messages(payload: object, message: str) -> None:
    assert parse_server_message(payload).message == message


def test_only_charger_off_and_own_disconnect_are_expected() -> None:
    expected = {reason for reason in DisconnectReason if Disconnected(reason=reason).expected}
    assert expected == {DisconnectReason.CHARGER_OFF, DisconnectReason.CLIENT_CLOSED}
