"""Shared helpers for the client tests against the simulator."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

from custom_components.ev_charge_points.api.bluecurrent import (
    BlueCurrentClient,
    BlueCurrentMessage,
)

if TYPE_CHECKING:
    from collections.abc import Callable

TOKEN = "test-token"

# A full CH_STATUS frame as the protocol reference shows it (§3.3).
CH_STATUS: dict[str, Any] = {
    "object": "CH_STATUS",
    "evse_id": "BCU101",
    "data": {
        "evse_id": "BCU101",
        "activity": "charging",
        "vehicle_status": "C",
        "actual_v1": 229,
        "actual_v2": 231,
        "actual_v3": 230,
        "actual_p1": 16,
        "actual_p2": 16,
        "actual_p3": 16,
        "actual_kwh": 7.42,
        "max_usage": 20,
        "smartcharging_max_usage": 6,
        "max_offline": 10,
        "offline_since": "",
        "start_datetime": "20250301 18:02:11",
        "stop_datetime": "20250228 07:48:40",
        "total_cost": 9.93,
    },
}


async def eventually(condition: Callable[[], bool], wait: float = 3.0) -> None:
    """Poll `condition` until it holds (for simulator state that has no event)."""
    async with asyncio.timeout(wait):
        while not condition():  # noqa: ASYNC110 - the simulator exposes no event for this
            await asyncio.sleep(0.01)


def make_client(url: str, **kwargs: Any) -> BlueCurrentClient:
    """A client with short timeouts, pointed at the simulator."""
    api_token = kwargs.pop("api_token", TOKEN)
    options: dict[str, Any] = {
        "url": url,
        "request_timeout": 2.0,
        "command_timeout": 3.0,
        "smart_charging_confirm_timeout": 0.3,
    }
    options.update(kwargs)
    return BlueCurrentClient(api_token, **options)


class Live:
    """A connected client with its listen() task and a log of what subscribers saw."""

    def __init__(self, client: BlueCurrentClient) -> None:
        self.client = client
        self.messages: list[BlueCurrentMessage] = []
        self._arrived = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        self.unsubscribe = client.subscribe(self._on_message)

    def _on_message(self, message: BlueCurrentMessage) -> None:
        self.messages.append(message)
        self._arrived.set()

    async def start(self) -> None:
        await self.client.connect()
        self.task = asyncio.create_task(self.client.listen())

    async def wait_for[T](
        self,
        kind: type[T],
        predicate: Callable[[T], bool] = lambda _: True,
        *,
        after: int = 0,
        wait: float = 3.0,
    ) -> T:
        """The first message of `kind` (from index `after`) that matches `predicate`."""
        async with asyncio.timeout(wait):
            while True:
                for message in self.messages[after:]:
                    if isinstance(message, kind) and predicate(message):
                        return message
                self._arrived.clear()
                await self._arrived.wait()

    async def ended(self, wait: float = 3.0) -> BaseException | None:
        """Wait for listen() to end; return what it raised (None: it returned)."""
        assert self.task is not None
        async with asyncio.timeout(wait):
            with contextlib.suppress(Exception):
                await asyncio.shield(self.task)
        return self.task.exception()

    async def close(self) -> None:
        await self.client.disconnect()
        if self.task is not None and not self.task.done():
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.task, 3.0)
