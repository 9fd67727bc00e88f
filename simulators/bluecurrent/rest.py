"""The REST API of §7 (the app's `bc_api`): charge point status, contracts, grids, transactions.

Served by the simulator under `/app/bc_api/api/v2.0` on the same port as the websockets. What the
protocol reference leaves open, and what the simulator does:

- Authentication is the HTTP header `Authorization: Token <auth token>`. Whether the auth token
  of the HA API token works here is (unknown, §10 q7): with the simulator option
  `rest_accepts_api_token` (default True) it does; with False REST answers 401 until the account
  logged in on the app socket (VALIDATE_PASSWORD). The simulator hands out one auth token per
  account, so in that mode it is the app login, not the token value, that opens REST.
- Status codes are (unknown): 401 without a usable token, 403 for a charge point of another
  account, 400 for a malformed request, JSON bodies `{"detail": ...}` (inferred).
- Transactions are the account's completed sessions: a scenario-seeded history of
  `AccountSpec.history_days` days, each charge point's scenario `last_session`, and every session
  that ends in the simulator (seen when its CH_STATUS changes). 25 per page (`rest_page_size`),
  sorted on the stop time, `next_page` null on the last page. Times are "DD-MM-YYYY HH:MM:SS"
  Europe/Amsterdam. Sessions without a card carry the card id "BCU_HOME_USE" (inferred from the
  app's BCU_HOME_USE -> BCU-APP mapping).
- REST requests do not count toward the daily websocket budget (unknown).
"""

from __future__ import annotations

import itertools
import json
import math
import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from aiohttp import web

from .scenario import NO_CARD
from .wire import socket_statuses
from .zone import AMSTERDAM

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable, Mapping

    from simulators.common.clock import SimClock

    from .commandlog import ReceivedCommand
    from .options import SimulatorOptions
    from .physics import SimChargePoint, SimGrid
    from .scenario import AccountSpec, ChargePointSpec

type JSONObject = dict[str, Any]

REST_TIMESTAMP_FORMAT = "%d-%m-%Y %H:%M:%S"
HOME_USE_CARD = "BCU_HOME_USE"
SORT_FIELD = "stoppedtimestamp"
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


@dataclass(frozen=True, slots=True)
class RestRequest:
    """One REST request as the simulator received it."""

    method: str
    path: str
    query: dict[str, str]
    at: datetime
    headers: dict[str, str] = field(default_factory=dict)


class HTTPAnswerError(Exception):
    """An HTTP error answer: `body` as JSON (default `{"detail": detail}`)."""

    def __init__(self, status: int, detail: str, body: JSONObject | None = None) -> None:
        """Answer with `status`."""
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.body = body if body is not None else {"detail": detail}


@dataclass(slots=True)
class _Running:
    started_at: datetime
    card_uid: str


class SimRestApi:
    """The REST endpoints and the transaction ledger of one simulator (`sim.rest`)."""

    def __init__(
        self,
        *,
        clock: SimClock,
        seed: int,
        options: SimulatorOptions,
        accounts: Callable[[], Iterable[AccountView]],
        status_data: Callable[[SimChargePoint], JSONObject],
        received: Callable[[], Iterable[ReceivedCommand]],
    ) -> None:
        """Seed the ledger from the scenario (history days and last sessions).

        `received` gives the websocket commands so far (an app login opens REST when
        `rest_accepts_api_token` is off).
        """
        self._clock = clock
        self._seed_value = seed
        self._options = options
        self._received = received
        self._accounts = accounts
        self._status_data = status_data
        self._ids = itertools.count(70_000_001)
        self._ledger: list[SimTransaction] = []
        self._recorded: set[tuple[str, datetime]] = set()
        self._running: dict[str, _Running] = {}
        self._failures: list[int] = []
        self.requests: list[RestRequest] = []
        self._seed()

    # ----- ledger ------------------------------------------------------------------------------

    def transactions(
        self, *, evse_id: str | None = None, customer_id: str | None = None
    ) -> list[SimTransaction]:
        """Completed sessions, oldest stop first (of one charge point or account, or all)."""
        self.observe_all()
        return [
            t
            for t in sorted(self._ledger, key=lambda t: (t.ended_at, t.transaction_id))
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
        self._ledger.append(transaction)
        return transaction

    def _seed(self) -> None:
        now = self._clock.now()
        seeded: list[tuple[datetime, AccountView, SimChargePoint, datetime, float, str]] = []
        for account in self._accounts():
            for spec in account.spec.charge_points:
                point = account.points.get(spec.evse_id)
                if point is None:
                    continue
                for start, stop, kwh, card in _history(account.spec, spec, now, self._seed_value):
                    seeded.append((stop, account, point, start, kwh, card))
                if spec.last_session is not None:
                    last = spec.last_session
                    stop = now - timedelta(minutes=last.ended_minutes_ago)
                    start = stop - timedelta(minutes=last.duration_minutes)
                    seeded.append((stop, account, point, start, last.kwh, spec.default_card))
        for stop, account, point, start, kwh, card in sorted(seeded, key=lambda s: s[0]):
            self._record(account, point, start, stop, kwh, card)
        self.observe_all()

    # ----- faults ------------------------------------------------------------------------------

    def fail_next(self, status: int, count: int = 1) -> None:
        """Answer the next `count` REST requests with HTTP `status`."""
        self._failures.extend([status] * count)

    # ----- HTTP --------------------------------------------------------------------------------

    def add_routes(self, app: web.Application, prefix: str, status_v21_prefix: str) -> None:
        """Serve the §7 paths under `prefix`, and pybluecurrent's v2.1 status."""
        app.router.add_get(f"{prefix}/chargepointstatus", self.route(self._charge_point_status))
        app.router.add_get(f"{prefix}/getcontracts", self.route(self._contracts))
        app.router.add_get(f"{prefix}/getgrids", self.route(self._grids))
        app.router.add_post(f"{prefix}/gettransactions", self.route(self._transactions))
        app.router.add_get(f"{prefix}/gethomeautomationkey", self.route(self._api_key))
        app.router.add_post(f"{prefix}/generatehomeautomationkey", self.route(self._new_api_key))
        app.router.add_get(
            f"{status_v21_prefix}/chargepointstatus", self.route(self._socket_statuses)
        )

    def route(
        self,
        handler: Callable[[web.Request, AccountView], Awaitable[JSONObject]],
        *,
        bare_token: bool = False,
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        """An aiohttp handler: log, apply `fail_next`, authenticate, answer JSON.

        `bare_token`: the bce API's Authorization (see `SimulatorOptions.bce_auth`).
        """

        async def run(request: web.Request) -> web.StreamResponse:
            self.requests.append(
                RestRequest(
                    request.method,
                    request.path,
                    dict(request.query),
                    self._clock.now(),
                    {k: v for k, v in request.headers.items() if k.lower() != "authorization"},
                )
            )
            if self._failures:
                status = self._failures.pop(0)
                return web.json_response({"detail": "simulated failure"}, status=status)
            try:
                account = self.authenticate(request, bare_token=bare_token)
                body = await handler(request, account)
            except HTTPAnswerError as err:
                return web.json_response(err.body, status=err.status)
            return web.json_response(body)

        return run

    def authenticate(self, request: web.Request, *, bare_token: bool = False) -> AccountView:
        """The account of the request's auth token, or HTTP 401."""
        header = request.headers.get("Authorization", "")
        prefixed = header.startswith("Token ")
        accepted = self._options.bce_auth if bare_token else "prefixed"
        if prefixed and accepted in ("prefixed", "both"):
            token = header.removeprefix("Token ")
        elif not prefixed and accepted in ("bare", "both"):
            token = header
        else:
            token = ""
        account = next(
            (a for a in self._accounts() if token and a.auth_token == token and not a.revoked),
            None,
        )
        if account is None:
            raise HTTPAnswerError(401, "Invalid token.")
        if not self._options.rest_accepts_api_token and not self._logged_in(account):
            raise HTTPAnswerError(401, "Invalid token.")
        return account

    def _logged_in(self, account: AccountView) -> bool:
        names = {account.spec.email.lower(), account.spec.login_name.lower()}
        return any(
            rc.name == "VALIDATE_PASSWORD"
            and isinstance(rc.payload.get("username"), str)
            and rc.payload["username"].lower() in names
            and bool(rc.payload.get("password"))
            for rc in self._received()
        )

    def own_point(self, account: AccountView, evse_id: object) -> SimChargePoint:
        """The account's charge point `evse_id` (400 without one, 403 for another's)."""
        if not isinstance(evse_id, str) or not evse_id:
            raise HTTPAnswerError(400, "chargepoint id missing")
        point = account.points.get(evse_id)
        if point is None:
            raise HTTPAnswerError(403, "forbidden")
        return point

    async def _charge_point_status(self, request: web.Request, account: AccountView) -> JSONObject:
        point = self.own_point(account, request.query.get("evse_id"))
        return {"data": self._status_data(point)}

    async def _socket_statuses(self, request: web.Request, account: AccountView) -> JSONObject:
        point = self.own_point(account, request.query.get("evse_id"))
        return {"items": socket_statuses(point)}

    async def _api_key(self, request: web.Request, account: AccountView) -> JSONObject:
        del request
        return {"key": account.spec.api_token}

    async def _new_api_key(self, request: web.Request, account: AccountView) -> JSONObject:
        # A new home automation key; the old one no longer validates (pybluecurrent 0.4.1).
        del request
        account.spec.api_token = secrets.token_hex(16)
        return {"success": True}

    async def _contracts(self, request: web.Request, account: AccountView) -> JSONObject:
        del request
        spec = account.spec
        return {
            "contracts": [
                {
                    "contract_id": f"CT-{spec.customer_id}",
                    "contact_email": spec.email,
                    "subscription_type": spec.subscription_type,
                    "beneficiary_name": spec.full_name,
                    "iban_beneficiary": f"NL00BCUR{int(spec.customer_id):010d}"
                    if spec.customer_id.isdigit()
                    else "NL00BCUR0000000000",
                }
            ]
        }

    async def _grids(self, request: web.Request, account: AccountView) -> JSONObject:
        del request
        grids = []
        for grid in account.grids.values():
            points = [p for p in account.points.values() if p.grid_id == grid.grid_id]
            location = next((p.location for p in points if p.location is not None), None) or {}
            grids.append(
                {
                    "id": grid.grid_id,
                    "smart_charging": any(p.smart_charging for p in points),
                    "address": {
                        "street": location.get("street", ""),
                        "housenumber": location.get("housenumber", ""),
                        "postal_code": location.get("zipcode", ""),
                        "city": location.get("city", ""),
                        "country": location.get("country", ""),
                        "region": "",
                    },
                }
            )
        return {"grids": grids}

    async def _transactions(self, request: web.Request, account: AccountView) -> JSONObject:
        query = request.query
        try:
            page = int(query.get("page", "1"))
        except ValueError as err:
            raise HTTPAnswerError(400, "page must be a number") from err
        order = query.get("sort_field_order", "DESC").upper()
        if (
            page < 1
            or order not in ("ASC", "DESC")
            or query.get("sort_field", SORT_FIELD) != SORT_FIELD
        ):
            raise HTTPAnswerError(400, "invalid paging or sorting")
        first_day = _query_date(query, "start_date")
        last_day = _query_date(query, "end_date")
        evse_ids = self._requested_points(account, await request.text())
        self.observe_all()
        items = [
            t
            for t in self._ledger
            if t.customer_id == account.spec.customer_id
            and t.evse_id in evse_ids
            and _within(self._day_of(t), first_day, last_day)
        ]
        items.sort(key=lambda t: (t.ended_at, t.transaction_id), reverse=order == "DESC")
        size = self._options.rest_page_size
        total_pages = max(1, math.ceil(len(items) / size))
        chunk = items[(page - 1) * size : page * size]
        extras = self._options.rest_transaction_extras
        data: JSONObject = {
            "current_page": page,
            "next_page": page + 1 if page < total_pages else None,
            "max_per_page": size,
            "total_pages": total_pages,
            "transactions": [t.to_wire(extras=extras) for t in chunk],
        }
        if extras:
            data["total_transactions"] = len(items)
        return {"data": data}

    def _day_of(self, transaction: SimTransaction) -> date:
        moment = (
            transaction.ended_at
            if self._options.rest_date_filter == "stopped"
            else transaction.started_at
        )
        return moment.astimezone(AMSTERDAM).date()

    def _requested_points(self, account: AccountView, text: str) -> set[str]:
        # Tagged app releases always send the body; the first commit sent none (= all points).
        if not text.strip():
            return set(account.points) | {
                t.evse_id for t in self._ledger if t.customer_id == account.spec.customer_id
            }
        try:
            body = json.loads(text)
            entries = body["chargepoints"]
            evse_ids = {entry["chargepoint_id"] for entry in entries}
        except (ValueError, TypeError, KeyError) as err:
            raise HTTPAnswerError(
                400, "body must be {'chargepoints': [{'chargepoint_id': ...}]}"
            ) from err
        if not evse_ids:
            return set(account.points)
        for evse_id in evse_ids:
            self.own_point(account, evse_id)
        return evse_ids


def _query_date(query: Mapping[str, str], key: str) -> date | None:
    """A "D-M-YYYY" date of the query (pybluecurrent 0.4.1 sends no zero padding)."""
    text = query.get(key)
    if text is None:
        return None
    try:
        day, month, year = (int(part) for part in text.split("-"))
        return date(year, month, day)
    except ValueError as err:
        raise HTTPAnswerError(400, f"{key} must be D-M-YYYY") from err


def _within(day: date, first: date | None, last: date | None) -> bool:
    return (first is None or day >= first) and (last is None or day <= last)


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
