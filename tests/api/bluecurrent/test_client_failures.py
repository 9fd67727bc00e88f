"""The client against a misbehaving simulator: every failure mode the protocol knows."""

from __future__ import annotations

import asyncio
import logging
import ssl
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from custom_components.ev_charge_points.api.bluecurrent import (
    BlueCurrentAlreadyConnectedError,
    BlueCurrentClient,
    BlueCurrentCommandRejectedError,
    BlueCurrentCommandTimeoutError,
    BlueCurrentConnectionError,
    BlueCurrentError,
    BlueCurrentInvalidTokenError,
    BlueCurrentRequestLimitError,
    BlueCurrentServerError,
    ChargePointStatus,
    next_reset,
)
from simulators.bluecurrent import BlueCurrentSimulator, SimulatorOptions

from .helpers import TOKEN, Live, eventually, make_client

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

ACTIONS: list[tuple[str, Callable[[BlueCurrentClient], Awaitable[object]]]] = [
    ("SET_PUBLIC_CHARGING", lambda c: c.set_linked_charge_cards_only("BCU101", False)),
    ("SET_PLUG_AND_CHARGE", lambda c: c.set_plug_and_charge("BCU101", False)),
    ("SET_INOPERATIVE", lambda c: c.block("BCU101", True)),
    ("SET_OPERATIVE", lambda c: c.block("BCU101", False)),
    ("SOFT_RESET", lambda c: c.soft_reset("BCU101")),
    ("REBOOT", lambda c: c.reboot("BCU101")),
    ("UNLOCK_CONNECTOR", lambda c: c.unlock_connector("BCU101")),
    ("START_SESSION", lambda c: c.start_session("BCU101")),
    ("STOP_SESSION", lambda c: c.stop_session("BCU101")),
]
ACTION_IDS = [name for name, _ in ACTIONS]


def limit_reset_now() -> datetime:
    return next_reset(datetime.now(UTC))


# --- RECEIVED_ / STATUS_ failures ------------------------------------------------------------


@pytest.mark.parametrize(("command", "call"), ACTIONS, ids=ACTION_IDS)
async def test_action_rejected(
    simulator: BlueCurrentSimulator, live: Live, command: str, call: Callable
) -> None:
    simulator.faults.fail_next(command, "REJECTED")
    with pytest.raises(BlueCurrentCommandRejectedError) as err:
        await call(live.client)
    assert (err.value.command, err.value.evse_id, err.value.reason) == (
        command,
        "BCU101",
        "REJECTED",
    )
    assert live.client.connected


@pytest.mark.parametrize(("command", "call"), ACTIONS, ids=ACTION_IDS)
async def test_action_server_timeout(
    simulator: BlueCurrentSimulator, live: Live, command: str, call: Callable
) -> None:
    simulator.faults.fail_next(command, "TIMEOUT")
    with pytest.raises(BlueCurrentCommandTimeoutError) as err:
        await call(live.client)
    assert err.value.reason == "TIMEOUT"
    assert err.value.command == command


@pytest.mark.parametrize(("command", "call"), ACTIONS, ids=ACTION_IDS)
async def test_action_refused_at_received_raises_at_once(
    simulator: BlueCurrentSimulator, live: Live, command: str, call: Callable
) -> None:
    simulator.faults.fail_next(command, "busy", stage="received")
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(BlueCurrentCommandRejectedError) as err:
        await call(live.client)
    assert err.value.reason == "busy"
    assert loop.time() - started < 1.0  # not after command_timeout


async def test_action_without_any_reply_times_out(simulator: BlueCurrentSimulator) -> None:
    client = make_client(simulator.url, command_timeout=0.4)
    session = Live(client)
    await session.start()
    try:
        simulator.faults.fail_next("REBOOT", stage="none")
        with pytest.raises(BlueCurrentCommandTimeoutError) as err:
            await client.reboot("BCU101")
        assert "no reply" in err.value.reason
        assert client.connected
        await client.reboot("BCU101")  # the next one works again
    finally:
        await session.close()


async def test_offline_charge_point_times_out(simulator: BlueCurrentSimulator, live: Live) -> None:
    await simulator.set_offline("BCU102")
    with pytest.raises(BlueCurrentCommandTimeoutError) as err:
        await live.client.soft_reset("BCU102")
    assert err.value.reason == "TIMEOUT"


# --- ERROR objects ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "message", "expected"),
    [
        (1, "Invalid Auth Token", BlueCurrentInvalidTokenError),
        (42, "Request limit reached", BlueCurrentRequestLimitError),
    ],
)
async def test_error_object_ends_the_connection(
    simulator: BlueCurrentSimulator,
    live: Live,
    code: int,
    message: str,
    expected: type[BlueCurrentError],
) -> None:
    """An invalid token or the request limit concern the connection: it ends."""
    simulator.faults.error_next("GET_CH_STATUS", code, message)
    with pytest.raises(expected) as err:
        await live.client.get_status("BCU101")
    assert isinstance(await live.ended(), expected)
    assert not live.client.connected
    if isinstance(err.value, BlueCurrentRequestLimitError):
        assert err.value.reset_at == limit_reset_now()
    await eventually(lambda: simulator.open_connections == 0)


@pytest.mark.parametrize(
    ("code", "message"),
    [(0, "Unknown command"), (2, "Not authorized"), (9, "Unknown error"), (77, "forbidden")],
)
async def test_error_object_fails_only_its_request(
    simulator: BlueCurrentSimulator, live: Live, code: int, message: str
) -> None:
    """Any other ERROR answers the request waiting for it; the socket stays open."""
    simulator.faults.error_next("GET_CH_STATUS", code, message)
    with pytest.raises(BlueCurrentServerError) as err:
        await live.client.get_status("BCU101")
    assert (err.value.code, err.value.message) == (code, message)
    assert live.client.connected
    assert (await live.client.get_status("BCU101")).evse_id == "BCU101"
    assert simulator.open_connections == 1


async def test_revoked_token(simulator: BlueCurrentSimulator, live: Live) -> None:
    simulator.revoke_token(TOKEN)
    with pytest.raises(BlueCurrentInvalidTokenError):
        await live.client.get_charge_points()
    assert isinstance(await live.ended(), BlueCurrentInvalidTokenError)
    with pytest.raises(BlueCurrentInvalidTokenError):
        await live.client.connect()  # HELLO with the revoked auth token
    with pytest.raises(BlueCurrentInvalidTokenError):
        await live.client.validate_token()


async def test_foreign_charge_point(simulator: BlueCurrentSimulator, live: Live) -> None:
    with pytest.raises(BlueCurrentServerError) as err:
        await live.client.reboot("BCU900")
    assert err.value.code == 2
    assert live.client.connected  # one refused command does not end the connection


async def test_failed_data_request_gets_error_9(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    simulator.faults.fail_next("GET_GRID_STATUS", "database down")
    with pytest.raises(BlueCurrentServerError) as err:
        await live.client.get_grid_status("BCU101")
    assert (err.value.code, err.value.message) == (9, "database down")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (42, BlueCurrentRequestLimitError),
        (1, BlueCurrentInvalidTokenError),
        (2, BlueCurrentInvalidTokenError),
        (0, BlueCurrentServerError),
        (9, BlueCurrentServerError),
    ],
)
async def test_error_on_one_shots(
    simulator: BlueCurrentSimulator,
    client: BlueCurrentClient,
    code: int,
    expected: type[BlueCurrentError],
) -> None:
    simulator.faults.error_next("VALIDATE_API_TOKEN", code, "x")
    with pytest.raises(expected):
        await client.validate_token()
    await client.validate_token()
    simulator.faults.error_next("GET_ACCOUNT", code, "x")
    with pytest.raises(expected) as err:
        await client.get_account()
    if isinstance(err.value, BlueCurrentRequestLimitError):
        assert err.value.reset_at == limit_reset_now()


async def test_error_on_hello(simulator: BlueCurrentSimulator, client: BlueCurrentClient) -> None:
    simulator.faults.error_next("HELLO", 1, "Invalid Auth Token")
    with pytest.raises(BlueCurrentInvalidTokenError):
        await client.connect()
    assert not client.connected
    await eventually(lambda: simulator.open_connections == 0)


# --- timeouts --------------------------------------------------------------------------------


async def test_one_shot_without_reply(simulator: BlueCurrentSimulator) -> None:
    client = make_client(simulator.url, request_timeout=0.4)
    simulator.faults.fail_next("VALIDATE_API_TOKEN", stage="none")
    with pytest.raises(BlueCurrentConnectionError):
        await client.validate_token()
    assert client.customer_id is None


async def test_data_request_without_reply(simulator: BlueCurrentSimulator) -> None:
    client = make_client(simulator.url, request_timeout=0.4)
    session = Live(client)
    await session.start()
    try:
        simulator.faults.fail_next("GET_CH_STATUS", stage="none")
        with pytest.raises(BlueCurrentCommandTimeoutError) as err:
            await client.get_status("BCU101")
        assert (err.value.command, err.value.evse_id) == ("GET_CH_STATUS", "BCU101")
        assert client.connected
        assert (await client.get_status("BCU101")).evse_id == "BCU101"
    finally:
        await session.close()


async def test_half_open_connection_is_detected(simulator: BlueCurrentSimulator) -> None:
    client = make_client(simulator.url, ping_interval=0.2, ping_timeout=0.2, request_timeout=5)
    session = Live(client)
    await session.start()
    try:
        simulator.faults.stop_answering()
        pending = asyncio.create_task(client.get_status("BCU101"))
        assert isinstance(await session.ended(wait=3), BlueCurrentConnectionError)
        with pytest.raises(BlueCurrentConnectionError):
            await pending
        assert not client.connected
    finally:
        await session.close()


# --- closes and drops --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (None, BlueCurrentConnectionError),
        (1011, BlueCurrentConnectionError),
        (1000, BlueCurrentConnectionError),
        (4000, BlueCurrentConnectionError),
        (4001, BlueCurrentRequestLimitError),
    ],
)
async def test_connection_drop(
    simulator: BlueCurrentSimulator,
    live: Live,
    code: int | None,
    expected: type[BlueCurrentError],
) -> None:
    simulator.faults.delay_replies(1.0)
    pending = asyncio.create_task(live.client.get_status("BCU101"))
    await simulator.wait_for_command("GET_CH_STATUS")
    await simulator.faults.drop_connections(code=code)
    error = await live.ended()
    assert type(error) is expected
    with pytest.raises(expected):
        await pending
    assert not live.client.connected
    with pytest.raises(BlueCurrentConnectionError):
        await live.client.get_status("BCU101")
    # The caller reconnects with the same client.
    simulator.faults.delay_replies(0)
    again = Live(live.client)
    await again.start()
    try:
        assert (await live.client.get_status("BCU101")).evse_id == "BCU101"
    finally:
        await again.close()


async def test_server_goes_offline_and_comes_back(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    await simulator.faults.go_offline()
    assert isinstance(await live.ended(), BlueCurrentConnectionError)
    with pytest.raises(BlueCurrentConnectionError):
        await live.client.connect()
    with pytest.raises(BlueCurrentConnectionError):
        await live.client.validate_token()
    await simulator.faults.come_back()
    again = Live(live.client)
    await again.start()
    try:
        assert live.client.connected
    finally:
        await again.close()


async def test_listen_cancelled(simulator: BlueCurrentSimulator, live: Live) -> None:
    simulator.faults.delay_replies(1.0)
    pending = asyncio.create_task(live.client.get_status("BCU101"))
    await simulator.wait_for_command("GET_CH_STATUS")
    assert live.task is not None
    live.task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await live.task
    with pytest.raises(BlueCurrentConnectionError):
        await pending
    assert not live.client.connected
    await eventually(lambda: simulator.open_connections == 0)


# --- request limit -----------------------------------------------------------------------------


@pytest.mark.parametrize("simulator_options", [SimulatorOptions(request_limit=3)])
async def test_daily_request_limit(
    simulator: BlueCurrentSimulator, client: BlueCurrentClient
) -> None:
    session = Live(client)
    await session.start()  # VALIDATE + HELLO
    try:
        await client.get_charge_points()  # the third and last request of the day
        with pytest.raises(BlueCurrentRequestLimitError) as err:
            await client.get_status("BCU101")
        assert err.value.reset_at == limit_reset_now()
        ended = await session.ended()
        assert isinstance(ended, BlueCurrentRequestLimitError)
        # New sockets are refused at the handshake now.
        with pytest.raises(BlueCurrentRequestLimitError):
            await client.connect()
        with pytest.raises(BlueCurrentRequestLimitError):
            await client.validate_token()
    finally:
        await session.close()


async def test_handshake_rejected_limit(
    simulator: BlueCurrentSimulator, client: BlueCurrentClient
) -> None:
    simulator.faults.reject_handshakes("Request limit reached")
    with pytest.raises(BlueCurrentRequestLimitError) as err:
        await client.validate_token()
    assert err.value.reset_at == limit_reset_now()
    assert err.value.reset_at.tzinfo is UTC
    assert await client.validate_token() == "1001"


async def test_handshake_rejected_already_connected(
    simulator: BlueCurrentSimulator, client: BlueCurrentClient
) -> None:
    await client.validate_token()
    simulator.faults.reject_handshakes("Already connected")
    with pytest.raises(BlueCurrentAlreadyConnectedError):
        await client.connect()
    assert not client.connected


@pytest.mark.parametrize(("reason", "status"), [("Maintenance", 503), ("", 403)])
async def test_handshake_rejected_otherwise(
    simulator: BlueCurrentSimulator, client: BlueCurrentClient, reason: str, status: int
) -> None:
    simulator.faults.reject_handshakes(reason, status=status)
    with pytest.raises(BlueCurrentConnectionError):
        await client.validate_token()


@pytest.mark.parametrize("simulator_options", [SimulatorOptions(reject_second_connection=True)])
async def test_second_connection_is_refused(simulator: BlueCurrentSimulator, live: Live) -> None:
    second = make_client(simulator.url)
    with pytest.raises(BlueCurrentAlreadyConnectedError):
        await second.connect()
    assert live.client.connected


# --- unusable frames ---------------------------------------------------------------------------


async def test_malformed_frames_are_counted_and_dropped(
    simulator: BlueCurrentSimulator, live: Live, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.ev_charge_points")
    seen_before = len(live.messages)
    frames = [
        "not json",
        "[1, 2]",
        '"just a string"',
        "{",
    ]
    for text in frames:
        await simulator.faults.send_raw(text)
    for obj in [
        {"no": "object"},
        {"object": "MYSTERY", "token": "SECRET-XYZ"},
        {"object": "CH_STATUS", "data": {"activity": "charging", "email": "a@b.example"}},
        {"object": "ERROR", "message": "no code"},
        {"object": "CHARGE_POINTS", "data": "SECRET-XYZ"},
    ]:
        await simulator.faults.send_object(obj)
    await eventually(lambda: live.client.dropped_messages == 9)
    assert len(live.messages) == seen_before
    assert live.client.connected
    assert (await live.client.get_status("BCU102")).evse_id == "BCU102"
    assert live.client.dropped_messages == 9
    assert "Dropped" in caplog.text
    assert "SECRET-XYZ" not in caplog.text
    assert "a@b.example" not in caplog.text
    assert simulator.auth_token(TOKEN) not in caplog.text  # type: ignore[operator]


async def test_oversized_frame_ends_the_connection(simulator: BlueCurrentSimulator) -> None:
    client = make_client(simulator.url, max_message_size=4096)
    session = Live(client)
    await session.start()
    try:
        await simulator.faults.send_raw('{"object": "HELLO", "pad": "' + "x" * 10000 + '"}')
        assert isinstance(await session.ended(), BlueCurrentConnectionError)
    finally:
        await session.close()


async def test_unknown_pushes_do_not_disturb_requests(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    await live.client.get_charge_points()
    simulator.faults.delay_replies(0.2)
    request = asyncio.create_task(live.client.get_status("BCU101"))
    await simulator.wait_for_command("GET_CH_STATUS")
    await simulator.faults.send_raw("garbage")
    await simulator.faults.send_object({"object": "CH_STATUS", "evse_id": "BCU102", "data": {}})
    status = await request
    assert status.evse_id == "BCU101"
    assert live.client.dropped_messages == 1
    assert any(isinstance(m, ChargePointStatus) and m.evse_id == "BCU102" for m in live.messages)


# --- TLS ----------------------------------------------------------------------------------------


async def test_tls_is_verified(simulator: BlueCurrentSimulator) -> None:
    # The simulator speaks plain ws: a wss URL must fail the TLS handshake, never fall back.
    url = simulator.url.replace("ws://", "wss://")
    context = ssl.create_default_context()
    client = make_client(url, ssl_context=context)
    with pytest.raises(BlueCurrentConnectionError):
        await client.validate_token()
    assert context.verify_mode is ssl.CERT_REQUIRED
    assert context.check_hostname


async def test_ssl_context_is_ignored_for_plain_ws(simulator: BlueCurrentSimulator) -> None:
    client = make_client(simulator.url, ssl_context=ssl.create_default_context())
    assert await client.validate_token() == "1001"
