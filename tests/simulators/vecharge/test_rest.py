"""The simulator's REST side with plain aiohttp: chargerDesiredState and the disconnect API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from .helpers import CHARGER_ID, TOKEN

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from simulators.vecharge import VeChargeSimulator

PATH = "/api/v1/charger/chargerDesiredState"


@pytest.fixture
async def http(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def _patch(
    http: aiohttp.ClientSession, sim: VeChargeSimulator, body: Any, auth: str | None
) -> tuple[int, str]:
    headers = {"Authorization": auth} if auth else {}
    kwargs: dict[str, Any] = {"data": body} if isinstance(body, str) else {"json": body}
    async with http.patch(sim.url + PATH, headers=headers, **kwargs) as response:
        return response.status, await response.text()


async def test_on_answers_jsend_success(
    http: aiohttp.ClientSession, vecharge_sim: VeChargeSimulator
) -> None:
    status, text = await _patch(
        http, vecharge_sim, {"status": "ON", "chargerId": CHARGER_ID}, f"Bearer {TOKEN}"
    )
    assert (status, text) == (200, '{"status": "success", "data": {"status": "ON"}}')
    assert vecharge_sim.chargers[CHARGER_ID].status == "ON"


async def test_empty_success_when_asked(
    http: aiohttp.ClientSession, vecharge_sim: VeChargeSimulator
) -> None:
    vecharge_sim.options.rest_success = "empty"
    status, text = await _patch(
        http, vecharge_sim, {"status": "ON", "chargerId": CHARGER_ID}, f"Bearer {TOKEN}"
    )
    assert (status, text) == (204, "")


@pytest.mark.parametrize(
    ("body", "auth", "status"),
    [
        ({"status": "ON", "chargerId": CHARGER_ID}, None, 401),
        ({"status": "ON", "chargerId": CHARGER_ID}, "Bearer wrong", 401),
        ({"status": "ON", "chargerId": CHARGER_ID}, TOKEN, 401),  # no "Bearer "
        ("{not json", f"Bearer {TOKEN}", 400),
        ({"status": "MAYBE", "chargerId": CHARGER_ID}, f"Bearer {TOKEN}", 400),
        ({"status": "ON"}, f"Bearer {TOKEN}", 404),
        ({"status": "ON", "chargerId": "nope"}, f"Bearer {TOKEN}", 404),
    ],
)
async def test_errors(
    http: aiohttp.ClientSession,
    vecharge_sim: VeChargeSimulator,
    body: Any,
    auth: str | None,
    status: int,
) -> None:
    got, text = await _patch(http, vecharge_sim, body, auth)
    assert got == status
    assert '"status": "fail"' in text
    assert vecharge_sim.chargers[CHARGER_ID].status == "OFF"


async def test_server_error_fault(
    http: aiohttp.ClientSession, vecharge_sim: VeChargeSimulator
) -> None:
    vecharge_sim.options.rest_error_status = 503
    status, _ = await _patch(
        http, vecharge_sim, {"status": "ON", "chargerId": CHARGER_ID}, f"Bearer {TOKEN}"
    )
    assert status == 503
    assert vecharge_sim.chargers[CHARGER_ID].status == "OFF"


async def test_disconnect_api_switches_off(
    http: aiohttp.ClientSession, vecharge_sim: VeChargeSimulator
) -> None:
    await vecharge_sim.switch(CHARGER_ID, "ON")
    url = f"{vecharge_sim.url}/api/v1/charger/removeChargerFromUser/{CHARGER_ID}"
    async with http.get(url, headers={"Authorization": f"Bearer {TOKEN}"}) as response:
        assert response.status == 200
        assert await response.json() == {"status": "success"}
    assert vecharge_sim.chargers[CHARGER_ID].status == "OFF"
