"""Client for the Blue Current app websocket (`/appserver/2.0`), username and password login.

The app sends the password inside an SJCL envelope (AES-CCM, §1.4). The envelope's passphrase
is a constant of the vendor's app that is deliberately not published here: the caller passes it.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import os
from typing import TYPE_CHECKING, Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESCCM

from .client import BlueCurrentClient, _expect
from .const import (
    CMD_GET_ACCOUNT,
    CMD_GET_SESSIONS,
    CMD_GET_STATUS,
    CMD_GET_SUSTAINABILITY_STATUS,
    CMD_HELLO,
    CMD_VALIDATE_PASSWORD,
    DEFAULT_APP_URL,
    OBJ_ACCOUNT,
    OBJ_SESSIONS,
    OBJ_STATUS,
    OBJ_SUSTAINABILITY_STATUS,
)
from .exceptions import BlueCurrentLoginError
from .models import Account, Hello, PasswordStatus, Sustainability, UndocumentedMessage

if TYPE_CHECKING:
    import ssl

    from websockets.asyncio.client import ClientConnection

_LOGGER = logging.getLogger(__name__)

SJCL_ITERATIONS: Final = 10000
SJCL_KEY_BYTES: Final = 16
SJCL_TAG_BYTES: Final = 8
SJCL_SALT_BYTES: Final = 8
SJCL_IV_BYTES: Final = 16
# CCM with a 2-byte length field (messages below 64 KiB) takes a 13-byte nonce.
_CCM_NONCE_BYTES: Final = 13
_CCM_MAX_PLAINTEXT: Final = 1 << 16
# Bound the work a hostile envelope can cause when opened.
_MAX_ITERATIONS: Final = 1_000_000


def _derive_key(passphrase: str, salt: bytes, iterations: int, key_bytes: int) -> bytes:
    # The passphrase is used as text (not hex-decoded), as the sjcl package does.
    return hashlib.pbkdf2_hmac("sha256", passphrase.encode(), salt, iterations, key_bytes)


def sjcl_encrypt(
    plaintext: str, passphrase: str, *, salt: bytes | None = None, iv: bytes | None = None
) -> dict[str, Any]:
    """Build an SJCL AES-CCM envelope (the format of the `sjcl` package, v0.2.1).

    `salt` (8 bytes) and `iv` (16 bytes) are random unless given (tests pin them).
    """
    data = plaintext.encode()
    if len(data) >= _CCM_MAX_PLAINTEXT:
        raise ValueError("SJCL envelopes here hold less than 64 KiB")
    salt = os.urandom(SJCL_SALT_BYTES) if salt is None else salt
    iv = os.urandom(SJCL_IV_BYTES) if iv is None else iv
    if len(salt) != SJCL_SALT_BYTES or len(iv) != SJCL_IV_BYTES:
        raise ValueError("salt must be 8 bytes and iv 16 bytes")
    key = _derive_key(passphrase, salt, SJCL_ITERATIONS, SJCL_KEY_BYTES)
    sealed = AESCCM(key, tag_length=SJCL_TAG_BYTES).encrypt(iv[:_CCM_NONCE_BYTES], data, None)
    return {
        "salt": base64.b64encode(salt).decode(),
        "iter": SJCL_ITERATIONS,
        "ks": SJCL_KEY_BYTES * 8,
        "ct": base64.b64encode(sealed).decode(),
        "iv": base64.b64encode(iv).decode(),
        "cipher": "aes",
        "mode": "ccm",
        "adata": "",
        "v": 1,
        "ts": SJCL_TAG_BYTES * 8,
    }


def sjcl_decrypt(envelope: dict[str, Any], passphrase: str) -> str:
    """Open an SJCL AES-CCM envelope; raises ValueError if it is not one or does not verify."""
    try:
        kind = (envelope["cipher"], envelope["mode"], envelope["adata"])
        salt = base64.b64decode(envelope["salt"])
        iv = base64.b64decode(envelope["iv"])
        sealed = base64.b64decode(envelope["ct"])
        iterations = int(envelope["iter"])
        key_bytes = int(envelope["ks"]) // 8
        tag_bytes = int(envelope["ts"]) // 8
    except (KeyError, TypeError, ValueError) as err:
        raise ValueError(f"invalid SJCL envelope ({type(err).__name__})") from err
    if kind != ("aes", "ccm", ""):
        raise ValueError("only aes-ccm envelopes without adata are supported")
    if len(sealed) - tag_bytes >= _CCM_MAX_PLAINTEXT or not 0 < iterations <= _MAX_ITERATIONS:
        raise ValueError("envelope out of range")
    try:
        key = _derive_key(passphrase, salt, iterations, key_bytes)
        opened = AESCCM(key, tag_length=tag_bytes).decrypt(iv[:_CCM_NONCE_BYTES], sealed, None)
        return opened.decode()
    except (InvalidTag, ValueError, OverflowError) as err:
        raise ValueError(f"SJCL envelope does not open ({type(err).__name__})") from err


class BlueCurrentAppClient(BlueCurrentClient):
    """One app-socket session: VALIDATE_PASSWORD, HELLO, then commands, all on one socket.

    The requests of `BlueCurrentClient` (charge points, settings, actions) work here too;
    `get_account` and `get_sustainability_status` go over the socket. There is no API token:
    `validate_token` is not available.
    """

    def __init__(
        self,
        username: str,
        password: str,
        *,
        passphrase: str,
        url: str = DEFAULT_APP_URL,
        ssl_context: ssl.SSLContext | None = None,
        request_timeout: float = 10.0,
        command_timeout: float = 30.0,
        ping_interval: float | None = 20.0,
        ping_timeout: float | None = 20.0,
        max_message_size: int = 1 << 20,
    ) -> None:
        """Keep the credentials; `passphrase` is the app's SJCL pre-shared key."""
        super().__init__(
            "",
            url=url,
            ssl_context=ssl_context,
            request_timeout=request_timeout,
            command_timeout=command_timeout,
            ping_interval=ping_interval,
            ping_timeout=ping_timeout,
            max_message_size=max_message_size,
        )
        self._username = username
        self._password = password
        self._passphrase = passphrase

    async def login(self) -> None:
        """Open the app socket and log in (same as connect())."""
        await self.connect()

    async def validate_token(self) -> str:
        """Not available: the app socket has no API token."""
        raise BlueCurrentLoginError("The app socket logs in with a username and password")

    async def _before_connect(self) -> None:
        # The login happens on the socket itself.
        return

    async def _open_session(self, ws: ClientConnection) -> None:
        envelope = await asyncio.to_thread(sjcl_encrypt, self._password, self._passphrase)
        await self._send(
            ws,
            CMD_VALIDATE_PASSWORD,
            {"username": self._username, "password": json.dumps(envelope)},
            auth=False,
        )
        status = await self._await_object(ws, PasswordStatus)
        if not status.accepted or not status.token:
            raise BlueCurrentLoginError("The username or password was refused")
        self._auth_token = status.token
        await self._send(ws, CMD_HELLO)
        await self._await_object(ws, Hello)

    async def get_account(self) -> Account:
        """GET_ACCOUNT on the app socket."""
        message = await self._request(CMD_GET_ACCOUNT, OBJ_ACCOUNT, wait=self._request_timeout)
        return _expect(message, Account)

    async def get_sustainability_status(self) -> Sustainability:
        """GET_SUSTAINABILITY_STATUS -> trees planted and CO2 saved."""
        message = await self._request(
            CMD_GET_SUSTAINABILITY_STATUS, OBJ_SUSTAINABILITY_STATUS, wait=self._request_timeout
        )
        return _expect(message, Sustainability)

    async def get_sessions(self) -> UndocumentedMessage:
        """GET_SESSIONS: the app client documents it as not working; the reply is kept raw."""
        message = await self._request(CMD_GET_SESSIONS, OBJ_SESSIONS, wait=self._request_timeout)
        return _expect(message, UndocumentedMessage)

    async def get_legacy_status(self, evse_id: str) -> UndocumentedMessage:
        """GET_STATUS (removed from the app client in 2024): the raw STATUS reply."""
        message = await self._request(
            CMD_GET_STATUS, OBJ_STATUS, evse_id=evse_id, wait=self._request_timeout
        )
        return _expect(message, UndocumentedMessage)
