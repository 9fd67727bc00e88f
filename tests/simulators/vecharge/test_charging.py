"""The charging model on the simulated clock, and the payloads it produces."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from simulators.vecharge import SCENARIO_DIR, Scenario
from simulators.vecharge.charger import SimCharger
from simulators.vecharge.payloads import mongoose_document, timestamp


@pytest.fixture
def charger() -> SimCharger:
    return SimCharger.from_spec(Scenario.from_file(SCENARIO_DIR / "test.json").chargers[0])


def test_energy_grows_only_while_on_and_plugged(charger: SimCharger) -> None:
    assert charger.advance(3600, 5) == 0
    assert charger.energy == 0
    charger.switch("ON")
    assert charger.advance(3600, 5) == 720
    assert charger.energy == pytest.approx(1.5778)
    charger.plugged = False
    charger.advance(3600, 5)
    assert charger.energy == pytest.approx(1.5778)
    assert charger.log(datetime(2022, 1, 10, tzinfo=UTC))["current"] == "0.00"


def test_off_moves_the_session_to_prev_energy(charger: SimCharger) -> None:
    charger.switch("ON")
    charger.advance(1800, 5)
    charger.switch("OFF")
    assert charger.prev_energy == 0.79
    assert charger.energy == 0
    assert charger.document()["prev_energy"] == 0.79


def test_log_payload_has_the_seed_types(charger: SimCharger) -> None:
    charger.switch("ON")
    charger.advance(528, 5)
    log = charger.log(datetime(2022, 1, 10, 13, 57, 59, 124000, tzinfo=UTC))
    assert log == {
        "deviceId": "veChargePoint0125896",
        "voltage": "230.00",
        "current": "7.00",
        "power": "1577.80",
        "energy": 0.23,
        "createdAt": "2022-01-10T13:57:59.124Z",
        "userId": "pulse-test-user",
        "chargerId": "test",
    }


def test_mongoose_wrapper_follows_the_charger(charger: SimCharger) -> None:
    wrapped = mongoose_document(charger.document())
    assert wrapped["$_"]["_id"] == "test"
    assert wrapped["isNew"] is False
    assert wrapped["$init"] is True
    assert wrapped["energy"] == wrapped["_doc"]["energy"]


def test_timestamp_is_javascript_iso() -> None:
    assert timestamp(datetime(2022, 1, 10, 13, 55, 58, 347999, tzinfo=UTC)) == (
        "2022-01-10T13:55:58.347Z"
    )
