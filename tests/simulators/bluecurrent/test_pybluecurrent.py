"""pybluecurrent 0.4.1 itself against the simulator, over real sockets.

pybluecurrent's base URLs are class attributes meant to be overridden; a subclass points them at
the simulator. Nothing of pybluecurrent is patched. Its reconnect supervisor is switched off
(`auto_reconnect`, a class attribute too) so that a failing test ends instead of reconnecting.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from pybluecurrent import BlueCurrentClient
from pybluecurrent.exceptions import AuthenticationFailed, BlueCurrentException

from simulators.bluecurrent import BlueCurrentSimulator, Scenario, SimClock, SimulatorOptions
from simulators.bluecurrent.zone import AMSTERDAM

from .helpers import OTHER_TOKEN, TOKEN

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

SCENARIO = Path(__file__).parents[3] / "simulators" / "bluecurrent" / "scenarios" / "test.json"
HISTORY_DAYS = 60
DUAL = "BCU103"  # a dual-socket charge point added to the test account
CARD = "04A1B2C3D4E5F6"


@pytest.fixture
async def simulator(socket_enabled: None) -> AsyncIterator[BlueCurrentSimulator]:
    """The test scenario with two months of history, served the way pybluecurrent reads it."""
    scenario = Scenario.from_file(SCENARIO)
    scenario.accounts[0].history_days = HISTORY_DAYS
    options = SimulatorOptions(
        settings_include_profiles=True,
        rest_transaction_extras=True,
        pnc_no_card_uid="BCU_HOME_USE",
    )
    async with BlueCurrentSimulator(scenario, options=options, clock=SimClock()) as sim:
        sim.add_charge_point(TOKEN, {"evse_id": DUAL, "socket_ids": [1, 2]})
        yield sim


def client_class(sim: BlueCurrentSimulator) -> type[BlueCurrentClient]:
    """pybluecurrent pointed at the simulator through its overridable class attributes."""
    base = f"http://{sim.host}:{sim.port}"
    return type(
        "SimulatedBlueCurrentClient",
        (BlueCurrentClient,),
        {
            "_api_base": f"{base}/app/bc_api/api",
            "_bce_api_base": f"{base}/app/bce_api/api",
            "socket_url": sim.app_url,
            "auto_reconnect": False,
        },
    )


@pytest.fixture
async def client(simulator: BlueCurrentSimulator) -> AsyncIterator[BlueCurrentClient]:
    """pybluecurrent logged in with the test account's API token."""
    async with client_class(simulator)(api_token=TOKEN) as connected:
        yield connected


async def test_login_with_api_token(
    simulator: BlueCurrentSimulator, client: BlueCurrentClient
) -> None:
    assert client.customer_id == "1001"
    assert client.token == simulator.auth_token(TOKEN)
    account = await client.get_account()
    assert account["login"] == "owner@example.com"
    assert await client.get_sustainability_status() == {"trees": 1, "co2": 12.345}
    cards = {card["uid"]: card for card in await client.get_charge_cards()}
    assert set(cards) == {CARD, "0499887766554433"}
    assert all(isinstance(card["date_created"], date | None) for card in cards.values())
    commands = simulator.commands()
    assert [c["command"] for c in commands[:2]] == ["VALIDATE_API_TOKEN", "HELLO"]


async def test_login_with_password_sends_an_sjcl_envelope(
    simulator: BlueCurrentSimulator,
) -> None:
    async with client_class(simulator)(username="owner@example.com", password="s3cret") as app:
        assert (await app.get_account())["email"] == "owner@example.com"
    login = simulator.commands("VALIDATE_PASSWORD")[0]
    assert "s3cret" not in login["password"]


async def test_bad_credentials_fail_the_login(simulator: BlueCurrentSimulator) -> None:
    with pytest.raises(AuthenticationFailed):
        async with client_class(simulator)(api_token="not-a-token"):
            pass
    with pytest.raises(AuthenticationFailed):
        async with client_class(simulator)(username="nobody@example.com", password="x"):
            pass


async def test_charge_points_and_settings(client: BlueCurrentClient) -> None:
    points = {p["evse_id"]: p for p in await client.get_charge_points()}
    assert set(points) == {"BCU101", "BCU102", DUAL}
    assert points["BCU101"]["socket_ids"] == [1]
    assert points[DUAL]["socket_ids"] == [1, 2]
    assert points["BCU101"]["plug_and_charge_charge_card"] is None  # no card: home use
    settings = await client.get_charge_point_settings("BCU101")
    assert settings["capacity_tariff"] == {"value": False, "permission": "write", "max_kwh": None}
    assert settings["delayed_charging"] == {"value": False, "permission": "write"}
    grid = await client.get_grid_status("BCU101")
    assert grid["id"] == "GRID-BCU101"


async def test_delayed_charging_schedule_reads_back(
    simulator: BlueCurrentSimulator, client: BlueCurrentClient
) -> None:
    await client.set_delayed_charging_schedule("BCU101", "23:00", time(7, 0), ["mo", 4])
    await client.set_delayed_charging("BCU101", enabled=True)
    delayed = (await client.get_charge_point_settings("BCU101"))["delayed_charging"]
    assert delayed["value"] is True
    assert delayed["start_time"] == time(23, 0)
    assert delayed["end_time"] == time(7, 0)
    assert delayed["days"] == [1, 4]
    assert simulator.charge_point("BCU101").smart_charging is True


async def test_price_based_settings_read_back(client: BlueCurrentClient) -> None:
    await client.set_price_based_charging("BCU101", enabled=True)
    await client.set_price_based_charging_settings("BCU101", "7:30", 30, 12.5)
    price = (await client.get_charge_point_settings("BCU101"))["price_based_charging"]
    assert price["value"] is True
    assert price["expected_departure_time"] == time(7, 30)
    assert price["expected_kwh"] == 30
    assert price["minimum_kwh"] == 12.5


async def test_capacity_tariff_on_and_off(
    simulator: BlueCurrentSimulator, client: BlueCurrentClient
) -> None:
    await client.set_capacity_tariff("BCU101", enabled=True, max_kwh=4.5)
    tariff = (await client.get_charge_point_settings("BCU101"))["capacity_tariff"]
    assert tariff == {"value": True, "permission": "write", "max_kwh": 4.5}
    await client.set_capacity_tariff("BCU101", enabled=False)
    assert simulator.charge_point("BCU101").capacity_tariff is False
    sent = simulator.commands("SET_CAPACITY_TARIFF")
    assert sent[0] == {"evse_id": "BCU101", "value": True, "capacitytariffmaxkwh": 4.5}


async def test_boost_overrides_the_delay(
    simulator: BlueCurrentSimulator, client: BlueCurrentClient
) -> None:
    await client.set_delayed_charging("BCU101", enabled=True)
    before = await client.get_charge_point_status("BCU101")
    assert before["activity"] == "delayed"  # the default window is the whole day
    assert before["boosting"] is False
    await client.boost("BCU101")
    after = await client.get_charge_point_status("BCU101")
    assert after["boosting"] is True
    assert after["activity"] == "charging"
    assert simulator.commands("OVERRIDE_DELAYED_CHARGING_TIMEOUT") == [{"evse_id": "BCU101"}]


async def test_status_per_socket(
    simulator: BlueCurrentSimulator, client: BlueCurrentClient
) -> None:
    single = await client.get_charge_point_status("BCU101")
    assert single["socket_id"] == 1
    assert single["activity"] == "charging"
    assert single["start_datetime"] is not None
    statuses = await client.get_charge_point_statuses(DUAL)
    assert [s["socket_id"] for s in statuses] == [1, 2]
    with pytest.raises(ValueError, match="specify which one"):
        await client.get_charge_point_status(DUAL)
    await simulator.set_offline(DUAL)
    second = await client.get_charge_point_status(DUAL, socket_id=2)
    assert second["activity"] == "offline"


async def test_set_status_is_confirmed_by_a_push(
    simulator: BlueCurrentSimulator, client: BlueCurrentClient
) -> None:
    await client.set_status(DUAL, enabled=False, socket_id=2)
    statuses = await client.get_charge_point_statuses(DUAL)
    assert [s["activity"] for s in statuses] == ["available", "unavailable"]
    await client.set_status("BCU101", enabled=False)
    assert simulator.charge_point("BCU101").activity == "unavailable"
    assert simulator.charge_point("BCU101").session is None  # blocking ends the session
    await client.set_status("BCU101", enabled=True)
    assert simulator.charge_point("BCU101").operative is True
    posted = simulator.commands("SET_INOPERATIVE")
    assert posted[0]["socket_id"] == 2
    assert posted[1] == {
        "chargepoint_id": "BCU101",
        "socket_id": 1,
        "flow_id": posted[1]["flow_id"],
    }


async def test_set_status_fails_while_offline(
    simulator: BlueCurrentSimulator, client: BlueCurrentClient
) -> None:
    await simulator.set_offline("BCU101")
    with pytest.raises(BlueCurrentException, match="TIMEOUT"):
        await client.set_status("BCU101", enabled=False)
    assert simulator.charge_point("BCU101").operative is True


async def test_unlock_connector(simulator: BlueCurrentSimulator, client: BlueCurrentClient) -> None:
    await client.unlock_connector("BCU101")
    assert simulator.commands("UNLOCK_CONNECTOR") == [
        {"chargepoint_id": "BCU101", "socket_id": 1, "flow_id": "flow"}
    ]
    with pytest.raises(ValueError, match="no socket 3"):
        await client.unlock_connector(DUAL, socket_id=3)
    await simulator.set_offline("BCU101")
    with pytest.raises(BlueCurrentException, match="TIMEOUT"):
        await client.unlock_connector("BCU101")


async def test_plug_and_charge_card(
    simulator: BlueCurrentSimulator, client: BlueCurrentClient
) -> None:
    await client.set_plug_and_charge_charge_card("BCU101", CARD)
    assert simulator.charge_point("BCU101").plug_and_charge_card == CARD
    card = (await client.get_charge_point_settings("BCU101"))["plug_and_charge_charge_card"]
    assert card is not None
    assert card["uid"] == CARD
    await client.set_plug_and_charge_charge_card("BCU101", None)
    assert simulator.commands("SET_PLUG_AND_CHARGE_CHARGE_CARD")[-1]["token_uid"] == "BCU-APP"
    settings = await client.get_charge_point_settings("BCU101")
    assert settings["plug_and_charge_charge_card"] is None
    with pytest.raises(BlueCurrentException):
        await client.set_plug_and_charge_charge_card("BCU101", "UNKNOWN-CARD")


async def test_soft_reset_and_reboot(
    simulator: BlueCurrentSimulator, client: BlueCurrentClient
) -> None:
    await client.soft_reset("BCU101")
    await client.reboot("BCU101")
    simulator.faults.fail_next("REBOOT", "REJECTED")
    with pytest.raises(BlueCurrentException, match="REJECTED"):
        await client.reboot("BCU101")


async def test_whole_transaction_history(
    simulator: BlueCurrentSimulator, client: BlueCurrentClient
) -> None:
    expected = simulator.rest.transactions(evse_id="BCU101")
    assert len(expected) > 25  # more than one page
    first = await client.get_transactions("BCU101")
    assert first["next_page"] == 2
    assert first["total_transactions"] == len(expected)
    history = [t async for t in client.iterate_transactions("BCU101", newest_first=False)]
    assert [t["transaction_id"] for t in history] == [t.transaction_id for t in expected]
    assert history[-1]["socket_id"] == 1
    assert history[-1]["end_time"] == expected[-1].ended_at.astimezone(AMSTERDAM).replace(
        tzinfo=None
    )


async def test_transactions_between_dates(
    simulator: BlueCurrentSimulator, client: BlueCurrentClient
) -> None:
    today = simulator.clock.local_now(AMSTERDAM).date()
    first, last = today - timedelta(days=20), today - timedelta(days=10)
    page = await client.get_transactions("BCU101", start_date=first, end_date=last)
    days = [t["end_time"].date() for t in page["transactions"]]
    expected = [
        t
        for t in simulator.rest.transactions(evse_id="BCU101")
        if first <= t.ended_at.astimezone(AMSTERDAM).date() <= last
    ]
    assert expected
    assert len(days) == len(expected)
    assert all(first <= day <= last for day in days)
    assert (
        simulator.rest.requests[-1].query["start_date"] == f"{first.day}-{first.month}-{first.year}"
    )


async def test_contracts_and_grids(client: BlueCurrentClient) -> None:
    contracts = await client.get_contracts()
    assert contracts[0]["contact_email"] == "owner@example.com"
    grids = await client.get_grids()
    assert {g["id"] for g in grids} >= {"GRID-BCU101", f"GRID-{DUAL}"}


async def test_api_token_read_and_rotated(
    simulator: BlueCurrentSimulator, client: BlueCurrentClient
) -> None:
    assert await client.get_api_token() == TOKEN
    rotated = await client.generate_api_token()
    assert rotated != TOKEN
    with pytest.raises(AuthenticationFailed):
        async with client_class(simulator)(api_token=TOKEN):
            pass
    async with client_class(simulator)(api_token=rotated) as again:
        assert again.customer_id == "1001"


async def test_error_statuses(simulator: BlueCurrentSimulator, client: BlueCurrentClient) -> None:
    with pytest.raises(httpx.HTTPStatusError) as forbidden:
        await client.get_charge_point_statuses("BCU900")  # the neighbour's
    assert forbidden.value.response.status_code == 403
    with pytest.raises(BlueCurrentException) as refused:
        await client.set_delayed_charging("BCU900", enabled=True)
    assert refused.value.args[0] == {"object": "ERROR", "error": 2, "message": "Not authorized"}
    simulator.rest.fail_next(503)
    with pytest.raises(httpx.HTTPStatusError) as unavailable:
        await client.get_contracts()
    assert unavailable.value.response.status_code == 503
    with pytest.raises(BlueCurrentException, match="Not authorized"):
        await client.get_grid_status("BCU900")
    simulator.revoke_token(TOKEN)
    with pytest.raises(httpx.HTTPStatusError) as unauthorised:
        await client.get_grids()
    assert unauthorised.value.response.status_code == 401
    assert simulator.auth_token(OTHER_TOKEN) is None  # the neighbour never logged in


async def test_transactions_start_day_filter_option(socket_enabled: None) -> None:
    scenario = Scenario.from_file(SCENARIO)
    scenario.accounts[0].history_days = HISTORY_DAYS
    options = SimulatorOptions(rest_date_filter="started")
    async with (
        BlueCurrentSimulator(scenario, options=options) as sim,
        client_class(sim)(api_token=TOKEN) as client,
    ):
        today = sim.clock.local_now(AMSTERDAM).date()
        page = await client.get_transactions("BCU101", start_date=today - timedelta(days=5))
    starts = [t["started_at"].date() for t in page["transactions"]]
    assert starts
    assert min(starts) >= today - timedelta(days=5)
    assert isinstance(starts[0], date)


async def test_capacity_tariff_where_the_account_lacks_it(
    simulator: BlueCurrentSimulator, client: BlueCurrentClient
) -> None:
    simulator.charge_point("BCU102").capacity_tariff_permission = "none"
    points = {p["evse_id"]: p for p in await client.get_charge_points()}
    assert points["BCU102"]["capacity_tariff"]["permission"] == "none"
    assert points["BCU101"]["capacity_tariff"]["permission"] == "write"
    simulator.charge_point("BCU102").capacity_tariff = True
    with pytest.raises(BlueCurrentException, match="Unknown error"):
        await client.set_capacity_tariff("BCU102", enabled=False)
    assert simulator.charge_point("BCU102").capacity_tariff is True  # refused: unchanged
