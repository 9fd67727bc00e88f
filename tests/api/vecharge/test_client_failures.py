"""Failures the integration must tell apart: refused (no retry), unreachable or dropped (retry),
slow, and events it cannot read (counted and dropped)."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

import pytest

from custom_components.ev_charge_points.api.vecharge import (
    ChargerStatus,
    Disconnected,
    DisconnectReason,
    MeterLog,
    ServerMessage,
    StatusChange,
    VeChargeAuthError,
    VeChargeClient,
    VeChargeCommandRejectedError,
    VeChargeConnectionError,
    VeChargeRefusedError,
    VeChargeServerError,
    VeChargeTimeoutError,
    VeChargeUnknownChargerError,
)

from .helpers import CHARGER_ID, TOKEN, WAIT, Recorder

if TYPE_CHECKING:
    from simulators.vecharge import VeChargeSimulator

STYLES = ["connect_error", "http_status", "error_event"]


def _client(sim: VeChargeSimulator, **kwargs: object) -> VeChargeClient:
    settings: dict[str, object] = {
        "token": TOKEN,
        "charger_id": CHARGER_ID,
        "base_url": sim.url,
        "connect_timeout": 3.0,
        "request_timeout": 3.0,
    }
    settings.update(kwargs)
    return VeChargeClient(**settings)  # type: ignore[arg-type]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(
    ("settings", "error"),
    [
        ({"token": "wrong-token"}, VeChargeAuthError),
        ({"charger_id": "no-such-charger"}, VeChargeUnknownChargerError),
    ],
    ids=["bad_token", "unknown_charger"],
)
async def test_refusals_raise_from_connect_without_retrying(
    vecharge_sim: VeChargeSimulator,
    style: str,
    settings: dict[str, str],
    error: type[Exception],
) -> None:
    vecharge_sim.options.refusal_style = style  # type: ignore[assignment]
    async with _client(vecharge_sim, **settings) as client:
        recorder = Recorder()
        client.subscribe(recorder)
        with pytest.raises(error):
            await client.connect()
        assert not client.connected
        assert recorder.of(Disconnected) == []
    assert vecharge_sim.stats.connection_attempts == 1


async def test_a_refusal_naming_neither_token_nor_charger_is_still_a_refusal(
    vecharge_sim: VeChargeSimulator,
) -> None:
    vecharge_sim.options.refusal_style = "error_event"
    vecharge_sim.options.auth_error_message = "Charger already connected to other device"
    async with _client(vecharge_sim, token="wrong-token") as client:
        with pytest.raises(VeChargeRefusedError) as caught:
            await client.connect()
    assert type(caught.value) is VeChargeRefusedError
    assert "other device" in str(caught.value)


async def test_an_error_event_without_close_is_only_reported(
    client: VeChargeClient, recorder: Recorder, vecharge_sim: VeChargeSimulator
) -> None:
    await client.connect()
    await vecharge_sim.emit_raw(CHARGER_ID, "error", "Charger already connected to other device")
    message = await recorder.next(ServerMessage)
    assert message.message == "Charger already connected to other device"
    assert client.connected


async def test_the_token_without_bearer_prefix_is_refused_by_a_strict_server(
    vecharge_sim: VeChargeSimulator,
) -> None:
    # The client always sends the prefix; a raw socket shows the server's side of it.
    refusal, _ = vecharge_sim.check_handshake({"token": [TOKEN], "chargerId": [CHARGER_ID]})
    assert refusal is not None
    assert refusal.status == 401
    vecharge_sim.options.bearer_prefix = "optional"
    refusal, _ = vecharge_sim.check_handshake({"token": [TOKEN], "chargerId": [CHARGER_ID]})
    assert refusal is None


async def test_a_transport_drop_is_a_connection_error(
    client: VeChargeClient, recorder: Recorder, vecharge_sim: VeChargeSimulator
) -> None:
    await client.connect()
    await client.turn_on(confirm_timeout=WAIT)
    assert await vecharge_sim.drop(CHARGER_ID) >= 1
    closed = await client.wait_disconnected()
    assert closed.reason is DisconnectReason.CONNECTION_LOST
    assert isinstance(closed.error, VeChargeConnectionError)
    assert not closed.expected
    assert recorder.of(Disconnected) == [closed]
    # A new connection works and shows the charger still on (the drop did not switch it).
    document = await client.connect()
    assert document is not None
    assert document.status is ChargerStatus.ON


@pytest.mark.usefixtures("socket_enabled")
async def test_unreachable_server_is_a_connection_error() -> None:
    # A port nobody listens on: bind one, then close it.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with VeChargeClient(
        token=TOKEN, charger_id=CHARGER_ID, base_url=f"http://127.0.0.1:{port}"
    ) as client:
        with pytest.raises(VeChargeConnectionError) as caught:
            await client.connect()
        assert not isinstance(caught.value, VeChargeTimeoutError)
        with pytest.raises(VeChargeConnectionError):
            await client.turn_on()


async def test_a_slow_handshake_times_out(vecharge_sim: VeChargeSimulator) -> None:
    vecharge_sim.options.handshake_delay = 0.6
    async with _client(vecharge_sim, connect_timeout=0.2) as client:
        with pytest.raises(VeChargeTimeoutError):
            await client.connect()
        assert not client.connected


async def test_a_slow_rest_call_times_out(vecharge_sim: VeChargeSimulator) -> None:
    vecharge_sim.options.rest_delay = 0.6
    async with _client(vecharge_sim, request_timeout=0.2) as client:
        with pytest.raises(VeChargeTimeoutError):
            await client.turn_on()


async def test_a_missing_confirmation_times_out(
    client: VeChargeClient, vecharge_sim: VeChargeSimulator
) -> None:
    await client.connect()
    # The REST call succeeds but the statusChanged never reaches the socket.
    vecharge_sim.options.announce_switch = False
    with pytest.raises(VeChargeTimeoutError):
        await client.turn_on(confirm_timeout=0.2)
    assert vecharge_sim.chargers[CHARGER_ID].status == "ON"


@pytest.mark.parametrize(
    ("settings", "server_change", "error"),
    [
        ({"token": "wrong-token"}, {}, VeChargeAuthError),
        ({"charger_id": "no-such-charger"}, {}, VeChargeUnknownChargerError),
        ({}, {"rest_error_status": 500}, VeChargeServerError),
        ({}, {"rest_error_status": 400}, VeChargeCommandRejectedError),
    ],
    ids=["bad_token", "unknown_charger", "server_error", "bad_request"],
)
async def test_rest_failures_map_to_exceptions(
    vecharge_sim: VeChargeSimulator,
    settings: dict[str, str],
    server_change: dict[str, object],
    error: type[Exception],
) -> None:
    vecharge_sim.options.update(server_change)
    async with _client(vecharge_sim, **settings) as client:
        with pytest.raises(error):
            await client.turn_on()
    assert vecharge_sim.chargers[CHARGER_ID].status == "OFF"


async def test_rest_success_without_a_body(
    client: VeChargeClient, recorder: Recorder, vecharge_sim: VeChargeSimulator
) -> None:
    vecharge_sim.options.rest_success = "empty"
    await client.connect()
    await client.turn_on(confirm_timeout=WAIT)
    assert recorder.of(StatusChange) == [StatusChange(status=ChargerStatus.ON)]


@pytest.mark.parametrize(
    ("event", "data", "counter"),
    [
        ("newLog", "garbage", "dropped_malformed"),
        ("newLog", '{"voltage":"abc"}', "dropped_malformed"),
        ("statusChanged", '{"status":"MAYBE"}', "dropped_malformed"),
        ("chargerConnected", "[]", "dropped_malformed"),
        ("chargerDisconnected", '{"chargerId":"test"}', "dropped_unknown"),
        ("somethingNew", 42, "dropped_unknown"),
    ],
)
async def test_unreadable_events_are_counted_and_dropped(
    client: VeChargeClient,
    recorder: Recorder,
    vecharge_sim: VeChargeSimulator,
    event: str,
    data: object,
    counter: str,
) -> None:
    await client.connect()
    await client.turn_on(confirm_timeout=WAIT)
    await vecharge_sim.emit_raw(CHARGER_ID, event, data)
    await vecharge_sim.clock.advance(5)
    await recorder.next(MeterLog)  # the stream goes on after the bad event
    assert getattr(client.stats, counter) == 1
    assert client.connected
    assert client.status is ChargerStatus.ON
