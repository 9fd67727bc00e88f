"""The REST client (§7) against the simulator: transactions with paging, contracts, grids, auth."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import aiohttp
import pytest

from custom_components.ev_charge_points.api.bluecurrent import (
    DEFAULT_APP_URL,
    DEFAULT_REST_URL,
    DEFAULT_URL,
    NO_CARD,
    BlueCurrentConnectionError,
    BlueCurrentLoginError,
    BlueCurrentRequestLimitError,
    BlueCurrentRestAuthError,
    BlueCurrentRestClient,
    BlueCurrentRestError,
    Sustainability,
    Transaction,
    TransactionPage,
    app_login,
    app_url_for,
    rest_url_for,
)
from simulators.bluecurrent import BlueCurrentSimulator, Scenario, SimClock, SimulatorOptions

from .helpers import make_client

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

START = datetime(2026, 3, 10, 12, 0, 0, tzinfo=UTC)
SCENARIO = Path(__file__).parents[3] / "simulators" / "bluecurrent" / "scenarios" / "test.json"
PASSPHRASE = "0123456789abcdef0123456789abcdef"  # made up: the app's constant is not shipped


@pytest.fixture
async def simulator(
    socket_enabled: None, simulator_options: SimulatorOptions
) -> AsyncIterator[BlueCurrentSimulator]:
    """The test scenario with three weeks of history, at a fixed instant."""
    scenario = Scenario.from_file(SCENARIO)
    scenario.accounts[0].history_days = 21
    async with BlueCurrentSimulator(
        scenario, options=simulator_options, clock=SimClock(START)
    ) as sim:
        yield sim


@pytest.fixture
async def session(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    """The caller's aiohttp session (Home Assistant's shared one in the integration)."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def auth_token(simulator: BlueCurrentSimulator) -> str:
    """The auth token of the HA API token (VALIDATE_API_TOKEN)."""
    client = make_client(simulator.url)
    await client.validate_token()
    token = client.auth_token
    assert token
    return token


@pytest.fixture
def rest(
    simulator: BlueCurrentSimulator, session: aiohttp.ClientSession, auth_token: str
) -> BlueCurrentRestClient:
    """A REST client with the API token's auth token."""
    return BlueCurrentRestClient(
        session, auth_token, base_url=rest_url_for(simulator.url), request_timeout=2
    )


def test_urls_follow_the_websocket_server() -> None:
    assert rest_url_for(DEFAULT_URL) == DEFAULT_REST_URL
    assert app_url_for(DEFAULT_URL) == DEFAULT_APP_URL
    assert rest_url_for("ws://127.0.0.1:8123/haserver") == (
        "http://127.0.0.1:8123/app/bc_api/api/v2.0"
    )
    assert rest_url_for("wss://example.test/haserver") == (
        "https://example.test/app/bc_api/api/v2.0"
    )
    assert app_url_for("ws://127.0.0.1:8123/haserver") == "ws://127.0.0.1:8123/appserver/2.0"


async def test_all_transactions_across_pages(
    simulator: BlueCurrentSimulator, rest: BlueCurrentRestClient, auth_token: str
) -> None:
    expected = simulator.rest.transactions(customer_id="1001")
    assert len(expected) > 25  # more than one page

    found = await rest.get_transactions(["BCU101", "BCU102"])

    assert len(found) == len(expected)
    by_id = {t.transaction_id: t for t in found}
    for record in expected:
        got = by_id[str(record.transaction_id)]
        assert got.evse_id == record.evse_id
        assert got.started_at == record.started_at
        assert got.ended_at == record.ended_at
        assert got.energy_kwh == record.kwh
        assert got.total_cost == record.total_costs
        assert got.total_cost_ex_vat == record.total_costs_ex_vat
        assert got.currency == "EUR"
        assert got.card_id == (NO_CARD if record.card_uid == NO_CARD else record.card_id)
    # Newest stop first, pages followed until next_page was null.
    stops = [t.ended_at for t in found]
    assert stops == sorted(stops, reverse=True)  # type: ignore[type-var]
    pages = [r for r in simulator.rest.requests if r.path.endswith("/gettransactions")]
    assert [r.query["page"] for r in pages] == [str(n) for n in range(1, len(pages) + 1)]
    assert len(pages) == -(-len(expected) // 25)
    assert all(r.query["sort_field"] == "stoppedtimestamp" for r in pages)
    assert rest.requests_sent == len(pages)


async def test_request_shape(
    simulator: BlueCurrentSimulator, session: aiohttp.ClientSession, auth_token: str
) -> None:
    """Token header and the app's raw-text body, seen from the server side."""
    seen: list[tuple[str | None, str | None, str]] = []

    async def capture(
        session: aiohttp.ClientSession,
        ctx: aiohttp.TraceRequestStartParams,
        params: aiohttp.TraceRequestStartParams,
    ) -> None:
        seen.append(
            (params.headers.get("Authorization"), params.headers.get("Content-Type"), params.method)
        )

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(capture)  # type: ignore[arg-type]
    async with aiohttp.ClientSession(trace_configs=[trace]) as traced:
        rest = BlueCurrentRestClient(traced, auth_token, base_url=rest_url_for(simulator.url))
        page = await rest.get_transactions_page(["BCU102"], 1, newest_first=False)
    assert seen == [(f"Token {auth_token}", None, "POST")]
    assert page.current_page == 1
    assert page.max_per_page == 25
    assert {t.evse_id for t in page.transactions} == {"BCU102"}
    starts = [t.ended_at for t in page.transactions]
    assert starts == sorted(starts)  # type: ignore[type-var]
    (request,) = simulator.rest.requests
    assert request.query["sort_field_order"] == "ASC"


async def test_since_stops_paging_early(
    simulator: BlueCurrentSimulator, rest: BlueCurrentRestClient
) -> None:
    since = START - timedelta(days=3)
    found = await rest.get_transactions(["BCU101", "BCU102"], since=since)
    expected = [t for t in simulator.rest.transactions(customer_id="1001") if t.ended_at >= since]
    assert {t.transaction_id for t in found} == {str(t.transaction_id) for t in expected}
    assert expected
    pages = [r for r in simulator.rest.requests if r.path.endswith("/gettransactions")]
    assert len(pages) == 1  # the newest page already reaches before `since`

    until = START - timedelta(days=10)
    window = await rest.get_transactions(["BCU101"], since=START - timedelta(days=14), until=until)
    assert window
    assert all(t.started_at < until for t in window)
    assert all((t.ended_at or t.started_at) >= START - timedelta(days=14) for t in window)


async def test_contracts(rest: BlueCurrentRestClient) -> None:
    (contract,) = await rest.get_contracts()
    assert contract.subscription_type == "BASIS"
    assert contract.contract_id == "CT-1001"
    assert "owner@example.com" not in repr(contract)  # personal data stays out of logs


async def test_refused_tokens(
    simulator: BlueCurrentSimulator, session: aiohttp.ClientSession
) -> None:
    base = rest_url_for(simulator.url)
    without = BlueCurrentRestClient(session, None, base_url=base)
    with pytest.raises(BlueCurrentRestAuthError):
        await without.get_contracts()
    assert simulator.rest.requests == []  # nothing is sent without a token

    wrong = BlueCurrentRestClient(session, "wrong", base_url=base)
    with pytest.raises(BlueCurrentRestAuthError) as caught:
        await wrong.get_transactions(["BCU101"])
    assert caught.value.status == 401


@pytest.mark.parametrize("simulator_options", [SimulatorOptions(rest_accepts_api_token=False)])
async def test_app_login_token_when_the_api_token_is_refused(
    simulator: BlueCurrentSimulator, session: aiohttp.ClientSession, auth_token: str
) -> None:
    base = rest_url_for(simulator.url)
    rest = BlueCurrentRestClient(session, auth_token, base_url=base)
    with pytest.raises(BlueCurrentRestAuthError):
        await rest.get_contracts()

    login = await app_login(
        "owner@example.com",
        "hunter2",
        passphrase=PASSPHRASE,
        url=app_url_for(simulator.url),
        request_timeout=2,
    )
    assert login.sustainability == Sustainability(trees=1, co2=12.345)
    assert "hunter2" not in repr(login)
    assert login.token not in repr(login)
    rest.token = login.token
    assert [c.subscription_type for c in await rest.get_contracts()] == ["BASIS"]
    assert simulator.open_connections == 0  # the app socket was closed again

    with pytest.raises(BlueCurrentLoginError):
        await app_login(
            "nobody@example.com",
            "hunter2",
            passphrase=PASSPHRASE,
            url=app_url_for(simulator.url),
            request_timeout=2,
        )


async def test_server_failures(
    simulator: BlueCurrentSimulator, rest: BlueCurrentRestClient, session: aiohttp.ClientSession
) -> None:
    simulator.rest.fail_next(503)
    with pytest.raises(BlueCurrentRestError) as caught:
        await rest.get_contracts()
    assert caught.value.status == 503
    assert not isinstance(caught.value, BlueCurrentRestAuthError)

    simulator.rest.fail_next(429)
    with pytest.raises(BlueCurrentRequestLimitError):
        await rest.get_transactions(["BCU101"])

    # A failure on a later page fails the whole read (no silently partial history).
    simulator.rest.requests.clear()
    original = simulator.rest.fail_next

    async def fail_second_page() -> list[Transaction]:
        found: list[Transaction] = []
        async for transaction in rest.iter_transactions(["BCU101", "BCU102"]):
            found.append(transaction)
            if len(found) == 1:
                original(500)
        return found

    with pytest.raises(BlueCurrentRestError):
        await fail_second_page()

    await simulator.stop()
    with pytest.raises(BlueCurrentConnectionError):
        await rest.get_contracts()


def test_unusable_items_are_skipped() -> None:
    good = {
        "transaction_id": 1,
        "chargepoint_id": "BCU1",
        "started_at": "01-07-2023 12:34:56",
        "end_time": "01-07-2023 14:00:00",
        "kwh": "12,34",
        "card_id": "BCU_HOME_USE",
        "total_costs": 5.97,
        "currency": "EUR",
    }
    page = TransactionPage.from_dict(
        {
            "data": {
                "current_page": 1,
                "next_page": None,
                "transactions": [good, {"transaction_id": 2}, "junk", dict(good, kwh=None)],
            }
        },
        page=1,
    )
    assert page.dropped == 2
    first, second = page.transactions
    assert first.energy_kwh == 12.34
    assert first.card_id == NO_CARD  # the app's home-use card is "no card"
    assert first.started_at == datetime(2023, 7, 1, 10, 34, 56, tzinfo=UTC)  # CEST
    assert first.duration == timedelta(hours=1, minutes=25, seconds=4)
    assert second.energy_kwh == 0.0
    assert page.next_page is None


async def test_paging_stops_on_a_looping_server(
    rest: BlueCurrentRestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A next_page that points back does not page forever."""
    calls: list[int] = []

    async def looping(
        evse_ids: list[str],
        page: int = 1,
        *,
        newest_first: bool = True,
    ) -> TransactionPage:
        calls.append(page)
        return TransactionPage.from_dict(
            {"data": {"current_page": page, "next_page": 1, "transactions": []}}, page=page
        )

    monkeypatch.setattr(rest, "get_transactions_page", looping)
    assert await rest.get_transactions(["BCU101"]) == []
    assert calls == [1]
