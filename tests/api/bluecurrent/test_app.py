"""The app socket: SJCL password envelope and login, sustainability, P&C card."""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING

import pytest

from custom_components.ev_charge_points.api.bluecurrent import (
    NO_CARD,
    BlueCurrentAppClient,
    BlueCurrentCommandRejectedError,
    BlueCurrentLoginError,
    BlueCurrentServerError,
    Sustainability,
    UndocumentedMessage,
    sjcl_decrypt,
    sjcl_encrypt,
)
from simulators.bluecurrent import SimulatorOptions

if TYPE_CHECKING:
    from simulators.bluecurrent import BlueCurrentSimulator

# A made-up passphrase: the vendor's constant is not published in this project.
PASSPHRASE = "0123456789abcdef0123456789abcdef"
SALT = bytes(range(1, 9))
IV = bytes(range(16, 32))


def test_sjcl_known_answer() -> None:
    # Produced by the reference `sjcl` 0.2.1 package with the same salt, iv and passphrase.
    assert sjcl_encrypt("s3cret-passw0rd!", PASSPHRASE, salt=SALT, iv=IV) == {
        "salt": "AQIDBAUGBwg=",
        "iter": 10000,
        "ks": 128,
        "ct": "eD4t/qcXQQwGKY5ds5YDno0uAsWPtAT7",
        "iv": "EBESExQVFhcYGRobHB0eHw==",
        "cipher": "aes",
        "mode": "ccm",
        "adata": "",
        "v": 1,
        "ts": 64,
    }


def test_sjcl_round_trip_and_randomness() -> None:
    first = sjcl_encrypt("pässwörd ✓", PASSPHRASE)
    second = sjcl_encrypt("pässwörd ✓", PASSPHRASE)
    assert first["salt"] != second["salt"]
    assert first["ct"] != second["ct"]
    assert sjcl_decrypt(first, PASSPHRASE) == "pässwörd ✓"
    assert sjcl_decrypt(json.loads(json.dumps(second)), PASSPHRASE) == "pässwörd ✓"


def test_sjcl_refuses_bad_envelopes() -> None:
    envelope = sjcl_encrypt("secret", PASSPHRASE, salt=SALT, iv=IV)
    with pytest.raises(ValueError, match="does not open"):
        sjcl_decrypt(envelope, "another passphrase")
    tampered = dict(envelope, ct="A" + envelope["ct"][1:])
    with pytest.raises(ValueError, match="does not open"):
        sjcl_decrypt(tampered, PASSPHRASE)
    with pytest.raises(ValueError, match="invalid SJCL envelope"):
        sjcl_decrypt({"ct": "x"}, PASSPHRASE)
    with pytest.raises(ValueError, match="aes-ccm"):
        sjcl_decrypt(dict(envelope, mode="gcm"), PASSPHRASE)
    with pytest.raises(ValueError, match="out of range"):
        sjcl_decrypt(dict(envelope, iter=10**9), PASSPHRASE)
    with pytest.raises(ValueError, match="salt"):
        sjcl_encrypt("secret", PASSPHRASE, salt=b"short")
    with pytest.raises(ValueError, match="64 KiB"):
        sjcl_encrypt("x" * 70000, PASSPHRASE)


def app_client(
    sim: BlueCurrentSimulator, username: str = "owner@example.com"
) -> BlueCurrentAppClient:
    return BlueCurrentAppClient(
        username, "hunter2", passphrase=PASSPHRASE, url=sim.app_url, request_timeout=2
    )


async def test_app_login_and_requests(simulator: BlueCurrentSimulator) -> None:
    client = app_client(simulator)
    await client.login()
    listener = asyncio.create_task(client.listen())
    try:
        assert client.connected
        (login,) = simulator.commands("VALIDATE_PASSWORD")
        assert set(login) == {"command", "username", "password"}  # no Authorization
        assert login["username"] == "owner@example.com"
        envelope = json.loads(login["password"])
        assert sjcl_decrypt(envelope, PASSPHRASE) == "hunter2"
        assert "hunter2" not in login["password"]
        auth = f"Token {simulator.auth_token('test-token')}"
        assert simulator.commands("HELLO") == [{"command": "HELLO", "Authorization": auth}]
        assert simulator.received[0].path == "/appserver/2.0"

        assert await client.get_sustainability_status() == Sustainability(trees=1, co2=12.345)
        assert simulator.commands("GET_SUSTAINABILITY_STATUS") == [
            {"command": "GET_SUSTAINABILITY_STATUS", "Authorization": auth}
        ]
        account = await client.get_account()
        assert account.login == "owner@example.com"
        assert [p.evse_id for p in await client.get_charge_points()] == ["BCU101", "BCU102"]

        await client.set_plug_and_charge_card("BCU102", "0499887766554433")
        settings = await client.get_settings("BCU102")
        assert settings.plug_and_charge_card is not None
        assert settings.plug_and_charge_card.uid == "0499887766554433"
        await client.set_plug_and_charge_card("BCU102", None)
        with pytest.raises(BlueCurrentCommandRejectedError):
            await client.set_plug_and_charge_card("BCU102", "NO-SUCH-CARD")
        assert simulator.commands("SET_PLUG_AND_CHARGE_CHARGE_CARD") == [
            {
                "command": "SET_PLUG_AND_CHARGE_CHARGE_CARD",
                "evse_id": "BCU102",
                "token_uid": uid,
                "Authorization": auth,
            }
            for uid in ("0499887766554433", NO_CARD, "NO-SUCH-CARD")
        ]
        # Only one socket: the app does everything on it.
        assert simulator.connection_attempts == 1
        assert client.requests_sent == len(simulator.received)
    finally:
        await client.disconnect()
        await listener  # returns normally after disconnect()


async def test_app_login_refused(simulator: BlueCurrentSimulator) -> None:
    client = app_client(simulator, username="stranger@example.com")
    with pytest.raises(BlueCurrentLoginError):
        await client.login()
    assert not client.connected
    assert not simulator.commands("HELLO")
    with pytest.raises(BlueCurrentLoginError):
        await client.validate_token()


async def test_legacy_app_requests_are_unknown_commands(simulator: BlueCurrentSimulator) -> None:
    """GET_SESSIONS / GET_STATUS "do not work": by default the server calls them unknown."""
    client = app_client(simulator)
    await client.login()
    listener = asyncio.create_task(client.listen())
    try:
        with pytest.raises(BlueCurrentServerError) as err:
            await client.get_sessions()
        assert err.value.code == 0
    finally:
        await client.disconnect()
        await asyncio.gather(listener, return_exceptions=True)
    assert [c["command"] for c in simulator.commands("GET_SESSIONS")] == ["GET_SESSIONS"]


@pytest.mark.parametrize("simulator_options", [SimulatorOptions(answer_legacy_app_requests=True)])
async def test_legacy_app_requests_answered(simulator: BlueCurrentSimulator) -> None:
    """Where the server does answer, the undocumented replies are returned raw."""
    client = app_client(simulator)
    await client.login()
    listener = asyncio.create_task(client.listen())
    try:
        sessions = await client.get_sessions()
        assert sessions == UndocumentedMessage("SESSIONS")
        assert sessions.data == []
        status = await client.get_legacy_status("BCU101")
        assert status.object_name == "STATUS"
        assert status.data["evse_id"] == "BCU101"
    finally:
        await client.disconnect()
        await asyncio.gather(listener, return_exceptions=True)
    auth = f"Token {simulator.auth_token('test-token')}"
    assert simulator.commands("GET_STATUS") == [
        {"command": "GET_STATUS", "evse_id": "BCU101", "Authorization": auth}
    ]
