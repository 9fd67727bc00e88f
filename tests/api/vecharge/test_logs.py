"""No bearer token in any log line, even with every logger at DEBUG."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pytest

from custom_components.ev_charge_points.api.vecharge import VeChargeAuthError, VeChargeClient
from custom_components.ev_charge_points.api.vecharge.logs import redact

from .helpers import CHARGER_ID, TOKEN, WAIT

if TYPE_CHECKING:
    from simulators.vecharge import VeChargeSimulator


def test_redact() -> None:
    line = "GET https://x/socket.io/?token=Bearer%20abc.def&chargerId=test&EIO=4"
    assert redact(line) == "GET https://x/socket.io/?token=***&chargerId=test&EIO=4"
    assert redact("Authorization: Bearer abc.def") == "Authorization: Bearer ***"


async def test_a_whole_session_logs_no_token(
    vecharge_sim: VeChargeSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with VeChargeClient(
        token=TOKEN, charger_id=CHARGER_ID, base_url=vecharge_sim.url
    ) as client:
        await client.connect()
        await client.turn_on(confirm_timeout=WAIT)
        await client.turn_off()
        await client.wait_disconnected()
    async with VeChargeClient(
        token="wrong-secret", charger_id=CHARGER_ID, base_url=vecharge_sim.url
    ) as refused:
        with pytest.raises(VeChargeAuthError):
            await refused.connect()
    client_lines = "\n".join(
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("custom_components")
    )
    assert "token=***" in client_lines  # the handshake URL was logged, redacted
    assert TOKEN not in client_lines
    assert "wrong-secret" not in client_lines
