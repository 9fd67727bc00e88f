"""The transaction ledger behind REST `gettransactions`: every completed session of the accounts.

A scenario-seeded history of `AccountSpec.history_days` days, each charge point's scenario
`last_session`, and every session that ends in the simulator (seen when its CH_STATUS changes).
Sessions without a card carry the card id "BCU_HOME_USE" (inferred from the app's
BCU_HOME_USE -> BCU-APP mapping).
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from .scenario import NO_CARD
from .zone import AMSTERDAM

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from .physics import SimChargePoint, SimGrid
    from .scenario import AccountSpec, ChargePointSpec

type JSONObject = dict[str, Any]

REST_TIMESTAMP_FORMAT = "%d-%m-%Y %H:%M:%S"
HOME_USE_CARD = "BCU_HOME_USE"
# Seeded history: share of days with a session, and the charging powers drawn from (kW).
HISTORY_DAY_SHARE = 0.7
HISTORY_POWERS_KW = (3.5, 6.9, 10.4)


def format_rest_timestamp(value: datetime) -> str:
    """REST format "DD-MM-YYYY HH:MM:SS", Europe/Amsterdam wall time."""
    return value.astimezone(AMSTERDAM).strftime(REST_TIMESTAMP_FORMAT)


class AccountView(Protocol):
    """What the REST API reads of one simulated account."""

    @property
    def spec(self) -> AccountSpec:
        """The scenario account."""

    @property
    def points(self) -> dict[str, SimChargePoint]:
        """Its charge points by evse id."""

    @property
    def grids(self) -> dict[str, SimGrid]:
        """Its grids by id."""

    @property
    def auth_token(self) -> str | None:
        """The auth token handed out for it."""

    @property
    def revoked(self) -> bool:
        """Whether its API token was revoked."""


@dataclass(frozen=True, slots=True)
class SimTransaction:
    """One completed session as the REST API reports it."""

    transaction_id: int
    customer_id: str
    evse_id: str
    evse_name: str
    chargepoint_type: str
    started_at: datetime
    ended_at: datetime
    kwh: float
    card_uid: str
    card_id: str
    card_name: str
    total_costs: float
    total_costs_ex_vat: float
    vat: float
    currency: str
    socket_id: int = 1

    def to_wire(self, *, extras: bool = False) -> JSONObject:
        """The transaction item of §7 (`extras`: with pybluecurrent 0.4.1's two more keys)."""
        item: JSONObject = {
            "transaction_id": self.transaction_id,
            "chargepoint_id": self.evse_id,
            "chargepoint_type": self.chargepoint_type,
            "evse_name": self.evse_name,
            "started_at": format_rest_timestamp(self.started_at),
            "end_time": format_rest_timestamp(self.ended_at),
            "kwh": self.kwh,
            "card_id": self.card_id,
            "card_name": self.card_name,
            "total_costs": self.total_costs,
            "total_costs_ex_vat": self.total_costs_ex_vat,
            "vat": self.vat,
            "currency": self.currency,
        }
        if extras:
            # no reimbursement model in the simulator: home charging is not reimbursed
            item |= {"socket_id": self.socket_id, "reimbursement_tariff_ex_vat": 0.0}
        return item


@dataclass(slots=True)
class _Running:
    started_at: datetime
    card_uid: str


class TransactionLedger:
    """The completed sessions of every account, in the order they were recorded."""

    def __init__(self, accounts: Callable[[], Iterable[AccountView]]) -> None:
        """An empty ledger over `accounts`."""
        self._accounts = accounts
        self._ids = itertools.count(70_000_001)
        self._entries: list[SimTransaction] = []
        self._recorded: set[tuple[str, datetime]] = set()
        self._running: dict[str, _Running] = {}

    def of_customer(self, customer_id: str) -> list[SimTransaction]:
        """Every transaction of one account, seen sessions included (in recording order)."""
        self.observe_all()
        return [t for t in self._entries if t.customer_id == customer_id]

    def transactions(
        self, *, evse_id: str | None = None, customer_id: str | None = None
    ) -> list[SimTransaction]:
        """Completed sessions, oldest stop first (of one charge point or account, or all)."""
        self.observe_all()
        return [
            t
            for t in sorted(self._entries, key=lambda t: (t.ended_at, t.transaction_id))
            if (evse_id is None or t.evse_id == evse_id)
            and (customer_id is None or t.customer_id == customer_id)
        ]

    def add_transaction(
        self,
        evse_id: str,
        started_at: datetime,
        ended_at: datetime,
        kwh: float,
        card_uid: str = NO_CARD,
    ) -> SimTransaction:
        """Record a completed session by hand (tests: sessions 'while HA was off')."""
        for account in self._accounts():
            if evse_id in account.points:
                return self._record(
                    account, account.points[evse_id], started_at, ended_at, kwh, card_uid
                )
        raise KeyError(evse_id)

    def observe(self, point: SimChargePoint) -> None:
        """Note a running session's card, and record a session that has ended."""
        if point.session is not None:
            self._running[point.evse_id] = _Running(
                point.session.started_at, point.session.card_uid
            )
            return
        start, stop = point.last_start, point.last_stop
        if start is None or stop is None or stop < start:
            return
        if (point.evse_id, start) in self._recorded:
            return
        account = next((a for a in self._accounts() if a.points.get(point.evse_id) is point), None)
        if account is None:
            return
        running = self._running.pop(point.evse_id, None)
        card = running.card_uid if running is not None and running.started_at == start else NO_CARD
        self._record(account, point, start, stop, point.session_kwh, card)

    def observe_all(self) -> None:
        """Observe every charge point (before answering: nothing ends unseen)."""
        for account in list(self._accounts()):
            for point in list(account.points.values()):
                self.observe(point)

    def _record(
        self,
        account: AccountView,
        point: SimChargePoint,
        started_at: datetime,
        ended_at: datetime,
        kwh: float,
        card_uid: str,
    ) -> SimTransaction:
        kwh = round(kwh, 2)
        tariff = point.tariff
        card = next((c for c in account.spec.cards if c.uid == card_uid), None)
        transaction = SimTransaction(
            transaction_id=next(self._ids),
            customer_id=account.spec.customer_id,
            evse_id=point.evse_id,
            evse_name=point.name,
            chargepoint_type=point.chargepoint_type,
            started_at=started_at.replace(microsecond=0),
            ended_at=ended_at.replace(microsecond=0),
            kwh=kwh,
            card_uid=card_uid,
            card_id=card.id if card is not None else HOME_USE_CARD,
            card_name=card.name if card is not None else "",
            total_costs=round(tariff.start_price_in_vat + kwh * tariff.price_in_vat, 2),
            total_costs_ex_vat=round(tariff.start_price_ex_vat + kwh * tariff.price_ex_vat, 2),
            vat=tariff.vat_percentage,
            currency=tariff.currency,
            socket_id=point.socket_ids[0],
        )
        self._recorded.add((point.evse_id, started_at))
        self._entries.append(transaction)
        return transaction

    def seed(self, now: datetime, seed: int) -> None:
        """Record the scenario's history days and last sessions, as of `now`."""
        seeded: list[tuple[datetime, AccountView, SimChargePoint, datetime, float, str]] = []
        for account in self._accounts():
            for spec in account.spec.charge_points:
                point = account.points.get(spec.evse_id)
                if point is None:
                    continue
                for start, stop, kwh, card in _history(account.spec, spec, now, seed):
                    seeded.append((stop, account, point, start, kwh, card))
                if spec.last_session is not None:
                    last = spec.last_session
                    stop = now - timedelta(minutes=last.ended_minutes_ago)
                    start = stop - timedelta(minutes=last.duration_minutes)
                    seeded.append((stop, account, point, start, last.kwh, spec.default_card))
        for stop, account, point, start, kwh, card in sorted(seeded, key=lambda s: s[0]):
            self._record(account, point, start, stop, kwh, card)
        self.observe_all()


def _history(
    account: AccountSpec, spec: ChargePointSpec, now: datetime, seed: int
) -> list[tuple[datetime, datetime, float, str]]:
    """Sessions of the `history_days` days before the scenario's known sessions (repeatable)."""
    if account.history_days <= 0:
        return []
    rng = random.Random(f"{seed}:{spec.evse_id}:history")
    boundary = now
    if spec.last_session is not None:
        last = spec.last_session
        boundary = min(
            boundary, now - timedelta(minutes=last.ended_minutes_ago + last.duration_minutes)
        )
    if spec.vehicle is not None and spec.vehicle.plugged_in and spec.vehicle.charging:
        boundary = min(boundary, now - timedelta(minutes=spec.vehicle.session_minutes))
    boundary -= timedelta(hours=1)
    cards = [NO_CARD] + [card.uid for card in account.cards if card.valid]
    today = now.astimezone(AMSTERDAM).date()
    sessions: list[tuple[datetime, datetime, float, str]] = []
    previous_end: datetime | None = None
    for days_back in range(account.history_days, 0, -1):
        # Draw every number on every day, so one skipped day does not shift the rest.
        present = rng.random() < HISTORY_DAY_SHARE
        hour, minute, second = rng.randint(6, 22), rng.randrange(60), rng.randrange(60)
        duration = timedelta(seconds=rng.randint(20 * 60, 7 * 3600))
        power = rng.choice(HISTORY_POWERS_KW)
        card = rng.choice(cards)
        if not present:
            continue
        day = today - timedelta(days=days_back)
        start = datetime.combine(day, time(hour, minute, second), tzinfo=AMSTERDAM).astimezone(
            now.tzinfo
        )
        end = start + duration
        if end >= boundary or (previous_end is not None and start <= previous_end):
            continue
        kwh = round(power * duration.total_seconds() / 3600, 2)
        sessions.append((start, end, kwh, card))
        previous_end = end
    return sessions
