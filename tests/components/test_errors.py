"""Every Blue Current failure the protocol notes list reads as a translated sentence.

The client's own mapping turns each documented ERROR code and rejection into an exception; the
brand's `explain` must give each a key whose English text exists, needs no placeholder the
error does not give, and does not repeat the server's raw words.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custom_components.ev_charge_points.api.bluecurrent.client import command_error, server_error
from custom_components.ev_charge_points.api.bluecurrent.const import ERROR_MESSAGES
from custom_components.ev_charge_points.api.bluecurrent.models import ServerErrorMessage
from custom_components.ev_charge_points.brands.bluecurrent.errors import explain

STRINGS = json.loads(
    (Path(__file__).parents[2] / "custom_components/ev_charge_points/strings.json").read_text()
)["exceptions"]


def _sentence(err: BaseException) -> str:
    explained = explain(err)
    assert explained is not None, f"{err!r} is not explained"
    key, placeholders = explained
    return STRINGS[key]["message"].format(**placeholders)


@pytest.mark.parametrize("code", [*ERROR_MESSAGES, 77])
def test_every_server_error_code_is_a_sentence(code: int) -> None:
    """ERROR 0, 1, 2, 9, 42 and an unlisted code ("forbidden"): no code, no raw message."""
    message = ERROR_MESSAGES.get(code, "forbidden")
    text = _sentence(server_error(ServerErrorMessage(code, message)))
    assert str(code) not in text.split()
    assert message not in text


@pytest.mark.parametrize(
    ("command", "reason", "key"),
    [
        ("REBOOT", "REJECTED", "command_rejected"),
        ("START_SESSION", "REJECTED", "start_session_rejected"),
        ("STOP_SESSION", "REJECTED", "stop_session_rejected"),
        (
            "START_SESSION",
            "start_session rejected for chargepoint: BCU101",
            "start_session_rejected",
        ),
        ("SOFT_RESET", "CHARGE_POINT_BUSY", "charge_point_busy"),
        ("SET_OPERATIVE", "forbidden", "server_not_authorized"),
        ("SOFT_RESET", "TIMEOUT", "command_timeout"),
        ("STOP_SESSION", "no active session for chargepoint: BCU101", "no_active_session"),
    ],
)
def test_every_rejection_is_a_sentence(command: str, reason: str, key: str) -> None:
    """The reasons of §3.7 and the client's rewrites, each to a sentence that says what to do."""
    err = command_error(command, "BCU101", reason)
    explained = explain(err)
    assert explained == (key, {})
    text = _sentence(err)
    assert reason not in text
    assert "BCU101" not in text
