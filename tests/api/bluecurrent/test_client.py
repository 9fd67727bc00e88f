"""The client against the simulator: every command, its reply model and its wire payload."""

from __future__ import annotations

import asyncio
import logging
from datetime import time

import pytest

from custom_components.ev_charge_points.api.bluecurrent import (
    NO_CARD,
    Activity,
    BlueCurrentClient,
    BlueCurrentCommandRejectedError,
    BlueCurrentConnectionError,
    BlueCurrentInvalidTokenError,
    BlueCurrentNoActiveSessionError,
    ChargePoints,
    ChargePointSettings,
    ChargePointStatus,
    CommandResult,
    GridCurrent,
    GridStatus,
    Hello,
    SettingResult,
    VehicleStatus,
    Weekday,
)
from simulators.bluecurrent import BlueCurrentSimulator, SimulatorOptions

from .helpers import TOKEN, Live, eventually, make_client


def auth(sim: BlueCurrentSimulator) -> str:
    token = sim.auth_token(TOKEN)
    assert token
    return f"Token {token}"


# --- one-shot commands -------------------------------------------------------------------------


async def test_validate_token(simulator: BlueCurrentSimulator, client: BlueCurrentClient) -> None:
    assert client.customer_id is None
    assert await client.validate_token() == "1001"
    assert client.customer_id == "1001"
    assert simulator.commands("VALIDATE_API_TOKEN") == [
        {"command": "VALIDATE_API_TOKEN", "token": TOKEN}
    ]
    assert client.requests_sent == 1
    assert not client.connected
    # The one-shot socket is closed again.
    await eventually(lambda: simulator.open_connections == 0)


async def test_validate_bad_token(simulator: BlueCurrentSimulator) -> None:
    client = make_client(simulator.url, api_token="wrong")
    with pytest.raises(BlueCurrentInvalidTokenError):
        await client.validate_token()
    assert client.customer_id is None
    assert simulator.commands("VALIDATE_API_TOKEN") == [
        {"command": "VALIDATE_API_TOKEN", "token": "wrong"}
    ]
    with pytest.raises(BlueCurrentInvalidTokenError):
        await client.connect()
    assert not client.connected


async def test_get_account_validates_first(
    simulator: BlueCurrentSimulator, client: BlueCurrentClient
) -> None:
    account = await client.get_account()
    assert account.login == "owner@example.com"
    assert account.email == "owner@example.com"
    assert account.full_name == "Test Owner"
    assert [rc.name for rc in simulator.received] == ["VALIDATE_API_TOKEN", "GET_ACCOUNT"]
    assert simulator.commands("GET_ACCOUNT") == [
        {"command": "GET_ACCOUNT", "Authorization": auth(simulator)}
    ]
    # Two one-shot sockets, no long-lived one.
    assert simulator.connection_attempts == 2
    assert client.requests_sent == 2
    await client.get_account()
    assert len(simulator.commands("VALIDATE_API_TOKEN")) == 1


# --- long-lived socket -------------------------------------------------------------------------


async def test_connect_sends_hello(simulator: BlueCurrentSimulator, live: Live) -> None:
    assert live.client.connected
    assert simulator.commands("HELLO") == [
        {"command": "HELLO", "header": "homeassistant", "Authorization": auth(simulator)}
    ]
    assert simulator.open_connections == 1
    assert live.messages == [Hello()]
    # connect() again while connected is a no-op.
    await live.client.connect()
    assert len(simulator.commands("HELLO")) == 1


async def test_get_charge_points(simulator: BlueCurrentSimulator, live: Live) -> None:
    points = await live.client.get_charge_points()
    assert [point.evse_id for point in points] == ["BCU101", "BCU102"]
    driveway, garage = points
    assert driveway.name == "Driveway"
    assert driveway.model_type == "H:MOVE-C32T2"
    assert driveway.activity is Activity.CHARGING
    assert driveway.plug_and_charge.value is True
    assert driveway.linked_charge_cards_only is True
    assert driveway.tariff is not None
    assert driveway.tariff.price_in_vat == 0.25
    assert driveway.tariff.currency == "EUR"
    assert garage.activity is Activity.AVAILABLE
    assert garage.linked_charge_cards_only is False
    assert garage.plug_and_charge_card is not None
    assert simulator.commands("GET_CHARGE_POINTS") == [
        {"command": "GET_CHARGE_POINTS", "Authorization": auth(simulator)}
    ]
    assert isinstance(live.messages[-1], ChargePoints)


async def test_get_status(simulator: BlueCurrentSimulator, live: Live) -> None:
    status = await live.client.get_status("BCU101")
    assert status.evse_id == "BCU101"
    assert status.activity is Activity.CHARGING
    assert status.vehicle_status is VehicleStatus.READY
    assert all(current is not None and current > 0 for current in status.currents)
    assert all(voltage is not None and voltage > 200 for voltage in status.voltages)
    assert status.max_usage == 16
    assert status.smart_charging_max_usage == 6
    assert status.session_start is not None
    assert status.session_energy_kwh is not None
    assert "session_stop" in status.present
    idle = await live.client.get_status("BCU102")
    assert idle.activity is Activity.AVAILABLE
    assert idle.currents == (0.0, 0.0, 0.0)
    assert simulator.commands("GET_CH_STATUS") == [
        {"command": "GET_CH_STATUS", "evse_id": "BCU101", "Authorization": auth(simulator)},
        {"command": "GET_CH_STATUS", "evse_id": "BCU102", "Authorization": auth(simulator)},
    ]


async def test_pipelined_requests_resolve_by_evse(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    status_1, status_2, settings_1, settings_2, grid = await asyncio.gather(
        live.client.get_status("BCU101"),
        live.client.get_status("BCU102"),
        live.client.get_settings("BCU101"),
        live.client.get_settings("BCU102"),
        live.client.get_grid_status("BCU101"),
    )
    assert (status_1.evse_id, status_1.activity) == ("BCU101", Activity.CHARGING)
    assert (status_2.evse_id, status_2.activity) == ("BCU102", Activity.AVAILABLE)
    assert (settings_1.evse_id, settings_1.plug_and_charge.value) == ("BCU101", True)
    assert (settings_2.evse_id, settings_2.plug_and_charge.value) == ("BCU102", False)
    assert grid.grid_id == "GRID-BCU101"
    assert [p["evse_id"] for p in simulator.commands("GET_CH_STATUS")] == ["BCU101", "BCU102"]


async def test_push_for_other_evse_does_not_answer_a_request(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    await live.client.get_charge_points()  # pushes start once the evse is listed
    simulator.faults.delay_replies(0.3)
    request = asyncio.create_task(live.client.get_status("BCU102"))
    await simulator.wait_for_command("GET_CH_STATUS")
    await simulator.push_status("BCU101")  # arrives before the delayed reply
    push = await live.wait_for(ChargePointStatus, lambda s: s.evse_id == "BCU101")
    assert not request.done()
    status = await request
    assert status.evse_id == "BCU102"
    assert push.activity is Activity.CHARGING


async def test_same_evse_requests_resolve_in_order(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    first, second = await asyncio.gather(
        live.client.get_status("BCU101"), live.client.get_status("BCU101")
    )
    assert first.evse_id == second.evse_id == "BCU101"
    assert len(simulator.commands("GET_CH_STATUS", evse_id="BCU101")) == 2


@pytest.mark.parametrize(
    "simulator_options",
    [
        SimulatorOptions(pnc_card_key="plug_and_charge_card"),
        SimulatorOptions(pnc_card_key="plug_and_charge_charge_card"),
    ],
)
async def test_get_settings_card_key_variants(simulator: BlueCurrentSimulator, live: Live) -> None:
    settings = await live.client.get_settings("BCU102")
    assert isinstance(settings, ChargePointSettings)
    assert settings.evse_id == "BCU102"
    assert settings.public_charging.value is True
    assert settings.linked_charge_cards_only is False
    assert settings.plug_and_charge_card is not None
    assert settings.preferred_card is not None
    assert settings.preferred_card.uid == "04A1B2C3D4E5F6"
    assert simulator.commands("GET_CH_SETTINGS") == [
        {"command": "GET_CH_SETTINGS", "evse_id": "BCU102", "Authorization": auth(simulator)}
    ]


async def test_get_grid_status(simulator: BlueCurrentSimulator, live: Live) -> None:
    grid = await live.client.get_grid_status("BCU101")
    assert isinstance(grid, GridStatus)
    assert grid.grid_id == "GRID-BCU101"
    assert grid.evse_id == "BCU101"
    assert grid.max_installed == 40
    assert grid.max_reserved == 25
    assert all(current is not None and current > 0 for current in grid.currents)
    assert simulator.commands("GET_GRID_STATUS") == [
        {"command": "GET_GRID_STATUS", "evse_id": "BCU101", "Authorization": auth(simulator)}
    ]


async def test_get_charge_cards(simulator: BlueCurrentSimulator, live: Live) -> None:
    cards = await live.client.get_charge_cards()
    assert [card.uid for card in cards.cards] == ["04A1B2C3D4E5F6", "0499887766554433"]
    assert cards.cards[0].name == "Owner card"
    assert cards.cards[0].valid is True
    assert cards.default_card is not None
    assert cards.default_card.uid == NO_CARD
    assert simulator.commands("GET_CHARGE_CARDS") == [
        {"command": "GET_CHARGE_CARDS", "limit": 100, "Authorization": auth(simulator)}
    ]


async def test_pushes_reach_subscribers(simulator: BlueCurrentSimulator, live: Live) -> None:
    await live.client.get_charge_points()
    mark = len(live.messages)
    await simulator.clock.advance(30)
    status = await live.wait_for(ChargePointStatus, after=mark)
    grid = await live.wait_for(GridCurrent, after=mark)
    assert status.evse_id == "BCU101"
    assert grid.evse_id == "BCU101"
    assert all(current is not None for current in grid.currents)
    # Unsubscribed callbacks see nothing more.
    seen: list[object] = []
    unsubscribe = live.client.subscribe(seen.append)
    await simulator.push_status("BCU102")
    await live.wait_for(ChargePointStatus, lambda s: s.evse_id == "BCU102", after=mark)
    assert len(seen) == 1
    unsubscribe()
    unsubscribe()  # idempotent
    await simulator.push_grid("GRID-BCU101")
    mark = len(live.messages)
    await simulator.push_status("BCU102")
    await live.wait_for(ChargePointStatus, after=mark)
    assert len(seen) == 1


async def test_subscriber_error_does_not_stop_listening(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    def broken(_: object) -> None:
        raise RuntimeError("subscriber bug")

    live.client.subscribe(broken)
    assert (await live.client.get_status("BCU101")).evse_id == "BCU101"
    assert live.client.connected


# --- settings ----------------------------------------------------------------------------------


async def test_set_linked_charge_cards_only(simulator: BlueCurrentSimulator, live: Live) -> None:
    assert await live.client.set_linked_charge_cards_only("BCU102", True) is True
    assert await live.client.set_linked_charge_cards_only("BCU102", False) is False
    assert simulator.commands("SET_PUBLIC_CHARGING") == [
        {
            "command": "SET_PUBLIC_CHARGING",
            "evse_id": "BCU102",
            "value": False,
            "Authorization": auth(simulator),
        },
        {
            "command": "SET_PUBLIC_CHARGING",
            "evse_id": "BCU102",
            "value": True,
            "Authorization": auth(simulator),
        },
    ]
    results = [m for m in live.messages if isinstance(m, SettingResult)]
    assert [(r.setting, r.value) for r in results] == [
        ("linked_charge_cards_only", True),
        ("linked_charge_cards_only", False),
    ]
    acks = [m for m in live.messages if isinstance(m, CommandResult)]
    assert [ack.command for ack in acks] == ["SET_PUBLIC_CHARGING"] * 2
    points = await live.client.get_charge_points()
    assert points[1].linked_charge_cards_only is False


async def test_set_plug_and_charge(simulator: BlueCurrentSimulator, live: Live) -> None:
    assert await live.client.set_plug_and_charge("BCU102", True) is True
    assert simulator.commands("SET_PLUG_AND_CHARGE") == [
        {
            "command": "SET_PLUG_AND_CHARGE",
            "evse_id": "BCU102",
            "value": True,
            "Authorization": auth(simulator),
        }
    ]
    assert (await live.client.get_settings("BCU102")).plug_and_charge.value is True
    assert await live.client.set_plug_and_charge("BCU102", False) is False
    assert (await live.client.get_settings("BCU102")).plug_and_charge.value is False


async def test_set_plug_and_charge_card(simulator: BlueCurrentSimulator, live: Live) -> None:
    await live.client.set_plug_and_charge_card("BCU101", "0499887766554433")
    settings = await live.client.get_settings("BCU101")
    assert settings.plug_and_charge_card is not None
    assert settings.plug_and_charge_card.uid == "0499887766554433"
    await live.client.set_plug_and_charge_card("BCU101", None)
    assert [p["token_uid"] for p in simulator.commands("SET_PLUG_AND_CHARGE_CHARGE_CARD")] == [
        "0499887766554433",
        NO_CARD,
    ]
    with pytest.raises(BlueCurrentCommandRejectedError) as err:
        await live.client.set_plug_and_charge_card("BCU101", "UNKNOWN")
    assert err.value.command == "SET_PLUG_AND_CHARGE_CHARGE_CARD"
    assert err.value.evse_id == "BCU101"


# --- actions -----------------------------------------------------------------------------------


async def test_block_and_unblock(simulator: BlueCurrentSimulator, live: Live) -> None:
    await live.client.get_charge_points()
    mark = len(live.messages)
    await live.client.block("BCU102", True)
    blocked = await live.wait_for(ChargePointStatus, lambda s: s.evse_id == "BCU102", after=mark)
    assert blocked.activity is Activity.UNAVAILABLE
    mark = len(live.messages)
    await live.client.block("BCU102", False)
    unblocked = await live.wait_for(ChargePointStatus, lambda s: s.evse_id == "BCU102", after=mark)
    assert unblocked.activity is Activity.AVAILABLE
    assert simulator.commands("SET_INOPERATIVE") == [
        {"command": "SET_INOPERATIVE", "evse_id": "BCU102", "Authorization": auth(simulator)}
    ]
    assert simulator.commands("SET_OPERATIVE") == [
        {"command": "SET_OPERATIVE", "evse_id": "BCU102", "Authorization": auth(simulator)}
    ]


@pytest.mark.parametrize(
    ("method", "command"),
    [
        ("soft_reset", "SOFT_RESET"),
        ("reboot", "REBOOT"),
        ("unlock_connector", "UNLOCK_CONNECTOR"),
    ],
)
async def test_simple_actions(
    simulator: BlueCurrentSimulator, live: Live, method: str, command: str
) -> None:
    await getattr(live.client, method)("BCU101")
    assert simulator.commands(command) == [
        {"command": command, "evse_id": "BCU101", "Authorization": auth(simulator)}
    ]
    result = await live.wait_for(CommandResult, lambda r: r.stage == "status")
    assert (result.command, result.evse_id, result.failed) == (command, "BCU101", False)


async def test_start_and_stop_session(simulator: BlueCurrentSimulator, live: Live) -> None:
    await live.client.get_charge_points()
    await simulator.plug_in("BCU102")
    mark = len(live.messages)
    await live.client.start_session("BCU102")
    charging = await live.wait_for(
        ChargePointStatus,
        lambda s: s.evse_id == "BCU102" and s.activity is Activity.CHARGING,
        after=mark,
    )
    assert charging.session_start is not None
    await live.client.stop_session("BCU102")
    await live.client.start_session("BCU102", "04A1B2C3D4E5F6")
    assert [p.get("session_token") for p in simulator.commands("START_SESSION")] == [
        NO_CARD,
        "04A1B2C3D4E5F6",
    ]
    assert simulator.commands("STOP_SESSION") == [
        {"command": "STOP_SESSION", "evse_id": "BCU102", "Authorization": auth(simulator)}
    ]


async def test_stop_without_session(simulator: BlueCurrentSimulator, live: Live) -> None:
    with pytest.raises(BlueCurrentNoActiveSessionError) as err:
        await live.client.stop_session("BCU102")
    assert err.value.evse_id == "BCU102"
    assert "no active session" in err.value.reason
    assert live.client.connected


async def test_start_session_with_unknown_card_is_rejected(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    await simulator.plug_in("BCU102")
    with pytest.raises(BlueCurrentCommandRejectedError) as err:
        await live.client.start_session("BCU102", "NOT-A-CARD")
    assert err.value.reason == "REJECTED"
    assert type(err.value) is BlueCurrentCommandRejectedError


# --- smart charging ----------------------------------------------------------------------------


async def test_delayed_charging(simulator: BlueCurrentSimulator, live: Live) -> None:
    await live.client.set_delayed_charging("BCU102", True)
    await live.client.save_delayed_charging_schedule("BCU102", [4, 1], time(20, 0), time(10, 0))
    await live.client.override_delayed_charging_timeout("BCU102")
    assert simulator.commands("SET_DELAYED_CHARGING") == [
        {
            "command": "SET_DELAYED_CHARGING",
            "evse_id": "BCU102",
            "value": True,
            "Authorization": auth(simulator),
        }
    ]
    assert simulator.commands("SAVE_SCHEDULE_DELAYED_CHARGING") == [
        {
            "command": "SAVE_SCHEDULE_DELAYED_CHARGING",
            "evse_id": "BCU102",
            "days": "[1,4]",
            "start_time": "20:00",
            "end_time": "10:00",
            "Authorization": auth(simulator),
        }
    ]
    assert simulator.commands("OVERRIDE_DELAYED_CHARGING_TIMEOUT")[0]["value"] is True
    garage = (await live.client.get_charge_points())[1]
    assert garage.delayed_charging.value is True
    assert garage.smart_charging is True
    with pytest.raises(ValueError, match="days"):
        await live.client.save_delayed_charging_schedule("BCU102", [0], time(1), time(2))


async def test_price_based_charging(simulator: BlueCurrentSimulator, live: Live) -> None:
    await live.client.set_price_based_charging("BCU101", True)
    await live.client.set_price_based_settings(
        "BCU101", departure=time(14, 0), current_battery_pct=20
    )
    await live.client.set_price_based_settings("BCU101", minimum_pct=10, battery_size_kwh=60)
    await live.client.override_charging_profiles("BCU101")
    assert simulator.commands("PATCH_PRICE_BASED_CHARGING_SETTINGS") == [
        {
            "command": "PATCH_PRICE_BASED_CHARGING_SETTINGS",
            "evse_id": "BCU101",
            "expected_departure_time": "14:00",
            "current_battery_pct": 20,
            "Authorization": auth(simulator),
        },
        {
            "command": "PATCH_PRICE_BASED_CHARGING_SETTINGS",
            "evse_id": "BCU101",
            "minimum_pct": 10,
            "battery_size_kwh": 60,
            "Authorization": auth(simulator),
        },
    ]
    assert simulator.commands("OVERRIDE_CHARGING_PROFILES") == [
        {
            "command": "OVERRIDE_CHARGING_PROFILES",
            "evse_id": "BCU101",
            "value": True,
            "Authorization": auth(simulator),
        }
    ]
    driveway = (await live.client.get_charge_points())[0]
    assert driveway.price_based_charging.value is True
    with pytest.raises(ValueError, match="No price-based setting"):
        await live.client.set_price_based_settings("BCU101")


@pytest.mark.parametrize("simulator_options", [SimulatorOptions(smart_charging_replies="none")])
async def test_smart_charging_without_replies_is_accepted(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    await live.client.set_delayed_charging("BCU102", True)
    assert loop.time() - started >= 0.25  # it waited for the confirm timeout
    assert len(simulator.commands("SET_DELAYED_CHARGING")) == 1
    assert not [m for m in live.messages if isinstance(m, CommandResult)]
    # The state is read back from the next CHARGE_POINTS.
    assert (await live.client.get_charge_points())[1].delayed_charging.value is True
    assert live.client.connected


async def test_smart_charging_errors_raise(simulator: BlueCurrentSimulator, live: Live) -> None:
    simulator.faults.fail_next("SET_PRICE_BASED_CHARGING", "REJECTED")
    with pytest.raises(BlueCurrentCommandRejectedError):
        await live.client.set_price_based_charging("BCU101", True)
    simulator.faults.fail_next("SET_DELAYED_CHARGING", "not allowed", stage="received")
    with pytest.raises(BlueCurrentCommandRejectedError) as err:
        await live.client.set_delayed_charging("BCU101", True)
    assert err.value.reason == "not allowed"
    assert (await live.client.get_charge_points())[0].delayed_charging.value is False


# --- override-current schedules ----------------------------------------------------------------


async def test_override_current_schedules(simulator: BlueCurrentSimulator, live: Live) -> None:
    client = live.client
    assert await client.list_override_currents() == []
    created = await client.set_override_current(
        ["BCU101", "BCU102"],
        start_time=time(8, 0),
        start_days=[Weekday.MO, Weekday.TU],
        stop_time=time(18, 0),
        stop_days=[Weekday.MO, Weekday.TU],
        current=16,
    )
    assert created.charge_points == ("BCU101", "BCU102")
    assert created.current == 16.0
    assert created.start_days == (Weekday.MO, Weekday.TU)
    assert created.start_time == time(8, 0)
    assert simulator.commands("POST_SET_OVERRIDE_CURRENT") == [
        {
            "command": "POST_SET_OVERRIDE_CURRENT",
            "chargepoints": ["BCU101", "BCU102"],
            "overridestarttime": "08:00",
            "overridestartdays": ["MO", "TU"],
            "overridestoptime": "18:00",
            "overridestopdays": ["MO", "TU"],
            "overridevalue": 16.0,
            "Authorization": auth(simulator),
        }
    ]
    edited = await client.edit_override_current(
        created.schedule_id,
        ["BCU101"],
        start_time=time(7, 0),
        start_days=["WE"],
        stop_time=time(19, 0),
        stop_days=[Weekday.TH],
        current=10.5,
    )
    assert edited.schedule_id == created.schedule_id
    assert edited.charge_points == ("BCU101",)
    assert edited.stop_days == (Weekday.TH,)
    assert edited.current == 10.5
    edit_payload = simulator.commands("POST_EDIT_OVERRIDE_CURRENT")[0]
    assert edit_payload["schedule_id"] == created.schedule_id  # a string, as given
    assert edit_payload["overridestartdays"] == ["WE"]
    assert edit_payload["overridevalue"] == 10.5
    (listed,) = await client.list_override_currents()
    assert listed == edited
    await client.clear_override_current(created.schedule_id)
    assert simulator.commands("POST_CLEAR_OVERRIDE_CURRENT") == [
        {
            "command": "POST_CLEAR_OVERRIDE_CURRENT",
            "schedule_id": int(created.schedule_id),
            "Authorization": auth(simulator),
        }
    ]
    assert await client.list_override_currents() == []
    with pytest.raises(BlueCurrentCommandRejectedError):
        await client.clear_override_current(created.schedule_id)
    assert simulator.commands("LIST_OVERRIDE_CURRENT")[0] == {
        "command": "LIST_OVERRIDE_CURRENT",
        "Authorization": auth(simulator),
    }


# --- bookkeeping -------------------------------------------------------------------------------


async def test_requests_sent_counts_every_frame(
    simulator: BlueCurrentSimulator, client: BlueCurrentClient
) -> None:
    await client.get_account()
    session = Live(client)
    await session.start()
    try:
        await client.get_charge_points()
        await client.stop_session("BCU101")
        assert client.requests_sent == len(simulator.received) == 5
    finally:
        await session.close()


async def test_requests_need_a_connection(client: BlueCurrentClient) -> None:
    with pytest.raises(BlueCurrentConnectionError):
        await client.get_charge_points()
    with pytest.raises(BlueCurrentConnectionError):
        await client.listen()
    await client.disconnect()
    await client.disconnect()
    assert client.requests_sent == 0


async def test_disconnect_ends_listen_and_fails_pending(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    simulator.faults.delay_replies(1.0)
    pending = asyncio.create_task(live.client.get_status("BCU101"))
    await simulator.wait_for_command("GET_CH_STATUS")
    await live.client.disconnect()
    with pytest.raises(BlueCurrentConnectionError):
        await pending
    assert await live.ended() is None  # listen() returned normally
    assert not live.client.connected
    await live.client.disconnect()
    # A new connection works after disconnect (no new validation).
    simulator.faults.delay_replies(0)
    again = Live(live.client)
    await again.start()
    try:
        assert (await live.client.get_status("BCU102")).evse_id == "BCU102"
        assert len(simulator.commands("VALIDATE_API_TOKEN")) == 1
        assert len(simulator.commands("HELLO")) == 2
    finally:
        await again.close()


async def test_price_based_settings_in_kwh_older_form(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    """The older SET_PRICE_BASED_SETTINGS sends its kWh figures as strings."""
    await live.client.set_price_based_settings_kwh(
        "BCU101", departure=time(7, 30), expected_kwh=12, minimum_kwh=6.5
    )
    assert simulator.commands("SET_PRICE_BASED_SETTINGS") == [
        {
            "command": "SET_PRICE_BASED_SETTINGS",
            "evse_id": "BCU101",
            "expected_departure_time": "07:30",
            "expected_kwh": "12",
            "minimum_kwh": "6.5",
            "Authorization": auth(simulator),
        }
    ]


async def test_a_url_with_user_info_is_not_logged(
    simulator: BlueCurrentSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    """Old entries may hold a URL with user info: the connect log line shows the host only."""
    caplog.set_level(logging.DEBUG)
    url = simulator.url.replace("ws://", "ws://someone:s3cret@")
    client = make_client(url)
    await client.connect()
    await client.disconnect()
    assert "Connected to 127.0.0.1" in caplog.text
    assert "s3cret" not in caplog.text
