"""The REST API of §7 on the simulator, read with plain aiohttp (not our client)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest

from simulators.bluecurrent import BlueCurrentSimulator, Scenario, SimClock, SimulatorOptions

from .helpers import OTHER_TOKEN, SJCL_PASSWORD, open_live, validate

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    import aiohttp

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
START = datetime(2026, 3, 10, 12, 0, 0, tzinfo=UTC)
SCENARIO = Path(__file__).parents[3] / "simulators" / "bluecurrent" / "scenarios" / "test.json"
REST_TIME = re.compile(r"^\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}$")
TRANSACTION_KEYS = {
    "transaction_id",
    "chargepoint_id",
    "chargepoint_type",
    "evse_name",
    "started_at",
    "end_time",
    "kwh",
    "card_id",
    "card_name",
    "total_costs",
    "total_costs_ex_vat",
    "vat",
    "currency",
}
HISTORY_DAYS = 30


@pytest.fixture
async def simulator(
    socket_enabled: None, simulator_options: SimulatorOptions
) -> AsyncIterator[BlueCurrentSimulator]:
    """The test scenario with a month of seeded history, at a fixed instant."""
    scenario = Scenario.from_file(SCENARIO)
    scenario.accounts[0].history_days = HISTORY_DAYS
    async with BlueCurrentSimulator(
        scenario, options=simulator_options, clock=SimClock(START)
    ) as sim:
        yield sim


def _local(text: str) -> datetime:
    return datetime.strptime(text, "%d-%m-%Y %H:%M:%S").replace(tzinfo=AMSTERDAM)


async def _get(
    http: aiohttp.ClientSession, url: str, token: str | None, **params: str
) -> tuple[int, Any]:
    headers = {"Authorization": f"Token {token}"} if token is not None else {}
    async with http.get(url, params=params, headers=headers) as response:
        return response.status, await response.json()


async def _page(
    http: aiohttp.ClientSession,
    sim: BlueCurrentSimulator,
    token: str,
    page: int,
    evse_ids: list[str] | None = None,
    order: str = "DESC",
) -> tuple[int, Any]:
    # Like the app: the body is raw text without a content type.
    body = (
        ""
        if evse_ids is None
        else json.dumps({"chargepoints": [{"chargepoint_id": e} for e in evse_ids]})
    )
    async with http.post(
        f"{sim.rest_url}/gettransactions",
        params={"page": str(page), "sort_field_order": order, "sort_field": "stoppedtimestamp"},
        data=body.encode(),
        headers={"Authorization": f"Token {token}"},
    ) as response:
        return response.status, await response.json()


async def _all_pages(
    http: aiohttp.ClientSession,
    sim: BlueCurrentSimulator,
    token: str,
    evse_ids: list[str] | None = None,
    order: str = "DESC",
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page: int | None = 1
    while page is not None:
        status, body = await _page(http, sim, token, page, evse_ids, order)
        assert status == 200, body
        data = body["data"]
        assert data["current_page"] == page
        assert data["max_per_page"] == 25
        assert len(data["transactions"]) <= 25
        items.extend(data["transactions"])
        page = data["next_page"]
    return items


async def test_history_spans_days_in_pages_of_25(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, token: str
) -> None:
    status, first = await _page(http, simulator, token, 1, ["BCU101", "BCU102"])
    assert status == 200
    data = first["data"]
    assert data["next_page"] == 2
    assert data["total_pages"] >= 2

    items = await _all_pages(http, simulator, token, ["BCU101", "BCU102"])
    assert len(items) == len(simulator.rest.transactions(customer_id="1001"))
    assert len(items) > 25
    assert len({item["transaction_id"] for item in items}) == len(items)
    for item in items:
        assert set(item) == TRANSACTION_KEYS
        assert REST_TIME.match(item["started_at"])
        assert REST_TIME.match(item["end_time"])
        assert _local(item["started_at"]) <= _local(item["end_time"])
        assert item["currency"] == "EUR"
    # Newest stop first; the sessions cover most of the month on both charge points.
    stops = [_local(item["end_time"]) for item in items]
    assert stops == sorted(stops, reverse=True)
    days = {stop.date() for stop in stops}
    assert len(days) > HISTORY_DAYS // 2
    assert {item["chargepoint_id"] for item in items} == {"BCU101", "BCU102"}

    # The same set in ascending order, and per charge point.
    ascending = await _all_pages(http, simulator, token, ["BCU101", "BCU102"], order="ASC")
    assert [i["transaction_id"] for i in ascending] == [i["transaction_id"] for i in items][::-1]
    only_102 = await _all_pages(http, simulator, token, ["BCU102"])
    assert {item["chargepoint_id"] for item in only_102} == {"BCU102"}
    assert len(only_102) == len(simulator.rest.transactions(evse_id="BCU102"))


async def test_scenario_last_session_is_a_transaction(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, token: str
) -> None:
    """BCU102's last session (ended 300 min ago, 90 min, 8 kWh) tops its list, with its tariff."""
    _, body = await _page(http, simulator, token, 1, ["BCU102"])
    newest = body["data"]["transactions"][0]
    end = START - timedelta(minutes=300)
    assert _local(newest["end_time"]) == end
    assert _local(newest["started_at"]) == end - timedelta(minutes=90)
    assert newest["kwh"] == 8.0
    assert newest["total_costs"] == 2.0  # 8 kWh x 0.25, no start fee
    assert newest["evse_name"] == "Garage"


async def test_a_session_that_ends_becomes_a_transaction(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, token: str
) -> None:
    live = await open_live(http, simulator.url, token)
    before = len(simulator.rest.transactions(evse_id="BCU101"))
    await simulator.clock.advance(1800)
    await simulator.unplug("BCU101")
    point = simulator.charge_point("BCU101")

    _, body = await _page(http, simulator, token, 1, ["BCU101"])
    newest = body["data"]["transactions"][0]
    assert len(simulator.rest.transactions(evse_id="BCU101")) == before + 1
    assert _local(newest["end_time"]) == START + timedelta(seconds=1800)
    assert _local(newest["started_at"]) == START - timedelta(minutes=30)
    assert newest["kwh"] == round(point.session_kwh, 2)
    assert newest["kwh"] > 5.2
    assert newest["total_costs"] == round(0.5 + newest["kwh"] * 0.25, 2)
    assert newest["card_id"] == "BCU_HOME_USE"  # a session without a card

    # A session started with a card carries that card.
    await simulator.plug_in("BCU102")
    await live.send("START_SESSION", evse_id="BCU102", session_token="04A1B2C3D4E5F6")
    await live.expect("STATUS_START_SESSION")
    await simulator.clock.advance(600)
    await live.send("STOP_SESSION", evse_id="BCU102")
    await live.expect("STATUS_STOP_SESSION")
    await live.expect("CH_STATUS", evse_id="BCU102")
    _, body = await _page(http, simulator, token, 1, ["BCU102"])
    newest = body["data"]["transactions"][0]
    assert newest["card_id"] == "NL-BCU-123456-7"
    assert newest["card_name"] == "Owner card"
    assert newest["kwh"] > 0
    await live.ws.close()


async def test_a_running_session_is_no_transaction(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, token: str
) -> None:
    items = await _all_pages(http, simulator, token)
    running_start = START - timedelta(minutes=30)
    assert all(
        not (i["chargepoint_id"] == "BCU101" and _local(i["started_at"]) == running_start)
        for i in items
    )


async def test_page_past_the_end_is_empty(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, token: str
) -> None:
    status, body = await _page(http, simulator, token, 99)
    assert status == 200
    assert body["data"]["transactions"] == []
    assert body["data"]["next_page"] is None


async def test_authentication(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, token: str
) -> None:
    url = f"{simulator.rest_url}/getcontracts"
    assert (await _get(http, url, None))[0] == 401
    assert (await _get(http, url, "not-a-token"))[0] == 401
    assert (await _get(http, url, token))[0] == 200
    # Another account's charge point is forbidden, in the status and the transactions.
    other = await validate(http, simulator.url, OTHER_TOKEN)
    status, _ = await _get(http, f"{simulator.rest_url}/chargepointstatus", other, evse_id="BCU101")
    assert status == 403
    status, _ = await _page(http, simulator, other, 1, ["BCU101"])
    assert status == 403
    # A revoked token no longer works.
    simulator.revoke_token("test-token")
    assert (await _get(http, url, token))[0] == 401


@pytest.mark.parametrize("simulator_options", [SimulatorOptions(rest_accepts_api_token=False)])
async def test_app_login_only(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, token: str
) -> None:
    """The other reading of §10 q7: REST refuses the HA API token until the app login."""
    url = f"{simulator.rest_url}/getcontracts"
    assert (await _get(http, url, token))[0] == 401
    async with http.ws_connect(simulator.app_url) as ws:
        await ws.send_json(
            {
                "command": "VALIDATE_PASSWORD",
                "username": "owner@example.com",
                "password": SJCL_PASSWORD,
            }
        )
        reply = await ws.receive_json(timeout=2)
    assert reply["accepted"] is True
    status, _ = await _get(http, url, reply["token"])
    assert status == 200


async def test_bad_requests(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, token: str
) -> None:
    assert (await _page(http, simulator, token, 0))[0] == 400
    async with http.post(
        f"{simulator.rest_url}/gettransactions?page=1",
        data=b"{not json",
        headers={"Authorization": f"Token {token}"},
    ) as response:
        assert response.status == 400
    status, _ = await _get(http, f"{simulator.rest_url}/chargepointstatus", token)
    assert status == 400
    simulator.rest.fail_next(503)
    assert (await _get(http, f"{simulator.rest_url}/getgrids", token))[0] == 503
    assert (await _get(http, f"{simulator.rest_url}/getgrids", token))[0] == 200


async def test_status_contracts_and_grids(
    simulator: BlueCurrentSimulator, http: aiohttp.ClientSession, token: str
) -> None:
    status, body = await _get(
        http, f"{simulator.rest_url}/chargepointstatus", token, evse_id="BCU101"
    )
    assert status == 200
    data = body["data"]
    assert data["evse_id"] == "BCU101"
    assert data["activity"] == "charging"
    assert re.match(r"^\d{8} \d{2}:\d{2}:\d{2}$", data["start_datetime"])
    assert data["offline_since"] == ""

    _, body = await _get(http, f"{simulator.rest_url}/getcontracts", token)
    (contract,) = body["contracts"]
    assert set(contract) == {
        "contract_id",
        "contact_email",
        "subscription_type",
        "beneficiary_name",
        "iban_beneficiary",
    }
    assert contract["subscription_type"] == "BASIS"
    assert contract["contact_email"] == "owner@example.com"

    _, body = await _get(http, f"{simulator.rest_url}/getgrids", token)
    (grid,) = body["grids"]
    assert grid["id"] == "GRID-BCU101"
    assert grid["smart_charging"] is False
    assert set(grid["address"]) == {
        "street",
        "housenumber",
        "postal_code",
        "city",
        "country",
        "region",
    }
    assert [r.path.rsplit("/", 1)[1] for r in simulator.rest.requests] == [
        "chargepointstatus",
        "getcontracts",
        "getgrids",
    ]


async def test_history_is_repeatable(socket_enabled: None) -> None:
    """The same scenario and clock give the same ledger (tests can rely on it)."""

    def ledger() -> list[tuple[str, datetime, datetime, float]]:
        scenario = Scenario.from_file(SCENARIO)
        scenario.accounts[0].history_days = HISTORY_DAYS
        sim = BlueCurrentSimulator(scenario, clock=SimClock(START))
        return [(t.evse_id, t.started_at, t.ended_at, t.kwh) for t in sim.rest.transactions()]

    first = ledger()
    assert first == ledger()
    assert len(first) > HISTORY_DAYS
