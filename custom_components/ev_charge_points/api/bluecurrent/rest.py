"""Client for the Blue Current REST API (§7, the app's `bc_api`) on an injected aiohttp session.

Endpoints: charge point status, contracts, grids and the paged transaction (session) history.
Requests carry the HTTP header `Authorization: Token <auth token>`. Which auth tokens REST
accepts is (unknown, §10 q7): the one of the HA API token (VALIDATE_API_TOKEN) may work; the one
of the app login (VALIDATE_PASSWORD, see app.py) is what the app uses. Callers try the first and
fall back to the second on `BlueCurrentRestAuthError`.

Status codes are (unknown): 401 and 403 both count as "this token cannot read this", 429 as the
request limit, anything else non-2xx as `BlueCurrentRestError`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Self
from urllib.parse import urlsplit, urlunsplit

import aiohttp

from .app import BlueCurrentAppClient
from .const import DEFAULT_APP_URL, DEFAULT_URL, HOME_USE_CARD, NO_CARD
from .exceptions import (
    BlueCurrentConnectionError,
    BlueCurrentError,
    BlueCurrentParseError,
    BlueCurrentRequestLimitError,
)
from .fields import mapping, number, text
from .timeutil import parse_rest_timestamp

if TYPE_CHECKING:
    import ssl
    from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
    from datetime import datetime, timedelta

    from .models import Sustainability


_LOGGER = logging.getLogger(__name__)

DEFAULT_REST_URL: Final = "https://bo.bluecurrent.nl/app/bc_api/api/v2.0"
REST_PATH: Final = "/app/bc_api/api/v2.0"
APP_PATH: Final = "/appserver/2.0"
SORT_FIELD: Final = "stoppedtimestamp"
# A server that keeps announcing a next page must not keep us paging forever.
MAX_PAGES: Final = 1000


class BlueCurrentRestError(BlueCurrentError):
    """A REST request failed with an HTTP status (`status`)."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        """Keep the HTTP status."""
        super().__init__(message)
        self.status = status


class BlueCurrentRestAuthError(BlueCurrentRestError):
    """REST refused the token (401/403): it cannot read this account's data."""


def _same_host(ws_url: str, path: str, *, secure: str, plain: str) -> str:
    parts = urlsplit(ws_url)
    scheme = secure if parts.scheme in ("wss", "https") else plain
    return urlunsplit((scheme, parts.netloc, path, "", ""))


def rest_url_for(ws_url: str) -> str:
    """The REST base URL that belongs to a `/haserver` websocket URL.

    The real cloud serves REST on another host (bo.bluecurrent.nl); any other server (the
    simulator, a test server) is expected to serve it on its own host under REST_PATH.
    """
    if ws_url.rstrip("/") == DEFAULT_URL:
        return DEFAULT_REST_URL
    return _same_host(ws_url, REST_PATH, secure="https", plain="http")


def app_url_for(ws_url: str) -> str:
    """The app websocket URL that belongs to a `/haserver` websocket URL."""
    if ws_url.rstrip("/") == DEFAULT_URL:
        return DEFAULT_APP_URL
    return _same_host(ws_url, APP_PATH, secure="wss", plain="ws")


# --- parsing helpers -------------------------------------------------------------------------


def _page_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


# --- models ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Transaction:
    """One completed charging session of the account (personal data kept out of repr)."""

    transaction_id: str
    evse_id: str
    started_at: datetime
    ended_at: datetime | None
    energy_kwh: float
    evse_name: str | None = None
    chargepoint_type: str | None = None
    card_id: str | None = field(default=None, repr=False)
    card_name: str | None = field(default=None, repr=False)
    total_cost: float | None = None
    total_cost_ex_vat: float | None = None
    vat_percentage: float | None = None
    currency: str | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse one item of `transactions`; a session without id, point or start is refused."""
        item = mapping(data, "transaction")
        transaction_id = text(item.get("transaction_id"))
        evse_id = text(item.get("chargepoint_id"))
        started_at = parse_rest_timestamp(item.get("started_at"))
        if transaction_id is None or evse_id is None or started_at is None:
            raise BlueCurrentParseError("transaction without id, charge point or start time")
        ended_at = parse_rest_timestamp(item.get("end_time"))
        card_id = text(item.get("card_id"))
        return cls(
            transaction_id=transaction_id,
            evse_id=evse_id,
            started_at=started_at,
            ended_at=ended_at,
            energy_kwh=max(0.0, number(item.get("kwh")) or 0.0),
            evse_name=text(item.get("evse_name")),
            chargepoint_type=text(item.get("chargepoint_type")),
            card_id=NO_CARD if card_id == HOME_USE_CARD else card_id,
            card_name=text(item.get("card_name")),
            total_cost=number(item.get("total_costs")),
            total_cost_ex_vat=number(item.get("total_costs_ex_vat")),
            vat_percentage=number(item.get("vat")),
            currency=text(item.get("currency")),
        )

    @property
    def duration(self) -> timedelta | None:
        """How long the session ran (None while it has no end)."""
        return None if self.ended_at is None else self.ended_at - self.started_at


@dataclass(frozen=True, slots=True)
class TransactionPage:
    """One page of `POST /gettransactions`."""

    current_page: int
    next_page: int | None
    max_per_page: int | None
    total_pages: int | None
    transactions: tuple[Transaction, ...]
    dropped: int = 0  # items that could not be parsed (logged and skipped)

    @classmethod
    def from_dict(cls, data: object, *, page: int) -> Self:
        """Parse `{"data": {...}}`; unusable items are skipped and counted."""
        body = mapping(mapping(data, "transactions reply").get("data"), "transactions data")
        raw_items = body.get("transactions")
        if not isinstance(raw_items, list):
            raise BlueCurrentParseError("transactions reply without a transactions list")
        items: list[Transaction] = []
        dropped = 0
        for raw in raw_items:
            try:
                items.append(Transaction.from_dict(raw))
            except BlueCurrentParseError as err:
                dropped += 1
                _LOGGER.debug("Skipped a transaction: %s", err)
        return cls(
            current_page=_page_number(body.get("current_page")) or page,
            next_page=_page_number(body.get("next_page")),
            max_per_page=_page_number(body.get("max_per_page")),
            total_pages=_page_number(body.get("total_pages")),
            transactions=tuple(items),
            dropped=dropped,
        )


@dataclass(frozen=True, slots=True)
class Contract:
    """A contract (subscription) of the account."""

    contract_id: str | None
    subscription_type: str | None
    contact_email: str | None = field(default=None, repr=False)
    beneficiary_name: str | None = field(default=None, repr=False)
    iban_beneficiary: str | None = field(default=None, repr=False)

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse one item of `contracts`."""
        item = mapping(data, "contract")
        return cls(
            contract_id=text(item.get("contract_id")),
            subscription_type=text(item.get("subscription_type")),
            contact_email=text(item.get("contact_email")),
            beneficiary_name=text(item.get("beneficiary_name")),
            iban_beneficiary=text(item.get("iban_beneficiary")),
        )


# --- client ----------------------------------------------------------------------------------


class BlueCurrentRestClient:
    """REST calls of one account; the aiohttp session belongs to the caller (HA's shared one)."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        token: str | None = None,
        *,
        base_url: str = DEFAULT_REST_URL,
        request_timeout: float = 10.0,
    ) -> None:
        """Prepare; `token` is an auth token (see module docstring), settable later."""
        self._session = session
        self.token = token
        self._base_url = base_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=request_timeout)
        self._requests_sent = 0

    @property
    def base_url(self) -> str:
        """The REST base URL."""
        return self._base_url

    @property
    def requests_sent(self) -> int:
        """HTTP requests sent (successful or not)."""
        return self._requests_sent

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: str | None = None,
    ) -> object:
        if not self.token:
            raise BlueCurrentRestAuthError("No auth token for the REST API")
        headers = {"Authorization": f"Token {self.token}", "Accept": "application/json"}
        url = f"{self._base_url}/{path}"
        self._requests_sent += 1
        try:
            async with self._session.request(
                method,
                url,
                params=params,
                # The app sends the JSON body as raw text without a content type.
                data=body.encode() if body is not None else None,
                headers=headers,
                skip_auto_headers=("Content-Type",),
                timeout=self._timeout,
            ) as response:
                status = response.status
                text = await response.text()
        except (aiohttp.ClientError, TimeoutError) as err:
            raise BlueCurrentConnectionError(f"REST {path} failed: {type(err).__name__}") from err
        _LOGGER.debug("REST %s %s -> %d", method, path, status)
        if status in (401, 403):
            raise BlueCurrentRestAuthError(f"REST {path} refused the token", status=status)
        if status == 429:  # noqa: PLR2004 - Too Many Requests
            raise BlueCurrentRequestLimitError
        if not 200 <= status < 300:  # noqa: PLR2004
            raise BlueCurrentRestError(f"REST {path} answered {status}", status=status)
        try:
            return json.loads(text)
        except ValueError as err:
            raise BlueCurrentParseError(f"REST {path} did not answer JSON") from err

    async def get_contracts(self) -> list[Contract]:
        """`GET /getcontracts`."""
        data = mapping(await self._request("GET", "getcontracts"), "contracts reply")
        items = data.get("contracts")
        if not isinstance(items, list):
            raise BlueCurrentParseError("contracts reply without a list")
        return [Contract.from_dict(item) for item in items]

    async def get_transactions_page(
        self, evse_ids: Sequence[str], page: int = 1, *, newest_first: bool = True
    ) -> TransactionPage:
        """One page of `POST /gettransactions` for these charge points, sorted on the stop time."""
        body = json.dumps(
            {"chargepoints": [{"chargepoint_id": evse_id} for evse_id in evse_ids]},
            separators=(",", ":"),
        )
        params = {
            "page": str(page),
            "sort_field_order": "DESC" if newest_first else "ASC",
            "sort_field": SORT_FIELD,
        }
        data = await self._request("POST", "gettransactions", params=params, body=body)
        return TransactionPage.from_dict(data, page=page)

    async def iter_transactions(
        self,
        evse_ids: Sequence[str],
        *,
        newest_first: bool = True,
        stop_before: datetime | None = None,
    ) -> AsyncIterator[Transaction]:
        """Every transaction, page after page, following `next_page` until it is null.

        With `newest_first` and `stop_before`, no further page is read once a page holds a
        session that stopped before `stop_before` (older ones follow only after it). Items
        of that last page are all yielded; the caller filters.
        """
        page: int | None = 1
        seen_pages: set[int] = set()
        while page is not None:
            if page in seen_pages or len(seen_pages) >= MAX_PAGES:
                _LOGGER.debug("Stopped paging transactions at page %d", page)
                return
            seen_pages.add(page)
            result = await self.get_transactions_page(evse_ids, page, newest_first=newest_first)
            for transaction in result.transactions:
                yield transaction
            if (
                newest_first
                and stop_before is not None
                and _ends_before(result.transactions, stop_before)
            ):
                return
            page = result.next_page

    async def get_transactions(
        self,
        evse_ids: Sequence[str],
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Transaction]:
        """Completed sessions overlapping [since, until), newest stop first (paging inside)."""
        found: list[Transaction] = []
        async for transaction in self.iter_transactions(evse_ids, stop_before=since):
            end = transaction.ended_at or transaction.started_at
            if since is not None and end < since:
                continue
            if until is not None and transaction.started_at >= until:
                continue
            found.append(transaction)
        return found


def _ends_before(transactions: Iterable[Transaction], moment: datetime) -> bool:
    return any((t.ended_at or t.started_at) < moment for t in transactions)


@dataclass(frozen=True, slots=True)
class AppLogin:
    """What one app-socket login yields: the auth token and the sustainability figures."""

    token: str = field(repr=False)
    sustainability: Sustainability | None = None


async def app_login(
    username: str,
    password: str,
    *,
    passphrase: str,
    url: str = DEFAULT_APP_URL,
    ssl_context: ssl.SSLContext | None = None,
    request_timeout: float = 10.0,
) -> AppLogin:
    """Log in on the app socket, read the sustainability figures, close; return the token.

    Raises BlueCurrentLoginError for a refused login and the socket client's errors otherwise.
    The SJCL passphrase is the vendor app's constant, which this project does not ship.
    """
    client = BlueCurrentAppClient(
        username,
        password,
        passphrase=passphrase,
        url=url,
        ssl_context=ssl_context,
        request_timeout=request_timeout,
    )
    listener: asyncio.Task[None] | None = None
    try:
        await client.login()
        token = client.auth_token
        if not token:
            raise BlueCurrentConnectionError("The app login gave no token")
        # Replies on the socket are only read while listen() runs.
        listener = asyncio.create_task(client.listen())
        sustainability: Sustainability | None = None
        try:
            sustainability = await client.get_sustainability_status()
        except BlueCurrentError as err:
            # The figures are a bonus; the token is what the caller needs.
            _LOGGER.debug("No sustainability figures: %s", type(err).__name__)
        return AppLogin(token, sustainability)
    finally:
        await client.disconnect()
        if listener is not None:
            with contextlib.suppress(BlueCurrentError, asyncio.CancelledError):
                await listener
