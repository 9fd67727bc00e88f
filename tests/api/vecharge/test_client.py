"""The client against the simulator over real loopback sockets: the happy path and the
connection lifecycle the integration builds on."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiohttp
import pytest

from custom_components.ev_charge_points.api.vecharge import (
    ChargerDocument,
    ChargerStatus,
    Disconnected,
    DisconnectReason,
    MeterLog,
    StatusChange,
    VeChargeClient,
    VeChargeError,
)

from .helpers import CHARGER_ID, TOKEN, WAIT, Recorder, kinds

if TYPE_CHECKING:
    from simulators.vecharge import VeChargeSimulator


async def test_connect_returns_the_charger_document(
    client: VeChargeClient, recorder: Recorder
) -> None:
    document = await client.connect()
    assert document is not None
    assert document.charger_id == CHARGER_ID
    assert document.status is ChargerStatus.OFF
    assert document.previous_energy == 36.44
    assert client.connected
    assert client.last_document == document
    assert recorder.events == [document]
    assert client.stats.received == 1


async def test_handshake_sends_the_seed_query_percent_encoded(
    client: VeChargeClient, vecharge_sim: VeChargeSimulator
) -> None:
    await client.connect()
    query = vecharge_sim.stats.handshake_queries[0]
    assert query.startswith(f"token=Bearer%20{TOKEN}&chargerId={CHARGER_ID}&")
    assert "EIO=4" in query


@pytest.mark.parametrize("transports", [["polling"], ["websocket"], None])
async def test_on_then_logs_over_each_transport(
    vecharge_sim: VeChargeSimulator, transports: list[str] | None
) -> None:
    async with VeChargeClient(
        token=TOKEN, charger_id=CHARGER_ID, base_url=vecharge_sim.url, transports=transports
    ) as client:
        recorder = Recorder()
        client.subscribe(recorder)
        await client.connect()
        await client.turn_on(confirm_timeout=WAIT)
        assert client.status is ChargerStatus.ON
        await vecharge_sim.clock.advance(10)
        first, second = await recorder.next(MeterLog), await recorder.next(MeterLog)
        assert (first.voltage, first.current, first.power) == (230.0, 7.0, 1577.8)
        assert second.created_at is not None
        assert first.created_at is not None
        assert (second.created_at - first.created_at).total_seconds() == 5


async def test_energy_grows_while_on(
    client: VeChargeClient, recorder: Recorder, vecharge_sim: VeChargeSimulator
) -> None:
    await client.connect()
    await client.turn_on(confirm_timeout=WAIT)
    await vecharge_sim.clock.advance(3600, step=5)
    logs = [await recorder.next(MeterLog) for _ in range(720)]
    energies = [log.energy for log in logs]
    assert energies == sorted(energies)  # type: ignore[type-var]
    assert energies[-1] == pytest.approx(1.58, abs=0.01)  # 1577.8 W for one hour


@pytest.mark.parametrize("server_closes_transport", [False, True])
async def test_turn_off_ends_the_connection_as_charger_off(
    client: VeChargeClient,
    recorder: Recorder,
    vecharge_sim: VeChargeSimulator,
    server_closes_transport: bool,
) -> None:
    vecharge_sim.options.close_transport_after_disconnect = server_closes_transport
    await client.connect()
    await client.turn_on(confirm_timeout=WAIT)
    await vecharge_sim.clock.advance(3600, step=60)
    await client.turn_off()
    closed = await client.wait_disconnected()
    assert closed == Disconnected(reason=DisconnectReason.CHARGER_OFF)
    assert closed.expected
    assert not client.connected
    assert kinds(recorder.events)[-2:] == ["StatusChange", "Disconnected"]
    assert recorder.of(Disconnected) == [closed]

    # The integration reconnects (with its backoff) and sees the charger off, session kept.
    document = await client.connect()
    assert document is not None
    assert document.status is ChargerStatus.OFF
    assert document.energy == 0
    assert document.previous_energy == pytest.approx(1.58, abs=0.01)


async def test_switched_on_and_off_from_the_app(
    client: VeChargeClient, recorder: Recorder, vecharge_sim: VeChargeSimulator
) -> None:
    await client.connect()
    await vecharge_sim.switch(CHARGER_ID, "ON")
    assert await recorder.next(StatusChange) == StatusChange(status=ChargerStatus.ON)
    await vecharge_sim.switch(CHARGER_ID, "OFF")
    assert (await recorder.next(Disconnected)).reason is DisconnectReason.CHARGER_OFF


@pytest.mark.parametrize(
    ("emits_status", "reason"),
    [(False, DisconnectReason.SERVER_CLOSED), (True, DisconnectReason.CHARGER_OFF)],
)
async def test_disconnect_api_closes_the_socket(
    client: VeChargeClient,
    vecharge_sim: VeChargeSimulator,
    emits_status: bool,
    reason: DisconnectReason,
) -> None:
    vecharge_sim.options.disconnect_api_emits_status = emits_status
    await client.connect()
    await client.turn_on(confirm_timeout=WAIT)
    await vecharge_sim.remove_charger_from_user(CHARGER_ID)
    assert (await client.wait_disconnected()).reason is reason


async def test_socket_kept_open_on_off_when_the_server_does_so(
    client: VeChargeClient, recorder: Recorder, vecharge_sim: VeChargeSimulator
) -> None:
    vecharge_sim.options.close_on_off = False
    await client.connect()
    await client.turn_on(confirm_timeout=WAIT)
    await client.turn_off(confirm_timeout=WAIT)
    assert client.connected
    assert client.status is ChargerStatus.OFF
    await client.turn_on(confirm_timeout=WAIT)
    assert recorder.of(Disconnected) == []


async def test_own_disconnect_is_client_closed(client: VeChargeClient, recorder: Recorder) -> None:
    await client.connect()
    await client.disconnect()
    assert recorder.of(Disconnected) == [Disconnected(reason=DisconnectReason.CLIENT_CLOSED)]
    assert not client.connected


async def test_connect_twice_is_refused(client: VeChargeClient) -> None:
    await client.connect()
    with pytest.raises(VeChargeError, match="already connected"):
        await client.connect()


async def test_payloads_as_objects_and_a_flat_document(
    client: VeChargeClient, recorder: Recorder, vecharge_sim: VeChargeSimulator
) -> None:
    vecharge_sim.options.payload_encoding = "object"
    vecharge_sim.options.document_form = "flat"
    document = await client.connect()
    assert isinstance(document, ChargerDocument)
    assert document.previous_energy == 36.44
    await client.turn_on(confirm_timeout=WAIT)
    await vecharge_sim.clock.advance(5)
    assert (await recorder.next(MeterLog)).power == 1577.8
    assert client.stats.dropped_malformed == 0


async def test_no_document_keeps_the_connection(
    vecharge_sim: VeChargeSimulator,
) -> None:
    vecharge_sim.options.send_document_on_connect = False
    async with VeChargeClient(
        token=TOKEN, charger_id=CHARGER_ID, base_url=vecharge_sim.url, document_timeout=0.2
    ) as client:
        assert await client.connect() is None
        assert client.connected
        await client.turn_on(confirm_timeout=WAIT)


async def test_an_injected_session_is_used_and_left_open(
    vecharge_sim: VeChargeSimulator,
) -> None:
    async with aiohttp.ClientSession() as session:
        client = VeChargeClient(
            token=TOKEN, charger_id=CHARGER_ID, base_url=vecharge_sim.url, session=session
        )
        await client.connect()
        await client.turn_on(confirm_timeout=WAIT)
        await client.close()
        assert not session.closed


async def test_a_failing_subscriber_does_not_stop_the_others(
    client: VeChargeClient, recorder: Recorder
) -> None:
    def broken(_event: object) -> None:
        raise RuntimeError("subscriber bug")

    unsubscribe_broken = client.subscribe(broken)
    await client.connect()
    await client.turn_on(confirm_timeout=WAIT)
    unsubscribe_broken()
    assert kinds(recorder.events) == ["ChargerDocument", "StatusChange"]
