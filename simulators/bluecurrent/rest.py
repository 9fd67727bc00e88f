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
- Transactions are the account's completed sessions (ledger.py). 25 per page
  (`rest_page_size`), sorted on the stop time, `next_page` null on the last page. Times are
  "DD-MM-YYYY HH:MM:SS" Europe/Amsterdam.
- REST requests do not count toward the daily websocket budget (unknown).
"""

from __future__ import annotations

import json
import math
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .ledger import AccountView, SimTransaction, TransactionLedger
from .scenario import NO_CARD
from .wire import socket_statuses
from .zone import AMSTERDAM

__all__ = ["AccountView", "HTTPAnswerError", "RestRequest", "SimRestApi", "SimTransaction"]

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable, Mapping

    from simulators.common.clock import SimClock

    from .commandlog import ReceivedCommand
    from .options import SimulatorOptions
    from .physics import SimChargePoint

type JSONObject = dict[str, Any]

SORT_FIELD = "stoppedtimestamp"


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
        self._options = options
        self._received = received
        self._accounts = accounts
        self._status_data = status_data
        self.ledger = TransactionLedger(accounts)
        self._failures: list[int] = []
        self.requests: list[RestRequest] = []
        self.ledger.seed(clock.now(), seed)

    # ----- ledger (see ledger.py) ----------------------------------------------------------------

    def transactions(
        self, *, evse_id: str | None = None, customer_id: str | None = None
    ) -> list[SimTransaction]:
        """Completed sessions, oldest stop first (of one charge point or account, or all)."""
        return self.ledger.transactions(evse_id=evse_id, customer_id=customer_id)

    def add_transaction(
        self,
        evse_id: str,
        started_at: datetime,
        ended_at: datetime,
        kwh: float,
        card_uid: str = NO_CARD,
    ) -> SimTransaction:
        """Record a completed session by hand (tests: sessions 'while HA was off')."""
        return self.ledger.add_transaction(evse_id, started_at, ended_at, kwh, card_uid)

    def observe(self, point: SimChargePoint) -> None:
        """Note a running session's card, and record a session that has ended."""
        self.ledger.observe(point)

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
        items = [
            t
            for t in self.ledger.of_customer(account.spec.customer_id)
            if t.evse_id in evse_ids and _within(self._day_of(t), first_day, last_day)
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
                t.evse_id for t in self.ledger.of_customer(account.spec.customer_id)
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
