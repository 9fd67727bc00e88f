"""Which refusals mean a bad token, which an unknown charger (the wording is undocumented)."""

from __future__ import annotations

import pytest

from custom_components.ev_charge_points.api.vecharge import (
    VeChargeAuthError,
    VeChargeRefusedError,
    VeChargeServerError,
    VeChargeUnknownChargerError,
)
from custom_components.ev_charge_points.api.vecharge.refusal import (
    refusal_from_message,
    refusal_from_status,
)


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("Authentication error", VeChargeAuthError),
        ("Invalid token", VeChargeAuthError),
        ("jwt expired", VeChargeAuthError),
        ("Unauthorized", VeChargeAuthError),
        ("Charger not found", VeChargeUnknownChargerError),
        ("Invalid chargerId", VeChargeUnknownChargerError),
        ("No such device", VeChargeUnknownChargerError),
        ("Charger already connected to other device", VeChargeRefusedError),
    ],
)
def test_messages(message: str, kind: type[Exception]) -> None:
    error = refusal_from_message(message)
    assert type(error) is kind
    assert str(error) == message


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (401, VeChargeAuthError),
        (403, VeChargeAuthError),
        (404, VeChargeUnknownChargerError),
        (400, VeChargeRefusedError),
        (500, VeChargeServerError),
        (503, VeChargeServerError),
    ],
)
def test_statuses(status: int, kind: type[Exception]) -> None:
    assert type(refusal_from_status(status)) is kind


def test_a_4xx_message_naming_the_charger_wins() -> None:
    assert type(refusal_from_status(400, "Charger not found")) is VeChargeUnknownChargerError
