"""Helpers for the veCharge client tests: an event recorder and the seed's reference payloads."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from custom_components.ev_charge_points.api.vecharge import VeChargeEvent

TOKEN = "test-token"
CHARGER_ID = "test"
WAIT = 5.0  # an upper bound for an event to arrive, not a speed requirement

# The seed's newLog example, verbatim.
SEED_LOG = (
    '{"deviceId":"veChargePoint0125896","voltage":"230.00","current":"7.00","power":"1577.80",'
    '"energy":0.23,"createdAt":"2022-01-10T13:57:59.124Z","userId":"pulse-test-user",'
    '"chargerId":"test"}'
)
# The seed's chargerConnected example with the `$_` internals shortened (doc §3.2).
SEED_DOCUMENT = (
    '{"$_":{"strictMode":true,"_id":"test"},"isNew":false,"$locals":{},"$op":null,'
    '"_doc":{"location":{"type":"Point","coordinates":[77.0608,28.7186]},"status":"OFF",'
    '"power":0,"voltage":0,"current":0,"energy":0,"prev_energy":36.44,'
    '"currentUser":"pulse-test-user","isActive":true,"partnerId":"61dc307faf72d17afc57e385",'
    '"desiredDgStatus":"OFF","reportedDgStatus":"OFF","chargerMode":"PUBLIC",'
    '"chargerPrivateUsers":["+911234567890"],"_id":"test","detail":"_xxxxxx",'
    '"operator":"veChargerCommunity","address":"Rohini Sector 22","_v":0,'
    '"wifiConnectivity":true,"connectedTimestamp":"2022-01-10T13:55:58.347Z"},'
    '"$init":true,"energy":0}'
)


class Recorder:
    """Collects a client's events; `next(kind)` waits for the next one of a type."""

    def __init__(self) -> None:
        self.events: list[VeChargeEvent] = []
        self._queue: asyncio.Queue[VeChargeEvent] = asyncio.Queue()

    def __call__(self, event: VeChargeEvent) -> None:
        self.events.append(event)
        self._queue.put_nowait(event)

    async def next[T](self, kind: type[T], timeout: float = WAIT) -> T:  # noqa: ASYNC109
        async with asyncio.timeout(timeout):
            while True:
                event = await self._queue.get()
                if isinstance(event, kind):
                    return event

    def of[T](self, kind: type[T]) -> list[T]:
        return [event for event in self.events if isinstance(event, kind)]


def kinds(events: list[Any]) -> list[str]:
    return [type(event).__name__ for event in events]
