"""Raw websocket helpers for the simulator self-tests (deliberately not our client)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp

TOKEN = "test-token"
OTHER_TOKEN = "other-token"
# A well-formed SJCL AES-CCM envelope (§1.4) with made-up bytes: the simulator checks the shape,
# it does not decrypt.
SJCL_PASSWORD = json.dumps(
    {
        "iv": "AAECAwQFBgcICQoLDA0ODw==",
        "v": 1,
        "iter": 10000,
        "ks": 128,
        "ts": 64,
        "mode": "ccm",
        "adata": "",
        "cipher": "aes",
        "salt": "AAECAwQFBgc=",
        "ct": "c2VjcmV0LWJ5dGVzLWhlcmU=",
    }
)


async def one_shot(
    session: aiohttp.ClientSession, url: str, command: dict[str, Any]
) -> dict[str, Any]:
    """Open a socket, send one command, return the first frame, close (like LIB)."""
    async with session.ws_connect(url) as ws:
        await ws.send_str(json.dumps(command))
        msg = await ws.receive(timeout=2)
        assert msg.type is aiohttp.WSMsgType.TEXT, msg
        return json.loads(msg.data)


async def validate(session: aiohttp.ClientSession, url: str, api_token: str = TOKEN) -> str:
    """VALIDATE_API_TOKEN one-shot; returns the auth token."""
    reply = await one_shot(session, url, {"command": "VALIDATE_API_TOKEN", "token": api_token})
    assert reply["object"] == "STATUS_API_TOKEN"
    assert reply["success"] is True
    return str(reply["token"])


class Live:
    """A long-lived socket with a few conveniences."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, token: str) -> None:
        self.ws = ws
        self.token = token
        self.seen: list[dict[str, Any]] = []  # frames skipped by expect()

    async def send(self, command: str, **fields: Any) -> None:
        payload = {"command": command, **fields, "Authorization": f"Token {self.token}"}
        await self.ws.send_str(json.dumps(payload))

    async def recv(self, timeout: float = 2.0) -> dict[str, Any]:  # noqa: ASYNC109
        msg = await self.ws.receive(timeout=timeout)
        assert msg.type is aiohttp.WSMsgType.TEXT, msg
        frame = json.loads(msg.data)
        assert isinstance(frame, dict)
        assert frame.get("object"), frame
        return frame

    async def expect(
        self,
        name: str,
        *,
        evse_id: str | None = None,
        timeout: float = 2.0,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """Read until a frame with this object name (and evse) arrives; others go to `seen`."""
        async with asyncio.timeout(timeout):
            while True:
                frame = await self.recv(timeout)
                if frame["object"] == name and (evse_id is None or frame.get("evse_id") == evse_id):
                    return frame
                self.seen.append(frame)

    async def request(
        self, command: str, reply: str | None = None, **fields: Any
    ) -> dict[str, Any]:
        await self.send(command, **fields)
        return await self.expect(reply or command)

    async def frames_for(self, seconds: float) -> list[dict[str, Any]]:
        """Everything that arrives within `seconds`."""
        frames: list[dict[str, Any]] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while (left := deadline - loop.time()) > 0:
            try:
                msg = await self.ws.receive(timeout=left)
            except TimeoutError:
                break
            if msg.type is not aiohttp.WSMsgType.TEXT:
                break
            frames.append(json.loads(msg.data))
        return frames

    async def no_frame(self, seconds: float = 0.1) -> None:
        frames = await self.frames_for(seconds)
        assert frames == [], frames


async def open_live(
    session: aiohttp.ClientSession, url: str, token: str, *, charge_points: bool = True
) -> Live:
    """Connect, HELLO, and (by default) GET_CHARGE_POINTS so pushes for every evse flow."""
    ws = await session.ws_connect(url)
    live = Live(ws, token)
    hello = await live.request("HELLO", header="homeassistant")
    assert hello == {"object": "HELLO"}
    if charge_points:
        await live.request("GET_CHARGE_POINTS", "CHARGE_POINTS")
    return live
